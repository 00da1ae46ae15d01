/**
 * Retention: forgetting calls older than a cutoff (the "keep records for N days" setting). Rows and roll-ups go
 * together in one transaction, so the dashboard's totals keep matching the rows; names no call uses any more go too.
 */
import { BUCKET_MS, bucketOf } from '../store/buckets';
import type { Db } from '../store/db';
import { ROLLUP_COLUMNS_SQL, ROLLUP_OF_CALLS_SQL } from '../store/schema';

/** Runs inside the caller's transaction. Returns how many calls were removed. */
export function pruneCallsBefore(db: Db, cutoff: number): number {
  const removed = (db.first('SELECT COUNT(*) FROM calls WHERE ts < ?', [cutoff])?.[0] as number) ?? 0;
  if (removed === 0) return 0;
  db.run('DELETE FROM calls WHERE ts < ?', [cutoff]);
  const edge = bucketOf(cutoff);
  db.run('DELETE FROM rollup_15m WHERE bucket <= ?', [edge]);
  // The bucket holding the cutoff keeps its calls at or after the cutoff: rebuild it from them.
  db.run(
    `INSERT INTO rollup_15m (${ROLLUP_COLUMNS_SQL})
     SELECT ${ROLLUP_OF_CALLS_SQL}
     FROM calls WHERE ts >= ? AND ts < ?
     GROUP BY 1, 2, 3, 4, 5, 6`,
    [edge * BUCKET_MS, (edge + 1) * BUCKET_MS],
  );
  db.run('DELETE FROM consumers WHERE id NOT IN (SELECT consumer_id FROM calls)');
  return removed;
}
