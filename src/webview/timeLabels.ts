/**
 * Bucket labels in the user's local time. The host already cut the buckets at local hour/day starts in the zone this
 * page reported in `ready`, which is the zone these formatters use, so labels and buckets agree (also across DST
 * and in :30/:45 zones).
 */
import type { Granularity } from '../shared/period';

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, options);
    fmtCache.set(key, f);
  }
  return f;
}

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Short axis label: "3 PM" (a new day shows "Nov 20" instead), or "Nov 13" for days. */
export function bucketAxisLabel(start: number, granularity: Granularity): string {
  const d = new Date(start);
  if (granularity === 'hour' && !(d.getHours() === 0 && d.getMinutes() === 0)) {
    return fmt({ hour: 'numeric', minute: d.getMinutes() === 0 ? undefined : '2-digit' }).format(d);
  }
  return fmt({ month: 'short', day: 'numeric' }).format(d);
}

/** Full label for tooltips and the data table: "Mon, Mar 3, 3:00 PM" or "Mon, Mar 3, 2025". */
export function bucketFullLabel(start: number, granularity: Granularity): string {
  const d = new Date(start);
  return granularity === 'hour'
    ? fmt({ weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(d)
    : fmt({ weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }).format(d);
}

/** Exact local time of a call, for the hover title of relative times. */
export function exactLocalTime(ts: number): string {
  return fmt({ year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }).format(new Date(ts));
}
