// Deduplication by key, roll-ups kept equal to the rows, renames and re-pricing — on the recorder itself.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { SqlJsStatic } from 'sql.js';
import type { CallInput } from '../../src/shared/callRecord';
import { Recorder } from '../../src/extension/recorder/recorder';
import type { Db } from '../../src/extension/store/db';
import { emptyDatabase } from '../../src/extension/store/newDatabase';
import { loadSqlJs } from '../../src/extension/store/sqlJs';
import { Queries } from '../../src/extension/queries';
import { REBUILD_ROLLUPS_SQL } from '../../src/extension/store/schema';
import { WASM_PATH, dedupReference, fakeCost, fakePricer, makeCall, randomCalls, tokens } from './storeFixtures';

let SQL: SqlJsStatic;
before(async () => {
  SQL = await loadSqlJs(WASM_PATH);
});

function setup(): { db: Db; recorder: Recorder; queries: Queries } {
  const db = emptyDatabase(SQL);
  return { db, recorder: new Recorder(db, fakePricer()), queries: new Queries(db) };
}

const ALL = { from: -8.64e15, to: 8.64e15 };

function storedOutputs(queries: Queries): Map<string, { output: number; consumerKey: string; costNanos: number | null }> {
  const out = new Map<string, { output: number; consumerKey: string; costNanos: number | null }>();
  for (let page = 1; ; page++) {
    const result = queries.records({ range: ALL, page, pageSize: 500 });
    for (const row of result.rows) out.set(row.key, { output: row.tokens.output, consumerKey: row.consumerKey, costNanos: row.costNanos });
    if (page * result.pageSize >= result.total) break;
  }
  return out;
}

/** The maintained roll-ups must equal a rebuild from rows, row for row. */
function assertRollupsMatchRows(db: Db): void {
  const snapshot = (): string =>
    JSON.stringify(db.all('SELECT * FROM rollup_15m ORDER BY bucket, source, consumer_id, model_id, priced'));
  const maintained = snapshot();
  db.exec('SAVEPOINT check_rollups');
  db.exec(REBUILD_ROLLUPS_SQL);
  const rebuilt = snapshot();
  db.exec('ROLLBACK TO check_rollups; RELEASE check_rollups');
  assert.equal(maintained, rebuilt, 'roll-ups drifted from the rows');
}

