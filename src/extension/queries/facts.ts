/**
 * Sums over a range, grouped one of a few fixed ways, read from the roll-ups for whole buckets and from rows for the
 * rest (see rangePlan). Both halves are written side by side so they stay equivalent. All SQL here is fixed text;
 * user input only ever arrives as bound parameters.
 */
import { BUCKET_MS } from '../store/buckets';
import { num, type Db, type Row, type SqlValue } from '../store/db';
import type { RangePlan } from './rangePlan';

export interface Measures {
  calls: number;
  unpricedCalls: number;
  costNanos: number;
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

export type Grouping = 'none' | 'time' | 'source' | 'consumerSource' | 'unpricedModel';

/** Which calls count. `consumerIds` is a SQL subquery selecting consumer ids (with its own parameters). */
export interface FactFilter {
  source?: number;
  consumerIdsSql?: string;
  consumerIdsParams?: SqlValue[];
}

export interface FactRow {
  /** Group values: [] | [time ms] | [source] | [consumerId, source] | [modelId]. */
  group: number[];
  m: Measures;
}

const ROLLUP_MEASURES =
  'SUM(r.calls), SUM(r.unpriced_calls), SUM(r.cost_nanos), SUM(r.input), SUM(r.cache_write_5m), ' +
  'SUM(r.cache_write_1h), SUM(r.cache_read), SUM(r.output)';
const RAW_MEASURES =
  'COUNT(*), SUM(c.cost_nanos IS NULL), SUM(c.cost_nanos), SUM(c.input), SUM(c.cache_write_5m), ' +
  'SUM(c.cache_write_1h), SUM(c.cache_read), SUM(c.output)';

const GROUP_COLUMNS: Readonly<Record<Grouping, { rollup: string[]; raw: string[] }>> = {
  none: { rollup: [], raw: [] },
  time: { rollup: ['r.bucket'], raw: ['c.ts'] },
  source: { rollup: ['r.source'], raw: ['c.source'] },
  consumerSource: { rollup: ['r.consumer_id', 'r.source'], raw: ['c.consumer_id', 'c.source'] },
  unpricedModel: { rollup: ['r.model_id'], raw: ['c.model_id'] },
};

export function emptyMeasures(): Measures {
  return { calls: 0, unpricedCalls: 0, costNanos: 0, input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 };
}

export function addMeasures(into: Measures, m: Measures): void {
  into.calls += m.calls;
  into.unpricedCalls += m.unpricedCalls;
  into.costNanos += m.costNanos;
  into.input += m.input;
  into.cacheWrite5m += m.cacheWrite5m;
  into.cacheWrite1h += m.cacheWrite1h;
  into.cacheRead += m.cacheRead;
  into.output += m.output;
}

export function tokenTotal(m: Measures): number {
  return m.input + m.cacheWrite5m + m.cacheWrite1h + m.cacheRead + m.output;
}

/** Grouped sums over the plan. Rows of the same group from different parts are not merged (callers merge). */
export function facts(db: Db, plan: RangePlan, grouping: Grouping, filter: FactFilter = {}): FactRow[] {
  const out: FactRow[] = [];
  const groups = GROUP_COLUMNS[grouping];
  const unpricedOnly = grouping === 'unpricedModel';
  for (const span of plan.rollupSpans) {
    const where = ['r.bucket >= ?', 'r.bucket < ?'];
    const params: SqlValue[] = [span.from, span.to];
    if (unpricedOnly) where.push('r.priced = 0');
    addFilter('r', filter, where, params);
    const sql = selectSql(groups.rollup, ROLLUP_MEASURES, 'rollup_15m r', where);
    db.each(sql, params, (row) => {
      const fact = readFact(row, groups.rollup.length);
      if (grouping === 'time') fact.group[0] *= BUCKET_MS;
      if (fact.m.calls !== 0) out.push(fact);
    });
  }
  for (const span of plan.rawSpans) {
    const where = ['c.ts >= ?', 'c.ts < ?'];
    const params: SqlValue[] = [span.from, span.to];
    if (unpricedOnly) where.push('c.cost_nanos IS NULL');
    addFilter('c', filter, where, params);
    const sql = selectSql(groups.raw, RAW_MEASURES, 'calls c INDEXED BY calls_ts', where);
    db.each(sql, params, (row) => {
      const fact = readFact(row, groups.raw.length);
      if (fact.m.calls !== 0) out.push(fact);
    });
  }
  return out;
}

/** Calls per bucket start (ms), for paging records by time. Raw spans come back as one entry each. */
export function countsByBucket(db: Db, plan: RangePlan, filter: FactFilter): Array<{ from: number; to: number; count: number }> {
  const out: Array<{ from: number; to: number; count: number }> = [];
  for (const span of plan.rollupSpans) {
    const where = ['r.bucket >= ?', 'r.bucket < ?'];
    const params: SqlValue[] = [span.from, span.to];
    addFilter('r', filter, where, params);
    db.each(`SELECT r.bucket, SUM(r.calls) FROM rollup_15m r WHERE ${where.join(' AND ')} GROUP BY r.bucket`, params, (row) => {
      const count = num(row[1]);
      const from = num(row[0]) * BUCKET_MS;
      if (count > 0) out.push({ from, to: from + BUCKET_MS, count });
    });
  }
  for (const span of plan.rawSpans) {
    const where = ['c.ts >= ?', 'c.ts < ?'];
    const params: SqlValue[] = [span.from, span.to];
    addFilter('c', filter, where, params);
    const count = num(db.first(`SELECT COUNT(*) FROM calls c INDEXED BY calls_ts WHERE ${where.join(' AND ')}`, params)?.[0]);
    if (count > 0) out.push({ from: span.from, to: span.to, count });
  }
  return out.sort((a, b) => a.from - b.from);
}

export function addFilter(alias: 'r' | 'c', filter: FactFilter, where: string[], params: SqlValue[]): void {
  if (filter.source !== undefined) {
    where.push(`${alias}.source = ?`);
    params.push(filter.source);
  }
  if (filter.consumerIdsSql) {
    where.push(`${alias}.consumer_id IN (${filter.consumerIdsSql})`);
    params.push(...(filter.consumerIdsParams ?? []));
  }
}

function selectSql(groupColumns: string[], measures: string, from: string, where: string[]): string {
  const select = [...groupColumns, measures].join(', ');
  const groupBy = groupColumns.length ? ` GROUP BY ${groupColumns.join(', ')}` : '';
  return `SELECT ${select} FROM ${from} WHERE ${where.join(' AND ')}${groupBy}`;
}

function readFact(row: Row, groupCount: number): FactRow {
  const group: number[] = [];
  for (let i = 0; i < groupCount; i++) group.push(num(row[i]));
  const at = groupCount;
  return {
    group,
    m: {
      calls: num(row[at]),
      unpricedCalls: num(row[at + 1]),
      costNanos: num(row[at + 2]),
      input: num(row[at + 3]),
      cacheWrite5m: num(row[at + 4]),
      cacheWrite1h: num(row[at + 5]),
      cacheRead: num(row[at + 6]),
      output: num(row[at + 7]),
    },
  };
}
