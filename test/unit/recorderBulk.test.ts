// Bulk mode (a large import): dedup through the in-memory map of row ids instead of the key-hash index must keep
// exactly what the indexed path keeps, until and after the deferred indexes are built; a file saved in between gets
// them back when it is opened.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { SqlJsStatic } from 'sql.js';
import type { CallInput } from '../../src/shared/callRecord';
import { Recorder } from '../../src/extension/recorder/recorder';
import { Db } from '../../src/extension/store/db';
import { emptyDatabase } from '../../src/extension/store/newDatabase';
import { migrate } from '../../src/extension/store/schema';
import { loadSqlJs } from '../../src/extension/store/sqlJs';
import { BulkKeys } from '../../src/extension/recorder/bulkKeys';
import { WASM_PATH, dedupReference, fakePricer, makeCall, randomCalls, tokens } from './storeFixtures';

let SQL: SqlJsStatic;
before(async () => {
  SQL = await loadSqlJs(WASM_PATH);
});

const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 2, 1);

function setup(): { db: Db; recorder: Recorder } {
  const db = emptyDatabase(SQL);
  return { db, recorder: new Recorder(db, fakePricer()) };
}

/** The indexes every large import drops and builds again after it (dedup's key hash, the cost order of records). */
function hasKeyIndex(db: Db): boolean {
  const names = db.all("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('calls_key_hash', 'calls_cost')");
  assert.notEqual(names.length, 1, 'both or neither');
  return names.length === 2;
}

/** The index a first import (into an almost empty store) drops as well; the time index is never dropped. */
function hasConsumerIndex(db: Db): boolean {
  assert.notEqual(db.first("SELECT 1 FROM sqlite_master WHERE name = 'calls_ts'"), undefined, 'the time index stays');
  return db.first("SELECT 1 FROM sqlite_master WHERE name = 'calls_consumer_ts'") !== undefined;
}

/** Every stored row as text, ordered by key (ids may differ between two databases). */
function rowsByKey(db: Db): string[] {
  return db.all(
    `SELECT key, ts, source, input, cache_write_5m, cache_write_1h, cache_read, output, sidechain, cost_nanos FROM calls ORDER BY key`,
  ).map((r) => JSON.stringify(r));
}

function rollups(db: Db): string {
  return JSON.stringify(db.all('SELECT * FROM rollup_15m ORDER BY bucket, source, consumer_id, model_id, priced'));
}

function recordInBatches(recorder: Recorder, calls: readonly CallInput[], size: number): { inserted: number; updated: number; unchanged: number } {
  const sum = { inserted: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < calls.length; i += size) {
    const r = recorder.record(calls.slice(i, i + size));
    sum.inserted += r.inserted;
    sum.updated += r.updated;
    sum.unchanged += r.unchanged;
  }
  return sum;
}

