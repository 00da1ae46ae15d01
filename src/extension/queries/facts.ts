/**
 * Reading a range: whole 15-minute buckets from the roll-ups, the rest from rows (see rangePlan). The roll-up and row
 * halves of each query are written side by side so they stay equivalent. All SQL here is fixed text; user input
 * only ever arrives as bound parameters.
 *
 * Measured at a million stored calls: SQLite's GROUP BY with several SUMs costs more in WebAssembly than handing the
 * few thousand roll-up rows of a month to JavaScript and adding them up there, so the dashboard does the latter.
 */
import { BUCKET_MS } from '../store/buckets';
import { num, type Db, type SqlValue } from '../store/db';
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

/** One roll-up row, or one call, inside the range. */
export interface Fact extends Measures {
  /** The bucket's start (roll-ups) or the call's time (rows). */
  time: number;
  /** A roll-up row (the calls of one 15-minute bucket) rather than one call. */
  rollup: boolean;
  source: number;
  consumerId: number;
  modelId: number;
}

/**
 * Which calls count. `consumerIdsJson` is a JSON array of consumer ids (already resolved from a key or a search),
 * `projectIdsJson` one of project ids (resolved from workspace folders; roll-ups carry the project too, 0 for none,
 * which no scope matches, as a row without a project matches none).
 */
export interface FactFilter {
  source?: number;
  consumerIdsJson?: string;
  projectIdsJson?: string;
}

const MEASURES_ROLLUP =
  'r.calls, r.unpriced_calls, r.cost_nanos, r.input, r.cache_write_5m, r.cache_write_1h, r.cache_read, r.output';
const MEASURES_ROW =
  '1, c.cost_nanos IS NULL, COALESCE(c.cost_nanos, 0), c.input, c.cache_write_5m, c.cache_write_1h, c.cache_read, c.output';
const SUMS_ROLLUP =
  'SUM(r.calls), SUM(r.unpriced_calls), SUM(r.cost_nanos), SUM(r.input), SUM(r.cache_write_5m), SUM(r.cache_write_1h), ' +
  'SUM(r.cache_read), SUM(r.output)';
const SUMS_ROW =
  'COUNT(*), SUM(c.cost_nanos IS NULL), SUM(c.cost_nanos), SUM(c.input), SUM(c.cache_write_5m), SUM(c.cache_write_1h), ' +
  'SUM(c.cache_read), SUM(c.output)';

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

/** The WHERE clause and parameters for one span of a plan, with the filter applied. */
function spanWhere(alias: 'r' | 'c', span: { from: number; to: number }, filter: FactFilter): { where: string; params: SqlValue[] } {
  const where = alias === 'r' ? ['r.bucket >= ?', 'r.bucket < ?'] : ['c.ts >= ?', 'c.ts < ?'];
  const params: SqlValue[] = [span.from, span.to];
  addFilter(alias, filter, where, params);
  return { where: where.join(' AND '), params };
}

/** Every roll-up row and edge call in the range (that passes the filter), one callback each. */
export function eachFact(db: Db, plan: RangePlan, onFact: (fact: Fact) => void, filter: FactFilter = {}): void {
  for (const span of plan.rollupSpans) {
    const { where, params } = spanWhere('r', span, filter);
    db.each(
      `SELECT r.bucket, r.source, r.consumer_id, r.model_id, ${MEASURES_ROLLUP} FROM rollup_15m r WHERE ${where}`,
      params,
      (row) => onFact(readFact(row, num(row[0]) * BUCKET_MS, true)),
    );
  }
  for (const span of plan.rawSpans) {
    const { where, params } = spanWhere('c', span, filter);
    db.each(
      `SELECT c.ts, c.source, c.consumer_id, c.model_id, ${MEASURES_ROW} FROM calls c INDEXED BY calls_ts WHERE ${where}`,
      params,
      (row) => onFact(readFact(row, num(row[0]), false)),
    );
  }
}

/** Totals over the range, summed in SQL (a handful of rows come back). */
export function totalsOver(db: Db, plan: RangePlan, filter: FactFilter = {}): Measures {
  const total = emptyMeasures();
  for (const span of plan.rollupSpans) {
    const { where, params } = spanWhere('r', span, filter);
    const row = db.first(`SELECT ${SUMS_ROLLUP} FROM rollup_15m r WHERE ${where}`, params);
    if (row) addMeasures(total, readMeasures(row, 0));
  }
  for (const span of plan.rawSpans) {
    const { where, params } = spanWhere('c', span, filter);
    const row = db.first(`SELECT ${SUMS_ROW} FROM calls c INDEXED BY calls_ts WHERE ${where}`, params);
    if (row) addMeasures(total, readMeasures(row, 0));
  }
  return total;
}

