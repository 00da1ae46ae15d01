// Long context, the 4.6 date rule, fast mode, data residency, web search, and exactness.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPricer, KNOWN_MODEL_IDS, type PricingInput } from '../../src/extension/pricing/index';
import { call, nanosPerToken, tokens, type Card } from './pricingHelpers';

const { pricer } = createPricer(undefined);

function breakdown(c: PricingInput) {
  const b = pricer.priceBreakdown(c);
  assert.ok(b, `${c.model} should be priced`);
  assert.equal(pricer.price(c), b.totalNanos);
  return b;
}

/** Cost of one token in each category under a card, for a call whose prompt size is forced by `filler` read tokens. */
function expectCard(model: string, extra: Partial<PricingInput>, filler: number, card: Card, kind: string): void {
  const b = breakdown(call(model, { input: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: filler, output: 1 }, extra));
  assert.equal(b.card, kind, model);
  assert.deepEqual(
    [b.inputNanos, b.cacheWrite5mNanos, b.cacheWrite1hNanos, b.cacheReadNanos, b.outputNanos],
    [nanosPerToken(card[0]), nanosPerToken(card[1]), nanosPerToken(card[2]), filler * nanosPerToken(card[3]), nanosPerToken(card[4])],
    model,
  );
}

const SONNET_LC: Card = [6, 7.5, 12, 0.6, 22.5];
const SONNET_FLAT: Card = [3, 3.75, 6, 0.3, 15];
const BEFORE_GA = Date.UTC(2026, 2, 12, 23, 59, 59, 999);
const AT_GA = Date.UTC(2026, 2, 13);

describe('long context: a whole-request rule', () => {
  it('Sonnet 4 and 4.5: exactly 200,000 prompt tokens is flat, 200,001 is long context for every token', () => {
    for (const model of ['claude-sonnet-4-5', 'claude-sonnet-4-20250514']) {
      expectCard(model, {}, 200_000 - 3, SONNET_FLAT, 'standard'); // 3 + 199,997 = 200,000
      expectCard(model, {}, 200_000 - 2, SONNET_LC, 'longContext'); // 200,001
    }
  });

  it('the prompt counts input, cache reads and BOTH cache-write tiers, but not output', () => {
    const over = call('claude-sonnet-4-5', { input: 1, cacheWrite5m: 100_000, cacheWrite1h: 50_000, cacheRead: 50_000 });
    assert.equal(breakdown(over).card, 'longContext');
    const outputDoesNotCount = call('claude-sonnet-4-5', { input: 200_000, output: 50_000 });
    assert.equal(breakdown(outputDoesNotCount).card, 'standard');
    assert.equal(breakdown(outputDoesNotCount).totalNanos, 200_000 * 3000 + 50_000 * 15_000);
  });

  it('Sonnet 4.5 keeps the premium after 2026-03-13 (only 4.6 went GA)', () => {
    expectCard('claude-sonnet-4-5', { ts: AT_GA }, 250_000, SONNET_LC, 'longContext');
  });

  it('Haiku 5.5: 100,000 is flat, 100,001 prices the whole request at the > 100K card', () => {
    expectCard('claude-haiku-5-5', {}, 100_000 - 3, [0.1, 0.125, 0.2, 0.01, 0.5], 'standard');
    expectCard('claude-haiku-5-5', {}, 100_000 - 2, [0.5, 0.625, 1, 0.05, 2.5], 'longContext');
  });

  it('Sonnet 4.6 and Opus 4.6: premium only for calls before 2026-03-13 (by the call ts)', () => {
    expectCard('claude-sonnet-4-6', { ts: BEFORE_GA }, 300_000, SONNET_LC, 'longContext');
    expectCard('claude-sonnet-4-6', { ts: AT_GA }, 300_000, SONNET_FLAT, 'standard');
    expectCard('claude-opus-4-6', { ts: BEFORE_GA }, 300_000, [10, 12.5, 20, 1, 37.5], 'longContext');
    expectCard('claude-opus-4-6', { ts: AT_GA }, 300_000, [5, 6.25, 10, 0.5, 25], 'standard');
    expectCard('claude-opus-4-6', { ts: BEFORE_GA }, 200_000 - 3, [5, 6.25, 10, 0.5, 25], 'standard');
  });

  it('later models are flat at any size', () => {
    for (const model of ['claude-opus-4-7', 'claude-opus-5-5', 'claude-sonnet-5-5', 'claude-fable-5-2', 'claude-mythos-5']) {
      assert.equal(breakdown(call(model, { input: 900_000 })).card, 'standard', model);
    }
  });
});

