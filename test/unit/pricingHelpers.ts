// Shared by the pricing*.test.ts files (not a test file itself: the runner only picks up *.test.ts).
import type { TokenCounts } from '../../src/shared/callRecord';
import type { PricingInput } from '../../src/extension/pricing/index';

/** A date after every dated rule in the table (the 4.6 long-context premium ended 2026-03-13). */
export const NOV_2026 = Date.UTC(2026, 10, 20, 14, 3, 12);

export function tokens(partial: Partial<TokenCounts> = {}): TokenCounts {
  return { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0, ...partial };
}

export function call(model: string, partial: Partial<TokenCounts>, extra: Partial<PricingInput> = {}): PricingInput {
  return { model, ts: NOV_2026, tokens: tokens(partial), ...extra };
}

/** USD per million tokens as published → nano-dollars per token, computed independently of the module under test. */
export function nanosPerToken(usdPerMTok: number): number {
  return Math.round(usdPerMTok * 1000);
}

export type Card = readonly [input: number, write5m: number, write1h: number, read: number, output: number];
