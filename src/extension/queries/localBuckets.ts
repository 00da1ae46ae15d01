/**
 * The user's local calendar hours and days as UTC instants, in any IANA time zone, across DST changes and in zones
 * offset by 30 or 45 minutes. Offsets come from Intl; between two offset changes local bucket starts are evenly
 * spaced, and a change itself starts a new bucket when it changes the local hour (or day).
 *
 * Hours follow the clock as it is lived: the hour repeated when clocks go back is two buckets; the hour skipped when
 * they go forward is none. A day is from one local midnight (or the first instant of the date) to the next.
 */
import type { Granularity, TimeRange } from '../../shared/period';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Offsets are sampled this often to find changes (real zones change at most a few times a year). */
const SAMPLE_MS = 6 * HOUR_MS;
/** Series longer than this are refused rather than built slowly (for example hourly buckets over years). */
export const MAX_BUCKETS = 20_000;

export interface LocalBuckets {
  /** Start of each bucket (UTC ms); the first holds the range's start. */
  starts: number[];
  /** End of the last bucket (UTC ms), at or after the range's end. */
  end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      throw new Error(`Unknown time zone "${timeZone}"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in ms (local = utc + offset). */
export function zoneOffset(timeZone: string, t: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(t));
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year': year = Number(p.value); break;
      case 'month': month = Number(p.value); break;
      case 'day': day = Number(p.value); break;
      case 'hour': hour = Number(p.value); break;
      case 'minute': minute = Number(p.value); break;
      case 'second': second = Number(p.value); break;
      case 'era': bc = p.value.startsWith('B'); break;
    }
  }
  const localAsUtc = new Date(0);
  localAsUtc.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
  localAsUtc.setUTCHours(hour, minute, second, 0);
  return localAsUtc.getTime() - (t - mod(t, 1000));
}

export function checkTimeZone(timeZone: unknown): string {
  if (typeof timeZone !== 'string' || timeZone === '') throw new Error(`Unknown time zone "${String(timeZone)}"`);
  formatter(timeZone);
  return timeZone;
}

export function localBuckets(range: TimeRange, timeZone: string, granularity: Granularity): LocalBuckets {
  const size = granularity === 'hour' ? HOUR_MS : DAY_MS;
  if (!(range.to > range.from)) throw new Error('The range is empty');
  if ((range.to - range.from) / size > MAX_BUCKETS) {
    throw new Error(`The range is too long for ${granularity === 'hour' ? 'hourly' : 'daily'} buckets`);
  }
  checkTimeZone(timeZone);
  // Margins make sure the bucket holding `from` and the one ending at or after `to` are both seen.
  const scanFrom = floorTo(range.from - 2 * size - SAMPLE_MS, SAMPLE_MS);
  const scanTo = range.to + 2 * size + SAMPLE_MS;
  const starts: number[] = [];
  let segStart = scanFrom;
  let offset = zoneOffset(timeZone, segStart);
  let previous: { at: number; offset: number } | null = null;
  while (segStart < scanTo) {
    const { end: segEnd, nextOffset } = constantOffsetUntil(timeZone, segStart, offset, scanTo);
    if (previous && label(segStart - 1, previous.offset, size) !== label(segStart, offset, size)) starts.push(segStart);
    let t = segStart + mod(-(segStart + offset), size);
    if (t === segStart && starts[starts.length - 1] === segStart) t += size;
    for (; t < segEnd; t += size) starts.push(t);
    previous = { at: segStart, offset };
    segStart = segEnd;
    offset = nextOffset;
  }
  let first = 0;
  while (first + 1 < starts.length && starts[first + 1] <= range.from) first++;
  let last = first;
  while (last + 1 < starts.length && starts[last + 1] < range.to) last++;
  return { starts: starts.slice(first, last + 1), end: starts[last + 1] ?? scanTo };
}

/** Finds where the offset stops being `offset` (searching forward from `from`), to the second. */
function constantOffsetUntil(timeZone: string, from: number, offset: number, limit: number): { end: number; nextOffset: number } {
  let lo = from;
  for (;;) {
    const probe = Math.min(lo + SAMPLE_MS, limit);
    if (probe <= lo) return { end: limit, nextOffset: offset };
    const probeOffset = zoneOffset(timeZone, probe);
    if (probeOffset === offset) {
      if (probe >= limit) return { end: limit, nextOffset: offset };
      lo = probe;
      continue;
    }
    // The change is in (lo, probe]: binary search on whole seconds.
    let a = Math.floor(lo / 1000);
    let b = Math.floor(probe / 1000);
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (zoneOffset(timeZone, mid * 1000) === offset) a = mid;
      else b = mid;
    }
    return { end: b * 1000, nextOffset: zoneOffset(timeZone, b * 1000) };
  }
}

function label(t: number, offset: number, size: number): number {
  return Math.floor((t + offset) / size);
}

function floorTo(t: number, step: number): number {
  return t - mod(t, step);
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
