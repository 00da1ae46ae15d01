/**
 * Splits a half-open time range into the parts read from the 15-minute roll-ups (whole buckets) and the parts read
 * from rows (partial buckets at the ends, and any bucket cut by a boundary that is not on the 15-minute grid).
 * Together the parts cover the range exactly once, so totals are exact.
 */
import { BUCKET_MS, bucketOf, isBucketAligned } from '../store/buckets';
import type { TimeRange } from '../../shared/period';

export interface RangePlan {
  /** Half-open bucket-index spans [from, to) read from roll-ups. */
  rollupSpans: Array<{ from: number; to: number }>;
  /** Half-open time spans [from, to) read from rows. */
  rawSpans: Array<{ from: number; to: number }>;
}

/** `cuts`: other instants inside the range that callers will split results at (local day or hour starts). */
export function planRange(range: TimeRange, cuts: readonly number[] = []): RangePlan {
  const plan: RangePlan = { rollupSpans: [], rawSpans: [] };
  const { from, to } = range;
  if (!(to > from)) return plan;
  const rawBuckets = new Set<number>();
  if (!isBucketAligned(from)) rawBuckets.add(bucketOf(from));
  if (!isBucketAligned(to)) rawBuckets.add(bucketOf(to));
  for (const cut of cuts) if (cut > from && cut < to && !isBucketAligned(cut)) rawBuckets.add(bucketOf(cut));

  const first = bucketOf(from);
  const end = Math.ceil(to / BUCKET_MS);
  let spanStart = first;
  for (const bucket of [...rawBuckets].sort((a, b) => a - b)) {
    if (bucket > spanStart) plan.rollupSpans.push({ from: spanStart, to: bucket });
    plan.rawSpans.push({ from: Math.max(from, bucket * BUCKET_MS), to: Math.min(to, (bucket + 1) * BUCKET_MS) });
    spanStart = bucket + 1;
  }
  if (end > spanStart) plan.rollupSpans.push({ from: spanStart, to: end });
  return plan;
}

/** The plan for a filter: a project filter that matched no project reads nothing at all. */
export function planFor(range: TimeRange, cuts: readonly number[], filter: { projectIdsJson?: string }): RangePlan {
  if (filter.projectIdsJson === '[]') return { rollupSpans: [], rawSpans: [] };
  return planRange(range, cuts);
}
