// Prompt-cache accounting and the split by model, with the real price table: every call's own card (long context,
// fast mode), data residency and web search; equal to adding up each call's price breakdown.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SOURCES, type CallInput } from '../../src/shared/callRecord';
import type { CacheStats } from '../../src/shared/queries';
import { createPricer, type FullPricer } from '../../src/extension/pricing';
import { benchWith, seeded, type QueryBench } from './queriesSetup';
import { tokens } from './storeFixtures';

const FROM = Date.UTC(2026, 10, 1);
const TO = Date.UTC(2026, 10, 8);
const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-7', 'claude-opus-5-5', 'claude-haiku-4-5', 'claude-haiku-5-5', 'claude-unknown-9'];

function cacheCalls(seed: number, count: number): CallInput[] {
  const rnd = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const int = (max: number) => Math.floor(rnd() * max);
  return Array.from({ length: count }, (_, i) => {
    const big = rnd() < 0.15;
    const call: CallInput = {
      key: `msg_cache_${i}`,
      ts: FROM + int(TO - FROM),
      source: pick(SOURCES),
      consumer: { key: `c-${int(6)}`, name: `Conversation ${int(6)}` },
      model: pick(MODELS),
      tokens: tokens({
        input: rnd() < 0.1 ? 0 : 1 + int(4000),
        cacheWrite5m: rnd() < 0.4 ? int(30_000) : 0,
        cacheWrite1h: rnd() < 0.2 ? int(20_000) : 0,
        // Some prompts above 200K (long context for Sonnet 4.5) and above 100K (Haiku 5.5).
        cacheRead: big ? 190_000 + int(60_000) : rnd() < 0.7 ? int(90_000) : 0,
        output: int(3000),
      }),
      collector: 'test',
    };
    if (rnd() < 0.1) call.speed = 'fast';
    if (rnd() < 0.1) call.inferenceGeo = 'us';
    if (rnd() < 0.05) call.webSearchRequests = 1 + int(3);
    return call;
  });
}

/** Sums of each call's own breakdown: the definition the store must meet. */
function reference(pricer: FullPricer, calls: readonly CallInput[], range: { from: number; to: number }): CacheStats {
  const s: CacheStats = {
    hitRatio: null, promptTokens: 0, readTokens: 0, writeTokens: 0, readCostNanos: 0, readAtInputRateNanos: 0, savedNanos: 0,
    writeCostNanos: 0, writePremiumNanos: 0, unsplitCalls: 0,
  };
  for (const c of calls) {
    if (c.ts < range.from || c.ts >= range.to) continue;
    const t = c.tokens;
    const writes = t.cacheWrite5m + t.cacheWrite1h;
    s.promptTokens += t.input + writes + t.cacheRead;
    s.readTokens += t.cacheRead;
    s.writeTokens += writes;
    const b = pricer.priceBreakdown(c);
    if (!b) continue;
    s.readCostNanos += b.cacheReadNanos;
    s.readAtInputRateNanos += b.cacheReadAtInputRateNanos;
    s.writeCostNanos += b.cacheWrite5mNanos + b.cacheWrite1hNanos;
    const inputRate = pricer.priceBreakdown({ ...c, tokens: { ...t, input: t.input + 1 } });
    s.writePremiumNanos += b.cacheWrite5mNanos + b.cacheWrite1hNanos - writes * ((inputRate?.inputNanos ?? 0) - b.inputNanos);
  }
  s.savedNanos = s.readAtInputRateNanos - s.readCostNanos;
  s.hitRatio = s.promptTokens > 0 ? s.readTokens / s.promptTokens : null;
  return s;
}

let calls: CallInput[];
let pricer: FullPricer;
let bench: QueryBench;

before(async () => {
  calls = cacheCalls(5, 1200);
  pricer = createPricer(undefined).pricer;
  bench = await benchWith(calls, pricer);
});

