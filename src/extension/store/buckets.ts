/**
 * The roll-up grain. Every time zone in use today is offset from UTC by a multiple of 15 minutes, so every local hour
 * and local day is a whole number of 15-minute UTC buckets; only the two partial buckets at a range's ends (and the
 * rare historical zone that is not on the grid) are read from rows.
 */
export const BUCKET_MS = 15 * 60_000;

/** Bucket index of a UTC instant (floor, also for instants before 1970). */
export function bucketOf(ts: number): number {
  return Math.floor(ts / BUCKET_MS);
}

export function bucketStart(bucket: number): number {
  return bucket * BUCKET_MS;
}

export function isBucketAligned(ts: number): boolean {
  return ((ts % BUCKET_MS) + BUCKET_MS) % BUCKET_MS === 0;
}
