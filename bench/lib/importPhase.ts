/**
 * The corpus through the real store: the worker bundle, a database file in a temp folder, the Claude Code collector.
 * Cold import (with the host thread's event-loop delay and the process's memory), re-scans with nothing new, and the
 * latency of one appended line through the live watcher.
 */
import fs from 'node:fs';
import type { CorpusManifest } from '../corpus';
import * as L from '../corpus/lines';
import { iso } from '../corpus/session';
import { createWorkerStore } from '../../src/extension/store/storeClient';
import type { ScanStats, StoreApi, StoreEvent } from '../../src/extension/store/storeApi';
import { periodRange } from '../../src/shared/period';
import type { Summary } from '../../src/shared/queries';
import { hostThreadCpuMs, LoopDelayMonitor, type LoopDelay } from './eventLoop';
import { MemorySampler, type MemoryPeak } from './memory';
import { median, sleep, timed } from './stats';

export interface StoreLogs {
  counts: Record<'info' | 'warn' | 'error', number>;
  samples: string[];
}

export interface OpenedStore {
  store: StoreApi;
  logs: StoreLogs;
  /** Process RSS before the worker started: the host's share of later peaks. */
  baselineRss: number;
  startMs: number;
}

export interface OpenStoreOptions {
  workerPath: string;
  dbPath: string;
  /** Where sql-wasm.wasm is when the worker does not run from dist/. */
  wasmPath?: string;
  onEvent?: (e: StoreEvent) => void;
}

export async function openStore({ workerPath, dbPath, wasmPath, onEvent }: OpenStoreOptions): Promise<OpenedStore> {
  const baselineRss = process.memoryUsage().rss;
  const logs: StoreLogs = { counts: { info: 0, warn: 0, error: 0 }, samples: [] };
  const { value: store, ms } = await timed(async () => {
    // The worker runs the built bundle, as in the extension host: it must not inherit this process's `--import tsx`
    // (loading tsx in the worker, and again in its reader thread, added ~150-230 ms to every open).
    const s = createWorkerStore({ workerPath, workerData: wasmPath ? { wasmPath } : undefined, execArgv: [] });
    s.onEvent((e) => {
      if (e.type === 'log') {
        logs.counts[e.level]++;
        if (e.level !== 'info' && logs.samples.length < 5) logs.samples.push(`${e.level}: ${e.message.slice(0, 300)}`);
      }
      onEvent?.(e);
    });
    await s.open({ dbPath });
    return s;
  });
  return { store, logs, baselineRss, startMs: ms };
}

export interface ColdImport {
  /** The host's event-loop delay while nothing runs: what the machine itself adds (other processes, the scheduler). */
  idleLoop: LoopDelay;
  ms: number;
  /** CPU time of the whole process (host + worker threads) during the import. */
  cpuMs: number;
  /** CPU time of the host thread alone during the import (Linux). */
  hostCpuMs?: number;
  stats: ScanStats;
  loop: LoopDelay;
  memory: MemoryPeak;
  all: Summary;
  /**
   * The indexes the import left for the store's idle time (dedup's key hash, records by cost): how long their build
   * took, and when they were ready, counted from the import's end (null: none were deferred).
   */
  deferredIndexes: { buildMs: number; readyAfterMs: number } | null;
  /** Summaries read during the import, as the extension's status bar does after each `changed` event. */
  statusBarQueries: number;
}

export const ALL_TIME = { from: 0, to: 8.64e15 };

export async function coldImport(store: StoreApi, configDir: string, idleMs = 2_000): Promise<ColdImport> {
  const idle = new LoopDelayMonitor();
  idle.start();
  await sleep(idleMs);
  const idleLoop = idle.stop();
  const loop = new LoopDelayMonitor();
  const mem = new MemorySampler();
  mem.start();
  loop.start();
  const statusBar = new StatusBarQueries(store);
  const cpu = process.cpuUsage();
  const hostCpu = hostThreadCpuMs();
  const { value: stats, ms } = await timed(() => store.startClaudeCode({ configDirs: [configDir], watch: false }));
  statusBar.stop();
  const used = process.cpuUsage(cpu);
  const hostCpuAfter = hostThreadCpuMs();
  const loopDelay = loop.stop();
  const memory = mem.stop();
  const ended = performance.now();
  const all = await store.summary(ALL_TIME);
  const deferredIndexes = await deferredIndexBuild(store, ended);
  return { idleLoop, ms, cpuMs: (used.user + used.system) / 1000,
    hostCpuMs: hostCpu !== undefined && hostCpuAfter !== undefined ? hostCpuAfter - hostCpu : undefined, stats, loop: loopDelay, memory, all,
    deferredIndexes, statusBarQueries: statusBar.queries };
}

