/** The five cards and the status bar: totals over a range. */
import type { Summary } from '../../shared/queries';
import type { Db } from '../store/db';
import { emptyMeasures, firstAndLast, totalsOver, unpricedModelIds, type FactFilter, type Measures } from './facts';
import type { RangePlan } from './rangePlan';

export function toSummary(m: Measures, unpricedModels: string[], span: { firstTs: number | null; lastTs: number | null } = { firstTs: null, lastTs: null }): Summary {
  const pricedCalls = m.calls - m.unpricedCalls;
  return {
    calls: m.calls,
    pricedCalls,
    unpricedCalls: m.unpricedCalls,
    costNanos: m.costNanos,
    tokens: {
      input: m.input,
      cacheWrite5m: m.cacheWrite5m,
      cacheWrite1h: m.cacheWrite1h,
      cacheRead: m.cacheRead,
      output: m.output,
    },
    avgCostNanos: pricedCalls > 0 ? Math.round(m.costNanos / pricedCalls) : null,
    unpricedModels,
    firstTs: span.firstTs,
    lastTs: span.lastTs,
  };
}

export function emptySummary(): Summary {
  return toSummary(emptyMeasures(), []);
}

/** Model names for ids, sorted. */
export function modelNames(db: Db, ids: readonly number[]): string[] {
  if (ids.length === 0) return [];
  return db
    .all('SELECT name FROM models WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name', [JSON.stringify(ids)])
    .map((row) => String(row[0]));
}

export function summaryOver(db: Db, range: { from: number; to: number }, plan: RangePlan, filter: FactFilter = {}): Summary {
  const totals = totalsOver(db, plan, filter);
  const span = totals.calls > 0 ? firstAndLast(db, range, filter) : { firstTs: null, lastTs: null };
  return toSummary(totals, modelNames(db, unpricedModelIds(db, plan, filter)), span);
}
