// Crash safety of saves: a child process records and saves in a loop and is killed with SIGKILL at varying moments
// (while recording, exporting, writing, renaming). Every time, the file left behind must open without recovery and
// hold at least everything whose save was acknowledged.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
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