/**
 * What the extension host asks while an import records: its status bar re-reads the period's summary after every
 * `changed` event (batches of ~100 ms coalesced; here the last 24 hours, one query at a time), so the import is
 * measured with those reads in the store's thread, as users get it.
 */
class StatusBarQueries {
  private readonly subscription: { dispose(): void };
  private inFlight = false;
  queries = 0;

  constructor(private readonly store: StoreApi) {
    this.subscription = store.onEvent((e) => {
      if (e.type === 'changed' && !this.inFlight) void this.query();
    });
  }

  stop(): void {
    this.subscription.dispose();
  }

  private async query(): Promise<void> {
    this.inFlight = true;
    try {
      await sleep(100);
      await this.store.summary(periodRange('24h', Date.now()));
      this.queries++;
    } finally {
      this.inFlight = false;
    }
  }
}

/** Waits until the store has built the indexes the import deferred, so later phases do not measure that build. */
async function deferredIndexBuild(store: StoreApi, importEnded: number): Promise<ColdImport['deferredIndexes']> {
  let status = await store.status();
  if (!status.deferredIndexes.pending) return null;
  while (status.deferredIndexes.pending) {
    if (performance.now() - importEnded > 60_000) throw new Error('the deferred indexes were not built within a minute of the import');
    await sleep(20);
    status = await store.status();
  }
  return { buildMs: status.deferredIndexes.lastBuildMs ?? NaN, readyAfterMs: performance.now() - importEnded };
}

export async function rescans(store: StoreApi, runs: number): Promise<{ ms: number[]; last: ScanStats }> {
  const out: number[] = [];
  let last: ScanStats | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await timed(() => store.rescanClaudeCode());
    out.push(r.ms);
    last = r.value;
  }
  return { ms: out, last: last! };
}

export interface AppendLatency {
  /** Append → visible in summary(), per run. */
  visibleMs: number[];
  debounceMs: number;
  /** The full scan when watching starts (nothing new). */
  watchStartMs: number;
  error?: string;
}

/**
 * Appends one new API call at a time to a recent conversation while the live watcher runs, and polls summary() until
 * the call is there. The file is truncated back afterwards, so the cached corpus stays as generated.
 */
export async function appendLatency(
  store: StoreApi, manifest: CorpusManifest, runs: number, debounceMs: number,
): Promise<AppendLatency> {
  const { live, configDir } = manifest;
  const started = await timed(() => store.startClaudeCode({ configDirs: [configDir], watch: true, debounceMs, pollMs: 600_000 }));
  await sleep(300);
  const visible: number[] = [];
  const head = L.envelopeHead({ sessionId: live.sessionId, cwd: live.cwd, version: '2.1.331', gitBranch: 'main', entrypoint: 'claude-vscode', isSidechain: false });
  try {
    for (let i = 0; i < runs; i++) {
      const ts = Date.now() + i;
      const line = L.assistantLine(head, {
        parentUuid: null, uuid: `bench-live-${ts}`, ts: iso(ts), model: 'claude-sonnet-4-5-20250929',
        msgId: `msg_01benchlive${ts.toString(36)}`, requestId: `req_011Cbenchlive${ts.toString(36)}`,
        block: L.textBlock('Done.'), stopReason: 'end_turn',
        usage: L.usageJson({ input: 3, cacheWrite5m: 120, cacheWrite1h: 0, cacheRead: 40_000, output: 80, webSearch: 0 }, false),
      });
      const range = { from: ts, to: ts + 1 };
      const t0 = performance.now();
      fs.appendFileSync(live.file, line);
      const appended = performance.now();
      for (;;) {
        if ((await store.summary(range)).calls > 0) break;
        if (performance.now() - t0 > 15_000) throw new Error('the appended call did not appear within 15 s');
        await sleep(2);
      }
      visible.push(performance.now() - appended);
      await sleep(debounceMs + 200);
    }
    return { visibleMs: visible, debounceMs, watchStartMs: started.ms };
  } catch (e: unknown) {
    return { visibleMs: visible, debounceMs, watchStartMs: started.ms, error: e instanceof Error ? e.message : String(e) };
  } finally {
    fs.truncateSync(live.file, live.bytes);
    // Back to a single scan without watchers, so nothing re-scans behind the later measurements.
    await store.startClaudeCode({ configDirs: [configDir], watch: false });
  }
}

export function medianOr(values: number[]): number {
  return values.length ? median(values) : NaN;
}
