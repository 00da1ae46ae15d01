// Shared by the queries* tests of scope, cache accounting, models and cursors (not a test file itself): a database
// with the real recorder and a chosen pricer, and the Queries reading it with the same (or another) pricer.
import type { SqlJsStatic } from 'sql.js';
import type { CallInput } from '../../src/shared/callRecord';
import type { Pricer } from '../../src/extension/pricing';
import { Queries } from '../../src/extension/queries';
import { Recorder } from '../../src/extension/recorder/recorder';
import type { Db } from '../../src/extension/store/db';
import { emptyDatabase } from '../../src/extension/store/newDatabase';
import { loadSqlJs } from '../../src/extension/store/sqlJs';
import { WASM_PATH } from './storeFixtures';
import { mulberry32 } from '../support/seededRandom';

let sql: Promise<SqlJsStatic> | null = null;

export interface QueryBench {
  db: Db;
  recorder: Recorder;
  queries: Queries;
}

/** `queriesPricer`: the pricer the queries split costs with; default the recorder's. */
export async function benchWith(calls: CallInput[], pricer: Pricer, queriesPricer: Pricer | null = pricer): Promise<QueryBench> {
  sql ??= loadSqlJs(WASM_PATH);
  const db = emptyDatabase(await sql);
  const recorder = new Recorder(db, pricer);
  for (let i = 0; i < calls.length; i += 500) {
    const result = recorder.record(calls.slice(i, i + 500));
    if (result.rejected.length > 0) throw new Error(`fixture calls rejected: ${JSON.stringify(result.rejected[0])}`);
  }
  return { db, recorder, queries: new Queries(db, () => queriesPricer) };
}

export const seeded = mulberry32;

export const ALL_TIME = { from: -8.64e15, to: 8.64e15 };
