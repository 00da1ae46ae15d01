// The pricer remembers how each model string resolves, and price() skips building the breakdown: both must change
// nothing. Checked against a pricer that has never seen the calls, over every known id form and random token counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPricer, KNOWN_MODEL_IDS, type PricingInput } from '../../src/extension/pricing/index';
import { call, NOV_2026 } from './pricingHelpers';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Id forms of known models that resolve through normalisation, plus ids that must stay unpriced. */
function modelStrings(): string[] {
  const out: string[] = [];
  for (const id of KNOWN_MODEL_IDS) {
    out.push(id, `${id}-20250929`, `us.anthropic.${id}-v1:0`, `${id}[1m]`, id.toUpperCase(), `publishers/anthropic/models/${id}`);
  }
  out.push('claude-opus-6', 'claude-opus-4-9', '<synthetic>', 'gpt-4', '', ' claude-sonnet-4-5 ');
  return out;
}

function randomCalls(count: number, seed: number): PricingInput[] {
  const random = prng(seed);
  const models = modelStrings();
  const int = (max: number) => Math.floor(random() * max);
  const calls: PricingInput[] = [];
  for (let i = 0; i < count; i++) {
    calls.push(
      call(
        models[int(models.length)],
        { input: int(300_000), cacheWrite5m: int(50_000), cacheWrite1h: int(2) * int(50_000), cacheRead: int(400_000), output: int(30_000) },
        {
          ts: int(2) ? NOV_2026 : Date.UTC(2026, 1, 1),
          speed: ['fast', 'standard', undefined][int(3)],
          inferenceGeo: ['us', 'global', '', undefined][int(4)],
          webSearchRequests: int(3) === 0 ? int(5) : undefined,
        },
      ),
    );
  }
  return calls;
}

describe('pricer memo and fast total', () => {
  it('price() equals a fresh pricer\'s breakdown total for every call, also when asked again', () => {
    const calls = randomCalls(5000, 7);
    const memoized = createPricer(undefined).pricer;
    for (let round = 0; round < 2; round++) {
      for (const c of calls) {
        // A new pricer per call has an empty memo: the reference for the memoized one.
        const fresh = createPricer(undefined).pricer;
        const expected = fresh.priceBreakdown(c)?.totalNanos ?? null;
        assert.equal(memoized.price(c), expected, `${c.model} round ${round}`);
        assert.equal(memoized.knows(c.model), fresh.knows(c.model));
        assert.equal(memoized.resolveModel(c.model), fresh.resolveModel(c.model));
      }
    }
  });

  it('new overrides take effect at once: a pricer built with them does not reuse what the old one resolved', () => {
    const before = createPricer(undefined).pricer;
    const c = call('claude-opus-6', { input: 1000, output: 100 });
    const known = call('claude-sonnet-4-5-20250929', { input: 1000 });
    assert.equal(before.price(c), null);
    const sonnetBefore = before.price(known);
    assert.ok(sonnetBefore !== null && sonnetBefore > 0);

    const after = createPricer({ 'claude-opus-6': { input: 6, output: 30 }, 'claude-sonnet-4-5': { input: 4, output: 20 } }).pricer;
    assert.equal(after.price(c), 1000 * 6000 + 100 * 30_000);
    assert.equal(after.price(known), 1000 * 4000);
    // The first pricer still prices with what it was built from.
    assert.equal(before.price(c), null);
    assert.equal(before.price(known), sonnetBefore);
  });

  it('price() throws for bad counts exactly like the breakdown does', () => {
    const pricer = createPricer(undefined).pricer;
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const c = call('claude-opus-5-5', { input: bad });
      assert.throws(() => pricer.price(c), RangeError);
      assert.throws(() => pricer.priceBreakdown(c), RangeError);
    }
    // An unknown model is unpriced before any count is looked at, on both paths.
    assert.equal(pricer.price(call('claude-opus-6', { input: -1 })), null);
  });

  it('many distinct model strings do not break lookups (the memo empties itself)', () => {
    const pricer = createPricer(undefined).pricer;
    for (let i = 0; i < 5000; i++) assert.equal(pricer.price(call(`made-up-model-${i}`, { input: 1 })), null);
    assert.equal(pricer.price(call('claude-sonnet-4-5', { input: 1 })), createPricer(undefined).pricer.price(call('claude-sonnet-4-5', { input: 1 })));
  });
});
