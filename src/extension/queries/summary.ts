/** The five cards and the status bar: totals over a range. */
import type { Summary } from '../../shared/queries';
import type { Db } from '../store/db';
import { addMeasures, emptyMeasures, facts, type Measures } from './facts';
import type { RangePlan } from './rangePlan';

export function toSummary(m: Measures, unpricedModels: string[]): Summary {
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
  };
}

export function emptySummary(): Summary {
  return toSummary(emptyMeasures(), []);
}

export function totalsOver(db: Db, plan: RangePlan): Measures {
  const total = emptyMeasures();
  for (const fact of facts(db, plan, 'none')) addMeasures(total, fact.m);
  return total;
}

/** Names of the models with unpriced calls in the plan's range, sorted. */
export function unpricedModelsOver(db: Db, plan: RangePlan): string[] {
  const ids = [...new Set(facts(db, plan, 'unpricedModel').map((f) => f.group[0]))];
  if (ids.length === 0) return [];
  return db
    .all('SELECT name FROM models WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name', [JSON.stringify(ids)])
    .map((row) => String(row[0]));
}

export function summaryOver(db: Db, plan: RangePlan): Summary {
  return toSummary(totalsOver(db, plan), unpricedModelsOver(db, plan));
}
