// The recorder's validation: every bad field gets a sentence naming it; bad calls are rejected, good ones stored.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallInput } from '../../src/shared/callRecord';
import { validateCall, validateOwnCall } from '../../src/extension/recorder/validateCall';
import { makeCall, testStore, tokens } from './storeFixtures';

function problemsOf(value: unknown): string {
  const result = validateCall(value);
  assert.equal(result.ok, false, 'expected the call to be rejected');
  return result.ok ? '' : result.message;
}

describe('validateCall', () => {
  it('accepts a complete call and keeps only known fields', () => {
    const input = { ...makeCall({ webSearchRequests: 2, serviceTier: 'standard', speed: 'fast', project: '/p' }), prompt: 'secret text' };
    const result = validateCall(input);
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.equal(result.call.webSearchRequests, 2);
    assert.equal(result.call.speed, 'fast');
    assert.equal('prompt' in result.call, false, 'unknown fields (possibly prompt text) are never kept');
  });

  it('names negative, fractional and missing token counts', () => {
    assert.match(problemsOf(makeCall({ tokens: tokens({ input: -5 }) })), /tokens\.input must be a non-negative integer \(got -5\)/);
    assert.match(problemsOf(makeCall({ tokens: tokens({ output: 1.5 }) })), /tokens\.output must be a non-negative integer \(got 1\.5\)/);
    const missing = { ...makeCall(), tokens: { input: 1, output: 2 } };
    assert.match(problemsOf(missing), /tokens\.cacheWrite5m must be a non-negative integer \(got nothing\)/);
    // Every bad count is named, in order, not only the first.
    const all = problemsOf({ ...makeCall(), tokens: { input: -1, cacheWrite5m: 0, cacheWrite1h: 'x', cacheRead: 0 } });
    assert.deepEqual(all.match(/tokens\.\w+/g), ['tokens.input', 'tokens.cacheWrite1h', 'tokens.output']);
    assert.match(problemsOf({ ...makeCall(), tokens: 'many' }), /tokens must be an object/);
  });

  it('rejects unknown sources', () => {
    assert.match(problemsOf({ ...makeCall(), source: 'email' }), /source must be one of chat, agent, memory \(got "email"\)/);
  });

  it('rejects bad timestamps: NaN, Infinity, strings, fractions, beyond the Date range', () => {
    assert.match(problemsOf(makeCall({ ts: Number.NaN })), /ts must be a finite number of UTC milliseconds \(got NaN\)/);
    assert.match(problemsOf(makeCall({ ts: Number.POSITIVE_INFINITY })), /ts must be a finite number/);
    assert.match(problemsOf({ ...makeCall(), ts: '2026-11-20T14:00:00Z' }), /ts must be a finite number/);
    assert.match(problemsOf(makeCall({ ts: 1.5 })), /ts must be a whole number of milliseconds/);
    assert.match(problemsOf(makeCall({ ts: 9e15 })), /ts is outside the range of dates/);
  });

  it('accepts timestamps far in the past or future (clock trouble is stored, not dropped)', () => {
    assert.equal(validateCall(makeCall({ ts: 0 })).ok, true);
    assert.equal(validateCall(makeCall({ ts: Date.UTC(2999, 0, 1) })).ok, true);
  });

  it('rejects empty keys, models, consumer keys and collectors', () => {
    assert.match(problemsOf(makeCall({ key: '' })), /^key must be a non-empty string \(got ""\)/);
    assert.match(problemsOf(makeCall({ model: '  ' })), /model must be a non-empty string/);
    assert.match(problemsOf(makeCall({ consumer: { key: '', name: 'x' } })), /consumer\.key must be a non-empty string/);
    assert.match(problemsOf({ ...makeCall(), consumer: null }), /consumer must be an object/);
    assert.match(problemsOf(makeCall({ collector: '' })), /collector must be a non-empty string/);
  });

  it('checks optional fields when they are present', () => {
    assert.match(problemsOf(makeCall({ durationMs: -1 })), /durationMs must be a non-negative number of milliseconds or null \(got -1\)/);
    assert.match(problemsOf({ ...makeCall(), webSearchRequests: 'two' }), /webSearchRequests must be a non-negative integer/);
    assert.match(problemsOf({ ...makeCall(), sidechain: 'yes' }), /sidechain must be true or false/);
    assert.match(problemsOf({ ...makeCall(), project: 42 }), /project must be a string when given/);
    assert.equal(validateCall(makeCall({ durationMs: null })).ok, true);
  });

  it('lists every problem of a call in one message', () => {
    const message = problemsOf({ key: 'k', ts: Number.NaN, source: 'x', consumer: { key: 'c' }, model: 'm', tokens: tokens({ input: -1 }), collector: 'c' });
    assert.match(message, /ts must be/);
    assert.match(message, /source must be/);
    assert.match(message, /tokens\.input must be/);
  });

  it('rejects what is not an object', () => {
    assert.match(problemsOf(null), /a call must be an object \(got null\)/);
    assert.match(problemsOf([1, 2]), /a call must be an object \(got an array\)/);
  });

  it('cleans names: one line, cut short, the key when empty', () => {
    const long = validateCall(makeCall({ consumer: { key: 'k1', name: `  line one\n\tline two ${'x'.repeat(400)}` } }));
    assert.equal(long.ok, true);
    if (long.ok) {
      assert.ok(long.call.consumer.name.startsWith('line one line two'));
      assert.equal(long.call.consumer.name.length, 200);
    }
    const empty = validateCall(makeCall({ consumer: { key: 'k2', name: '' } }));
    assert.equal(empty.ok && empty.call.consumer.name, 'k2');
  });
});

