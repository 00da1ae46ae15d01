/**
 * The reporting window. Three rolling spec periods (24h / 7d / 30d, ending now), the local calendar month so far, and a
 * custom range of whole local days. A period is a plain string (`'month'`, `'custom:2026-11-01..2026-11-15'`) so it is
 * persisted, posted and compared like the spec periods; the host resolves it to a half-open UTC range.
 */

export type RollingPeriod = '24h' | '7d' | '30d';
/** Local calendar days `from` to `to`, both included, as `custom:YYYY-MM-DD..YYYY-MM-DD`. */
export type CustomPeriod = `custom:${string}`;
export type Period = RollingPeriod | 'month' | CustomPeriod;

/** The spec's rolling periods (the first three period buttons). */
export const PERIODS: readonly RollingPeriod[] = ['24h', '7d', '30d'];
/** Every fixed choice: the rolling periods and this month. */
export const PRESET_PERIODS: readonly Period[] = ['24h', '7d', '30d', 'month'];
export const DEFAULT_PERIOD: Period = '24h';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const PERIOD_MS: Readonly<Record<RollingPeriod, number>> = { '24h': 24 * HOUR_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS };

/** Custom ranges are limited to dates a person would pick (and daily buckets stay few). */
const MIN_DATE = '2000-01-01';
const MAX_DATE = '2100-12-31';
/** Hourly buckets only up to this many days (about 2,200 points): longer ranges chart by day. */
export const MAX_HOURLY_DAYS = 93;

export type Granularity = 'hour' | 'day';

/** A half-open range [from, to) in UTC milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CUSTOM_RE = /^custom:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

export function isRollingPeriod(value: unknown): value is RollingPeriod {
  return value === '24h' || value === '7d' || value === '30d';
}

export function isPeriod(value: unknown): value is Period {
  return isRollingPeriod(value) || value === 'month' || (typeof value === 'string' && parseCustomPeriod(value) !== null);
}

/** A real calendar date `YYYY-MM-DD` between 2000 and 2100. */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m || value < MIN_DATE || value > MAX_DATE) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1;
}

/** `{ from, to }` of a custom period (local dates, both included), or null when `value` is not a valid one. */
export function parseCustomPeriod(value: string): { from: string; to: string } | null {
  const m = CUSTOM_RE.exec(value);
  if (!m || !isLocalDate(m[1]) || !isLocalDate(m[2]) || m[1] > m[2]) return null;
  return { from: m[1], to: m[2] };
}

/** The custom period for two local dates (swapped when given backwards); throws on an invalid date. */
export function customPeriod(from: string, to: string): CustomPeriod {
  if (!isLocalDate(from) || !isLocalDate(to)) throw new Error(`Dates must be real days between ${MIN_DATE} and ${MAX_DATE}, as YYYY-MM-DD`);
  return from <= to ? `custom:${from}..${to}` : `custom:${to}..${from}`;
}

export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * The period's range. Rolling periods end at `now` (inclusive of calls stamped exactly now); this month runs from the
 * first instant of the local month to now; a custom range from the first instant of its first local day to the first
 * instant of the day after its last.
 */
export function periodRange(period: Period, now: number, timeZone: string = hostTimeZone()): TimeRange {
  if (isRollingPeriod(period)) return { from: now - PERIOD_MS[period], to: now + 1 };
  if (period === 'month') return { from: localDayStart(`${localDate(now, timeZone).slice(0, 8)}01`, timeZone), to: now + 1 };
  const custom = parseCustomPeriod(period);
  if (!custom) throw new Error(`Unknown period "${String(period)}"`);
  return { from: localDayStart(custom.from, timeZone), to: localDayStart(addDays(custom.to, 1), timeZone) };
}

/** The natural chart granularity: hourly for 24h and custom ranges of up to two days, daily otherwise. */
export function defaultGranularity(period: Period): Granularity {
  if (period === '24h') return 'hour';
  const custom = parseCustomPeriod(period);
  return custom && daysBetween(custom.from, custom.to) < 2 ? 'hour' : 'day';
}

/** Whether hourly buckets make sense (and stay within the store's bucket limit) for the period. */
export function allowsHourly(period: Period): boolean {
  const custom = parseCustomPeriod(period);
  return !custom || daysBetween(custom.from, custom.to) < MAX_HOURLY_DAYS;
}

// ---- labels ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Short label for the status bar and buttons: `24h`, `Nov` (this month), `Nov 1–15`, `Oct 28–Nov 3`. */
export function periodShortLabel(period: Period, now: number, timeZone: string = hostTimeZone()): string {
  if (isRollingPeriod(period)) return period;
  if (period === 'month') return MONTHS[Number(localDate(now, timeZone).slice(5, 7)) - 1];
  const c = parseCustomPeriod(period);
  if (!c) return String(period);
  const thisYear = localDate(now, timeZone).slice(0, 4);
  return dateRangeText(c.from, c.to, c.from.slice(0, 4) !== thisYear || c.to.slice(0, 4) !== thisYear);
}

/** Long label: `Last 24 hours`, `This month (November 2026)`, `Nov 1 – Nov 15, 2026`. */
export function periodTitle(period: Period, now: number, timeZone: string = hostTimeZone()): string {
  switch (period) {
    case '24h': return 'Last 24 hours';
    case '7d': return 'Last 7 days';
    case '30d': return 'Last 30 days';
    case 'month': {
      const today = localDate(now, timeZone);
      return `This month (${MONTHS_LONG[Number(today.slice(5, 7)) - 1]} ${today.slice(0, 4)})`;
    }
  }
  const c = parseCustomPeriod(period);
  return c ? dateRangeText(c.from, c.to, true) : String(period);
}

/** Words for "in …" sentences: `the last 24 hours`, `this month`, `Nov 1–15`. */
export function periodPhrase(period: Period, now: number, timeZone: string = hostTimeZone()): string {
  if (isRollingPeriod(period)) return periodTitle(period, now, timeZone).replace('Last', 'the last');
  if (period === 'month') return 'this month';
  return periodShortLabel(period, now, timeZone);
}

function dateRangeText(from: string, to: string, withYear: boolean): string {
  const day = (d: string) => `${MONTHS[Number(d.slice(5, 7)) - 1]} ${Number(d.slice(8, 10))}`;
  const year = (d: string) => (withYear ? `, ${d.slice(0, 4)}` : '');
  if (from === to) return `${day(from)}${year(from)}`;
  if (from.slice(0, 4) !== to.slice(0, 4)) return `${day(from)}${year(from)} – ${day(to)}${year(to)}`;
  if (from.slice(0, 7) === to.slice(0, 7)) return `${day(from)}–${Number(to.slice(8, 10))}${year(to)}`;
  return `${day(from)} – ${day(to)}${year(to)}`;
}

// ---- local calendar arithmetic ----

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDate(t: number, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`;
}

/**
 * The first instant (UTC ms) of a local date: local midnight, or the first instant after it when a DST change skips
 * midnight. Every zone is within ±15 h of UTC, so it lies within that distance of the date's UTC midnight.
 */
export function localDayStart(date: string, timeZone: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`Not a date: ${date}`);
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  let lo = utcMidnight - 15 * HOUR_MS;
  let hi = utcMidnight + 15 * HOUR_MS;
  // Binary search for the first instant whose local date is `date` or later; whole seconds suffice (offsets are).
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (localDate(mid, timeZone) >= date) hi = mid;
    else lo = mid;
  }
  return localDate(lo, timeZone) >= date ? lo : hi;
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`Not a date: ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (0 for the same date). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
