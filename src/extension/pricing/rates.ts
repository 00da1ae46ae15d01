/** Rate cards in nano-dollars per token, and the exact USD-per-MTok → nanos conversion used for the table and overrides. */
import type { Nanos } from '../../shared/money';
import type { UsdRateCard } from './priceTable';

/** Nano-dollars per token ($1 per million tokens = 1,000 n$ per token). */
export interface NanoRateCard {
  input: Nanos;
  cacheWrite5m: Nanos;
  cacheWrite1h: Nanos;
  cacheRead: Nanos;
  output: Nanos;
}

export const RATE_FIELDS = ['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output'] as const;
export type RateField = (typeof RATE_FIELDS)[number];

/** Above this a rate is surely a typo, and token × rate could leave the exact integer range. */
export const MAX_USD_PER_MTOK = 100_000;

/**
 * Why a USD-per-MTok value cannot be used as a rate, or null when it can. A rate must be a finite, non-negative number with
 * at most 3 decimals, i.e. a whole number of nano-dollars per token (so every cost stays an exact integer).
 */
export function usdRateProblem(value: unknown): string | null {
  if (typeof value !== 'number') {
    return `must be a number of USD per million tokens, got ${value === null ? 'null' : typeof value}`;
  }
  if (!Number.isFinite(value)) return `must be a finite number, got ${String(value)}`;
  if (value < 0) return `must not be negative, got ${value}`;
  if (value > MAX_USD_PER_MTOK) return `is implausibly large (${value} USD per million tokens; the limit is ${MAX_USD_PER_MTOK})`;
  const scaled = value * 1000;
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
    return `has more than 3 decimals (${value}); prices must be whole nano-dollars per token, e.g. 0.125`;
  }
  return null;
}

/** Exact for values accepted by {@link usdRateProblem}. */
export function usdToNanosPerToken(usdPerMTok: number): Nanos {
  return Math.round(usdPerMTok * 1000);
}

export function toNanoCard(usd: UsdRateCard): NanoRateCard {
  return {
    input: usdToNanosPerToken(usd.input),
    cacheWrite5m: usdToNanosPerToken(usd.cacheWrite5m),
    cacheWrite1h: usdToNanosPerToken(usd.cacheWrite1h),
    cacheRead: usdToNanosPerToken(usd.cacheRead),
    output: usdToNanosPerToken(usd.output),
  };
}

/** `numerator / denominator` of a non-negative integer, rounded half up, computed exactly (BigInt) at any size. */
export function mulDivRoundHalfUp(value: number, numerator: number, denominator: number): number {
  const scaled = BigInt(value) * BigInt(numerator);
  const d = BigInt(denominator);
  return Number((scaled * 2n + d) / (2n * d));
}
