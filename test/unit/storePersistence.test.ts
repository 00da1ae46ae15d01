// The database file: round trip, batched and final saves, recovery from damaged files, failing saves, migration.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CallInput } from '../../src/shared/callRecord';
import type { Collector, CollectorDeps } from '../../src/extension/collectors/collector';
import { loadSqlJs } from '../../src/extension/store/sqlJs';
import { SCHEMA_VERSION } from '../../src/extension/store/schema';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { WASM_PATH, fakeCost, makeCall, nextEvent, testStore, tokens, withTempDir } from './storeFixtures';

const ALL = { from: 0, to: Date.UTC(2100, 0, 1) };

async function allKeys(store: StoreApi): Promise<string[]> {
  const keys: string[] = [];
  for (let page = 1; ; page++) {
    const result = await store.records({ range: ALL, page, pageSize: 500 });
    keys.push(...result.rows.map((r) => r.key));
    if (page * result.pageSize >= result.total) break;
  }
  return keys.sort();
}

/** A collector stand-in that hands its deps to the test. */
function capturingCollector(): { factory: (deps: CollectorDeps) => Collector; deps: () => CollectorDeps } {
  let captured: CollectorDeps | undefined;
  const empty = { files: 0, filesRead: 0, bytesRead: 0, linesRead: 0, calls: 0, skippedLines: 0, ms: 0 };
  return {
    factory: (deps) => {
      captured = deps;
      return { start: async () => empty, scan: async () => empty, cancel: () => {}, stop: () => {} };
    },
    deps: () => {
      assert.ok(captured, 'collector not started');
      return captured;
    },
  };
}

async function savedStore(dbPath: string, batches: CallInput[][]): Promise<void> {
  const store = testStore();
  await store.open({ dbPath });
  for (const batch of batches) {
    await store.record(batch);
    const saved = await store.save();
    assert.equal(saved.saved, true, saved.error);
  }
  await store.close();
}

describe('round trip through a saved file', () => {
  it('keeps calls, costs, names, unpriced calls and collector file state', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const collector = capturingCollector();
      const calls = [
        makeCall({ key: 'k1', tokens: tokens({ input: 100, output: 7 }), project: '/home/dev/acme', durationMs: 1234 }),
        makeCall({ key: 'k2', model: 'unknown-model', source: 'memory', consumer: { key: 'c2', name: 'Compaction' } }),
      ];
      const first = testStore({ createCollector: collector.factory });
      assert.deepEqual((await first.open({ dbPath })).records, 0);
      await first.record(calls);
      await first.startClaudeCode({ configDirs: [], watch: false });
      collector.deps().fileState.set('/t/a.jsonl', '{"offset":123}');
      collector.deps().sink.renameConsumer('session-1', 'Titled later');
      const before = await first.summary(ALL);
      await first.close(); // the final save

      const second = testStore({ createCollector: collector.factory });
      const opened = await second.open({ dbPath });
      assert.equal(opened.records, 2);
      assert.equal(opened.recovery, undefined);
      assert.deepEqual(await second.summary(ALL), before);
      assert.equal(before.costNanos, fakeCost(calls[0].tokens, 3));
      const page = await second.records({ range: ALL, page: 1 });
      const k1 = page.rows.find((r) => r.key === 'k1');
      assert.equal(k1?.name, 'Titled later');
      assert.equal(k1?.project, '/home/dev/acme');
      assert.equal(k1?.durationMs, 1234);
      assert.equal(page.rows.find((r) => r.key === 'k2')?.costNanos, null);
      await second.startClaudeCode({ configDirs: [], watch: false });
      assert.equal(collector.deps().fileState.get('/t/a.jsonl'), '{"offset":123}');
      assert.deepEqual(collector.deps().fileState.paths(), ['/t/a.jsonl']);
      await second.close();
    });
  });

  it('saves by itself a while after a change (batched), without an explicit save', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const store = testStore({ saveDelayMs: 20 });
      await store.open({ dbPath });
      await store.record([makeCall({ key: 'auto' })]);
      // The store under test is still open: read its file as another window would (a follower never saves).
      let seen = 0;
      while (seen !== 1) {
        await new Promise((r) => setTimeout(r, 10));
        if (!existsSync(dbPath)) continue;
        const reader = testStore();
        seen = (await reader.open({ dbPath })).records;
        await reader.close();
      }
      await store.close();
    });
  });

  it('keeps the previous file as .bak on every save', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      await savedStore(dbPath, [[makeCall({ key: 'one' })], [makeCall({ key: 'two' })]]);
      const fromBackup = testStore();
      await rm(dbPath);
      await writeFile(dbPath, 'garbage that is not a database');
      const opened = await fromBackup.open({ dbPath });
      assert.equal(opened.recovery?.loadedFrom, 'backup');
      assert.deepEqual(await allKeys(fromBackup), ['one'], 'the backup is the state before the last save');
      await fromBackup.close();
    });
  });

  it('a missing file starts empty, and a memory-only store never writes', async () => {
    await withTempDir(async (dir) => {
      const store = testStore();
      assert.deepEqual((await store.open({ dbPath: path.join(dir, 'sub', 'new.sqlite') })).records, 0);
      await store.close();
      const memory = testStore();
      await memory.open({});
      await memory.record([makeCall()]);
      assert.deepEqual(await memory.save(), { saved: false, bytes: 0, ms: 0 });
      await memory.close();
    });
  });
});

