/**
 * The store at the scale target (a million calls by default): what the dashboard and the records table cost, and what
 * a save costs, with the host thread's event-loop delay and the process's memory meanwhile.
 */
import fs from 'node:fs';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { defaultGranularity, periodRange, PERIODS, type Period } from '../../src/shared/period';
import type { RecordsQuery } from '../../src/shared/queries';
import { LoopDelayMonitor, type LoopDelay } from './eventLoop';
import { MemorySampler, type MemoryPeak } from './memory';
import { median, repeat, timed } from './stats';
import { topUp, type TopUpResult } from './topUp';
import { ALL_TIME } from './importPhase';

export interface ScaleFigures {
  storedCalls: number;
  topUp: TopUpResult | null;
  dashboardMs: Record<Period, number[]>;
  /** The same queries scoped to "This workspace", by `<period>, <scope>`. */
  dashboardScopedMs: Record<string, number[]>;
  recordsFirstMs: number[];
  recordsLastMs: number[];
  recordsByCostMs: number[];
  recordsTotal: number;
  save: { ms: number; bytes: number; wallMs: number; saved: boolean; error?: string; loop: LoopDelay };
  fileBytes: number;
  memory: MemoryPeak;
}

export const TIME_ZONE = 'Europe/Berlin';

/** Workspace scopes measured at scale (top-up calls live in /home/dev/work/topup-0…22, the corpus under /home/dev). */
const SCOPES: ReadonlyArray<[string, string[]]> = [
  ['one project', ['/home/dev/work/topup-3']],
  ['every project', ['/home/dev']],
];

export async function scalePhase(
  store: StoreApi, targetCalls: number, endMs: number, dbPath: string, runs: number, log: (s: string) => void,
): Promise<ScaleFigures> {
  const mem = new MemorySampler();
  mem.start();
  const have = (await store.summary(ALL_TIME)).calls;
  let topped: TopUpResult | null = null;
  if (have < targetCalls) {
    log(`Topping up from ${have.toLocaleString('en-US')} to ${targetCalls.toLocaleString('en-US')} calls with record()…`);
    topped = await topUp(store, targetCalls - have, endMs);
  }
  const storedCalls = (await store.summary(ALL_TIME)).calls;

  const dashboardMs = {} as Record<Period, number[]>;
  for (const period of PERIODS) {
    const query = { range: periodRange(period, endMs), timeZone: TIME_ZONE, granularity: defaultGranularity(period), topBy: 'cost' as const };
    await store.dashboard(query); // First run separately: it may warm sql.js' page cache.
    dashboardMs[period] = await repeat(runs, () => store.dashboard(query));
  }
  // "This workspace": one project's folder, and a folder holding every project (the largest list of project ids).
  const dashboardScopedMs: Record<string, number[]> = {};
  for (const [label, projects] of SCOPES) {
    for (const period of PERIODS) {
      const query = { range: periodRange(period, endMs), timeZone: TIME_ZONE, granularity: defaultGranularity(period), topBy: 'cost' as const, projects };
      await store.dashboard(query);
      dashboardScopedMs[`${period}, ${label}`] = await repeat(runs, () => store.dashboard(query));
    }
  }
  const recordsQuery: RecordsQuery = { range: periodRange('30d', endMs), source: 'agent', search: 'auth', page: 1 };
  const first = await store.records(recordsQuery);
  const recordsFirstMs = await repeat(runs, () => store.records(recordsQuery));
  const recordsLastMs = await repeat(runs, () => store.records({ ...recordsQuery, page: 1e9 }));
  // The same page sorted by cost ("Most expensive calls").
  await store.records({ ...recordsQuery, sort: 'cost' });
  const recordsByCostMs = await repeat(runs, () => store.records({ ...recordsQuery, sort: 'cost' }));

  // A save after new calls: one more call, then persist everything (the saver writes the whole file). What the
  // top-up left unsaved is saved first: its timed save could otherwise fire between the call and the measured save,
  // which would then find nothing to write (one run printed "not saved").
  await store.save();
  await store.record([{
    key: `msg_01benchsave${Date.now().toString(36)}`, ts: endMs - 1_000, source: 'chat', consumer: { key: 'bench-save', name: 'Bench save' },
    model: 'claude-sonnet-4-5-20250929', tokens: { input: 3, cacheWrite5m: 100, cacheWrite1h: 0, cacheRead: 1_000, output: 50 }, collector: 'bench',
  }]);
  const saveLoop = new LoopDelayMonitor();
  saveLoop.start();
  const saved = await timed(() => store.save());
  const saveLoopDelay = saveLoop.stop();
  const memory = mem.stop();
  let fileBytes = NaN;
  try {
    fileBytes = fs.statSync(dbPath).size;
  } catch {
    // Not saved: reported through save.error.
  }
  return {
    storedCalls, topUp: topped, dashboardMs, dashboardScopedMs, recordsFirstMs, recordsLastMs, recordsByCostMs, recordsTotal: first.total,
    save: { ms: saved.value.ms, bytes: saved.value.bytes, wallMs: saved.ms, saved: saved.value.saved, error: saved.value.error, loop: saveLoopDelay },
    fileBytes, memory,
  };
}

export function worstMedian(series: Record<string, number[]>): { key: string; ms: number } {
  let worst = { key: '', ms: -Infinity };
  for (const [key, values] of Object.entries(series)) {
    const m = median(values);
    if (m > worst.ms) worst = { key, ms: m };
  }
  return worst;
}