describe('deduplication by key', () => {
  it('the same key twice keeps one row: the copy with the larger token total', () => {
    const { db, recorder, queries } = setup();
    const partial = makeCall({ key: 'msg_stream', tokens: tokens({ input: 3, cacheRead: 1000, output: 1 }) });
    const final = { ...partial, tokens: tokens({ input: 3, cacheRead: 1000, output: 412 }) };
    assert.deepEqual(recorder.record([partial]), { inserted: 1, updated: 0, unchanged: 0, rejected: [] });
    assert.deepEqual(recorder.record([final]), { inserted: 0, updated: 1, unchanged: 0, rejected: [] });
    assert.deepEqual(recorder.record([partial]), { inserted: 0, updated: 0, unchanged: 1, rejected: [] });
    assert.deepEqual(recorder.record([final]), { inserted: 0, updated: 0, unchanged: 1, rejected: [] }, 'equal copies change nothing');
    const rows = storedOutputs(queries);
    assert.equal(rows.size, 1);
    assert.equal(rows.get('msg_stream')?.output, 412);
    assert.equal(rows.get('msg_stream')?.costNanos, fakeCost(final.tokens, 3));
    assertRollupsMatchRows(db);
  });

  it('never sums copies and never keeps simply the first', () => {
    const { queries, recorder } = setup();
    const copies = [5, 200, 90].map((output) => makeCall({ key: 'msg_x', tokens: tokens({ input: 10, output }) }));
    const result = recorder.record(copies);
    assert.deepEqual([result.inserted, result.updated, result.unchanged], [1, 1, 1]);
    const summary = queries.summary(ALL);
    assert.equal(summary.calls, 1);
    assert.equal(summary.tokens.output, 200);
  });

  it('a non-sidechain copy wins over a sidechain copy, even with fewer tokens', () => {
    const { db, recorder, queries } = setup();
    const side = makeCall({ key: 'msg_s', sidechain: true, consumer: { key: 'agent-1', name: 'Explore' }, source: 'agent', tokens: tokens({ output: 900 }) });
    const main = { ...side, sidechain: false, consumer: { key: 'session-1', name: 'Main chat' }, source: 'chat' as const, tokens: tokens({ output: 100 }) };
    recorder.record([side]);
    assert.equal(recorder.record([main]).updated, 1);
    const bigger = { ...side, tokens: tokens({ output: 5000 }) };
    assert.equal(recorder.record([bigger]).unchanged, 1, 'a sidechain copy never replaces a main-chain copy');
    const row = storedOutputs(queries).get('msg_s');
    assert.equal(row?.consumerKey, 'session-1');
    assert.equal(row?.output, 100);
    const day = { from: side.ts - 86_400_000, to: side.ts + 1 };
    const { bySource } = queries.dashboard({ range: day, timeZone: 'UTC', granularity: 'day', topBy: 'cost' });
    assert.deepEqual(bySource.map((s) => s.calls), [1, 0, 0], 'the call counts as chat, where its main copy is');
    assertRollupsMatchRows(db);
  });

  it('matches the reference rule on random batches with streaming and sidechain copies, in any batch split', () => {
    for (const seed of [1, 2, 3]) {
      const { db, recorder, queries } = setup();
      const calls = randomCalls(seed, 600, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 20));
      const rnd = seed * 7;
      for (let i = 0; i < calls.length; ) {
        const size = 1 + ((i * rnd) % 97);
        recorder.record(calls.slice(i, i + size));
        i += size;
      }
      const expected = dedupReference(calls);
      const stored = storedOutputs(queries);
      assert.equal(stored.size, expected.size);
      for (const [key, call] of expected) {
        assert.equal(stored.get(key)?.output, call.tokens.output, `output of ${key}`);
        assert.equal(stored.get(key)?.consumerKey, call.consumer.key, `consumer of ${key}`);
      }
      assertRollupsMatchRows(db);
    }
  });

  it('keys that collide in nothing but their hash stay separate (the full key is compared)', () => {
    const { recorder, queries } = setup();
    recorder.record([makeCall({ key: 'a' }), makeCall({ key: 'b' }), makeCall({ key: 'a ' })]);
    assert.equal(queries.summary(ALL).calls, 3);
  });
});