describe('recovery from an unreadable file', () => {
  const damages: Array<[string, (bytes: Buffer) => Buffer]> = [
    ['flipped header bytes', (b) => { const c = Buffer.from(b); for (let i = 0; i < 16; i++) c[i] ^= 0xff; return c; }],
    ['truncated to half', (b) => b.subarray(0, Math.floor(b.length / 2))],
    ['truncated to 7 bytes', (b) => b.subarray(0, 7)],
    ['a page of garbage in the middle', (b) => {
      const c = Buffer.from(b);
      const pageSize = c.readUInt16BE(16) === 1 ? 65536 : c.readUInt16BE(16);
      for (let i = pageSize; i < 2 * pageSize && i < c.length; i++) c[i] = (i * 131 + 7) & 0xff;
      return c;
    }],
    ['an empty file', () => Buffer.alloc(0)],
  ];

  for (const [label, damage] of damages) {
    it(`${label}: kept aside (never deleted), the backup loaded, reported`, async () => {
      await withTempDir(async (dir) => {
        const dbPath = path.join(dir, 'usage.sqlite');
        await savedStore(dbPath, [[makeCall({ key: 'a' })], [makeCall({ key: 'b' }), makeCall({ key: 'c' })]]);
        const damaged = damage(await readFile(dbPath));
        await writeFile(dbPath, damaged);
        const store = testStore({ now: () => Date.UTC(2026, 2, 8, 7, 0, 0) });
        const warned = nextEvent(store, 'log');
        const opened = await store.open({ dbPath });
        assert.ok(opened.recovery, 'recovery reported');
        assert.equal(opened.recovery.loadedFrom, 'backup');
        assert.equal(opened.recovery.movedTo, `${dbPath}.corrupt-2026-03-08T07-00-00-000Z`);
        assert.deepEqual(await readFile(opened.recovery.movedTo), damaged, 'the damaged file is kept byte for byte');
        assert.equal(opened.records, 1);
        assert.match((await warned).message, /could not be read .* kept as .*corrupt-/);
        await store.close();
        // The close wrote a good main file again.
        const again = testStore();
        const reopened = await again.open({ dbPath });
        assert.equal(reopened.recovery, undefined);
        assert.deepEqual(await allKeys(again), ['a']);
        await again.close();
      });
    });
  }

  it('without a usable backup it starts empty and says so; the damaged files stay', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      await writeFile(dbPath, Buffer.from('SQLite format 3\u0000 but then nothing useful'.padEnd(200, 'x')));
      await writeFile(`${dbPath}.bak`, 'also broken');
      const store = testStore();
      const opened = await store.open({ dbPath });
      assert.equal(opened.recovery?.loadedFrom, 'empty');
      assert.match(opened.recovery?.reason ?? '', /damaged/);
      assert.equal(opened.records, 0);
      await store.close();
      const names = await readdir(dir);
      assert.ok(names.some((n) => n.startsWith('usage.sqlite.corrupt-')));
      assert.equal(await readFile(`${dbPath}.bak`, 'utf8'), 'also broken', 'the broken backup is not overwritten by the first save');
    });
  });

  it('a save interrupted while writing leaves the previous file loadable; old temp files are swept', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      await savedStore(dbPath, [[makeCall({ key: 'x' })]]);
      const full = await readFile(dbPath);
      // What a crash mid-write leaves: a partial temp file beside an untouched database.
      const partial = `${dbPath}.tmp-999-0-1`;
      await writeFile(partial, full.subarray(0, Math.floor(full.length / 3)));
      const old = new Date(Date.now() - 2 * 3_600_000);
      await utimes(partial, old, old);
      const store = testStore();
      const opened = await store.open({ dbPath });
      assert.equal(opened.recovery, undefined);
      assert.equal(opened.records, 1);
      assert.equal(existsSync(partial), false);
      await store.close();
    });
  });

  it('a file written by a newer schema is left untouched and opening fails clearly', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const SQL = await loadSqlJs(WASM_PATH);
      const db = new SQL.Database();
      db.exec(`CREATE TABLE future (x); PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
      const bytes = Buffer.from(db.export());
      await writeFile(dbPath, bytes);
      const store = testStore();
      await assert.rejects(store.open({ dbPath }), /newer version of Claude Usage/);
      assert.deepEqual(await readFile(dbPath), bytes);
      assert.deepEqual((await readdir(dir)).sort(), ['usage.sqlite']);
      await store.close();
    });
  });
});

describe('retention', () => {
  it('pruning old calls shrinks the saved file and keeps the rest', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const store = testStore();
      await store.open({ dbPath });
      const old = Array.from({ length: 3000 }, (_, i) => makeCall({ key: `old-${i}`, ts: Date.UTC(2025, 0, 1) + i * 1000, requestId: `req_${'x'.repeat(40)}${i}` }));
      await store.record([...old, makeCall({ key: 'recent', ts: Date.UTC(2026, 5, 1) })]);
      const before = await store.save();
      assert.deepEqual(await store.pruneBefore(Date.UTC(2026, 0, 1)), { removed: 3000 });
      const after = await store.save();
      assert.ok(after.bytes < before.bytes / 2, `${after.bytes} bytes after pruning, ${before.bytes} before`);
      assert.equal((await store.summary(ALL)).calls, 1);
      await store.close();
    });
  });
});

describe('a failing save', () => {
  it('keeps recording in memory, reports once in plain words, retries, and reports the recovery', async () => {
    await withTempDir(async (dir) => {
      // A path whose parent is a file cannot be written (works even as root, unlike a read-only folder).
      const blocker = path.join(dir, 'storage');
      await writeFile(blocker, 'not a folder');
      const dbPath = path.join(blocker, 'usage.sqlite');
      const store = testStore({ saveRetryMs: 20 });
      const events: string[] = [];
      store.onEvent((e) => events.push(e.type));
      // Nobody can even create the writer lock there: that is announced at open already.
      const failed = nextEvent(store, 'saveFailed');
      assert.equal((await store.open({ dbPath, sharing: { heartbeatMs: 50 } })).records, 0);
      await store.record([makeCall({ key: 'm1' })]);
      const first = await store.save();
      assert.equal(first.saved, false);
      assert.match(first.error ?? '', /does not exist or is not a folder.*Recording continues in memory/);
      assert.match((await failed).error, /Recording continues in memory/);
      await store.record([makeCall({ key: 'm2' })]);
      assert.equal((await store.save()).saved, false);
      assert.equal(events.filter((t) => t === 'saveFailed').length, 1, 'announced once, not on every attempt');
      assert.equal((await store.summary(ALL)).calls, 2, 'nothing lost in memory');

      const recovered = nextEvent(store, 'saveRecovered');
      await rm(blocker);
      await mkdir(blocker);
      // The lock is claimed and the first save succeeds on their own. Their timers do not keep a process alive
      // (a window's worker lives anyway), so this test does while it waits.
      const keepAlive = setInterval(() => {}, 1000);
      await recovered.finally(() => clearInterval(keepAlive));
      await store.close();
      const reader = testStore();
      assert.equal((await reader.open({ dbPath })).records, 2);
      await reader.close();
    });
  });
});

describe('migration from an older schema', () => {
  it('opens a v1 file made by hand: rows kept, keys hashed, names searchable, roll-ups built, re-priced', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const SQL = await loadSqlJs(WASM_PATH);
      const db = new SQL.Database();
      // The first release's schema, written out here on purpose (not imported from the migration code).
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE consumers (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, source INTEGER NOT NULL);
        CREATE TABLE models (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE projects (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
        CREATE TABLE collectors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE labels (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
        CREATE TABLE price_versions (id INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE);
        CREATE TABLE calls (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, request_id TEXT, ts INTEGER NOT NULL,
          source INTEGER NOT NULL, consumer_id INTEGER NOT NULL, model_id INTEGER NOT NULL, input INTEGER NOT NULL,
          cache_write_5m INTEGER NOT NULL, cache_write_1h INTEGER NOT NULL, cache_read INTEGER NOT NULL,
          output INTEGER NOT NULL, web_search INTEGER, web_fetch INTEGER, service_tier_id INTEGER, speed_id INTEGER,
          inference_geo_id INTEGER, duration_ms INTEGER, project_id INTEGER, collector_id INTEGER NOT NULL,
          sidechain INTEGER NOT NULL, cost_nanos INTEGER, price_version_id INTEGER NOT NULL);
        CREATE INDEX calls_ts ON calls(ts);
        CREATE TABLE file_state (path TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO meta VALUES ('price_version', 'old-table');
        INSERT INTO consumers VALUES (1, 'sess-1', 'Ärger mit dem Parser', 0), (2, 'agent-1', 'Explore', 1);
        INSERT INTO models VALUES (1, 'model-a'), (2, 'model-b');
        INSERT INTO collectors VALUES (1, 'claude-code');
        INSERT INTO projects VALUES (1, '/home/dev/app');
        INSERT INTO price_versions VALUES (1, 'old-table');
        INSERT INTO calls VALUES
          (1, 'msg_old1', 'req_1', ${Date.UTC(2026, 10, 1, 10, 7)}, 0, 1, 1, 10, 0, 0, 100, 5, NULL, NULL, NULL, NULL, NULL, 900, 1, 1, 0, 999, 1),
          (2, 'msg_old2', NULL, ${Date.UTC(2026, 10, 1, 23, 59)}, 1, 2, 2, 20, 0, 0, 0, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1, 1, 999, 1);
        INSERT INTO file_state VALUES ('/t/x.jsonl', '{"offset":42}');
        PRAGMA user_version = 1;
      `);
      await writeFile(dbPath, Buffer.from(db.export()));
      db.close();

      const collector = capturingCollector();
      const store = testStore({ createCollector: collector.factory });
      const opened = await store.open({ dbPath });
      assert.equal(opened.records, 2);
      assert.equal(opened.recovery, undefined);
      const day = { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 2) };
      const summary = await store.summary(day);
      // Re-priced with the current (fake) table on open: 115 tokens × 3 + 21 tokens × 15.
      assert.equal(summary.costNanos, 115 * 3 + 21 * 15);
      const dash = await store.dashboard({ range: day, timeZone: 'UTC', granularity: 'hour', topBy: 'tokens' });
      assert.equal(dash.series.length, 24);
      assert.equal(dash.series[10].calls, 1);
      assert.equal(dash.series[23].calls, 1);
      assert.deepEqual(dash.topConsumers.map((c) => [c.key, c.source]), [['sess-1', 'chat'], ['agent-1', 'agent']]);
      assert.equal((await store.records({ range: day, page: 1, search: 'ärger' })).total, 1);
      // Scoped to the workspace: the roll-ups rebuilt by the migrations carry the project.
      assert.equal((await store.summary({ ...day, projects: ['/home/dev/app'] })).calls, 1);
      assert.equal((await store.summary({ ...day, projects: ['/home/dev/other'] })).calls, 0);
      const scopedDash = await store.dashboard({ range: day, timeZone: 'UTC', granularity: 'hour', topBy: 'tokens', projects: ['/home/dev'] });
      assert.deepEqual(scopedDash.topConsumers.map((c) => c.key), ['sess-1']);
      // Deduplication works through the new key index.
      const better = makeCall({ key: 'msg_old2', ts: Date.UTC(2026, 10, 1, 23, 59), source: 'agent', consumer: { key: 'agent-1', name: 'Explore' }, model: 'model-b', tokens: tokens({ input: 20, output: 50 }), sidechain: true });
      assert.equal((await store.record([better])).updated, 1);
      assert.equal((await store.summary(day)).calls, 2);
      await store.startClaudeCode({ configDirs: [], watch: false });
      assert.equal(collector.deps().fileState.get('/t/x.jsonl'), '{"offset":42}');
      await store.close();
    });
  });
});

