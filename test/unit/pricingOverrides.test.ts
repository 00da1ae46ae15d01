// The claudeUsage.priceOverrides setting: valid entries, invalid entries, added and replaced models, the version.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPricer, PRICE_TABLE_VERSION } from '../../src/extension/pricing/index';
import { call } from './pricingHelpers';

describe('price overrides: valid entries', () => {
  it('add a model the table does not know, with all five rates', () => {
    const { pricer, problems } = createPricer({
      'claude-opus-6': { input: 6, output: 30, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6 },
    });
    assert.deepEqual(problems, []);
    assert.equal(pricer.knows('claude-opus-6'), true);
    const b = pricer.priceBreakdown(call('claude-opus-6', { input: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1, output: 1 }));
    assert.ok(b);
    assert.deepEqual(
      [b.inputNanos, b.cacheWrite5mNanos, b.cacheWrite1hNanos, b.cacheReadNanos, b.outputNanos],
      [6000, 7500, 12_000, 600, 30_000],
    );
    // Provider forms of the new id resolve too; other new ids stay unpriced.
    assert.equal(pricer.resolveModel('us.anthropic.claude-opus-6-v1:0'), 'claude-opus-6');
    assert.equal(pricer.knows('claude-opus-6-1'), false);
  });

  it('derive missing cache rates from input: 1.25× / 2× / 0.1×', () => {
    const { pricer, problems } = createPricer({ 'my-proxy-model': { input: 3, output: 15 } });
    assert.deepEqual(problems, []);
    const b = pricer.priceBreakdown(call('my-proxy-model', { cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 }));
    assert.ok(b);
    assert.deepEqual([b.cacheWrite5mNanos, b.cacheWrite1hNanos, b.cacheReadNanos], [3750, 6000, 300]);
  });

  it('round derived rates half up to whole nanos (input 0.001 → 5m 1, 1h 2, read 0)', () => {
    const { pricer } = createPricer({ tiny: { input: 0.001, output: 0.002 } });
    const b = pricer.priceBreakdown(call('tiny', { cacheWrite5m: 1000, cacheWrite1h: 1000, cacheRead: 1000 }));
    assert.ok(b);
    assert.deepEqual([b.cacheWrite5mNanos, b.cacheWrite1hNanos, b.cacheReadNanos], [1000, 2000, 0]);
  });

  it('replace a known model under any of its id forms, dropping its long-context and fast cards', () => {
    const { pricer, problems } = createPricer({
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0': { input: 4, output: 20 },
      'claude-opus-5-5': { input: 5, output: 25 },
    });
    assert.deepEqual(problems, []);
    const lc = pricer.priceBreakdown(call('claude-sonnet-4-5', { input: 300_000 }));
    assert.ok(lc);
    assert.equal(lc.card, 'standard');
    assert.equal(lc.totalNanos, 300_000 * 4000);
    assert.equal(pricer.price(call('claude-sonnet-4-5-20250929', { output: 10 })), 200_000);
    const fast = pricer.priceBreakdown(call('claude-opus-5-5', { input: 10 }, { speed: 'fast' }));
    assert.ok(fast);
    assert.equal(fast.card, 'standard');
    assert.equal(fast.totalNanos, 50_000);
    // The residency multiplier is not a card: it still applies to the replaced Opus 5.5.
    assert.equal(pricer.price(call('claude-opus-5-5', { input: 10 }, { inferenceGeo: 'us' })), 55_000);
    // Other models keep the table's prices.
    assert.equal(pricer.price(call('claude-sonnet-4-6', { input: 10 })), 30_000);
  });

  it('apply residency to added models and half-up rounding at the nano (1-nano rate)', () => {
    const { pricer } = createPricer({ 'claude-opus-6': { input: 0.001, output: 0.001 } });
    const us = (n: number) => pricer.price(call('claude-opus-6', { input: n }, { inferenceGeo: 'us' }));
    assert.equal(us(3), 3); // 3.3
    assert.equal(us(5), 6); // 5.5 → half up
    assert.equal(us(7), 8); // 7.7
    assert.equal(us(10), 11);
  });

  it('do not leak into another pricer', () => {
    createPricer({ 'claude-haiku-4-5': { input: 100, output: 100 } });
    const { pricer } = createPricer(undefined);
    assert.equal(pricer.price(call('claude-haiku-4-5', { input: 1000 })), 1_000_000);
  });
});

