/**
 * Checks query parameters at the store's edge (they may come from a webview or another extension): bad values get a
 * clear error instead of a wrong answer.
 */
import { SOURCES, isSource, type Source } from '../../shared/callRecord';
import type { Granularity, TimeRange } from '../../shared/period';
import type { RecordSort, TopBy } from '../../shared/queries';

export const MAX_SEARCH_LENGTH = 200;
export const MAX_PAGE_SIZE = 500;

export function checkRange(range: unknown): TimeRange {
  if (typeof range !== 'object' || range === null) throw new Error('range must be an object { from, to } in UTC ms');
  const { from, to } = range as Record<string, unknown>;
  if (typeof from !== 'number' || !Number.isFinite(from)) throw new Error(`range.from must be a finite number (got ${String(from)})`);
  if (typeof to !== 'number' || !Number.isFinite(to)) throw new Error(`range.to must be a finite number (got ${String(to)})`);
  return { from: Math.ceil(from), to: Math.ceil(to) };
}

export function checkGranularity(value: unknown): Granularity {
  if (value === 'hour' || value === 'day') return value;
  throw new Error(`granularity must be "hour" or "day" (got ${String(value)})`);
}

export function checkTopBy(value: unknown): TopBy {
  if (value === undefined || value === 'cost') return 'cost';
  if (value === 'tokens') return value;
  throw new Error(`topBy must be "cost" or "tokens" (got ${String(value)})`);
}

export function checkSort(value: unknown): RecordSort {
  if (value === undefined || value === null || value === 'time') return 'time';
  if (value === 'cost') return value;
  throw new Error(`sort must be "time" or "cost" (got ${String(value)})`);
}

export function checkSource(value: unknown): Source | null {
  if (value === undefined || value === null) return null;
  if (isSource(value)) return value;
  throw new Error(`source must be one of ${SOURCES.join(', ')} or null (got ${String(value)})`);
}

/** The search text as matched: trimmed, case-folded, cut to a sane length; empty means no search. */
export function checkSearch(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error('search must be text');
  return value.trim().slice(0, MAX_SEARCH_LENGTH);
}

export function checkOptionalKey(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new Error(`${field} must be text or null`);
  return value;
}

/** A whole number in [min, max]; anything unusable becomes `fallback`. Used for paging knobs that are clamped. */
export function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : fallback;
  return Math.min(max, Math.max(min, n));
}
