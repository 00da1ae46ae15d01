// Crash safety of saves: a child process records and saves in a loop and is killed with SIGKILL at varying moments
// (while recording, exporting, writing, renaming). Every time, the file left behind must open without recovery and
// hold at least everything whose save was acknowledged.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { StoreCore } from '../../src/extension/store/storeCore';
import { writeClaudeCodeFixture } from '../support/claudeCodeFixtures';
import { stopAll, waitForAny } from '../support/instancesHarness';
import { allRecords, startStoreChild } from '../support/storeInstancesHarness';
import { WASM_PATH, random, testStore, withTempDir } from './storeFixtures';

const ROOT = path.resolve(__dirname, '../..');
const BATCH = 500;

function childScript(dbPath: string): string {
  return `
import { createInProcessStore } from ${JSON.stringify(path.join(ROOT, 'src/extension/store/inProcessStore.ts'))};
const store = createInProcessStore({ saveDelayMs: 3_600_000, wasmPath: ${JSON.stringify(WASM_PATH)} });
(async () => {
  await store.open({ dbPath: ${JSON.stringify(dbPath)} });
  for (let n = 0; ; n++) {
    const calls = Array.from({ length: ${BATCH} }, (_, i) => ({
      key: 'k-' + process.pid + '-' + n + '-' + i, ts: Date.UTC(2026, 10, 1) + n * 60_000 + i, source: 'chat',
      consumer: { key: 'c' + (i % 7), name: 'Consumer ' + (i % 7) }, model: 'claude-opus-5-5',
      tokens: { input: i, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 1000, output: 10 }, collector: 'crash-test',
    }));
    await store.record(calls);
    const saved = await store.save();
    if (!saved.saved) throw new Error('save failed: ' + saved.error);
    process.stdout.write('saved ' + (n + 1) * ${BATCH} + '\\n');
  }
})();
`;
}

/** Runs the child until it has acknowledged `minSaves` saves, waits `extraMs`, kills it; returns the acknowledged count. */
function runAndKill(script: string, minSaves: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let acknowledged = 0;
    let saves = 0;
    let killing = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const match of d.toString().matchAll(/saved (\d+)/g)) {
        acknowledged = Number(match[1]);
        saves++;
      }
      if (saves >= minSaves && !killing) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`child ended without being killed: ${stderr}`));
    });
  });
}

describe('kill -9 during saves', () => {
  it('always leaves a loadable file with every acknowledged record', { timeout: 300_000 }, async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const script = path.join(dir, 'child.ts');
      await writeFile(script, childScript(dbPath));
      const rnd = random(2026);
      const points = 8;
      for (let i = 0; i < points; i++) {
        const acknowledged = await runAndKill(script, 1 + (i % 3), Math.floor(rnd() * 40));
        const store = testStore();
        const opened = await store.open({ dbPath });
        assert.equal(opened.recovery, undefined, `kill point ${i}: the file needed no recovery`);
        assert.ok(opened.records >= acknowledged, `kill point ${i}: ${opened.records} records < ${acknowledged} acknowledged`);
        assert.equal(opened.records % BATCH, 0, 'only whole batches (one transaction each) are ever saved');
        const summary = await store.summary({ from: 0, to: Date.UTC(2100, 0, 1) });
        assert.equal(summary.calls, opened.records);
        await store.close();
      }
    });
  });
});

// ---- With the writer lock and the journal: durable records, saves, rotation and pruning, killed at random moments ----

const TIDY_SHARING = { heartbeatMs: 100, staleMs: 1000, journalPollMs: 200, journalRotateBytes: 2048, journalPruneGraceMs: 0 };

/** Opens the folder as the next window would (taking over the dead one's lock), checks it, closes (final save). */
async function checkAfterCrash(storageDir: string, mustHave: ReadonlySet<string>, mayHave: ReadonlySet<string>, label: string): Promise<number> {
  const store = new StoreCore({ wasmPath: WASM_PATH, saveDelayMs: 60_000 });
  try {
    const opened = await store.open({ dbPath: path.join(storageDir, 'usage.sqlite'), instanceId: `check-${label}`, sharing: TIDY_SHARING });
    assert.equal(opened.recovery, undefined, `${label}: the file needed no recovery`);
    const records = await allRecords(store); // throws on a key stored twice
    for (const key of mustHave) assert.ok(records.has(key), `${label}: acknowledged call ${key} was lost`);
    for (const key of records.keys()) {
      assert.ok(mustHave.has(key) || mayHave.has(key), `${label}: unexpected ${key}`);
    }
    return records.size;
  } finally {
    await store.close();
  }
}

