// Every row of shared/facts/pricing.md, both worked examples, and the table file's own consistency.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPricer, KNOWN_MODEL_IDS, PRICE_TABLE, PRICE_TABLE_VERSION } from '../../src/extension/pricing/index';
import { usdRateProblem } from '../../src/extension/pricing/rates';
import { nanosToDecimalString } from '../../src/shared/money';
import { call, nanosPerToken, type Card } from './pricingHelpers';

const { pricer } = createPricer(undefined);

/** [ids, input, 5m write, 1h write, cache read, output] in USD per MTok, copied from the facts table. */
const FACT_ROWS: ReadonlyArray<readonly [readonly string[], Card]> = [
  [['claude-fable-5-2', 'claude-mythos-5-2'], [8, 10, 16, 0.2, 40]],
  [['claude-fable-5-1', 'claude-mythos-5-1'], [10, 12.5, 20, 0.25, 50]],
  [['claude-fable-5', 'claude-mythos-5'], [10, 12.5, 20, 1, 50]],
  [['claude-opus-5-5'], [4, 5, 8, 0.2, 20]],
  [['claude-opus-5', 'claude-opus-4-8', 'claude-opus-4-7', 'claude-opus-4-6', 'claude-opus-4-5-20251101'], [5, 6.25, 10, 0.5, 25]],
  [['claude-opus-4-1-20250805', 'claude-opus-4-20250514', 'claude-3-opus-20240229'], [15, 18.75, 30, 1.5, 75]],
  [['claude-sonnet-5-5'], [2, 2.5, 4, 0.1, 10]],
  [['claude-sonnet-5'], [2, 2.5, 4, 0.2, 10]],
  [
    ['claude-sonnet-4-6', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-20250514', 'claude-3-7-sonnet-20250219', 'claude-3-5-sonnet-20241022'],
    [3, 3.75, 6, 0.3, 15],
  ],
  [['claude-haiku-5-5'], [0.1, 0.125, 0.2, 0.01, 0.5]],
  [['claude-haiku-4-5-20251001'], [1, 1.25, 2, 0.1, 5]],
  [['claude-3-5-haiku-20241022'], [0.8, 1, 1.6, 0.08, 4]],
  [['claude-3-haiku-20240307'], [0.25, 0.3, 0.5, 0.03, 1.25]],
];

const CATEGORIES = ['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output'] as const;

describe('pricing table: every model row of the facts', () => {
  for (const [ids, card] of FACT_ROWS) {
    for (const id of ids) {
      it(`${id}: ${card.join(' / ')} USD per MTok`, () => {
        assert.equal(pricer.knows(id), true);
        CATEGORIES.forEach((category, i) => {
          // 1,000 tokens of one category: cost = 1,000 × (USD/MTok × 1,000) nanos.
          const cost = pricer.price(call(id, { [category]: 1000 }));
          assert.equal(cost, 1000 * nanosPerToken(card[i]), `${id} ${category}`);
        });
      });
    }
  }

  it('a mixed call sums every category with its own rate (Opus 4.1)', () => {
    const b = pricer.priceBreakdown(call('claude-opus-4-1', { input: 7, cacheWrite5m: 11, cacheWrite1h: 13, cacheRead: 17, output: 19 }));
    assert.ok(b);
    assert.deepEqual(
      [b.inputNanos, b.cacheWrite5mNanos, b.cacheWrite1hNanos, b.cacheReadNanos, b.outputNanos],
      [7 * 15_000, 11 * 18_750, 13 * 30_000, 17 * 1_500, 19 * 75_000],
    );
    assert.equal(b.totalNanos, 105_000 + 206_250 + 390_000 + 25_500 + 1_425_000);
  });
});

describe('pricing: worked examples of the facts', () => {
  it('Opus 5.5: input 4, 1h writes 1,830, cache read 48,211, output 412 → $0.032538', () => {
    const c = call('claude-opus-5-5', { input: 4, cacheWrite1h: 1830, cacheRead: 48_211, output: 412 });
    const b = pricer.priceBreakdown(c);
    assert.ok(b);
    assert.equal(b.totalNanos, 32_538_200);
    assert.equal(pricer.price(c), b.totalNanos);
    assert.equal(nanosToDecimalString(b.totalNanos), '0.0325382');
    assert.equal(Math.round(b.totalNanos / 1000) / 1e6, 0.032538);
    assert.equal(b.card, 'standard');
    assert.equal(b.cacheReadAtInputRateNanos, 48_211 * 4000);
  });

  it('Sonnet 4.5 long context: input 10,000, cache read 195,000, output 2,000 → $0.222 (flat would be $0.1185)', () => {
    const c = call('claude-sonnet-4-5-20250929', { input: 10_000, cacheRead: 195_000, output: 2000 });
    const b = pricer.priceBreakdown(c);
    assert.ok(b);
    assert.equal(b.card, 'longContext');
    assert.equal(b.totalNanos, 10_000 * 6000 + 195_000 * 600 + 2000 * 22_500);
    assert.equal(nanosToDecimalString(b.totalNanos), '0.222');
    // The same tokens just under the threshold are flat-priced: the flat figure of the facts.
    const flat = pricer.price(call('claude-sonnet-4-5', { input: 5_000, cacheRead: 195_000, output: 2000 }));
    assert.equal(flat, 5_000 * 3000 + 195_000 * 300 + 2000 * 15_000);
    const flatSameTokens = 10_000 * 3000 + 195_000 * 300 + 2000 * 15_000;
    assert.equal(nanosToDecimalString(flatSameTokens), '0.1185');
  });
});

describe('pricing: the table file', () => {
  it('has a date version, and the pricer without overrides reports it', () => {
    assert.match(PRICE_TABLE_VERSION, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(pricer.version, PRICE_TABLE_VERSION);
  });

  it('every rate of every card is a valid whole-nano rate', () => {
    for (const row of PRICE_TABLE.models) {
      const cards = [row.rates, row.fast, row.longContext?.rates].filter((c) => c !== undefined);
      for (const card of cards) {
        for (const [field, value] of Object.entries(card)) assert.equal(usdRateProblem(value), null, `${row.id} ${field}`);
      }
    }
  });

  it('lists each id once, and every listed id is priced as its own row', () => {
    assert.equal(new Set(KNOWN_MODEL_IDS).size, KNOWN_MODEL_IDS.length);
    for (const row of PRICE_TABLE.models) {
      for (const id of [row.id, ...(row.aliases ?? [])]) assert.equal(pricer.resolveModel(id), row.id, id);
    }
    for (const [ids] of FACT_ROWS) for (const id of ids) assert.ok(KNOWN_MODEL_IDS.includes(id), id);
  });

  it('a cache-write split is the caller\'s: the same writes cost more as 1h than as 5m', () => {
    // Without a cache_creation breakdown the collector passes all writes as 5m (facts); the pricer prices what it gets.
    const as5m = pricer.price(call('claude-sonnet-4-5', { cacheWrite5m: 1000 }));
    const as1h = pricer.price(call('claude-sonnet-4-5', { cacheWrite1h: 1000 }));
    assert.equal(as5m, 3_750_000);
    assert.equal(as1h, 6_000_000);
  });

  it('zero tokens cost zero for a known model (not unpriced)', () => {
    assert.equal(pricer.price(call('claude-haiku-4-5', {})), 0);
  });

  it('rejects impossible counts with a clear error instead of a wrong price', () => {
    assert.throws(() => pricer.price(call('claude-haiku-4-5', { input: -1 })), /tokens\.input = -1/);
    assert.throws(() => pricer.price(call('claude-haiku-4-5', { output: 1.5 })), /tokens\.output = 1\.5/);
    assert.throws(() => pricer.price(call('claude-haiku-4-5', {}, { webSearchRequests: Number.NaN })), /webSearchRequests/);
  });
});
