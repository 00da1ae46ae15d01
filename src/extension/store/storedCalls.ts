/**
 * Reading the calls back out of a database as CallInputs — to merge another copy of the database file into this
 * one (a window that becomes the writer must not replace a newer file with an older view; see instances/README.md).
 */
import type { SqlJsStatic } from 'sql.js';
import type { CallInput } from '../../shared/callRecord';
import type { FileStateStore } from '../collectors/collector';
import type { Recorder } from '../recorder/recorder';
import type { RecordResult } from './storeApi';
import { Db, num, numOrNull, str, strOrNull } from './db';
import { errorText } from './persistence';
import { migrate } from './schema';
import { sourceFromCode } from './sourceCodes';

const PAGE = 5000;

const SELECT_CALLS = `
SELECT c.id, c.key, c.request_id, c.ts, c.source, k.key, k.name, m.name, c.input, c.cache_write_5m, c.cache_write_1h,
       c.cache_read, c.output, c.web_search, c.web_fetch, tier.text, speed.text, geo.text, c.duration_ms, p.path,
       col.name, c.sidechain
FROM calls c
JOIN consumers k ON k.id = c.consumer_id
JOIN models m ON m.id = c.model_id
JOIN collectors col ON col.id = c.collector_id
LEFT JOIN labels tier ON tier.id = c.service_tier_id
LEFT JOIN labels speed ON speed.id = c.speed_id
LEFT JOIN labels geo ON geo.id = c.inference_geo_id
LEFT JOIN projects p ON p.id = c.project_id
WHERE c.id > ?
ORDER BY c.id
LIMIT ${PAGE}`;

/** Opens a database file read-only in memory (checked and brought to the current schema). The caller closes it. */
export function openDatabaseCopy(SQL: SqlJsStatic, bytes: Uint8Array, label: string): Db {
  let db: Db | undefined;
  try {
    db = new Db(new SQL.Database(bytes));
    const verdict = db.all('PRAGMA quick_check').map((row) => String(row[0])).join('; ');
    if (verdict !== 'ok') throw new Error(`integrity check failed: ${verdict.slice(0, 300)}`);
    migrate(db);
    return db;
  } catch (e: unknown) {
    db?.close();
    throw new Error(`Cannot read ${label}: ${errorText(e)}`);
  }
}

/** Every stored call, in batches, as the recorder takes them. */
export function eachStoredCallBatch(db: Db, onBatch: (calls: CallInput[]) => void): void {
  let lastId = 0;
  for (;;) {
    const rows = db.all(SELECT_CALLS, [lastId]);
    if (rows.length === 0) return;
    lastId = num(rows[rows.length - 1][0]);
    onBatch(
      rows.map((row) => {
        const call: CallInput = {
          key: str(row[1]),
          ts: num(row[3]),
          source: sourceFromCode(row[4]),
          consumer: { key: str(row[5]), name: str(row[6]) },
          model: str(row[7]),
          tokens: {
            input: num(row[8]),
            cacheWrite5m: num(row[9]),
            cacheWrite1h: num(row[10]),
            cacheRead: num(row[11]),
            output: num(row[12]),
          },
          durationMs: numOrNull(row[18]),
          collector: str(row[20]),
          sidechain: row[21] === 1,
        };
        const optional: Array<[keyof CallInput, string | number | null]> = [
          ['requestId', strOrNull(row[2])],
          ['webSearchRequests', numOrNull(row[13])],
          ['webFetchRequests', numOrNull(row[14])],
          ['serviceTier', strOrNull(row[15])],
          ['speed', strOrNull(row[16])],
          ['inferenceGeo', strOrNull(row[17])],
          ['project', strOrNull(row[19])],
        ];
        for (const [field, value] of optional) if (value !== null) Object.assign(call, { [field]: value });
        return call;
      }),
    );
  }
}

export function readFileStates(db: Db): Map<string, string> {
  return new Map(db.all('SELECT path, state FROM file_state').map((row) => [str(row[0]), str(row[1])]));
}

export function readMeta(db: Db): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const row of db.all('SELECT key, value FROM meta')) meta[str(row[0])] = str(row[1]);
  return meta;
}

export interface MergeResult {
  /** What recording the copy's calls did here (dedup keeps the better copy of each key). */
  result: RecordResult;
  /** File states taken over for files this store had not read yet. */
  fileStates: number;
  /** The copy's meta table (e.g. a journal position to merge). */
  meta: Record<string, string>;
}

/**
 * Records every call of another copy of the database here (dedup keeps the better copy; consumer names known here
 * stay) and takes its file states for files not read here yet — keeping our own offsets is always safe, since
 * re-read lines dedup.
 */
export function mergeStoredCopy(other: Db, recorder: Recorder, fileState: FileStateStore): MergeResult {
  const result: RecordResult = { inserted: 0, updated: 0, unchanged: 0, rejected: [] };
  eachStoredCallBatch(other, (calls) => {
    const batch = recorder.record(calls);
    result.inserted += batch.inserted;
    result.updated += batch.updated;
    result.unchanged += batch.unchanged;
    result.rejected.push(...batch.rejected);
  });
  let fileStates = 0;
  for (const [path, value] of readFileStates(other)) {
    if (fileState.get(path) === undefined) {
      fileState.set(path, value);
      fileStates++;
    }
  }
  return { result, fileStates, meta: readMeta(other) };
}
