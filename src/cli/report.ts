/**
 * `claude-usage report`: the extension's own collector, recorder, store and queries, run headless. The numbers it
 * prints are the numbers the dashboard shows.
 */
import type { Source } from '../shared/callRecord';
import { nanosToDecimalString, type Nanos } from '../shared/money';
import { localDate } from '../shared/period';
import type { DashboardData, Summary } from '../shared/queries';
import type { ScanStats, StoreApi } from '../extension/store/storeApi';
import type { ReportArgs } from './args';

const DAY_MS = 86_400_000;

export interface TokenTotals {
  calls: number;
  unpricedCalls: number;
  /** Exact USD decimal string (priced calls only; unpriced ones are counted in unpricedCalls). */
  costUsd: string;
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
}

export interface Report {
  range: { since: string; until: string; timeZone: string };
  import: { files: number; calls: number; skippedLines: number };
  totals: TokenTotals;
  byDay: ({ date: string } & Omit<TokenTotals, 'inputTokens' | 'cacheWriteTokens' | 'cacheReadTokens' | 'outputTokens'> & { tokens: number })[];
  bySource: ({ source: Source } & Pick<TokenTotals, 'calls' | 'unpricedCalls' | 'costUsd'> & { tokens: number })[];
  byConsumer: { key: string; name: string; source: Source; calls: number; unpricedCalls: number; costUsd: string; tokens: number }[];
  byModel: ({ model: string } & TokenTotals)[];
}

function usd(n: Nanos): string {
  return nanosToDecimalString(n);
}

function totalsOf(s: Pick<Summary, 'calls' | 'unpricedCalls' | 'costNanos' | 'tokens'>): TokenTotals {
  return {
    calls: s.calls,
    unpricedCalls: s.unpricedCalls,
    costUsd: usd(s.costNanos),
    inputTokens: s.tokens.input,
    cacheWriteTokens: s.tokens.cacheWrite5m + s.tokens.cacheWrite1h,
    cacheReadTokens: s.tokens.cacheRead,
    outputTokens: s.tokens.output,
  };
}

export async function buildReport(store: StoreApi, args: ReportArgs, scan: ScanStats): Promise<Report> {
  const whole = await store.summary({ from: args.from, to: args.to });
  // An open-ended --since starts at the first call, so the daily table does not begin in 1970.
  const from = args.from > 0 || !whole.firstTs ? args.from : Math.max(args.from, whole.firstTs - DAY_MS);
  const data: DashboardData = await store.dashboard({
    range: { from: whole.calls > 0 ? from : Math.max(from, args.to - DAY_MS), to: args.to },
    timeZone: args.timeZone,
    granularity: 'day',
    topBy: 'cost',
    topLimit: 100_000,
  });
  return {
    range: { since: new Date(args.from).toISOString(), until: new Date(args.to).toISOString(), timeZone: args.timeZone },
    import: { files: scan.files, calls: scan.calls, skippedLines: scan.skippedLines },
    totals: totalsOf(whole),
    byDay: data.series
      .filter((p) => p.calls > 0)
      .map((p) => ({ date: localDate(p.start, args.timeZone), calls: p.calls, unpricedCalls: p.unpricedCalls, costUsd: usd(p.costNanos), tokens: p.tokens })),
    bySource: data.bySource.map((s) => ({ source: s.source, calls: s.calls, unpricedCalls: s.unpricedCalls, costUsd: usd(s.costNanos), tokens: s.tokens })),
    byConsumer: data.topConsumers.map((c) => ({
      key: c.key,
      name: c.name,
      source: c.source,
      calls: c.calls,
      unpricedCalls: c.unpricedCalls,
      costUsd: usd(c.costNanos),
      tokens: c.tokens,
    })),
    byModel: (data.byModel ?? []).map((m) => ({ model: m.model, ...totalsOf({ ...m, costNanos: m.costNanos }) })),
  };
}