describe('bulk mode', () => {
  it('keeps exactly what the indexed path keeps, across batches and against rows stored before it began', () => {
    const earlier = randomCalls(11, 400, FROM, TO);
    // Later calls repeat earlier keys (better and worse copies) and repeat each other across batch boundaries.
    const later = [...randomCalls(12, 3000, FROM, TO), ...earlier.slice(0, 150).map((c, i) => ({
      ...c,
      tokens: { ...c.tokens, output: c.tokens.output + (i % 2 === 0 ? 500 : -Math.min(c.tokens.output, 1)) },
    }))];
    const plain = setup();
    const bulk = setup();
    recordInBatches(plain.recorder, earlier, 97);
    recordInBatches(bulk.recorder, earlier, 97);

    assert.equal(bulk.recorder.beginBulk(later.length), true);
    assert.equal(hasKeyIndex(bulk.db), false, 'the key and cost indexes are dropped during bulk mode');
    assert.equal(hasConsumerIndex(bulk.db), false, 'and the consumer index, since the store held little before');
    const bulkResult = recordInBatches(bulk.recorder, later.slice(0, 2500), 250);
    bulk.recorder.endBulk();
    assert.equal(bulk.recorder.inBulk, false);
    assert.equal(bulk.recorder.indexesDeferred, true);
    assert.equal(hasKeyIndex(bulk.db), false, 'the indexes are built later, when the store is idle');
    // Calls recorded after the import and before that build still find their stored copies (through the map).
    const afterResult = recordInBatches(bulk.recorder, later.slice(2500), 250);
    assert.equal(bulk.recorder.buildDeferredIndexes(), true);
    assert.equal(bulk.recorder.buildDeferredIndexes(), false, 'built once');
    const plainResult = recordInBatches(plain.recorder, later, 250);

    assert.deepEqual(
      { inserted: bulkResult.inserted + afterResult.inserted, updated: bulkResult.updated + afterResult.updated,
        unchanged: bulkResult.unchanged + afterResult.unchanged },
      plainResult,
    );
    assert.ok(afterResult.updated > 0 && afterResult.unchanged > 0, `the data exercises both outcomes: ${JSON.stringify(afterResult)}`);
    assert.deepEqual(rowsByKey(bulk.db), rowsByKey(plain.db));
    assert.equal(rowsByKey(bulk.db).length, dedupReference([...earlier, ...later]).size);
    assert.equal(rollups(bulk.db), rollups(plain.db));
    assert.equal(hasKeyIndex(bulk.db), true, 'the key and cost indexes are back');
    assert.equal(hasConsumerIndex(bulk.db), true, 'and the consumer index');
    assert.equal(bulk.recorder.indexesDeferred, false);
    assert.ok((bulk.recorder.indexBuildMs ?? -1) >= 0);
    // Dedup after the build goes through the index again.
    assert.deepEqual(bulk.recorder.record(later.slice(0, 10)).unchanged, 10);
  });

  it('a second large import before the deferred build keeps the map and builds the indexes once, after it', () => {
    const { db, recorder } = setup();
    const first = randomCalls(21, 300, FROM, TO);
    const second = randomCalls(22, 300, FROM, TO);
    assert.equal(recorder.beginBulk(1000), true);
    recorder.record(first);
    recorder.endBulk();
    assert.equal(recorder.beginBulk(10), true, 'the map is still there: no reason to decline');
    assert.equal(recorder.buildDeferredIndexes(), false, 'not during an import');
    assert.equal(recorder.record(first).unchanged, first.length);
    recorder.record(second);
    recorder.endBulk();
    assert.equal(recorder.buildDeferredIndexes(), true);
    assert.equal(hasKeyIndex(db), true);
    assert.equal(recorder.count(), dedupReference([...first, ...second]).size);
  });

  it('keeps the consumer index when the store already held more than a first import', () => {
    const { db, recorder } = setup();
    const stored = randomCalls(31, 10_001, FROM, TO).map((c, i) => ({ ...c, key: `msg_stored_${i}` }));
    for (let i = 0; i < stored.length; i += 2_000) recorder.record(stored.slice(i, i + 2_000));
    assert.equal(recorder.count(), 10_001);
    assert.equal(recorder.beginBulk(20_000), true);
    assert.equal(hasKeyIndex(db), false);
    assert.equal(hasConsumerIndex(db), true, 'queries keep their consumer index during the import');
    recorder.record(randomCalls(32, 200, FROM, TO));
    recorder.endBulk();
    assert.equal(recorder.buildDeferredIndexes(1), true);
    const built = db.all("SELECT name FROM sqlite_master WHERE name IN ('calls_key_hash', 'calls_cost')").map((r) => String(r[0]));
    assert.deepEqual(built, ['calls_key_hash'], 'one index per call: the key-hash index first, then the cost index');
    assert.equal(recorder.buildDeferredIndexes(1), true);
    assert.equal(hasKeyIndex(db), true);
    assert.equal(recorder.indexesDeferred, false);
    assert.equal(recorder.buildDeferredIndexes(), false);
  });

  it('is declined when the table already holds more rows than the import is expected to bring', () => {
    const { db, recorder } = setup();
    recorder.record(randomCalls(3, 50, FROM, TO));
    assert.equal(recorder.beginBulk(10), false);
    assert.equal(recorder.inBulk, false);
    assert.equal(hasKeyIndex(db), true);
    assert.equal(recorder.beginBulk(0), false, 'nothing expected: nothing to gain');
  });

  it('still finds stored copies after rows were pruned and their ids reused', () => {
    const { db, recorder } = setup();
    const old = makeCall({ key: 'msg_old', ts: FROM, tokens: tokens({ input: 1, output: 1 }) });
    const kept = makeCall({ key: 'msg_kept', ts: TO, tokens: tokens({ input: 1, output: 1 }) });
    recorder.record([kept, old]);
    assert.equal(recorder.beginBulk(100), true);
    assert.equal(recorder.pruneBefore(FROM + 1), 1);
    // The pruned row had the largest id: SQLite hands it to the next new row, which the map must not confuse.
    const fresh = makeCall({ key: 'msg_fresh', ts: TO });
    assert.deepEqual(recorder.record([fresh]), { inserted: 1, updated: 0, unchanged: 0, rejected: [] });
    const better = { ...kept, tokens: tokens({ input: 1, output: 50 }) };
    assert.deepEqual(recorder.record([better, { ...old }]), { inserted: 1, updated: 1, unchanged: 0, rejected: [] });
    assert.deepEqual(recorder.record([fresh, better]), { inserted: 0, updated: 0, unchanged: 2, rejected: [] });
    recorder.endBulk();
    assert.deepEqual(db.all('SELECT key, output FROM calls ORDER BY key'), [['msg_fresh', 5], ['msg_kept', 50], ['msg_old', 1]]);
  });

  it('creates each consumer once: those stored before it began are found, new ones added, renames go to the right rows', () => {
    const { db, recorder: before } = setup();
    before.record([makeCall({ consumer: { key: 'old', name: 'Old conversation' } })]);
    // A recorder that has not seen the stored consumer (the store opened again).
    const recorder = new Recorder(db, fakePricer());
    assert.equal(recorder.beginBulk(1000), true);
    recorder.record([
      makeCall({ consumer: { key: 'old', name: 'Old conversation' } }),
      makeCall({ consumer: { key: 'new', name: 'New conversation' } }),
      makeCall({ consumer: { key: 'new', name: 'New conversation' } }),
    ]);
    assert.equal(recorder.renameConsumer('old', 'Old, renamed'), true);
    assert.equal(recorder.renameConsumer('never-seen', 'Nobody'), false);
    recorder.endBulk();
    recorder.record([makeCall({ consumer: { key: 'new', name: 'New conversation' } })]);
    const consumers = db.all('SELECT key, name, (SELECT count(*) FROM calls WHERE consumer_id = consumers.id) FROM consumers ORDER BY key');
    assert.deepStrictEqual(consumers, [['new', 'New conversation', 3], ['old', 'Old, renamed', 2]]);
  });

  it('a database saved during bulk mode (without the key and cost indexes) gets them back when it is opened', () => {
    const { db, recorder } = setup();
    recorder.record(randomCalls(5, 30, FROM, TO));
    recorder.beginBulk(1000);
    const saved = db.export();
    recorder.endBulk();
    const reopened = new Db(new SQL.Database(saved));
    assert.equal(hasKeyIndex(reopened), false, 'the saved bytes lack the index');
    migrate(reopened);
    assert.equal(hasKeyIndex(reopened), true);
    const again = new Recorder(reopened, fakePricer());
    const first = randomCalls(5, 30, FROM, TO)[0];
    assert.equal(again.record([first]).unchanged, 1, 'dedup works through the rebuilt index');
  });
});

