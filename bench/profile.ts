/**
 * Where the store's time goes: a CPU profile of the worker during a cold import (and, with --calls, a record() top-up
 * and the dashboard queries), summarized as the functions and source files with the most self time.
 *
 *   node --import tsx bench/profile.ts [--mb 50] [--calls 0] [--out /tmp/cu-prof]
 *
 * The worker runs from its TypeScript sources (names and files stay readable); the process re-runs itself under
 * `node --cpu-prof`, which writes one profile per thread (the worker's is the one with thread id > 0).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCorpus } from './corpus';
import { coldImport, openStore } from './lib/importPhase';
import { summarizeProfile } from './lib/profileSummary';
import { ms } from './lib/stats';
import { topUp } from './lib/topUp';
import { PERIODS, defaultGranularity, periodRange } from '../src/shared/period';

const REPO = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const outDir = path.resolve(option('--out', path.join(os.tmpdir(), 'cu-prof')));
const corpusMb = Number(option('--mb', '50'));
const calls = Number(option('--calls', '0'));

async function child(): Promise<void> {
  const corpus = ensureCorpus({ targetBytes: Math.round(corpusMb * (1 << 20)), log: console.log });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cu-prof-db-'));
  try {
    // The worker from its TypeScript sources, so the profile names real functions and files. Node 20 refuses a `.ts`
    // worker entry, so a one-line CommonJS entry registers tsx and loads it.
    const workerPath = path.join(tmp, 'storeWorker.cjs');
    const workerTs = path.join(REPO, 'src/extension/store/worker/storeWorker.ts');
    fs.writeFileSync(workerPath, `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();\nrequire(${JSON.stringify(workerTs)});\n`);
    const { store } = await openStore(workerPath, path.join(tmp, 'usage.sqlite'));
    const cold = await coldImport(store, corpus.configDir);
    console.log(`cold import: ${ms(cold.ms)}, ${cold.all.calls} calls, ${(cold.stats.bytesRead / 2 ** 20).toFixed(0)} MB`);
    if (calls > cold.all.calls) {
      const t = await topUp(store, calls - cold.all.calls, corpus.endMs);
      console.log(`top-up: ${t.recorded} calls in ${ms(t.ms)}`);
      for (const period of PERIODS) {
        const started = performance.now();
        for (let i = 0; i < 5; i++) {
          await store.dashboard({ range: periodRange(period, corpus.endMs), timeZone: 'Europe/Berlin', granularity: defaultGranularity(period), topBy: 'cost' });
        }
        console.log(`dashboard ${period}: ${ms((performance.now() - started) / 5)} mean of 5`);
      }
    }
    await store.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function parent(): Promise<void> {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${outDir}`, '--import', 'tsx', __filename, ...argv], {
    stdio: 'inherit', env: { ...process.env, CU_PROFILE_CHILD: '1' },
  });
  if (run.status !== 0) throw new Error(`the profiled run failed (exit ${run.status})`);
  const profiles = fs.readdirSync(outDir).filter((f) => f.endsWith('.cpuprofile'));
  // CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile: the worker is the thread other than 0.
  const worker = profiles.find((f) => f.split('.')[4] !== '0');
  if (!worker) throw new Error(`no worker profile among ${profiles.join(', ')}`);
  console.log(`\nWorker profile: ${path.join(outDir, worker)} (open it in Chrome DevTools › Performance for the flame chart)\n`);
  console.log(summarizeProfile(fs.readFileSync(path.join(outDir, worker), 'utf8'), 25));
}

(process.env.CU_PROFILE_CHILD ? child() : parent()).catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exitCode = 1;
});
