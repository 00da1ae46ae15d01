/**
 * Runs ccusage (the native binary from the pinned npm package) on the corpus, the way its users do:
 * `ccusage daily --json --offline` with CLAUDE_CONFIG_DIR pointing at the corpus and an empty HOME, so it reads
 * exactly the files our importer reads and nothing else (no other agents' folders, no config file).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { hasGnuTime } from './machine';
import { readVmHwm } from './memory';

export interface CcusageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalCost: number;
}

export interface CcusageRun {
  wallMs: number;
  peakRss: number | undefined;
  peakFrom: 'GNU time' | '/proc sampling' | 'unavailable';
  /** User + system CPU time (GNU time only): more than the wall time means it ran on several cores. */
  cpuMs?: number;
  totals?: CcusageTotals;
  days?: number;
  error?: string;
}

/** The native binary when its platform package is installed, else the npm wrapper (which spawns it). */
export function locateCcusage(): { command: string; native: boolean } {
  const require = createRequire(__filename);
  const pkg = `@ccusage/ccusage-${process.platform}-${process.arch}/package.json`;
  try {
    const dir = path.dirname(require.resolve(pkg));
    const bin = path.join(dir, 'bin', process.platform === 'win32' ? 'ccusage.exe' : 'ccusage');
    if (fs.existsSync(bin)) return { command: executable(bin), native: true };
  } catch {
    // Fall through to the wrapper.
  }
  return { command: path.resolve('node_modules/.bin/ccusage'), native: false };
}

/**
 * npm installs the platform package's binary without its execute bit when install scripts are off (npm 11's default
 * for packages not in allowScripts): run a copy that has it rather than failing with EACCES.
 */
function executable(bin: string): string {
  try {
    fs.accessSync(bin, fs.constants.X_OK);
    return bin;
  } catch {
    const copy = path.join(os.tmpdir(), 'claude-usage-bench', `ccusage-${fs.statSync(bin).size}`);
    if (!fs.existsSync(copy)) {
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.copyFileSync(bin, `${copy}.tmp`);
      fs.chmodSync(`${copy}.tmp`, 0o755);
      fs.renameSync(`${copy}.tmp`, copy);
    }
    return copy;
  }
}

export async function runCcusage(configDir: string): Promise<CcusageRun> {
  const { command } = locateCcusage();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cu-bench-home-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    CLAUDE_CONFIG_DIR: configDir,
    NO_COLOR: '1',
  };
  const args = ['daily', '--json', '--offline'];
  const gnuTime = hasGnuTime();
  const [file, argv] = gnuTime ? ['/usr/bin/time', ['-v', command, ...args]] : [command, args];
  try {
    const started = performance.now();
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let sampled = 0;
    const sampler = gnuTime ? undefined : setInterval(() => {
      const hwm = child.pid ? readVmHwm(child.pid) : undefined;
      if (hwm !== undefined && hwm > sampled) sampled = hwm;
    }, 10);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const wallMs = performance.now() - started;
    if (sampler) clearInterval(sampler);
    const stderr = Buffer.concat(err).toString('utf8');
    const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    const peakRss = gnuTime ? (maxRss ? Number(maxRss[1]) * 1024 : undefined) : sampled || undefined;
    const run: CcusageRun = {
      wallMs,
      peakRss,
      peakFrom: peakRss === undefined ? 'unavailable' : gnuTime ? 'GNU time' : '/proc sampling',
    };
    const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
    const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
    if (user && sys) run.cpuMs = (Number(user[1]) + Number(sys[1])) * 1000;
    if (code !== 0) {
      run.error = `ccusage exited with ${code}: ${stderr.split('\n').filter((l) => l.trim() && !l.startsWith('\t')).slice(-3).join(' | ')}`;
      return run;
    }
    const parsed = readTotals(Buffer.concat(out).toString('utf8'));
    if (typeof parsed === 'string') run.error = parsed;
    else Object.assign(run, parsed);
    return run;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

function readTotals(text: string): { totals: CcusageTotals; days: number } | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'ccusage printed something that is not JSON';
  }
  if (typeof value !== 'object' || value === null) return 'ccusage printed an unexpected JSON shape';
  const record = value as Record<string, unknown>;
  const totals = record.totals;
  const days = Array.isArray(record.daily) ? record.daily.length : 0;
  if (typeof totals !== 'object' || totals === null) return 'ccusage JSON has no totals';
  const t = totals as Record<string, unknown>;
  const num = (k: string): number => (typeof t[k] === 'number' ? (t[k] as number) : NaN);
  return {
    totals: {
      inputTokens: num('inputTokens'),
      outputTokens: num('outputTokens'),
      cacheCreationTokens: num('cacheCreationTokens'),
      cacheReadTokens: num('cacheReadTokens'),
      totalCost: num('totalCost'),
    },
    days,
  };
}