describe('price overrides: invalid entries are reported and ignored, the rest apply', () => {
  const BAD: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['negative', { input: -1, output: 15 }, /"negative".*"input".*negative/],
    ['nan', { input: Number.NaN, output: 15 }, /"nan".*"input".*finite/],
    ['infinite', { input: 3, output: Number.POSITIVE_INFINITY }, /"infinite".*"output".*finite/],
    ['string', { input: '3', output: 15 }, /"string".*"input".*must be a number.*string/],
    ['null-rate', { input: null, output: 15 }, /"null-rate".*"input".*null/],
    ['decimals', { input: 3.1234, output: 15 }, /"decimals".*"input".*more than 3 decimals/],
    ['sub-nano', { input: 3, output: 15, cacheRead: 0.0001 }, /"sub-nano".*"cacheRead".*more than 3 decimals/],
    ['unknown-key', { input: 3, output: 15, inputs: 3 }, /"unknown-key".*"inputs" is not a known field/],
    ['no-output', { input: 3 }, /"no-output".*"output" is required/],
    ['huge', { input: 1e9, output: 15 }, /"huge".*"input".*implausibly large/],
    ['not-object', 3, /"not-object".*expected an object/],
    ['array', [3, 15], /"array".*expected an object.*array/],
    ['null-entry', null, /"null-entry".*expected an object.*null/],
    ['<synthetic>', { input: 3, output: 15 }, /"<synthetic>" is not a model id/],
  ];
  for (const [key, value, message] of BAD) {
    it(`${key}: one clear sentence naming the model and field; entry ignored`, () => {
      const { pricer, problems } = createPricer({ [key]: value, 'good-model': { input: 1, output: 2 } });
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0], message);
      assert.match(problems[0], /This entry is ignored\.$/);
      assert.equal(pricer.knows(key), false);
      assert.equal(pricer.price(call('good-model', { input: 1000 })), 1_000_000);
    });
  }

  it('an invalid override of a known model leaves the table price in place', () => {
    const { pricer, problems } = createPricer({ 'claude-sonnet-4-5': { input: -3, output: 15 } });
    assert.equal(problems.length, 1);
    assert.equal(pricer.price(call('claude-sonnet-4-5', { input: 1000 })), 3_000_000);
    assert.equal(pricer.version, PRICE_TABLE_VERSION);
  });

  it('lists every problem of an entry', () => {
    const { problems } = createPricer({ m: { input: -1, output: 'x', extra: 1 } });
    assert.equal(problems.length, 3);
  });

  it('a second entry for the same model is reported and ignored', () => {
    const { pricer, problems } = createPricer({
      'claude-sonnet-4-5': { input: 4, output: 20 },
      'claude-sonnet-4-5-20250929': { input: 9, output: 9 },
    });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /"claude-sonnet-4-5-20250929".*claude-sonnet-4-5/);
    assert.equal(pricer.price(call('claude-sonnet-4-5-20250929', { input: 1000 })), 4_000_000);
  });

  for (const setting of [[], 'claude-opus-6=3', 42, true]) {
    it(`a setting that is not an object (${JSON.stringify(setting)}) gives one problem and no overrides`, () => {
      const { pricer, problems } = createPricer(setting);
      assert.equal(problems.length, 1);
      assert.match(problems[0], /claudeUsage\.priceOverrides must be an object/);
      assert.equal(pricer.version, PRICE_TABLE_VERSION);
    });
  }

  it('no setting (undefined, null, {}) is no problem', () => {
    for (const setting of [undefined, null, {}]) assert.deepEqual(createPricer(setting).problems, []);
  });
});

describe('price overrides: the version', () => {
  const base = createPricer(undefined).pricer.version;

  it('is the table version without valid overrides', () => {
    assert.equal(base, PRICE_TABLE_VERSION);
    assert.equal(createPricer({}).pricer.version, base);
    assert.equal(createPricer({ bad: { input: -1, output: 1 } }).pricer.version, base);
  });

  it('changes when valid overrides apply, and with their values', () => {
    const a = createPricer({ 'claude-opus-6': { input: 6, output: 30 } }).pricer.version;
    const b = createPricer({ 'claude-opus-6': { input: 6, output: 31 } }).pricer.version;
    assert.match(a, new RegExp(`^${PRICE_TABLE_VERSION}\\+[0-9a-f]{12}$`));
    assert.notEqual(a, base);
    assert.notEqual(a, b);
  });

  it('depends on the effective prices only: key order, id form and derived-vs-explicit rates do not matter', () => {
    const one = createPricer({
      'claude-sonnet-4-5': { input: 3, output: 15 },
      'claude-opus-6': { input: 6, output: 30 },
    }).pricer.version;
    const two = createPricer({
      'claude-opus-6': { output: 30, input: 6, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6 },
      'claude-sonnet-4-5-20250929': { input: 3, output: 15 },
    }).pricer.version;
    assert.equal(one, two);
  });
});
