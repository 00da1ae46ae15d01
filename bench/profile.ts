/**
 * Where the store's time goes: a CPU profile of the store's worker, summarized per phase (cold import, re-scans with
 * nothing new, and with --calls N a top-up of N synthetic calls through record(), dashboard queries, records pages
 * and a save) as the functions and source
 * files with the most self time.
 *
 *   node --import tsx bench/profile.ts [--mb 50] [--calls 0] [--out /tmp/cu-prof]
 *
 * The worker runs from its TypeScript sources (names and files stay readable); the process re-runs itself under
 * `node --cpu-prof`, which writes one profile per thread. Phase boundaries are stamped on the same monotonic clock the
 * profile uses, so each phase's samples can be picked out.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCorpus } from './corpus';
import { coldImport, openStore } from './lib/importPhase';
import { parseProfile, summarizeProfile } from './lib/profileSummary';
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
const PHASES_FILE = 'phases.json';

interface Phase {
  name: string;
  fromUs: number;
  toUs: number;
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

async function child(): Promise<void> {
  const corpus = ensureCorpus({ targetBytes: Math.round(corpusMb * (1 << 20)), log: console.log });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cu-prof-db-'));
  const phases: Phase[] = [];
  const phase = async (name: string, fn: () => Promise<string>): Promise<void> => {
    const fromUs = nowUs();
    const started = performance.now();
    const what = await fn();
    phases.push({ name, fromUs, toUs: nowUs() });
    console.log(`${name}: ${ms(performance.now() - started)}${what ? ` — ${what}` : ''}`);
  };
  try {
    // Node 20 refuses a `.ts` worker entry, so a one-line CommonJS entry registers tsx and loads the sources.
    const workerPath = path.join(tmp, 'storeWorker.cjs');
    const workerTs = path.join(REPO, 'src/extension/store/worker/storeWorker.ts');
    fs.writeFileSync(workerPath, `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();\nrequire(${JSON.stringify(workerTs)});\n`);
    const { store } = await openStore({
      workerPath, dbPath: path.join(tmp, 'usage.sqlite'), wasmPath: require.resolve('sql.js/dist/sql-wasm.wasm'),
    });
    await phase('cold import', async () => {
      const cold = await coldImport(store, corpus.configDir, 0);
      return `${cold.all.calls} calls, ${(cold.stats.bytesRead / 2 ** 20).toFixed(0)} MB`;
    });
    await phase('re-scan x5', async () => {
      for (let i = 0; i < 5; i++) await store.rescanClaudeCode();
      return '';
    });
    if (calls > 0) {
      await phase('record() top-up', async () => `${(await topUp(store, calls, corpus.endMs)).recorded} calls`);
      for (const period of PERIODS) {
        await phase(`dashboard ${period} x10`, async () => {
          const q = { range: periodRange(period, corpus.endMs), timeZone: 'Europe/Berlin', granularity: defaultGranularity(period), topBy: 'cost' as const };
          for (let i = 0; i < 10; i++) await store.dashboard(q);
          return '';
        });
      }
      await phase('records page x10', async () => {
        for (let i = 0; i < 10; i++) await store.records({ range: periodRange('30d', corpus.endMs), source: 'agent', search: 'auth', page: 1 });
        return '';
      });
      await phase('save', async () => {
        await store.record([{ key: 'msg_01profsave', ts: corpus.endMs, source: 'chat', consumer: { key: 'p', name: 'p' }, model: 'claude-sonnet-4-5', tokens: { input: 1, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 1 }, collector: 'bench' }]);
        const r = await store.save();
        return `${(r.bytes / 2 ** 20).toFixed(0)} MB in ${r.ms} ms`;
      });
    }
    await store.close();
  } finally {
    fs.writeFileSync(path.join(outDir, PHASES_FILE), JSON.stringify(phases));
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
  // CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile, one per thread: the main thread (0), tsx's module-hooks thread
  // and the store's worker, which is the largest of the others.
  const profiles = fs.readdirSync(outDir).filter((f) => f.endsWith('.cpuprofile') && f.split('.')[4] !== '0');
  const worker = profiles.sort((a, b) => fs.statSync(path.join(outDir, b)).size - fs.statSync(path.join(outDir, a)).size)[0];
  if (!worker) throw new Error(`no worker profile in ${outDir}`);
  console.log(`\nWorker profile: ${path.join(outDir, worker)} (Chrome DevTools › Performance shows the flame chart)`);
  const profile = parseProfile(fs.readFileSync(path.join(outDir, worker), 'utf8'));
  const phases = JSON.parse(fs.readFileSync(path.join(outDir, PHASES_FILE), 'utf8')) as Phase[];
  for (const p of phases) {
    console.log(`\n=== ${p.name} ===`);
    console.log(summarizeProfile(profile, 18, p));
  }
}

(process.env.CU_PROFILE_CHILD ? child() : parent()).catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  // A store that failed half-way still has a live worker: do not wait for it.
  process.exit(1);
});
