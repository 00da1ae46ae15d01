// Recorder.transaction: a batch recorded a chunk at a time inside one transaction (as the Claude Code scanner does)
// keeps exactly what one record() of the whole batch keeps, and a throw inside it undoes every chunk.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { SqlJsStatic } from 'sql.js';
import type { CallInput } from '../../src/shared/callRecord';
import { Recorder } from '../../src/extension/recorder/recorder';
import type { Db } from '../../src/extension/store/db';
import { emptyDatabase } from '../../src/extension/store/newDatabase';
import { loadSqlJs } from '../../src/extension/store/sqlJs';
import { WASM_PATH, fakePricer, makeCall, randomCalls } from './storeFixtures';

let SQL: SqlJsStatic;
before(async () => {
  SQL = await loadSqlJs(WASM_PATH);
});

function setup(): { db: Db; recorder: Recorder } {
  const db = emptyDatabase(SQL);
  return { db, recorder: new Recorder(db, fakePricer()) };
}

function contents(db: Db): string {
  const rows = db.all('SELECT key, ts, source, consumer_id, input, cache_write_5m, cache_write_1h, cache_read, output, sidechain, cost_nanos FROM calls ORDER BY key');
  const rollups = db.all('SELECT * FROM rollup_15m ORDER BY bucket, source, consumer_id, model_id, priced');
  return JSON.stringify({ rows, rollups });
}

describe('recording in chunks inside one transaction', () => {
  it('keeps what one record() of the whole batch keeps, copies of a key split across chunks included', () => {
    const first = randomCalls(21, 600, Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1));
    // Better and worse copies of earlier keys, so the same key arrives in different chunks.
    const batch = [...first, ...first.slice(0, 200).map((c, i) => ({
      ...c,
      sidechain: i % 3 === 0 ? !c.sidechain : c.sidechain,
      tokens: { ...c.tokens, output: c.tokens.output + (i % 2 === 0 ? 300 : -Math.min(c.tokens.output, 2)) },
    }))];
    const whole = setup();
    const chunked = setup();
    const wholeResult = whole.recorder.record(batch);
    const sum = { inserted: 0, updated: 0, unchanged: 0 };
    chunked.recorder.transaction(() => {
      for (let i = 0; i < batch.length; i += 37) {
        const r = chunked.recorder.record(batch.slice(i, i + 37));
        sum.inserted += r.inserted;
        sum.updated += r.updated;
        sum.unchanged += r.unchanged;
      }
    });
    assert.deepEqual(sum, { inserted: wholeResult.inserted, updated: wholeResult.updated, unchanged: wholeResult.unchanged });
    assert.ok(sum.updated > 0 && sum.unchanged > 0, `the data exercises both outcomes: ${JSON.stringify(sum)}`);
    assert.equal(contents(chunked.db), contents(whole.db));
  });

  it('undoes every chunk on a throw, and forgets the names it had cached meanwhile', () => {
    const { db, recorder } = setup();
    recorder.record([makeCall({ consumer: { key: 'kept', name: 'Kept' } })]);
    const before = contents(db);
    const fresh: CallInput = makeCall({ consumer: { key: 'new-conversation', name: 'New conversation' }, model: 'model-new' });
    assert.throws(
      () =>
        recorder.transaction(() => {
          recorder.record([fresh]);
          recorder.record([makeCall({ consumer: { key: 'new-conversation', name: 'New conversation' } })]);
          throw new Error('disk full');
        }),
      /disk full/,
    );
    assert.equal(contents(db), before);
    assert.equal(db.first("SELECT COUNT(*) FROM consumers WHERE key = 'new-conversation'")?.[0], 0);

    // Recorded again: the consumer and model rows are created anew, not taken from a cache of undone ids.
    assert.equal(recorder.record([fresh]).inserted, 1);
    const joined = db.first(
      'SELECT co.name, m.name FROM calls c JOIN consumers co ON co.id = c.consumer_id JOIN models m ON m.id = c.model_id WHERE c.key = ?',
      [fresh.key],
    );
    assert.deepEqual(joined, ['New conversation', 'model-new']);
  });
});