describe('kill -9 with the writer lock and the journal', () => {
  it('during durable records, saves, rotation and pruning: every acknowledged call survives, once', { timeout: 300_000 }, async () => {
    await withTempDir(async (dir) => {
      const storageDir = path.join(dir, 'storage');
      const rnd = random(7);
      const acknowledged = new Set<string>();
      // The batch a kill cut short was never acknowledged; it may or may not have reached the journal.
      const inFlight = new Set<string>();
      const rounds = 12;
      for (let round = 0; round < rounds; round++) {
        const prefix = `r${round}`;
        const child = startStoreChild(prefix, {
          storageDir,
          instanceId: prefix,
          prefix,
          count: -1,
          batch: 1 + (round % 4),
          saveEveryBatch: round % 2 === 0,
          saveDelayMs: 20,
          sharing: TIDY_SHARING,
        });
        const acks = 1 + Math.floor(rnd() * 25);
        await child.waitFor((lines) => lines.filter((l) => l.startsWith('ack ')).length >= acks, `${acks} acks`, 60_000);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(rnd() * 30)));
        child.signal('SIGKILL');
        await child.exited;
        const acked = child.acknowledged();
        for (const key of acked) acknowledged.add(key);
        for (let i = acked.length; i < acked.length + 1 + (round % 4); i++) inFlight.add(`${prefix}-${i}`);
        await checkAfterCrash(storageDir, acknowledged, inFlight, `round ${round}`);
      }
      process.stdout.write(`# durable crash test: ${rounds} kill points, ${acknowledged.size} acknowledged calls, 0 lost\n`);
    });
  });

  it('three processes on one folder: the writer is killed, another takes over, the saved file holds everything', { timeout: 300_000 }, async () => {
    await withTempDir(async (dir) => {
      const storageDir = path.join(dir, 'storage');
      const fx = writeClaudeCodeFixture(path.join(dir, 'claude'), { now: Date.now() });
      const sharing = { heartbeatMs: 100, staleMs: 1000, journalPollMs: 200, journalRotateBytes: 4096, journalPruneGraceMs: 0 };
      const children = ['p0', 'p1', 'p2'].map((name, n) =>
        startStoreChild(name, { storageDir, instanceId: name, prefix: name, count: 120, batch: 1 + n, configDirs: fx.configDirs, saveDelayMs: 50, sharing }),
      );
      try {
        await Promise.all(children.map((c) => c.waitFor((lines) => lines.some((l) => l.startsWith('ready')), 'ready', 60_000)));
        const writer = await waitForAny(children, (c) => c.lines.includes('ready 1') || c.lines.includes('writer 1'), 'a writer', 60_000);
        await writer.waitFor((lines) => lines.filter((l) => l.startsWith('ack ')).length >= 20, 'the writer to record', 60_000);
        writer.signal('SIGKILL');
        await writer.exited;
        const survivors = children.filter((c) => c !== writer);
        await waitForAny(survivors, (c) => c.lines.includes('writer 1'), 'a survivor to take over', 60_000);
        await Promise.all(survivors.map((c) => c.waitFor((lines) => lines.includes('done'), 'done', 120_000)));
        for (const c of survivors) {
          c.send('close');
          await c.waitFor((lines) => lines.includes('closed'), 'closed', 60_000);
        }
        const acknowledged = new Set(children.flatMap((c) => c.acknowledged()));
        const expected = new Set([...fx.records.map((r) => r.key), ...acknowledged]);
        // The saved file alone, away from the journal: the last writer's final save holds every call.
        const alone = path.join(dir, 'alone', 'usage.sqlite');
        await mkdir(path.dirname(alone));
        await copyFile(path.join(storageDir, 'usage.sqlite'), alone);
        const store = new StoreCore({ wasmPath: WASM_PATH, saveDelayMs: 60_000 });
        assert.equal((await store.open({ dbPath: alone, sharing: false })).recovery, undefined);
        const records = await allRecords(store);
        await store.close();
        for (const key of expected) assert.ok(records.has(key), `lost: ${key}`);
        for (const key of records.keys()) assert.ok(expected.has(key) || key.startsWith(`${writer.name}-`), `unexpected: ${key}`);
        process.stdout.write(`# three processes: writer ${writer.name} killed, ${acknowledged.size} acknowledged API calls, ${fx.records.length} transcript calls, 0 lost\n`);
      } finally {
        await stopAll(children);
      }
    });
  });
});
