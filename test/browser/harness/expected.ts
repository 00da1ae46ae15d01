/**
 * What the dashboard should show for the fixture calls, computed here from the fixtures alone (plain arithmetic, no
 * store, no pricing module), for zones with a fixed UTC offset (Asia/Kolkata +5:30, Asia/Kathmandu +5:45).
 */
import { promptTokens, SOURCES, totalTokens, type Source, type TokenCounts } from '../../../src/shared/callRecord';
import type { Granularity, RollingPeriod as Period } from '../../../src/shared/period';
import type { TopBy } from '../../../src/shared/queries';
import { inLast, PERIOD_MS, type FixtureCall } from './fixtureCalls';

export const ZONE_OFFSET_MIN: Record<string, number> = { 'Asia/Kolkata': 330, 'Asia/Kathmandu': 345, UTC: 0 };

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface ExpectedSummary {
  calls: number;
  unpriced: number;
  costNanos: number;
  tokens: TokenCounts;
}

export function summarize(calls: FixtureCall[]): ExpectedSummary {
  const tokens: TokenCounts = { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 };
  let costNanos = 0;
  let unpriced = 0;
  for (const c of calls) {
    tokens.input += c.tokens.input;
    tokens.cacheWrite5m += c.tokens.cacheWrite5m;
    tokens.cacheWrite1h += c.tokens.cacheWrite1h;
    tokens.cacheRead += c.tokens.cacheRead;
    tokens.output += c.tokens.output;
    if (c.expectedCostNanos === null) unpriced++;
    else costNanos += c.expectedCostNanos;
  }
  return { calls: calls.length, unpriced, costNanos, tokens };
}

export function periodCalls(calls: FixtureCall[], period: Period, now: number): FixtureCall[] {
  return inLast(calls, PERIOD_MS[period], now);
}

/** Start (UTC ms) of the local hour or day containing `ts`, in a zone `offsetMin` minutes east of UTC. */
export function localBucketStart(ts: number, granularity: Granularity, offsetMin: number): number {
  const size = granularity === 'hour' ? HOUR : DAY;
  const off = offsetMin * 60_000;
  return Math.floor((ts + off) / size) * size - off;
}

export interface ExpectedPoint {
  start: number;
  costNanos: number;
  calls: number;
}

/** Every local bucket from the one holding the range start to the one holding `now`, empty ones as zero. */
export function expectedSeries(calls: FixtureCall[], period: Period, granularity: Granularity, now: number, offsetMin: number): ExpectedPoint[] {
  const size = granularity === 'hour' ? HOUR : DAY;
  const first = localBucketStart(now - PERIOD_MS[period], granularity, offsetMin);
  const last = localBucketStart(now, granularity, offsetMin);
  const points: ExpectedPoint[] = [];
  for (let start = first; start <= last; start += size) points.push({ start, costNanos: 0, calls: 0 });
  for (const c of periodCalls(calls, period, now)) {
    const p = points[(localBucketStart(c.ts, granularity, offsetMin) - first) / size];
    p.calls++;
    p.costNanos += c.expectedCostNanos ?? 0;
  }
  return points;
}

export function expectedBySource(calls: FixtureCall[]): Record<Source, ExpectedSummary> {
  const out = {} as Record<Source, ExpectedSummary>;
  for (const s of SOURCES) out[s] = summarize(calls.filter((c) => c.source === s));
  return out;
}

export interface ExpectedConsumer {
  key: string;
  name: string;
  costNanos: number;
  tokens: number;
  calls: number;
}

export function expectedTop(calls: FixtureCall[], by: TopBy): ExpectedConsumer[] {
  const map = new Map<string, ExpectedConsumer>();
  for (const c of calls) {
    const e = map.get(c.consumer.key) ?? { key: c.consumer.key, name: c.consumer.name, costNanos: 0, tokens: 0, calls: 0 };
    e.costNanos += c.expectedCostNanos ?? 0;
    e.tokens += totalTokens(c.tokens);
    e.calls++;
    map.set(c.consumer.key, e);
  }
  return [...map.values()].sort((a, b) => (by === 'cost' ? b.costNanos - a.costNanos : b.tokens - a.tokens));
}

export function newestFirst(calls: FixtureCall[]): FixtureCall[] {
  return [...calls].sort((a, b) => b.ts - a.ts);
}

export { promptTokens };
