/**
 * Keyset paging for reading every matching record in turn (exports): each step reads the rows after the last one
 * returned, in the table's sort order, through an index seek — never OFFSET, whose cost grows with the depth.
 *
 * Sort orders (the same as the records table): by time `ts DESC, id DESC`; by cost `cost_nanos DESC, id DESC` with
 * unpriced calls (NULL) last.
 */
import type { RecordCursor, RecordSort } from '../../shared/queries';
import { num, type Db, type Row, type SqlValue } from '../store/db';
import { addFilter, totalsOver, type FactFilter } from './facts';
import { planRange } from './rangePlan';
import { hasIndex } from '../store/schema';
import { ROW_JOINS, ROW_SELECT } from './recordRows';

export function checkCursor(value: unknown): RecordCursor | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') throw new Error('after must be { id, ts, costNanos } or null');
  const { id, ts, costNanos } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new Error('after.id must be a whole number');
  if (typeof ts !== 'number' || !Number.isFinite(ts)) throw new Error('after.ts must be a number');
  if (costNanos !== null && (typeof costNanos !== 'number' || !Number.isSafeInteger(costNanos))) {
    throw new Error('after.costNanos must be a whole number or null');
  }
  return { id, ts, costNanos };
}

export function pageAfter(
  db: Db,
  range: { from: number; to: number },
  filter: FactFilter,
  sort: RecordSort,
  after: RecordCursor,
  limit: number,
): Row[] {
  return sort === 'time' ? afterByTime(db, range, filter, after, limit) : afterByCost(db, range, filter, after, limit);
}

function afterByTime(db: Db, range: { from: number; to: number }, filter: FactFilter, after: RecordCursor, limit: number): Row[] {
  const where = ['c.ts >= ?', 'c.ts <= ?', '(c.ts < ? OR c.id < ?)'];
  const params: SqlValue[] = [range.from, Math.min(range.to - 1, after.ts), after.ts, after.id];
  addFilter('c', filter, where, params);
  params.push(limit);
  return db.all(
    `${ROW_SELECT} FROM calls c INDEXED BY calls_ts ${ROW_JOINS} WHERE ${where.join(' AND ')} ORDER BY c.ts DESC, c.id DESC LIMIT ?`,
    params,
  );
}

/** Priced rows below the cursor's cost first (a range seek on the cost index), then the unpriced ones by id. */
function afterByCost(db: Db, range: { from: number; to: number }, filter: FactFilter, after: RecordCursor, limit: number): Row[] {
  const rows: Row[] = [];
  // During a large import the cost index is not there yet (Recorder.beginBulk): the time index and a sort answer.
  const costIndex = hasIndex(db, 'calls_cost');
  if (after.costNanos !== null) {
    // As in records.ts: walking the cost index from the cursor meets about limit × (table / range) rows; reading the
    // range through the time index and sorting meets every row of the range. Pick the smaller.
    const rowsInTable = num(db.first('SELECT MAX(id) FROM calls')?.[0]);
    const rowsInRange = Math.max(1, totalsOver(db, planRange(range)).calls);
    const index = costIndex && (4 * limit * rowsInTable) / rowsInRange < rowsInRange ? 'calls_cost' : 'calls_ts';
    const where = ['c.cost_nanos <= ?', '(c.cost_nanos < ? OR c.id < ?)', 'c.ts >= ?', 'c.ts < ?'];
    const params: SqlValue[] = [after.costNanos, after.costNanos, after.id, range.from, range.to];
    addFilter('c', filter, where, params);
    params.push(limit);
    rows.push(
      ...db.all(
        `${ROW_SELECT} FROM calls c INDEXED BY ${index} ${ROW_JOINS}
         WHERE ${where.join(' AND ')} ORDER BY c.cost_nanos DESC, c.id DESC LIMIT ?`,
        params,
      ),
    );
  }
  if (rows.length < limit) {
    const where = ['c.cost_nanos IS NULL', 'c.ts >= ?', 'c.ts < ?'];
    const params: SqlValue[] = [range.from, range.to];
    if (after.costNanos === null) {
      where.push('c.id < ?');
      params.push(after.id);
    }
    addFilter('c', filter, where, params);
    params.push(limit - rows.length);
    rows.push(
      ...db.all(
        `${ROW_SELECT} FROM calls c INDEXED BY ${costIndex ? 'calls_cost' : 'calls_ts'} ${ROW_JOINS} WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ?`,
        params,
      ),
    );
  }
  return rows;
}

/** The cursor after `row` (a RecordRow). */
export function cursorOf(row: { id: number; ts: number; costNanos: number | null }): RecordCursor {
  return { id: row.id, ts: row.ts, costNanos: row.costNanos };
}
