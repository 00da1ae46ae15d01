/** The cost of one call from a resolved model's cards: exact integer nano-dollars, per billing category. */
import { promptTokens, type TokenCounts } from '../../shared/callRecord';
import type { Nanos } from '../../shared/money';
import { mulDivRoundHalfUp, type NanoRateCard } from './rates';

/** A model as the pricer uses it: cards already in nano-dollars per token. */
export interface PricedModel {
  /** Canonical id (the table's id, or the normalised override key for a model the table does not know). */
  id: string;
  standard: NanoRateCard;
  longContext?: { thresholdTokens: number; rates: NanoRateCard; beforeTs?: number };
  fast?: NanoRateCard;
  usResidencyPercent?: number;
  /** True when the rates come from the user's `claudeUsage.priceOverrides`. */
  overridden: boolean;
}

export type RateCardKind = 'standard' | 'longContext' | 'fast';

export interface PriceBreakdown {
  /** Canonical model id the call was priced as. */
  modelId: string;
  card: RateCardKind;
  /** Per-category token cost with the chosen card, BEFORE the data-residency multiplier. */
  inputNanos: Nanos;
  cacheWrite5mNanos: Nanos;
  cacheWrite1hNanos: Nanos;
  cacheReadNanos: Nanos;
  outputNanos: Nanos;
  /** The data-residency surcharge (token subtotal × 0.1 for `inference_geo: "us"`, rounded half up); 0 when none. */
  residencyNanos: Nanos;
  /** Web searches × $0.01, added after the residency multiplier. */
  webSearchNanos: Nanos;
  totalNanos: Nanos;
  /**
   * What the cache reads would have cost as uncached input with the same card (before residency), so
   * `cacheReadAtInputRateNanos - cacheReadNanos` is what reading from the cache saved.
   */
  cacheReadAtInputRateNanos: Nanos;
}

export interface BreakdownInput {
  tokens: TokenCounts;
  ts: number;
  webSearchRequests?: number;
  speed?: string;
  inferenceGeo?: string;
}

function checkCount(name: string, value: number | undefined): number {
  const n = value ?? 0;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Cannot price a call with ${name} = ${String(value)}: token and request counts must be whole numbers ≥ 0.`);
  }
  return n;
}

function product(tokens: number, rate: Nanos): Nanos {
  const nanos = tokens * rate;
  if (!Number.isSafeInteger(nanos)) throw new RangeError(`Cost of ${tokens} tokens is beyond exact integer range.`);
  return nanos;
}

/** Fast mode replaces the whole card; otherwise a prompt strictly above the threshold prices EVERY token long-context. */
export function chooseCard(model: PricedModel, call: BreakdownInput): { kind: RateCardKind; rates: NanoRateCard } {
  if (call.speed === 'fast' && model.fast) return { kind: 'fast', rates: model.fast };
  const lc = model.longContext;
  if (lc && promptTokens(call.tokens) > lc.thresholdTokens && (lc.beforeTs === undefined || call.ts < lc.beforeTs)) {
    return { kind: 'longContext', rates: lc.rates };
  }
  return { kind: 'standard', rates: model.standard };
}

/** The call's counts, each checked to be a non-negative safe integer (a RangeError names the bad one). */
interface CheckedCounts {
  input: number;
  write5m: number;
  write1h: number;
  read: number;
  output: number;
  searches: number;
}

/** checkedCounts' answer, reused: the recorder prices every call it stores, and callers read the fields at once. */
const COUNTS: CheckedCounts = { input: 0, write5m: 0, write1h: 0, read: 0, output: 0, searches: 0 };

function checkedCounts(call: BreakdownInput): Readonly<CheckedCounts> {
  const t = call.tokens;
  COUNTS.input = checkCount('tokens.input', t.input);
  COUNTS.write5m = checkCount('tokens.cacheWrite5m', t.cacheWrite5m);
  COUNTS.write1h = checkCount('tokens.cacheWrite1h', t.cacheWrite1h);
  COUNTS.read = checkCount('tokens.cacheRead', t.cacheRead);
  COUNTS.output = checkCount('tokens.output', t.output);
  COUNTS.searches = checkCount('webSearchRequests', call.webSearchRequests);
  return COUNTS;
}

/**
 * The same total as computeBreakdown(...).totalNanos, without building the breakdown (the recorder prices every call
 * it stores). Same checks, same arithmetic, same rounding.
 */
export function computeTotal(model: PricedModel, call: BreakdownInput, webSearchNanosEach: Nanos): Nanos {
  const { input, write5m, write1h, read, output, searches } = checkedCounts(call);
  const { rates } = chooseCard(model, call);
  const subtotal =
    product(input, rates.input) + product(write5m, rates.cacheWrite5m) + product(write1h, rates.cacheWrite1h) +
    product(read, rates.cacheRead) + product(output, rates.output);
  const percent = call.inferenceGeo === 'us' ? model.usResidencyPercent : undefined;
  const withResidency = percent === undefined ? subtotal : mulDivRoundHalfUp(subtotal, percent, 100);
  const totalNanos = withResidency + product(searches, webSearchNanosEach);
  if (!Number.isSafeInteger(totalNanos)) throw new RangeError('Call cost is beyond exact integer range.');
  product(read, rates.input); // computeBreakdown's savings figure: the same range check, so both throw alike
  return totalNanos;
}

export function computeBreakdown(model: PricedModel, call: BreakdownInput, webSearchNanosEach: Nanos): PriceBreakdown {
  const { input, write5m, write1h, read, output, searches } = checkedCounts(call);

  const { kind, rates } = chooseCard(model, call);
  const inputNanos = product(input, rates.input);
  const cacheWrite5mNanos = product(write5m, rates.cacheWrite5m);
  const cacheWrite1hNanos = product(write1h, rates.cacheWrite1h);
  const cacheReadNanos = product(read, rates.cacheRead);
  const outputNanos = product(output, rates.output);
  const subtotal = inputNanos + cacheWrite5mNanos + cacheWrite1hNanos + cacheReadNanos + outputNanos;

  const percent = call.inferenceGeo === 'us' ? model.usResidencyPercent : undefined;
  const residencyNanos = percent === undefined ? 0 : mulDivRoundHalfUp(subtotal, percent, 100) - subtotal;
  const webSearchNanos = product(searches, webSearchNanosEach);
  const totalNanos = subtotal + residencyNanos + webSearchNanos;
  if (!Number.isSafeInteger(totalNanos)) throw new RangeError('Call cost is beyond exact integer range.');

  return {
    modelId: model.id,
    card: kind,
    inputNanos,
    cacheWrite5mNanos,
    cacheWrite1hNanos,
    cacheReadNanos,
    outputNanos,
    residencyNanos,
    webSearchNanos,
    totalNanos,
    cacheReadAtInputRateNanos: product(read, rates.input),
  };
}
