/**
 * Retention: forgetting calls older than a cutoff (the "keep records for N days" setting). Rows and roll-ups go
 * together in one transaction, so the dashboard's totals keep matching the rows; names no call uses any more go too.
 */
import { BUCKET_MS, bucketOf } from '../store/buckets';
import type { Db } from '../store/db';

const BUCKET_SQL = `((ts - (((ts % ${BUCKET_MS}) + ${BUCKET_MS}) % ${BUCKET_MS})) / ${BUCKET_MS})`;

/** Runs inside the caller's transaction. Returns how many calls were removed. */
export function pruneCallsBefore(db: Db, cutoff: number): number {
  const removed = (db.first('SELECT COUNT(*) FROM calls WHERE ts < ?', [cutoff])?.[0] as number) ?? 0;
  if (removed === 0) return 0;
  db.run('DELETE FROM calls WHERE ts < ?', [cutoff]);
  const edge = bucketOf(cutoff);
  db.run('DELETE FROM rollup_15m WHERE bucket <= ?', [edge]);
  // The bucket holding the cutoff keeps its calls at or after the cutoff: rebuild it from them.
  db.run(
    `INSERT INTO rollup_15m (bucket, source, consumer_id, model_id, priced, calls, unpriced_calls, cost_nanos,
                             input, cache_write_5m, cache_write_1h, cache_read, output)
     SELECT ${BUCKET_SQL}, source, consumer_id, model_id, cost_nanos IS NOT NULL, COUNT(*), SUM(cost_nanos IS NULL),
            COALESCE(SUM(cost_nanos), 0), SUM(input), SUM(cache_write_5m), SUM(cache_write_1h), SUM(cache_read), SUM(output)
     FROM calls WHERE ts >= ? AND ts < ?
     GROUP BY 1, 2, 3, 4, 5`,
    [edge * BUCKET_MS, (edge + 1) * BUCKET_MS],
  );
  db.run('DELETE FROM consumers WHERE id NOT IN (SELECT consumer_id FROM calls)');
  return removed;
}