describe('a call seen by Claude Code and by the proxy or the public API', () => {
  /** The stored copy of a key: its collector, consumer and output tokens. */
  function storedCopy(db: Db, key: string): { collector: string; consumer: string; output: number } | undefined {
    const row = db.first(
      'SELECT co.name, cs.key, c.output FROM calls c JOIN collectors co ON co.id = c.collector_id JOIN consumers cs ON cs.id = c.consumer_id WHERE c.key = ?',
      [key],
    );
    return row ? { collector: row[0] as string, consumer: row[1] as string, output: row[2] as number } : undefined;
  }

  const transcriptCopy = (key: string, output: number, extra: Partial<CallInput> = {}): CallInput =>
    makeCall({ key, collector: 'claude-code', consumer: { key: 'claude-code:session:s1', name: 'Rate limiting' }, project: '/home/dev/app', tokens: tokens({ input: 10, output }), ...extra });
  const relayCopy = (key: string, output: number, collector: string): CallInput =>
    makeCall({ key, collector, consumer: { key: `${collector}:caller`, name: 'Caller' }, tokens: tokens({ input: 10, output }) });

  for (const relay of ['proxy', 'api:acme.ext']) {
    it(`the Claude Code copy replaces a ${relay} copy that arrived first, even one with more tokens`, () => {
      const { db, recorder } = setup();
      assert.equal(recorder.record([relayCopy('msg_r1', 900, relay)]).inserted, 1);
      assert.deepEqual(recorder.record([transcriptCopy('msg_r1', 400)]), { inserted: 0, updated: 1, unchanged: 0, rejected: [] });
      assert.deepEqual(storedCopy(db, 'msg_r1'), { collector: 'claude-code', consumer: 'claude-code:session:s1', output: 400 });
      assertRollupsMatchRows(db);
    });

    it(`a ${relay} copy never replaces a Claude Code copy, even a sidechain one with fewer tokens`, () => {
      const { db, recorder } = setup();
      recorder.record([transcriptCopy('msg_r2', 50, { sidechain: true, source: 'agent' })]);
      assert.deepEqual(recorder.record([relayCopy('msg_r2', 5000, relay)]), { inserted: 0, updated: 0, unchanged: 1, rejected: [] });
      assert.deepEqual(storedCopy(db, 'msg_r2'), { collector: 'claude-code', consumer: 'claude-code:session:s1', output: 50 });
      assertRollupsMatchRows(db);
    });
  }

  it('holds within one batch, in either order, and between batches of any split', () => {
    for (const order of [0, 1]) {
      const { db, recorder } = setup();
      const pair = [relayCopy('msg_r3', 7000, 'proxy'), transcriptCopy('msg_r3', 300)];
      const result = recorder.record(order === 0 ? pair : [...pair].reverse());
      assert.equal(result.inserted, 1);
      assert.equal(storedCopy(db, 'msg_r3')?.collector, 'claude-code', `order ${order}`);
      assert.equal(storedCopy(db, 'msg_r3')?.output, 300);
      assertRollupsMatchRows(db);
    }
  });

  it('between two Claude Code copies, or two relay copies, the usual rule still decides', () => {
    const { db, recorder } = setup();
    recorder.record([transcriptCopy('msg_r4', 5), relayCopy('msg_r5', 5, 'proxy')]);
    assert.equal(recorder.record([transcriptCopy('msg_r4', 412)]).updated, 1, 'the final streamed copy replaces the partial one');
    assert.equal(recorder.record([relayCopy('msg_r5', 80, 'api:other.ext')]).updated, 1, 'a bigger relay copy replaces a relay copy');
    assert.equal(storedCopy(db, 'msg_r4')?.output, 412);
    assert.deepEqual(storedCopy(db, 'msg_r5'), { collector: 'api:other.ext', consumer: 'api:other.ext:caller', output: 80 });
    // Other collectors (tests, a journal of unknown origin) are not relays: plain rule against Claude Code copies too.
    recorder.record([makeCall({ key: 'msg_r6', collector: 'test', tokens: tokens({ output: 900 }) })]);
    assert.equal(recorder.record([transcriptCopy('msg_r6', 10)]).unchanged, 1);
    assertRollupsMatchRows(db);
  });
});

describe('consumers', () => {
  it('collector calls keep the first name; renameConsumer changes it; API calls rename (last writer wins)', () => {
    const { recorder, queries } = setup();
    recorder.record([makeCall({ consumer: { key: 'sess', name: 'first prompt' } })]);
    recorder.record([makeCall({ consumer: { key: 'sess', name: 'other name' } })]);
    const name = () => queries.records({ range: ALL, page: 1 }).rows[0].name;
    assert.equal(name(), 'first prompt');
    assert.equal(recorder.renameConsumer('sess', 'Login route rate limiting'), true);
    assert.equal(recorder.renameConsumer('unknown-key', 'x'), false);
    assert.equal(name(), 'Login route rate limiting');
    assert.equal(recorder.takeRenames(), 1);
    recorder.record([makeCall({ consumer: { key: 'sess', name: 'Renamed by API' } })], { updateNames: true });
    assert.equal(name(), 'Renamed by API');
    assert.equal(queries.records({ range: ALL, page: 1, search: 'renamed BY' }).total, 3, 'search follows the new name');
  });
});

describe('a failed batch', () => {
  it('rolls back completely and leaves the recorder usable', () => {
    const { db, recorder, queries } = setup();
    recorder.record([makeCall({ key: 'kept' })]);
    db.exec('CREATE TRIGGER fail_once BEFORE INSERT ON calls WHEN NEW.key = \'boom\' BEGIN SELECT RAISE(ABORT, \'disk trouble\'); END;');
    assert.throws(() => recorder.record([makeCall({ key: 'x1', consumer: { key: 'new-consumer', name: 'n' } }), makeCall({ key: 'boom' })]), /disk trouble/);
    db.exec('DROP TRIGGER fail_once');
    assert.equal(queries.summary(ALL).calls, 1);
    const again = recorder.record([makeCall({ key: 'x1', consumer: { key: 'new-consumer', name: 'n' } })]);
    assert.equal(again.inserted, 1, 'the undone consumer is created again, not referenced by a stale cached id');
    assert.equal(queries.records({ range: ALL, page: 1, consumerKey: 'new-consumer' }).total, 1);
    assertRollupsMatchRows(db);
  });
});