describe('the bulk map of row ids', () => {
  it('finds every id added under a hash, among thousands of entries and across growth, with shared low bits', () => {
    const keys = new BulkKeys();
    const reference = new Map<number, number[]>();
    const add = (hash: number, id: number) => {
      keys.add(hash, id);
      reference.set(hash, [...(reference.get(hash) ?? []), id]);
    };
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let id = 1; id <= 20_000; id++) add(next() * 2048 + (next() & 2047), id);
    // Hashes that differ only above the low 32 bits, a hash of 0, and one hash holding several rows.
    add(2 ** 40 + 5, 20_001);
    add(2 ** 41 + 5, 20_002);
    add(0, 20_003);
    add(123, 20_004);
    add(123, 20_005);
    assert.equal(keys.size, 20_005);
    for (const [hash, ids] of reference) {
      const found = keys.idsFor([hash]);
      for (const id of ids) assert.ok(found.includes(id), `hash ${hash}: id ${id} missing from ${found.join(',')}`);
    }
    assert.deepEqual(keys.idsFor([2 ** 40 + 5]).sort(), [20_001, 20_002], 'shared low bits give both candidates');
    assert.deepEqual(keys.idsFor([123]).sort(), [20_004, 20_005]);
    const unknown = keys.idsFor([987_654_321_987]);
    assert.ok(unknown.length <= 1, 'an unknown hash finds (almost) nothing');
  });
});
