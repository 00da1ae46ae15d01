/**
 * Everything the dashboard shows for a range, in one pass over the roll-ups: the cards, the cost-over-time series
 * in the user's local hours or days, the split by source and the top consumers.
 */
import { SOURCES } from '../../shared/callRecord';
import type { ConsumerStat, DashboardData, DashboardQuery, SeriesPoint, SourceSlice, TopBy } from '../../shared/queries';
import type { Db } from '../store/db';
import { sourceFromCode } from '../store/sourceCodes';
import { addMeasures, emptyMeasures, facts, tokenTotal, type Measures } from './facts';
import { localBuckets } from './localBuckets';
import { planRange } from './rangePlan';
import { emptySummary, toSummary, unpricedModelsOver } from './summary';
import { checkGranularity, checkRange, checkTopBy, clampInt } from './checkQuery';
import { checkTimeZone } from './localBuckets';

export const DEFAULT_TOP_LIMIT = 10;

export function dashboard(db: Db, query: DashboardQuery): DashboardData {
  const range = checkRange(query.range);
  const timeZone = checkTimeZone(query.timeZone);
  const granularity = checkGranularity(query.granularity);
  const topBy = checkTopBy(query.topBy);
  const topLimit = clampInt(query.topLimit, 1, 1000, DEFAULT_TOP_LIMIT);
  if (!(range.to > range.from)) {
    return { summary: emptySummary(), series: [], bySource: SOURCES.map((source) => slice(source, emptyMeasures())), topConsumers: [] };
  }
  const buckets = localBuckets(range, timeZone, granularity);
  const plan = planRange(range, buckets.starts);

  const series: SeriesPoint[] = buckets.starts.map((start) => ({ start, costNanos: 0, calls: 0, unpricedCalls: 0, tokens: 0 }));
  const total = emptyMeasures();
  const timeFacts = facts(db, plan, 'time').sort((a, b) => a.group[0] - b.group[0]);
  let i = 0;
  for (const fact of timeFacts) {
    const at = fact.group[0];
    while (i + 1 < series.length && series[i + 1].start <= at) i++;
    const point = series[i];
    point.costNanos += fact.m.costNanos;
    point.calls += fact.m.calls;
    point.unpricedCalls += fact.m.unpricedCalls;
    point.tokens += tokenTotal(fact.m);
    addMeasures(total, fact.m);
  }

  const perSource = SOURCES.map(() => emptyMeasures());
  for (const fact of facts(db, plan, 'source')) addMeasures(perSource[fact.group[0]], fact.m);

  return {
    summary: toSummary(total, unpricedModelsOver(db, plan)),
    series,
    bySource: SOURCES.map((source, code) => slice(source, perSource[code])),
    topConsumers: topConsumers(db, plan, topBy, topLimit),
  };
}

function slice(source: SourceSlice['source'], m: Measures): SourceSlice {
  return { source, costNanos: m.costNanos, calls: m.calls, unpricedCalls: m.unpricedCalls, tokens: tokenTotal(m) };
}

interface ConsumerTotals {
  id: number;
  m: Measures;
  /** Cost and tokens per source code, to pick the consumer's badge. */
  bySource: Array<{ cost: number; tokens: number }>;
}

function topConsumers(db: Db, plan: ReturnType<typeof planRange>, topBy: TopBy, limit: number): ConsumerStat[] {
  const byId = new Map<number, ConsumerTotals>();
  for (const fact of facts(db, plan, 'consumerSource')) {
    const [id, source] = fact.group;
    let entry = byId.get(id);
    if (!entry) {
      entry = { id, m: emptyMeasures(), bySource: SOURCES.map(() => ({ cost: 0, tokens: 0 })) };
      byId.set(id, entry);
    }
    addMeasures(entry.m, fact.m);
    entry.bySource[source].cost += fact.m.costNanos;
    entry.bySource[source].tokens += tokenTotal(fact.m);
  }
  const primary = (e: ConsumerTotals) => (topBy === 'cost' ? e.m.costNanos : tokenTotal(e.m));
  const secondary = (e: ConsumerTotals) => (topBy === 'cost' ? tokenTotal(e.m) : e.m.costNanos);
  const top = [...byId.values()]
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

/** The source carrying most of the cost; tokens decide when nothing is priced; SOURCES order breaks ties. */
function dominantSource(e: ConsumerTotals): ConsumerStat['source'] {
  let best = 0;
  for (let code = 1; code < e.bySource.length; code++) {
    const a = e.bySource[code];
    const b = e.bySource[best];
    if (a.cost > b.cost || (a.cost === b.cost && a.tokens > b.tokens)) best = code;
  }
  return sourceFromCode(best);
}