describe('file states', () => {
  it('are stored as text, exactly, whatever their characters, and read back by the next open', async () => {
    const SQL = await loadSqlJs(WASM_PATH);
    const { emptyDatabase } = await import('../../src/extension/store/newDatabase');
    const { FileStateTable } = await import('../../src/extension/store/fileStateTable');
    const { Db } = await import('../../src/extension/store/db');
    const db = emptyDatabase(SQL);
    const table = new FileStateTable(db, () => undefined);
    const states = new Map([
      ['/t/a.jsonl', JSON.stringify({ v: 1, ctx: { titles: { ai: 'naïve ✓ 日本語 😀 "quoted" \\ back' } } })],
      ['/t/b.jsonl', JSON.stringify({ v: 1, size: 0, ctx: {} })],
      ['/t/é.jsonl', 'x'.repeat(5000)],
    ]);
    for (const [p, s] of states) table.set(p, s);
    table.set('/t/b.jsonl', JSON.stringify({ v: 1, size: 7, ctx: {} }));
    states.set('/t/b.jsonl', JSON.stringify({ v: 1, size: 7, ctx: {} }));
    assert.deepEqual(db.all('SELECT DISTINCT typeof(state) FROM file_state'), [['text']]);
    const reopened = new FileStateTable(new Db(new SQL.Database(db.raw.export())), () => undefined);
    for (const [p, s] of states) assert.equal(reopened.get(p), s, p);
    assert.deepEqual(reopened.paths().sort(), [...states.keys()].sort());
  });
});
