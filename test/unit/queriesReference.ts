// Brute-force answers computed from plain arrays, independently of the SQL and roll-ups, for the queries* tests.
import { SOURCES, type CallInput } from '../../src/shared/callRecord';
import type { Granularity, TimeRange } from '../../src/shared/period';
import type { SeriesPoint } from '../../src/shared/queries';
import { FAKE_RATES, fakeCost } from './storeFixtures';

export interface RefCall extends CallInput {
  cost: number | null;
}

export function priced(calls: Iterable<CallInput>): RefCall[] {
  return [...calls].map((c) => ({ ...c, cost: c.model in FAKE_RATES ? fakeCost(c.tokens, FAKE_RATES[c.model]) : null }));
}

export function inRange(calls: readonly RefCall[], range: TimeRange): RefCall[] {
  return calls.filter((c) => c.ts >= range.from && c.ts < range.to);
}

export const total = (c: CallInput): number =>
  c.tokens.input + c.tokens.cacheWrite5m + c.tokens.cacheWrite1h + c.tokens.cacheRead + c.tokens.output;

const clockCache = new Map<string, { date: string; hour: string; minute: string; offset: string }>();

/**
 * Local bucket starts by walking the clock in 15-minute steps: a bucket starts where the local date (day) or the
 * local date and hour (hour) changes, and, for hours, also where the clock is turned back to a full hour (the
 * repeated hour when DST ends is a bucket of its own).
 */
export function referenceStarts(range: TimeRange, timeZone: string, granularity: Granularity): { starts: number[]; end: number } {
  const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const clockFormat = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' });
  const read = (t: number) => {
    const id = `${timeZone}|${t}`;
    let found = clockCache.get(id);
    if (!found) {
      const [clock, offset] = clockFormat.format(t).split(' ');
      found = { date: dateFormat.format(t), hour: clock.slice(0, 2), minute: clock.slice(3, 5), offset };
      clockCache.set(id, found);
    }
    return found;
  };
  const startsAt = (t: number, prev: number): boolean => {
    const a = read(prev);
    const b = read(t);
    if (granularity === 'day') return a.date !== b.date;
    return a.date !== b.date || a.hour !== b.hour || (b.minute === '00' && a.offset !== b.offset);
  };
  const step = 15 * 60_000;
  const all: number[] = [];
  const from = Math.floor((range.from - 3 * 86_400_000) / step) * step;
  for (let t = from + step; t < range.to + 3 * 86_400_000; t += step) if (startsAt(t, t - step)) all.push(t);
  let first = 0;
  while (all[first + 1] <= range.from) first++;
  let last = first;
  while (all[last + 1] < range.to) last++;
  return { starts: all.slice(first, last + 1), end: all[last + 1] };
}

export function referenceSeries(calls: readonly RefCall[], range: TimeRange, timeZone: string, granularity: Granularity): SeriesPoint[] {
  const { starts } = referenceStarts(range, timeZone, granularity);
  const points = starts.map((start) => ({ start, costNanos: 0, calls: 0, unpricedCalls: 0, tokens: 0 }));
  for (const c of inRange(calls, range)) {
    let i = starts.length - 1;
    while (starts[i] > c.ts) i--;
    points[i].calls++;
    points[i].costNanos += c.cost ?? 0;
    points[i].unpricedCalls += c.cost === null ? 1 : 0;
    points[i].tokens += total(c);
  }
  return points;
}

export function referenceSummary(calls: readonly RefCall[], range: TimeRange) {
  const rows = inRange(calls, range);
  const pricedRows = rows.filter((c) => c.cost !== null);
  const cost = pricedRows.reduce((s, c) => s + (c.cost ?? 0), 0);
  const sum = (f: (c: RefCall) => number) => rows.reduce((s, c) => s + f(c), 0);
  return {
    calls: rows.length,
    pricedCalls: pricedRows.length,
    unpricedCalls: rows.length - pricedRows.length,
    costNanos: cost,
    tokens: {
      input: sum((c) => c.tokens.input),
      cacheWrite5m: sum((c) => c.tokens.cacheWrite5m),
      cacheWrite1h: sum((c) => c.tokens.cacheWrite1h),
      cacheRead: sum((c) => c.tokens.cacheRead),
      output: sum((c) => c.tokens.output),
    },
    avgCostNanos: pricedRows.length ? Math.round(cost / pricedRows.length) : null,
    unpricedModels: [...new Set(rows.filter((c) => c.cost === null).map((c) => c.model))].sort(),
    firstTs: rows.length ? Math.min(...rows.map((c) => c.ts)) : null,
    lastTs: rows.length ? Math.max(...rows.map((c) => c.ts)) : null,
  };
}

export function referenceBySource(calls: readonly RefCall[], range: TimeRange) {
  const rows = inRange(calls, range);
  return SOURCES.map((source) => {
    const mine = rows.filter((c) => c.source === source);
    return {
      source,
      costNanos: mine.reduce((s, c) => s + (c.cost ?? 0), 0),
      calls: mine.length,
      unpricedCalls: mine.filter((c) => c.cost === null).length,
      tokens: mine.reduce((s, c) => s + total(c), 0),
    };
  });
}

/** Per consumer: totals and the source carrying most cost (tokens break a tie of costs, then SOURCES order). */
export function referenceConsumers(calls: readonly RefCall[], range: TimeRange) {
  const by = new Map<string, { key: string; name: string; cost: number; tokens: number; calls: number; unpriced: number; src: Map<string, [number, number]> }>();
  for (const c of inRange(calls, range)) {
    let e = by.get(c.consumer.key);
    if (!e) {
      e = { key: c.consumer.key, name: c.consumer.name, cost: 0, tokens: 0, calls: 0, unpriced: 0, src: new Map() };
      by.set(c.consumer.key, e);
    }
    e.cost += c.cost ?? 0;
    e.tokens += total(c);
    e.calls++;
    e.unpriced += c.cost === null ? 1 : 0;
    const [sc, st] = e.src.get(c.source) ?? [0, 0];
    e.src.set(c.source, [sc + (c.cost ?? 0), st + total(c)]);
  }
  return [...by.values()].map((e) => {
    let best = SOURCES[0];
    for (const s of SOURCES) {
      const [c, t] = e.src.get(s) ?? [0, 0];
      const [bc, bt] = e.src.get(best) ?? [0, 0];
      if (c > bc || (c === bc && t > bt)) best = s;
    }
    return { key: e.key, name: e.name, source: best, costNanos: e.cost, tokens: e.tokens, calls: e.calls, unpricedCalls: e.unpriced };
  });
}
