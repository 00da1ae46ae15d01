/**
 * Everything the dashboard shows for a range, from one pass over its roll-up rows (plus the calls in the partial
 * buckets at its ends): the cards, the cost-over-time series in the user's local hours or days, the split by source,
 * the top consumers, the split by model and the prompt-cache accounting. Scoped to projects, the pass reads rows.
 */
import { SOURCES } from '../../shared/callRecord';
import type { ConsumerStat, DashboardData, DashboardQuery, SeriesPoint, SourceSlice, TopBy } from '../../shared/queries';
import type { Pricer } from '../pricing';
import type { Db } from '../store/db';
import { sourceFromCode } from '../store/sourceCodes';
import { CacheAccountant, type SplitMemo } from './cacheAccounting';
import { checkGranularity, checkRange, checkTopBy, clampInt } from './checkQuery';
import { addMeasures, eachFact, emptyMeasures, firstAndLast, tokenTotal, type FactFilter, type Measures } from './facts';
import { checkTimeZone, localBuckets } from './localBuckets';
import { ModelTotals } from './modelBreakdown';
import { planFor } from './rangePlan';
import { emptySummary, modelNames, toSummary } from './summary';

export const DEFAULT_TOP_LIMIT = 10;

interface ConsumerTotals {
  id: number;
  m: Measures;
  /** Cost and tokens per source code, to pick the consumer's badge. */
  bySource: Array<{ cost: number; tokens: number }>;
}

/**
 * `filter` carries the resolved project scope (or nothing); `pricer` splits costs for the cache accounting, and
 * `memo` keeps the splits it had to compute call by call for the next query.
 */
export function dashboard(db: Db, query: DashboardQuery, filter: FactFilter, pricer: Pricer | null, memo?: SplitMemo): DashboardData {
  const range = checkRange(query.range);
  const timeZone = checkTimeZone(query.timeZone);
  const granularity = checkGranularity(query.granularity);
  const topBy = checkTopBy(query.topBy);
  const topLimit = clampInt(query.topLimit, 1, 1000, DEFAULT_TOP_LIMIT);
  const names = new Map<number, string>();
  const modelName = (id: number): string => {
    let name = names.get(id);
    if (name === undefined) {
      name = String(db.first('SELECT name FROM models WHERE id = ?', [id])?.[0] ?? id);
      names.set(id, name);
    }
    return name;
  };
  const cache = new CacheAccountant(db, pricer, modelName, filter, memo);
  const models = new ModelTotals();
  if (!(range.to > range.from)) {
    return {
      summary: emptySummary(),
      series: [],
      bySource: SOURCES.map((s) => slice(s, emptyMeasures())),
      topConsumers: [],
      byModel: [],
      cache: cache.finish().stats,
    };
  }
  const buckets = localBuckets(range, timeZone, granularity);
  const starts = buckets.starts;
  const series: SeriesPoint[] = starts.map((start) => ({ start, costNanos: 0, calls: 0, unpricedCalls: 0, tokens: 0 }));
  const total = emptyMeasures();
  const perSource = SOURCES.map(() => emptyMeasures());
  const consumers = new Map<number, ConsumerTotals>();
  const unpricedModels = new Set<number>();

  // Local boundaries off the 15-minute grid are read from rows (planRange), so a roll-up row never straddles one.
  eachFact(db, planFor(range, starts, filter), (fact) => {
    const tokens = tokenTotal(fact);
    const point = series[lastAtOrBefore(starts, fact.time)];
    point.costNanos += fact.costNanos;
    point.calls += fact.calls;
    point.unpricedCalls += fact.unpricedCalls;
    point.tokens += tokens;
    addMeasures(total, fact);
    addMeasures(perSource[fact.source], fact);
    let consumer = consumers.get(fact.consumerId);
    if (!consumer) {
      consumer = { id: fact.consumerId, m: emptyMeasures(), bySource: SOURCES.map(() => ({ cost: 0, tokens: 0 })) };
      consumers.set(fact.consumerId, consumer);
    }
    addMeasures(consumer.m, fact);
    consumer.bySource[fact.source].cost += fact.costNanos;
    consumer.bySource[fact.source].tokens += tokens;
    if (fact.unpricedCalls > 0) unpricedModels.add(fact.modelId);
    models.add(fact);
    cache.add(fact);
  }, filter);

  const span = total.calls > 0 ? firstAndLast(db, range, filter) : { firstTs: null, lastTs: null };
  const { stats, savedByModel } = cache.finish();
  return {
    summary: toSummary(total, modelNames(db, [...unpricedModels]), span),
    series,
    bySource: SOURCES.map((source, code) => slice(source, perSource[code])),
    topConsumers: topConsumers(db, [...consumers.values()], topBy, topLimit),
    byModel: models.stats(modelName, savedByModel),
    cache: stats,
  };
}

/** Index of the last start at or before `t` (starts are ascending and the first is at or before every fact). */
function lastAtOrBefore(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function slice(source: SourceSlice['source'], m: Measures): SourceSlice {
  return { source, costNanos: m.costNanos, calls: m.calls, unpricedCalls: m.unpricedCalls, tokens: tokenTotal(m) };
}

function topConsumers(db: Db, all: ConsumerTotals[], topBy: TopBy, limit: number): ConsumerStat[] {
  const primary = (e: ConsumerTotals) => (topBy === 'cost' ? e.m.costNanos : tokenTotal(e.m));
  const secondary = (e: ConsumerTotals) => (topBy === 'cost' ? tokenTotal(e.m) : e.m.costNanos);
  const top = all
    .sort((a, b) => primary(b) - primary(a) || secondary(b) - secondary(a) || b.m.calls - a.m.calls || a.id - b.id)
    .slice(0, limit);
  if (top.length === 0) return [];
  const names = new Map<number, { key: string; name: string }>();
  db.each(
    'SELECT id, key, name FROM consumers WHERE id IN (SELECT value FROM json_each(?))',
    [JSON.stringify(top.map((e) => e.id))],
    (row) => names.set(row[0] as number, { key: String(row[1]), name: String(row[2]) }),
  );
  return top.map((e) => {
    const named = names.get(e.id) ?? { key: String(e.id), name: String(e.id) };
    return {
      key: named.key,
      name: named.name,
      source: dominantSource(e),
      costNanos: e.m.costNanos,
      tokens: tokenTotal(e.m),
      calls: e.m.calls,
      unpricedCalls: e.m.unpricedCalls,
    };
  });
}

/** The source carrying most of the cost; tokens decide when costs tie (e.g. nothing priced); SOURCES order last. */
function dominantSource(e: ConsumerTotals): ConsumerStat['source'] {
  let best = 0;
  for (let code = 1; code < e.bySource.length; code++) {
    const a = e.bySource[code];
    const b = e.bySource[best];
    if (a.cost > b.cost || (a.cost === b.cost && a.tokens > b.tokens)) best = code;
  }
  return sourceFromCode(best);
}