describe('pricing', () => {
  it('unknown models are stored unpriced (null), never $0, and re-pricing prices them once known', () => {
    const { db, recorder, queries } = setup();
    const calls: CallInput[] = [
      makeCall({ model: 'model-a', tokens: tokens({ input: 100 }) }),
      makeCall({ model: 'claude-opus-9', tokens: tokens({ input: 100 }) }),
    ];
    recorder.record(calls);
    let summary = queries.summary(ALL);
    assert.deepEqual([summary.pricedCalls, summary.unpricedCalls, summary.costNanos], [1, 1, 300]);
    assert.deepEqual(summary.unpricedModels, ['claude-opus-9']);
    assert.equal(summary.avgCostNanos, 300);
    recorder.setPricer(fakePricer('fake-2', { 'claude-opus-9': 7 }));
    assert.equal(recorder.reprice(), 1);
    summary = queries.summary(ALL);
    assert.deepEqual([summary.pricedCalls, summary.unpricedCalls, summary.costNanos], [2, 0, 1000]);
    assert.deepEqual(summary.unpricedModels, []);
    assert.equal(db.first('SELECT COUNT(*) FROM calls c JOIN price_versions v ON v.id = c.price_version_id WHERE v.version = ?', ['fake-2'])?.[0], 2);
    assertRollupsMatchRows(db);
  });

  it('a pricer that throws or returns nonsense leaves the call stored unpriced, with a log line', () => {
    const db = emptyDatabase(SQL);
    const logs: string[] = [];
    const recorder = new Recorder(
      db,
      { version: 'bad', knows: () => true, price: (c) => { if (c.model === 'throws') throw new Error('table broken'); return -1; } },
      (_level, message) => logs.push(message),
    );
    const result = recorder.record([makeCall({ model: 'throws' }), makeCall({ model: 'negative' })]);
    assert.equal(result.inserted, 2);
    assert.equal(new Queries(db).summary(ALL).unpricedCalls, 2);
    assert.equal(logs.length, 2);
    assert.match(logs[0], /table broken/);
  });
});

describe('retention', () => {
  it('pruneBefore removes older calls with their roll-ups, exactly at an unaligned cutoff', () => {
    const { db, recorder, queries } = setup();
    const calls = randomCalls(11, 800, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 10));
    recorder.record(calls);
    const cutoff = Date.UTC(2026, 0, 5, 7, 22, 13, 5);
    const kept = [...dedupReference(calls).values()].filter((c) => c.ts >= cutoff);
    const removed = recorder.pruneBefore(cutoff);
    assert.equal(removed, dedupReference(calls).size - kept.length);
    assert.equal(queries.summary(ALL).calls, kept.length);
    const windowAroundCutoff = { from: cutoff - 3_600_000, to: cutoff + 3_600_000 };
    assert.equal(queries.summary(windowAroundCutoff).calls, kept.filter((c) => c.ts < cutoff + 3_600_000).length);
    assertRollupsMatchRows(db);
    const orphans = db.first('SELECT COUNT(*) FROM consumers WHERE id NOT IN (SELECT consumer_id FROM calls)')?.[0];
    assert.equal(orphans, 0);
    // Recording still works after consumers were deleted (no stale cached ids).
    assert.equal(recorder.record([makeCall({ key: 'after-prune', consumer: { key: calls[0].consumer.key, name: 'back' } })]).inserted, 1);
    assert.equal(queries.records({ range: ALL, page: 1, consumerKey: calls[0].consumer.key }).total >= 1, true);
    assertRollupsMatchRows(db);
    assert.equal(recorder.pruneBefore(0), 0);
  });
});
