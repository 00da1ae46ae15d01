/** The reporting window: the three spec periods, as half-open UTC ranges ending now. */

export type Period = '24h' | '7d' | '30d';
export const PERIODS: readonly Period[] = ['24h', '7d', '30d'];
export const DEFAULT_PERIOD: Period = '24h';

const PERIOD_MS: Readonly<Record<Period, number>> = {
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export function isPeriod(value: unknown): value is Period {
  return value === '24h' || value === '7d' || value === '30d';
}

/** A half-open range [from, to) in UTC milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/** The period's range ending at `now` (inclusive of calls stamped exactly now). */
export function periodRange(period: Period, now: number): TimeRange {
  return { from: now - PERIOD_MS[period], to: now + 1 };
}

/** The natural chart granularity for a period: hourly for 24h, daily otherwise. */
export function defaultGranularity(period: Period): Granularity {
  return period === '24h' ? 'hour' : 'day';
}

export type Granularity = 'hour' | 'day';