describe('fast mode replaces the whole card', () => {
  const FAST: ReadonlyArray<readonly [string, Card]> = [
    ['claude-opus-4-6', [30, 37.5, 60, 3, 150]],
    ['claude-opus-4-7', [30, 37.5, 60, 3, 150]],
    ['claude-opus-4-8', [10, 12.5, 20, 1, 50]],
    ['claude-opus-5', [10, 12.5, 20, 1, 50]],
    ['claude-opus-5-5', [8, 10, 16, 0.4, 40]],
    ['claude-fable-5-2', [16, 20, 32, 0.4, 80]],
    ['claude-mythos-5-2', [16, 20, 32, 0.4, 80]],
  ];
  for (const [model, card] of FAST) {
    it(`${model} fast: ${card.join(' / ')}`, () => expectCard(model, { speed: 'fast' }, 10, card, 'fast'));
  }

  it('speed "standard" or absent uses the normal card', () => {
    expectCard('claude-opus-5-5', { speed: 'standard' }, 10, [4, 5, 8, 0.2, 20], 'standard');
    expectCard('claude-opus-5-5', {}, 10, [4, 5, 8, 0.2, 20], 'standard');
  });

  it('a model without a fast card is priced normally', () => {
    expectCard('claude-sonnet-4-5', { speed: 'fast' }, 10, SONNET_FLAT, 'standard');
  });

  it('fast wins over the long-context premium', () => {
    expectCard('claude-opus-4-6', { speed: 'fast', ts: BEFORE_GA }, 300_000, [30, 37.5, 60, 3, 150], 'fast');
  });
});

describe('data residency and web search', () => {
  const example = { input: 4, cacheWrite1h: 1830, cacheRead: 48_211, output: 412 };

  it('inference_geo "us" multiplies the token cost of Opus 4.6 and later by 1.1', () => {
    const b = breakdown(call('claude-opus-5-5', example, { inferenceGeo: 'us' }));
    assert.equal(b.residencyNanos, 3_253_820);
    assert.equal(b.totalNanos, 35_792_020);
    for (const model of ['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-opus-4-7', 'claude-haiku-5-5', 'claude-fable-5']) {
      const flat = breakdown(call(model, { input: 1000 })).totalNanos;
      assert.equal(breakdown(call(model, { input: 1000 }, { inferenceGeo: 'us' })).totalNanos, (flat * 11) / 10, model);
    }
  });

  it('other geos, and models before Opus 4.6, pay no multiplier', () => {
    for (const geo of ['global', '', 'not_available', 'US', undefined]) {
      assert.equal(breakdown(call('claude-opus-5-5', example, { inferenceGeo: geo })).totalNanos, 32_538_200, String(geo));
    }
    for (const model of ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5']) {
      const b = breakdown(call(model, { input: 1000 }, { inferenceGeo: 'us' }));
      assert.equal(b.residencyNanos, 0, model);
    }
  });

  it('residency applies on top of the fast and long-context cards', () => {
    const fast = breakdown(call('claude-opus-4-7', { input: 1000 }, { speed: 'fast', inferenceGeo: 'us' }));
    assert.equal(fast.totalNanos, 33_000_000);
    const lc = breakdown(call('claude-sonnet-4-6', { input: 300_000 }, { ts: BEFORE_GA, inferenceGeo: 'us' }));
    assert.equal(lc.totalNanos, 1_980_000_000);
  });

  it('rounds the ×1.1 half up to the nearest nano-dollar (subtotal 125 → 137.5 → 138)', () => {
    const b = breakdown(call('claude-haiku-5-5', { cacheWrite5m: 1 }, { inferenceGeo: 'us' }));
    assert.equal(b.cacheWrite5mNanos, 125);
    assert.equal(b.totalNanos, 138);
    assert.equal(b.residencyNanos, 13);
  });

  it('web search is $0.01 each, added after the residency multiplier', () => {
    const b = breakdown(call('claude-opus-5-5', example, { inferenceGeo: 'us', webSearchRequests: 3 }));
    assert.equal(b.webSearchNanos, 30_000_000);
    assert.equal(b.totalNanos, 35_792_020 + 30_000_000);
    const noTokens = breakdown(call('claude-haiku-4-5', {}, { webSearchRequests: 1000 }));
    assert.equal(noTokens.totalNanos, 10_000_000_000);
  });

  it('an unknown model is unpriced even with web searches', () => {
    assert.equal(pricer.price(call('claude-opus-6', { input: 10 }, { webSearchRequests: 2 })), null);
    assert.equal(pricer.priceBreakdown(call('claude-opus-6', { input: 10 })), null);
  });
});

describe('exact integer arithmetic', () => {
  it('every cost is a safe integer and equals a BigInt recomputation from the categories', () => {
    let seed = 12345;
    const next = (max: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % max;
    };
    for (let i = 0; i < 300; i++) {
      const model = KNOWN_MODEL_IDS[next(KNOWN_MODEL_IDS.length)];
      const c: PricingInput = {
        model,
        ts: next(2) === 0 ? BEFORE_GA : AT_GA,
        tokens: tokens({
          input: next(400_000),
          cacheWrite5m: next(50_000),
          cacheWrite1h: next(50_000),
          cacheRead: next(1_000_000),
          output: next(64_000),
        }),
        speed: next(3) === 0 ? 'fast' : 'standard',
        inferenceGeo: next(2) === 0 ? 'us' : 'global',
        webSearchRequests: next(5),
      };
      const b = breakdown(c);
      const parts = [b.inputNanos, b.cacheWrite5mNanos, b.cacheWrite1hNanos, b.cacheReadNanos, b.outputNanos];
      for (const p of [...parts, b.residencyNanos, b.totalNanos]) assert.ok(Number.isSafeInteger(p), `${model} ${p}`);
      const subtotal = parts.reduce((s, p) => s + BigInt(p), 0n);
      const withGeo = b.residencyNanos === 0 ? subtotal : (subtotal * 110n * 2n + 100n) / 200n;
      assert.equal(BigInt(b.totalNanos), withGeo + BigInt(b.webSearchNanos), model);
    }
  });
});
