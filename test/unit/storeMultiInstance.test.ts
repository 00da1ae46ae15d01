// Three store instances as separate worker threads (the bundled store worker, as each VS Code window runs it) on ONE
// storage folder, all importing the same Claude Code transcripts and recording API calls durably at the same time.
// Mid-way the writer's worker is ended abruptly (no close, no final save, its lock left behind). Afterwards every
// surviving instance holds the same exact record set — every transcript call and every acknowledged API call, each
// once — and so does the saved file, read alone by a fresh instance.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { createWorkerStore } from '../../src/extension/store/storeClient';
import type { SharingOptions, StoreApi } from '../../src/extension/store/storeApi';
import { StoreCore } from '../../src/extension/store/storeCore';
import { writeClaudeCodeFixture, type ClaudeCodeFixture } from '../support/claudeCodeFixtures';
import { testCall } from '../support/instancesCalls';
import { allRecords, bundleStoreWorker, eventually, fingerprint, WASM } from '../support/storeInstancesHarness';

const INSTANCES = 3;
const CALLS_PER_INSTANCE = 60;
const SHARED_KEYS = 10;
const SHARING: SharingOptions = { heartbeatMs: 100, staleMs: 1000, journalPollMs: 250, journalRotateBytes: 4096, journalPruneGraceMs: 0 };

interface Instance {
  name: string;
  store: StoreApi;
  worker: Worker;
  acked: string[];
  /** Keys it tried to record; an attempt cut short by the crash may or may not have reached the journal. */
  attempted: string[];
  dead: boolean;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('several instances in worker threads on one storage folder', () => {
  let root: string;
  let fx: ClaudeCodeFixture;
  let workerPath: string;
  const instances: Instance[] = [];

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cu-multi-'));
    fx = writeClaudeCodeFixture(path.join(root, 'claude'), { now: Date.now() });
    workerPath = await bundleStoreWorker(path.join(root, 'bundle'));
  });
  after(async () => {
    for (const i of instances) await i.worker.terminate();
    await rm(root, { recursive: true, force: true });
  });

