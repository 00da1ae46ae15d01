/**
 * A deliberately tiny, independent price oracle for the fixture's three models (rates from shared/facts/pricing.md,
 * in nano-dollars per token), so tests that compare against it catch pricing errors as well as collector errors.
 */
import type { TokenCounts } from '../../src/shared/callRecord';

interface Card {
  input: number;
  w5m: number;
  w1h: number;
  read: number;
  output: number;
}

const card = (input: number, w5m: number, w1h: number, read: number, output: number): Card => ({ input, w5m, w1h, read, output });

export const ORACLE_MODELS = {
  'claude-opus-5-5': { standard: card(4000, 5000, 8000, 200, 20000), fast: card(8000, 10000, 16000, 400, 40000), usGeo: true },
  // Sonnet 4.5: the 1M-context card applies to the whole request when the prompt exceeds 200K tokens.
  'claude-sonnet-4-5-20250929': { standard: card(3000, 3750, 6000, 300, 15000), long: card(6000, 7500, 12000, 600, 22500), usGeo: false },
  'claude-haiku-4-5-20251001': { standard: card(1000, 1250, 2000, 100, 5000), usGeo: false },
} as const;

const WEB_SEARCH_NANOS = 10_000_000;

export function oracleCostNanos(
  model: string,
  t: TokenCounts,
  o: { speed?: string; inferenceGeo?: string; webSearchRequests?: number } = {},
): number | null {
  if (!(model in ORACLE_MODELS)) return null;
  const m: { standard: Card; fast?: Card; long?: Card; usGeo: boolean } = ORACLE_MODELS[model as keyof typeof ORACLE_MODELS];
  const prompt = t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
  let c = m.standard;
  if (o.speed === 'fast' && m.fast) c = m.fast;
  else if (m.long && prompt > 200_000) c = m.long;
  let tokens = t.input * c.input + t.cacheWrite5m * c.w5m + t.cacheWrite1h * c.w1h + t.cacheRead * c.read + t.output * c.output;
  // Every rate is a multiple of 10 nano-dollars, so 1.1× stays a whole number.
  if (o.inferenceGeo === 'us' && m.usGeo) tokens = (tokens / 10) * 11;
  return tokens + (o.webSearchRequests ?? 0) * WEB_SEARCH_NANOS;
}
