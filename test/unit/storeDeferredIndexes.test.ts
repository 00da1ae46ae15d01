// A large import leaves the dedup and cost indexes out until the store is idle after it (a first import, into an empty
// store, the consumer index too): the store answers (and deduplicates) meanwhile, builds them on a timer,
// and never saves a file without them once the import is over.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { SqlJsStatic } from 'sql.js';
import type { Collector, CollectorDeps } from '../../src/extension/collectors/collector';
import { INDEX_BUILD_DELAY_MS } from '../../src/extension/store/bulkImport';
import { Db } from '../../src/extension/store/db';
import { loadSqlJs } from '../../src/extension/store/sqlJs';
import type { ScanStats, StoreApi, StoreEvent } from '../../src/extension/store/storeApi';
import { randomCalls, testStore, WASM_PATH, withTempDir } from './storeFixtures';

const STATS: ScanStats = { files: 1, filesRead: 1, bytesRead: 1, linesRead: 1, calls: 0, skippedLines: 0, ms: 0 };
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 2, 1);
const CALLS = randomCalls(31, 2_000, FROM, TO);
const ALL_INDEXES = ['calls_consumer_ts', 'calls_cost', 'calls_key_hash', 'calls_ts'];

let SQL: SqlJsStatic;
before(async () => {
  SQL = await loadSqlJs(WASM_PATH);
});

/** Imports CALLS as a large import, as the Claude Code collector does. */
class LargeImport implements Collector {
  constructor(private readonly deps: CollectorDeps) {}
  async start(): Promise<ScanStats> {
    const { sink } = this.deps;
    sink.beginLargeImport?.(CALLS.length);
    try {
      for (let i = 0; i < CALLS.length; i += 500) sink.record(CALLS.slice(i, i + 500));
    } finally {
      sink.endLargeImport?.();
    }
    return { ...STATS, calls: CALLS.length };
  }
  async scan(): Promise<ScanStats> {
    return STATS;
  }
  cancel(): void {}
  stop(): void {}
}

function indexesIn(db: Db): string[] {
  return db.all("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'calls_%' ORDER BY name").map((r) => String(r[0]));
}

async function indexesInFile(file: string): Promise<string[]> {
  const db = new Db(new SQL.Database(await readFile(file)));
  try {
    return indexesIn(db);
  } finally {
    db.close();
  }
}

async function importLarge(store: StoreApi): Promise<void> {
  await store.startClaudeCode({ configDirs: ['/x'], watch: false });
}

describe('indexes deferred by a large import', () => {
  it('are built a moment after the import; the store deduplicates and answers meanwhile', async () => {
    const store = testStore({ createCollector: (deps) => new LargeImport(deps) });
    const logs: string[] = [];
    store.onEvent((e: StoreEvent) => e.type === 'log' && logs.push(e.message));
    await store.open({});
    const importEnded = performance.now();
    await importLarge(store);
    assert.deepEqual((await store.status()).deferredIndexes, { pending: true, lastBuildMs: null });
    // Copies of imported calls are recognised before the indexes exist.
    const again = await store.record(CALLS.slice(0, 50));
    assert.equal(again.unchanged, 50);
    const unique = new Set(CALLS.map((c) => c.key)).size;
    assert.equal((await store.summary({ from: FROM + 17, to: TO - 17 })).calls, unique);
    const page = await store.records({ range: { from: FROM, to: TO }, page: 2, sort: 'time' });
    assert.equal(page.total, unique);
    assert.deepEqual(page.rows.map((r) => r.ts), [...page.rows.map((r) => r.ts)].sort((a, b) => b - a), 'newest first');

    let status = await store.status();
    while (status.deferredIndexes.pending && performance.now() - importEnded < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await store.status();
    }
    assert.equal(status.deferredIndexes.pending, false);
    assert.ok(performance.now() - importEnded >= INDEX_BUILD_DELAY_MS, 'not before the delay');
    assert.ok((status.deferredIndexes.lastBuildMs ?? -1) >= 0);
    assert.ok(logs.some((m) => /^Built the import's deferred indexes in \d+ ms\.$/.test(m)), logs.join('\n'));
    assert.equal((await store.record(CALLS.slice(0, 50))).unchanged, 50, 'dedup through the built index');
    await store.close();
  });

  it('are built before a save, and before the final save of a store closed right after the import', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const store = testStore({ createCollector: (deps) => new LargeImport(deps) });
      await store.open({ dbPath });
      await importLarge(store);
      assert.equal((await store.status()).deferredIndexes.pending, true);
      assert.equal((await store.save()).saved, true);
      assert.deepEqual(await indexesInFile(dbPath), ALL_INDEXES);
      assert.equal((await store.status()).deferredIndexes.pending, false);
      await store.close();

      const second = testStore({ createCollector: (deps) => new LargeImport(deps) });
      await second.open({ dbPath: path.join(dir, 'second.sqlite') });
      await importLarge(second);
      await second.close();
      assert.deepEqual(await indexesInFile(path.join(dir, 'second.sqlite')), ALL_INDEXES);
    });
  });
});