  it(`${INSTANCES} instances import and record concurrently; the writer dies mid-way; nothing acknowledged is lost or doubled`, { timeout: 120_000 }, async () => {
    const dbPath = path.join(root, 'storage', 'usage.sqlite');
    for (let n = 0; n < INSTANCES; n++) {
      let worker: Worker | undefined;
      const store = createWorkerStore({
        workerPath,
        workerData: { saveDelayMs: 150, saveRetryMs: 300 },
        onWorker: (w) => (worker = w),
      });
      instances.push({ name: `w${n}`, store, worker: worker!, acked: [], attempted: [], dead: false });
    }
    await Promise.all(instances.map((i) => i.store.open({ dbPath, instanceId: i.name, sharing: SHARING })));
    const writers = await Promise.all(instances.map(async (i) => (await i.store.status()).writer));
    assert.equal(writers.filter(Boolean).length, 1, 'exactly one writer');

    // Everyone imports the same transcripts and records its own API calls, plus some calls all of them record.
    const victim = instances[writers.indexOf(true)];
    let killedAfter = -1;
    const scans: string[] = [];
    const work = instances.map(async (inst, n) => {
      const imported = inst.store.startClaudeCode({ configDirs: fx.configDirs, watch: false });
      for (let k = 0; k < CALLS_PER_INSTANCE; ) {
        const size = 1 + ((k + n) % 3);
        const keys = Array.from({ length: size }, (_, j) => `${inst.name}-${k + j}`);
        if (k % 6 === 0) keys.push(`shared-${(k / 6) % SHARED_KEYS}`);
        k += size;
        inst.attempted.push(...keys);
        try {
          const result = await inst.store.record(keys.map((key) => testCall(key)), { durable: true });
          assert.equal(result.durable, true, result.durabilityError);
          inst.acked.push(...keys);
        } catch (e: unknown) {
          if (inst.dead) return; // the crash cut this record short: it was never acknowledged
          throw e;
        }
        if (inst === victim && inst.acked.length >= CALLS_PER_INSTANCE / 2 && !inst.dead) {
          inst.dead = true;
          killedAfter = inst.acked.length;
          void inst.worker.terminate(); // like a window killed mid-work: no close, no final save
          return;
        }
        await sleep(n * 3);
      }
      const stats = await imported;
      scans.push(`${inst.name}: ${stats.calls} calls from ${stats.files} files (${stats.skippedLines} lines skipped)`);
    });
    await Promise.all(work);
    assert.ok(killedAfter > 0, 'the writer was ended mid-way');
    const survivors = instances.filter((i) => !i.dead);
    await eventually(async () => (await Promise.all(survivors.map(async (i) => (await i.store.status()).writer))).some(Boolean), 'a survivor to take over', 30_000);

    // The exact record set: every transcript call and every acknowledged API call. A batch the crash cut short may
    // or may not have reached the journal before the crash; nothing else may appear.
    const acked = new Set(instances.flatMap((i) => i.acked));
    const maybe = new Set(victim.attempted.filter((k) => !acked.has(k)));
    const expectedKeys = new Set([...fx.records.map((r) => r.key), ...acked]);
    let sets: string[] = [];
    try {
      await eventually(async () => {
        sets = await Promise.all(survivors.map(async (i) => fingerprint(await allRecords(i.store))));
        return sets.every((s) => s === sets[0]) && sets[0].split('\n').length >= expectedKeys.size;
      }, 'the survivors to agree', 30_000);
    } catch (e: unknown) {
      const lines = sets.map((s) => new Set(s.split('\n')));
      const diff = lines.map((l, n) => [...l].filter((x) => !lines[(n + 1) % lines.length].has(x)).slice(0, 5));
      const have = new Set(sets[0].split('\n').map((l) => l.split('|')[0]));
      const lost = [...expectedKeys].filter((k) => !have.has(k)).slice(0, 8);
      throw new Error(`${String(e)}: sizes ${lines.map((l) => l.size).join(', ')} of ${expectedKeys.size}; differences ${JSON.stringify(diff)}; missing ${lost.join(' ')}; scans ${scans.join('; ')}`);
    }
    const records = await allRecords(survivors[0].store);
    for (const key of expectedKeys) assert.ok(records.has(key), `lost: ${key}`);
    for (const key of records.keys()) assert.ok(expectedKeys.has(key) || maybe.has(key), `unexpected: ${key}`);
    for (const r of fx.records) {
      const row = records.get(r.key)!;
      assert.deepEqual([row.tokens, row.costNanos], [r.tokens, r.costNanos], r.key);
    }
    const totals = await Promise.all(survivors.map((i) => i.store.summary({ from: -8.64e15, to: 8.64e15 })));
    for (const t of totals) assert.deepEqual(t, totals[0]);

    // Close: the writer first (its final save; the other takes over at once and saves at its own close).
    const roles = await Promise.all(survivors.map(async (i) => (await i.store.status()).writer));
    const order = [...survivors.filter((_, n) => roles[n]), ...survivors.filter((_, n) => !roles[n])];
    for (const inst of order) await inst.store.close();

    // The saved file alone (copied away from the journal) holds exactly the same set.
    const alone = path.join(root, 'alone', 'usage.sqlite');
    await mkdir(path.dirname(alone));
    await copyFile(dbPath, alone);
    const fresh = new StoreCore({ wasmPath: WASM, saveDelayMs: 60_000 });
    const opened = await fresh.open({ dbPath: alone, sharing: false });
    assert.equal(opened.recovery, undefined);
    assert.equal(fingerprint(await allRecords(fresh)), sets[0]);
    await fresh.close();
    process.stdout.write(
      `# several instances: ${INSTANCES} worker instances, ${fx.records.length} transcript calls, ${acked.size} acknowledged API calls, ` +
        `writer ended after ${killedAfter} acks, ${expectedKeys.size - [...expectedKeys].filter((k) => records.has(k)).length} lost\n`,
    );
  });
});
