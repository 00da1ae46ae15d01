// The store's hooks for several windows on one storage folder: merging the file on disk into memory, saving only
// when the writer lock confirms, switching saving off for followers, and values kept in the database's meta table.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Collector, CollectorDeps } from '../../src/extension/collectors/collector';
import { StoreCore } from '../../src/extension/store/storeCore';
import { WASM_PATH, fakePricerFactory, makeCall, tokens, withTempDir } from './storeFixtures';

const ALL = { from: 0, to: Date.UTC(2100, 0, 1) };

function core(options: ConstructorParameters<typeof StoreCore>[0] = {}): StoreCore {
  return new StoreCore({ wasmPath: WASM_PATH, createPricer: fakePricerFactory, saveDelayMs: 60_000, ...options });
}

function capture(): { factory: (deps: CollectorDeps) => Collector; deps: () => CollectorDeps } {
  let captured: CollectorDeps | undefined;
  const empty = { files: 0, filesRead: 0, bytesRead: 0, linesRead: 0, calls: 0, skippedLines: 0, ms: 0 };
  return {
    factory: (deps) => {
      captured = deps;
      return { start: async () => empty, scan: async () => empty, cancel: () => {}, stop: () => {} };
    },
    deps: () => captured!,
  };
}

describe('several instances', () => {
  it('mergeFromFile: the other copy’s calls join ours (better copies win), unknown file states are taken', async () => {
    await withTempDir(async (dir) => {
      const diskPath = path.join(dir, 'usage.sqlite');
      const writerCollector = capture();
      const writer = core({ createCollector: writerCollector.factory });
      await writer.open({ dbPath: diskPath });
      await writer.record([
        makeCall({ key: 'shared', tokens: tokens({ output: 50 }) }),
        makeCall({ key: 'only-on-disk', consumer: { key: 'disk-consumer', name: 'From the disk' }, project: '/p', webSearchRequests: 2 }),
      ]);
      await writer.startClaudeCode({ configDirs: [], watch: false });
      writerCollector.deps().fileState.set('/t/disk-only.jsonl', '{"offset":99}');
      writerCollector.deps().fileState.set('/t/both.jsonl', '{"offset":500}');
      writer.setMeta('journal', '{"doneThrough":3,"offsets":{}}');
      await writer.close();

      const followerCollector = capture();
      const follower = core({ createCollector: followerCollector.factory });
      await follower.open({});
      await follower.record([makeCall({ key: 'shared', tokens: tokens({ output: 10 }) }), makeCall({ key: 'only-in-memory' })]);
      await follower.startClaudeCode({ configDirs: [], watch: false });
      followerCollector.deps().fileState.set('/t/both.jsonl', '{"offset":100}');
      const changed = new Promise((resolve) => follower.onEvent((e) => e.type === 'changed' && resolve(e)));

      const merged = await follower.mergeFromFile(diskPath);
      assert.deepEqual([merged.result.inserted, merged.result.updated, merged.result.unchanged], [1, 1, 0]);
      assert.equal(merged.fileStates, 1);
      assert.equal(merged.meta.journal, '{"doneThrough":3,"offsets":{}}');
      assert.ok(await changed);
      const summary = await follower.summary(ALL);
      assert.equal(summary.calls, 3);
      const rows = (await follower.records({ range: ALL, page: 1 })).rows;
      assert.equal(rows.find((r) => r.key === 'shared')?.tokens.output, 50, 'the bigger copy from disk won');
      const fromDisk = rows.find((r) => r.key === 'only-on-disk');
      assert.equal(fromDisk?.name, 'From the disk');
      assert.equal(fromDisk?.project, '/p');
      assert.equal(followerCollector.deps().fileState.get('/t/disk-only.jsonl'), '{"offset":99}');
      assert.equal(followerCollector.deps().fileState.get('/t/both.jsonl'), '{"offset":100}', 'our own offsets stay');
      await follower.close();
    });
  });

  it('mergeFromFile refuses an unreadable file with its name and changes nothing', async () => {
    await withTempDir(async (dir) => {
      const store = core();
      await store.open({});
      await store.record([makeCall()]);
      const bad = path.join(dir, 'broken.sqlite');
      await writeFile(bad, 'not a database at all, not even close'.repeat(10));
      await assert.rejects(store.mergeFromFile(bad), /Cannot read .*broken\.sqlite/);
      assert.equal((await store.summary(ALL)).calls, 1);
      await store.close();
    });
  });

  it('saves only when confirmSave agrees; a follower with saving off writes nothing, even on close', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      let isWriter = false;
      const store = core({ confirmSave: async () => isWriter });
      await store.open({ dbPath });
      await store.record([makeCall({ key: 'a' })]);
      const refused = await store.save();
      assert.equal(refused.saved, false);
      assert.match(refused.error ?? '', /Another window is saving/);
      assert.equal(existsSync(dbPath), false, 'nothing replaced');
      isWriter = true;
      assert.equal((await store.save()).saved, true);

      store.setSavingEnabled(false);
      await store.record([makeCall({ key: 'b' })]);
      assert.equal((await store.save()).saved, false);
      store.setSavingEnabled(true);
      store.setSavingEnabled(false);
      await store.close();
      const reader = core();
      assert.equal((await reader.open({ dbPath })).records, 1, 'the follower’s close did not save');
      await reader.close();
    });
  });

  it('meta values are saved with the rows', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const store = core();
      await store.open({ dbPath });
      store.setMeta('journal', '{"doneThrough":7}');
      await store.close();
      const again = core();
      await again.open({ dbPath });
      assert.equal(again.getMeta('journal'), '{"doneThrough":7}');
      assert.equal(again.getMeta('missing'), undefined);
      const calls = again.recordCalls([makeCall({ key: 'j1', consumer: { key: 'session-1', name: 'Renamed through the journal' } })], { updateNames: true });
      assert.equal(calls.inserted, 1);
      await again.close();
    });
  });
});
