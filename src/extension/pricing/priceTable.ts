/**
 * The Claude API price table: DATA ONLY, in one file, versioned. To update prices, edit the rows below and bump `version`
 * (stored with every call, so a "re-price" can find the calls priced with an older table).
 *
 * Rates are USD per million tokens exactly as published (≤ 3 decimals, so each is a whole number of nano-dollars per token).
 * All five rates are stored per model: the 1.25× / 2× / 0.1× ratios do not hold for every model.
 * Sources (late November 2026): Anthropic's pricing page, the model catalog in Claude Code 2.1.331 (2026-11-23), LiteLLM's
 * model_prices_and_context_window.json. See /shared/facts/pricing.md and this folder's README.md.
 */

/** USD per million tokens. */
export interface UsdRateCard {
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

export interface LongContextRule {
  /** The card applies to the WHOLE request when its prompt (input + cache reads + all cache writes) is strictly above this. */
  thresholdTokens: number;
  rates: UsdRateCard;
  /** ISO date (UTC midnight, exclusive): only calls made before it get the long-context card. Absent = always. */
  before?: string;
  /** Why the row is less certain than the others, when it is. */
  note?: string;
}

export interface ModelPriceRow {
  /** Canonical id: the API id without a date suffix. */
  id: string;
  /** Other exact ids of the same model (dated snapshots, official aliases). Any `-YYYYMMDD` suffix on `id` also resolves. */
  aliases?: string[];
  name: string;
  rates: UsdRateCard;
  longContext?: LongContextRule;
  /** Replaces the whole card when `usage.speed` is `fast`. */
  fast?: UsdRateCard;
  /** Percent applied to the token cost when `usage.inference_geo` is `us` (data residency), e.g. 110 for ×1.1. */
  usResidencyPercent?: number;
  note?: string;
}

export interface PriceTable {
  version: string;
  /** Server-side web search, USD per 1,000 requests; added after the residency multiplier. */
  webSearchUsdPer1000: number;
  models: ModelPriceRow[];
}

const card = (input: number, cacheWrite5m: number, cacheWrite1h: number, cacheRead: number, output: number): UsdRateCard => ({
  input,
  cacheWrite5m,
  cacheWrite1h,
  cacheRead,
  output,
});

// Shared cards, so rows with the same published prices cannot drift apart.
const FABLE_5_2 = card(8, 10, 16, 0.2, 40);
const FABLE_5_2_FAST = card(16, 20, 32, 0.4, 80);
const FABLE_5_1 = card(10, 12.5, 20, 0.25, 50);
const FABLE_5 = card(10, 12.5, 20, 1, 50);
const OPUS_4_5_TO_5 = card(5, 6.25, 10, 0.5, 25);
const OPUS_FAST_6X = card(30, 37.5, 60, 3, 150);
const OPUS_FAST_2X = card(10, 12.5, 20, 1, 50);
const OPUS_LEGACY = card(15, 18.75, 30, 1.5, 75);
const SONNET_3_TO_4_6 = card(3, 3.75, 6, 0.3, 15);
const SONNET_LONG_CONTEXT = card(6, 7.5, 12, 0.6, 22.5);

/** 1M context became generally available for Sonnet 4.6 and Opus 4.6 on this date; later calls are flat-priced. */
const GA_1M_4_6 = '2026-03-13';
/** Data residency (inference_geo "us") costs ×1.1 on Opus 4.6 and every model released after it. */
const US = 110;

export const PRICE_TABLE: PriceTable = {
  version: '2026-11-26',
  webSearchUsdPer1000: 10,
  models: [
    { id: 'claude-fable-5-2', name: 'Fable 5.2', rates: FABLE_5_2, fast: FABLE_5_2_FAST, usResidencyPercent: US },
    { id: 'claude-mythos-5-2', name: 'Mythos 5.2', rates: FABLE_5_2, fast: FABLE_5_2_FAST, usResidencyPercent: US },
    { id: 'claude-fable-5-1', name: 'Fable 5.1', rates: FABLE_5_1, usResidencyPercent: US },
    { id: 'claude-mythos-5-1', name: 'Mythos 5.1', rates: FABLE_5_1, usResidencyPercent: US },
    { id: 'claude-fable-5', name: 'Fable 5', rates: FABLE_5, usResidencyPercent: US },
    { id: 'claude-mythos-5', name: 'Mythos 5', rates: FABLE_5, usResidencyPercent: US },

    {
      id: 'claude-opus-5-5',
      name: 'Opus 5.5',
      rates: card(4, 5, 8, 0.2, 20),
      fast: card(8, 10, 16, 0.4, 40),
      usResidencyPercent: US,
    },
    { id: 'claude-opus-5', name: 'Opus 5', rates: OPUS_4_5_TO_5, fast: OPUS_FAST_2X, usResidencyPercent: US },
    { id: 'claude-opus-4-8', name: 'Opus 4.8', rates: OPUS_4_5_TO_5, fast: OPUS_FAST_2X, usResidencyPercent: US },
    { id: 'claude-opus-4-7', name: 'Opus 4.7', rates: OPUS_4_5_TO_5, fast: OPUS_FAST_6X, usResidencyPercent: US },
    {
      id: 'claude-opus-4-6',
      name: 'Opus 4.6',
      rates: OPUS_4_5_TO_5,
      fast: OPUS_FAST_6X,
      usResidencyPercent: US,
      longContext: {
        thresholdTokens: 200_000,
        rates: card(10, 12.5, 20, 1, 37.5),
        before: GA_1M_4_6,
        note: 'Inferred ($10 / $37.50, caches scaled like input): Anthropic did not publish an Opus 4.6 long-context card.',
      },
    },
    { id: 'claude-opus-4-5', aliases: ['claude-opus-4-5-20251101'], name: 'Opus 4.5', rates: OPUS_4_5_TO_5 },
    { id: 'claude-opus-4-1', aliases: ['claude-opus-4-1-20250805'], name: 'Opus 4.1', rates: OPUS_LEGACY },
    { id: 'claude-opus-4', aliases: ['claude-opus-4-0', 'claude-opus-4-20250514'], name: 'Opus 4', rates: OPUS_LEGACY },
    { id: 'claude-3-opus', aliases: ['claude-3-opus-20240229', 'claude-3-opus-latest'], name: 'Opus 3', rates: OPUS_LEGACY },

    { id: 'claude-sonnet-5-5', name: 'Sonnet 5.5', rates: card(2, 2.5, 4, 0.1, 10), usResidencyPercent: US },
    {
      id: 'claude-sonnet-5',
      name: 'Sonnet 5',
      rates: card(2, 2.5, 4, 0.2, 10),
      usResidencyPercent: US,
      note: 'Introductory price; it may become $3 / $15.',
    },
    {
      id: 'claude-sonnet-4-6',
      name: 'Sonnet 4.6',
      rates: SONNET_3_TO_4_6,
      usResidencyPercent: US,
      longContext: { thresholdTokens: 200_000, rates: SONNET_LONG_CONTEXT, before: GA_1M_4_6 },
    },
    {
      id: 'claude-sonnet-4-5',
      aliases: ['claude-sonnet-4-5-20250929'],
      name: 'Sonnet 4.5',
      rates: SONNET_3_TO_4_6,
      longContext: { thresholdTokens: 200_000, rates: SONNET_LONG_CONTEXT },
    },
    {
      id: 'claude-sonnet-4',
      aliases: ['claude-sonnet-4-0', 'claude-sonnet-4-20250514'],
      name: 'Sonnet 4',
      rates: SONNET_3_TO_4_6,
      longContext: { thresholdTokens: 200_000, rates: SONNET_LONG_CONTEXT },
    },
    {
      id: 'claude-3-7-sonnet',
      aliases: ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet-latest'],
      name: 'Sonnet 3.7',
      rates: SONNET_3_TO_4_6,
    },
    {
      id: 'claude-3-5-sonnet',
      // `-v2` is how Vertex names the October 2024 snapshot (`claude-3-5-sonnet-v2@20241022`).
      aliases: ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet-20240620', 'claude-3-5-sonnet-latest', 'claude-3-5-sonnet-v2'],
      name: 'Sonnet 3.5',
      rates: SONNET_3_TO_4_6,
    },

    {
      id: 'claude-haiku-5-5',
      name: 'Haiku 5.5',
      rates: card(0.1, 0.125, 0.2, 0.01, 0.5),
      usResidencyPercent: US,
      longContext: { thresholdTokens: 100_000, rates: card(0.5, 0.625, 1, 0.05, 2.5) },
    },
    { id: 'claude-haiku-4-5', aliases: ['claude-haiku-4-5-20251001'], name: 'Haiku 4.5', rates: card(1, 1.25, 2, 0.1, 5) },
    {
      id: 'claude-3-5-haiku',
      aliases: ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-latest'],
      name: 'Haiku 3.5',
      rates: card(0.8, 1, 1.6, 0.08, 4),
    },
    { id: 'claude-3-haiku', aliases: ['claude-3-haiku-20240307'], name: 'Haiku 3', rates: card(0.25, 0.3, 0.5, 0.03, 1.25) },
  ],
};