/** Ids of the models with unpriced calls in the range (through the small partial index of unpriced roll-ups). */
export function unpricedModelIds(db: Db, plan: RangePlan, filter: FactFilter = {}): number[] {
  const ids = new Set<number>();
  for (const span of plan.rollupSpans) {
    const { where, params } = spanWhere('r', span, filter);
    db.each(
      `SELECT DISTINCT r.model_id FROM rollup_15m r INDEXED BY rollup_unpriced WHERE r.priced = 0 AND ${where}`,
      params,
      (row) => ids.add(num(row[0])),
    );
  }
  for (const span of plan.rawSpans) {
    const { where, params } = spanWhere('c', span, filter);
    db.each(
      `SELECT DISTINCT c.model_id FROM calls c INDEXED BY calls_ts WHERE ${where} AND c.cost_nanos IS NULL`,
      params,
      (row) => ids.add(num(row[0])),
    );
  }
  return [...ids];
}

/** Time of the first and last matching call in the range (two index seeks), or nulls when there is none. */
export function firstAndLast(db: Db, range: { from: number; to: number }, filter: FactFilter = {}): { firstTs: number | null; lastTs: number | null } {
  if (!(range.to > range.from)) return { firstTs: null, lastTs: null };
  const { where, params } = spanWhere('c', range, filter);
  const first = db.first(`SELECT c.ts FROM calls c INDEXED BY calls_ts WHERE ${where} ORDER BY c.ts LIMIT 1`, params);
  const last = db.first(`SELECT c.ts FROM calls c INDEXED BY calls_ts WHERE ${where} ORDER BY c.ts DESC LIMIT 1`, params);
  return { firstTs: first ? num(first[0]) : null, lastTs: last ? num(last[0]) : null };
}

/** Matching calls per bucket, ascending, for paging records by time. Raw spans come back as one entry each. */
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
    if (span.to - span.from <= BUCKET_MS) {
      const count = num(db.first(`SELECT COUNT(*) FROM calls c INDEXED BY calls_ts WHERE ${where.join(' AND ')}`, params)?.[0]);
      if (count > 0) out.push({ from: span.from, to: span.to, count });
      continue;
    }
    // A long span read from rows (a project filter): counted per bucket, so a deep page still reads only its buckets.
    db.each(
      `SELECT c.ts - ((c.ts % ${BUCKET_MS}) + ${BUCKET_MS}) % ${BUCKET_MS} AS b, COUNT(*) FROM calls c INDEXED BY calls_ts
       WHERE ${where.join(' AND ')} GROUP BY b`,
      params,
      (row) => {
        const start = num(row[0]);
        out.push({ from: Math.max(span.from, start), to: Math.min(span.to, start + BUCKET_MS), count: num(row[1]) });
      },
    );
  }
  return out.sort((a, b) => a.from - b.from);
}

export function addFilter(alias: 'r' | 'c', filter: FactFilter, where: string[], params: SqlValue[]): void {
  if (filter.projectIdsJson !== undefined) {
    where.push(`${alias}.project_id IN (SELECT value FROM json_each(?))`);
    params.push(filter.projectIdsJson);
  }
  if (filter.source !== undefined) {
    where.push(`${alias}.source = ?`);
    params.push(filter.source);
  }
  if (filter.consumerIdsJson !== undefined) {
    where.push(`${alias}.consumer_id IN (SELECT value FROM json_each(?))`);
    params.push(filter.consumerIdsJson);
  }
}

function readFact(row: SqlValue[], time: number, rollup: boolean): Fact {
  return {
    time,
    rollup,
    source: num(row[1]),
    consumerId: num(row[2]),
    modelId: num(row[3]),
    ...readMeasures(row, 4),
  };
}

function readMeasures(row: SqlValue[], at: number): Measures {
  return {
    calls: num(row[at]),
    unpricedCalls: num(row[at + 1]),
    costNanos: num(row[at + 2]),
    input: num(row[at + 3]),
    cacheWrite5m: num(row[at + 4]),
    cacheWrite1h: num(row[at + 5]),
    cacheRead: num(row[at + 6]),
    output: num(row[at + 7]),
  };
}