describe('validateOwnCall (a collector\'s own calls, checked in place)', () => {
  const cases: Array<[string, CallInput]> = [
    ['a complete call', makeCall({ webSearchRequests: 2, serviceTier: 'standard', speed: 'fast', inferenceGeo: 'us', project: '/p', requestId: 'req_1' })],
    ['a fractional duration and a messy name', makeCall({ durationMs: 12.6, consumer: { key: 'k1', name: `  line one\n\tline two ${'x'.repeat(400)}` } })],
    ['no duration, no side chain', { ...makeCall(), durationMs: undefined, sidechain: undefined }],
    ['empty or null optional fields', { ...makeCall(), serviceTier: '', project: '', webFetchRequests: null as unknown as number }],
    ['an empty name', makeCall({ consumer: { key: 'k2', name: '' } })],
    ['a negative token count', makeCall({ tokens: tokens({ input: -5 }) })],
    ['a fractional timestamp and a bad source', { ...makeCall({ ts: 1.5 }), source: 'email' as CallInput['source'] }],
    ['an overlong model', makeCall({ model: 'm'.repeat(101) })],
  ];
  for (const [what, call] of cases) {
    it(`gives validateCall's verdict and clean call for ${what}, as the same object`, () => {
      const copy = validateCall(structuredClone(call));
      const own = structuredClone(call);
      const inPlace = validateOwnCall(own);
      assert.equal(inPlace.ok, copy.ok);
      if (!inPlace.ok || !copy.ok) {
        assert.deepEqual(inPlace, copy);
        return;
      }
      assert.equal(inPlace.call, own, 'the clean call is the object given, not a copy');
      // Fields validateCall leaves out are gone or undefined: equal once undefined fields are dropped.
      assert.deepEqual(JSON.parse(JSON.stringify(inPlace.call)), JSON.parse(JSON.stringify(copy.call)));
      for (const field of ['serviceTier', 'project', 'webFetchRequests'] as const) {
        assert.equal(inPlace.call[field], copy.call[field]);
      }
    });
  }
});

describe('record() with bad calls in a batch', () => {
  it('stores the good calls, reports the bad ones by index and key, and loses nothing else', async () => {
    const store = testStore();
    await store.open({});
    const good1 = makeCall();
    const good2 = makeCall();
    const result = await store.record([
      good1,
      { ...makeCall(), tokens: tokens({ input: -1 }) },
      good2,
      { ...makeCall({ key: 'bad-source' }), source: 'nope' } as never,
    ]);
    assert.equal(result.inserted, 2);
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.key === null ? null : r.key.startsWith('msg_') ? 'msg' : r.key]),
      [
        [1, 'msg'],
        [3, 'bad-source'],
      ],
    );
    assert.match(result.rejected[0].message, /tokens\.input/);
    const page = await store.records({ range: { from: 0, to: Date.UTC(2100, 0, 1) }, page: 1 });
    assert.deepEqual(page.rows.map((r) => r.key).sort(), [good1.key, good2.key].sort());
    await store.close();
  });

  it('refuses a non-array with a clear error', async () => {
    const store = testStore();
    await store.open({});
    await assert.rejects(store.record({} as never), /record\(\) expects an array of calls/);
    await store.close();
  });
});