describe('cache accounting', () => {
  it('equals the sum of every call’s breakdown, over roll-ups and edge rows, whole and partial ranges', () => {
    const ranges = [
      { from: FROM, to: TO },
      { from: FROM + 123_456, to: TO - 7_777_777 },
      { from: Date.UTC(2026, 10, 3, 10, 1), to: Date.UTC(2026, 10, 3, 10, 14) },
    ];
    for (const range of ranges) {
      const data = bench.queries.dashboard({ range, timeZone: 'Asia/Kolkata', granularity: 'day', topBy: 'cost' });
      const expected = reference(pricer, calls, range);
      assert.deepEqual(data.cache, expected, JSON.stringify(range));
    }
    const whole = bench.queries.dashboard({ range: { from: FROM, to: TO }, timeZone: 'UTC', granularity: 'day', topBy: 'cost' }).cache;
    assert.ok(whole && whole.savedNanos > 0 && whole.writeCostNanos > 0 && whole.writePremiumNanos > 0, 'the fixture exercises every figure');
  });

  it('asked again (the memo of call-by-call splits), and after a new call joins a bucket, the answer stays exact', async () => {
    const own = await benchWith(calls, pricer);
    const range = { from: FROM, to: TO };
    const ask = () => own.queries.dashboard({ range, timeZone: 'UTC', granularity: 'day', topBy: 'cost' }).cache;
    assert.deepEqual(ask(), reference(pricer, calls, range));
    assert.deepEqual(ask(), reference(pricer, calls, range), 'the same from the memo');
    // A long-context call in the bucket of an existing one: the bucket's group changes, its old split is not reused.
    const first = calls.find((c) => c.model === 'claude-sonnet-4-5' && c.tokens.cacheRead > 200_000);
    assert.ok(first);
    const extra: CallInput = { ...first, key: 'msg_cache_extra', ts: first.ts + 1, tokens: { ...first.tokens, cacheRead: 230_000, cacheWrite1h: 5 } };
    own.recorder.record([extra]);
    assert.deepEqual(ask(), reference(pricer, [...calls, extra], range));
  });

  it('the fixture really has long-context, fast, residency and web-search calls (so the call-by-call path runs)', () => {
    const special = calls.filter((c) => {
      const b = pricer.priceBreakdown(c);
      return b !== null && (b.card !== 'standard' || b.residencyNanos > 0 || b.webSearchNanos > 0);
    });
    assert.ok(special.length > 50, `${special.length} special calls`);
    assert.ok(special.some((c) => pricer.priceBreakdown(c)?.card === 'longContext'));
    assert.ok(special.some((c) => pricer.priceBreakdown(c)?.card === 'fast'));
  });

  it('savings per model add up to the total; models are ordered by cost, unknown models have no savings', () => {
    const data = bench.queries.dashboard({ range: { from: FROM, to: TO }, timeZone: 'UTC', granularity: 'day', topBy: 'cost' });
    const models = data.byModel ?? [];
    assert.equal(models.length, MODELS.length);
    assert.equal(models.reduce((s, m) => s + (m.cacheSavedNanos ?? 0), 0), data.cache?.savedNanos);
    assert.equal(models.reduce((s, m) => s + m.costNanos, 0), data.summary.costNanos);
    assert.equal(models.reduce((s, m) => s + m.calls, 0), data.summary.calls);
    for (let i = 1; i < models.length; i++) assert.ok(models[i - 1].costNanos >= models[i].costNanos);
    const unknown = models.find((m) => m.model === 'claude-unknown-9');
    assert.ok(unknown);
    assert.equal(unknown.unpricedCalls, unknown.calls);
    assert.equal(unknown.cacheSavedNanos, null);
    for (const m of models) {
      const mine = calls.filter((c) => c.model === m.model);
      assert.equal(m.calls, mine.length, m.model);
      assert.equal(m.tokens.cacheRead, mine.reduce((s, c) => s + c.tokens.cacheRead, 0), m.model);
      assert.equal(m.costNanos, mine.reduce((s, c) => s + (pricer.price(c) ?? 0), 0), m.model);
      if (m.cacheSavedNanos !== null) {
        const saved = mine.reduce((s, c) => {
          const b = pricer.priceBreakdown(c);
          return s + (b ? b.cacheReadAtInputRateNanos - b.cacheReadNanos : 0);
        }, 0);
        assert.equal(m.cacheSavedNanos, saved, m.model);
      }
    }
  });

  it('calls priced with rates the accounting does not know are counted as unsplit, never guessed', async () => {
    const overridden = createPricer({ 'claude-haiku-4-5': { input: 2, output: 10 } }).pricer;
    const other = await benchWith(calls, overridden, pricer);
    const data = other.queries.dashboard({ range: { from: FROM, to: TO }, timeZone: 'UTC', granularity: 'day', topBy: 'cost' });
    const haikuWithCache = calls.filter((c) => c.model === 'claude-haiku-4-5' && c.tokens.cacheRead + c.tokens.cacheWrite5m + c.tokens.cacheWrite1h > 0);
    assert.equal(data.cache?.unsplitCalls, haikuWithCache.length);
    const rest = reference(pricer, calls.filter((c) => c.model !== 'claude-haiku-4-5'), { from: FROM, to: TO });
    assert.equal(data.cache?.savedNanos, rest.savedNanos);
    assert.equal(data.cache?.hitRatio, reference(pricer, calls, { from: FROM, to: TO }).hitRatio, 'token figures still count every call');
  });

  it('an empty range answers zeros and a null ratio', () => {
    const data = bench.queries.dashboard({ range: { from: Date.UTC(2020, 0, 1), to: Date.UTC(2020, 0, 2) }, timeZone: 'UTC', granularity: 'hour', topBy: 'cost' });
    assert.equal(data.cache?.hitRatio, null);
    assert.equal(data.cache?.savedNanos, 0);
    assert.deepEqual(data.byModel, []);
    assert.equal(data.summary.firstTs, null);
  });
});
