/**
 * One page of the records table. Counting and locating a page use the roll-ups (calls per 15-minute bucket), so a
 * deep page never walks the whole table with OFFSET: rows are read only from the few buckets the page falls in.
 * Sorting by cost picks, from the counts, whichever index reads fewer rows. Scoped to projects, counts come from rows
 * (per bucket). With a cursor (`after`), the next rows are read by key (exports), without counting.
 */
import { RECORDS_PAGE_SIZE, type RecordsPage, type RecordsQuery } from '../../shared/queries';
import { num, str, type Db, type Row, type SqlValue } from '../store/db';
import { sourceCode } from '../store/sourceCodes';
import { consumersMatching } from './consumerSearch';
import { readRecordRow, ROW_JOINS, ROW_SELECT } from './recordRows';
import { foldName, hasIndex, indexedBy, type CallIndex } from '../store/schema';
import { addFilter, countsByBucket, totalsOver, type FactFilter } from './facts';
import { planFor, planRange } from './rangePlan';
import { pageAfter, checkCursor } from './recordCursor';
import {
  MAX_PAGE_SIZE, checkOptionalKey, checkRange, checkSearch, checkSort, checkSource, clampInt,
} from './checkQuery';

/** `scope` carries the resolved project filter (or nothing). */
export function records(db: Db, query: RecordsQuery, scope: FactFilter = {}): RecordsPage {
  const range = checkRange(query.range);
  const source = checkSource(query.source);
  const search = checkSearch(query.search);
  const consumerKey = checkOptionalKey(query.consumerKey, 'consumerKey');
  const sort = checkSort(query.sort);
  const pageSize = clampInt(query.pageSize, 1, MAX_PAGE_SIZE, RECORDS_PAGE_SIZE);
  const after = checkCursor(query.after);

  const filter = { ...recordFilter(db, source === null ? undefined : sourceCode(source), consumerKey, search), ...scope };
  if (after !== null) {
    const empty = filter.projectIdsJson === '[]' || filter.consumerIdsJson === '[]' || !(range.to > range.from);
    return { rows: empty ? [] : pageAfter(db, range, filter, sort, after, pageSize).map(readRecordRow), total: -1, page: 1, pageSize };
  }
  const plan = planFor(range, [], filter);
  const segments = countsByBucket(db, plan, filter);
  const total = segments.reduce((sum, s) => sum + s.count, 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = clampInt(query.page, 1, pageCount, 1);
  if (total === 0) return { rows: [], total, page, pageSize };
  const offset = (page - 1) * pageSize;

  const rows =
    sort === 'time'
      ? pageByTime(db, segments, filter, offset, pageSize)
      : pageByCost(db, range, filter, total, offset, pageSize);
  return { rows: rows.map(readRecordRow), total, page, pageSize };
}

/** The filter with the consumer condition resolved once to ids (a search looks at the consumers' names only once). */
function recordFilter(db: Db, source: number | undefined, consumerKey: string | null, search: string): FactFilter {
  const filter: FactFilter = { source };
  if (consumerKey === null && search === '') return filter;
  // A plain substring test of the folded name: `%`, `_` and quotes in the search are just characters.
  const folded = foldName(search);
  let ids: number[];
  if (consumerKey !== null) {
    const row = db.first('SELECT id, search_name FROM consumers WHERE key = ?', [consumerKey]);
    ids = row !== undefined && str(row[1]).includes(folded) ? [num(row[0])] : [];
  } else ids = consumersMatching(db, folded);
  filter.consumerIdsJson = JSON.stringify(ids);
  return filter;
}

/** Newest first: find the buckets holding rows [offset, offset + pageSize) and read only them. */
function pageByTime(
  db: Db,
  segments: Array<{ from: number; to: number; count: number }>,
  filter: FactFilter,
  offset: number,
  pageSize: number,
): Row[] {
  let before = 0;
  let first = segments.length - 1;
  while (first > 0 && before + segments[first].count <= offset) before += segments[first--].count;
  let covered = before + segments[first].count;
  let last = first;
  while (last > 0 && covered < offset + pageSize) covered += segments[--last].count;
  const where = ['c.ts >= ?', 'c.ts < ?'];
  const params: SqlValue[] = [segments[last].from, segments[first].to];
  addFilter('c', filter, where, params);
  params.push(pageSize, offset - before);
  return db.all(
    `${ROW_SELECT} FROM calls c INDEXED BY calls_ts ${ROW_JOINS}
     WHERE ${where.join(' AND ')} ORDER BY c.ts DESC, c.id DESC LIMIT ? OFFSET ?`,
    params,
  );
}

/** Highest cost first, unpriced last (NULLs sort last when descending). */
function pageByCost(
  db: Db,
  range: { from: number; to: number },
  filter: FactFilter,
  matching: number,
  offset: number,
  pageSize: number,
): Row[] {
  const rowsInTable = num(db.first('SELECT MAX(id) FROM calls')?.[0]);
  // The filter names consumers (a consumer, or those a search matched): the consumer index finds their rows without
  // reading the whole range.
  const byConsumer = filter.consumerIdsJson !== undefined;
  const filtered = filter.source !== undefined || filter.consumerIdsJson !== undefined || filter.projectIdsJson !== undefined;
  // Walking the cost index reads about (rows wanted) × (table / matching) rows, each a random row lookup (measured
  // about 4× the cost of a row met in time order); the alternative reads the range and sorts: through the consumer
  // index about the matching rows, through the time index every call in the range (counted from the roll-ups).
  const viaCostIndex = (4 * (offset + pageSize) * rowsInTable) / Math.max(1, matching);
  const viaRange = byConsumer || !filtered ? matching : totalsOver(db, planRange(range)).calls;
  const index: CallIndex = viaCostIndex < viaRange && hasIndex(db, 'calls_cost') ? 'calls_cost' : byConsumer ? 'calls_consumer_ts' : 'calls_ts';
  const where = ['c.ts >= ?', 'c.ts < ?'];
  const params: SqlValue[] = [range.from, range.to];
  addFilter('c', filter, where, params);
  params.push(pageSize, offset);
  return db.all(
    `${ROW_SELECT} FROM calls c ${indexedBy(db, index)} ${ROW_JOINS}
     WHERE ${where.join(' AND ')} ORDER BY c.cost_nanos DESC, c.id DESC LIMIT ? OFFSET ?`,
    params,
  );
}
