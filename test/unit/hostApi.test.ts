import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCallToInput } from '../../src/extension/api/createApi';
import type { ApiCall } from '../../src/extension/api/publicApi';

const call: ApiCall = {
  id: 'msg_01ABC',
  requestId: 'req_01',
  model: 'claude-sonnet-4-5',
  usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 10 },
  name: '  Refactor   assistant ',
  source: 'agent',
  timestamp: '2026-11-20T10:00:00.000Z',
  durationMs: 1234.4,
};

test('an API call becomes a call record with the usage split and a caller-scoped consumer', () => {
  assert.deepEqual(apiCallToInput(call, 0, 'ext.id'), {
    key: 'msg_01ABC',
    requestId: 'req_01',
    ts: Date.parse('2026-11-20T10:00:00.000Z'),
    source: 'agent',
    consumer: { key: 'api:ext.id:Refactor assistant', name: 'Refactor assistant' },
    model: 'claude-sonnet-4-5',
    tokens: { input: 100, cacheWrite5m: 10, cacheWrite1h: 0, cacheRead: 1000, output: 50 },
    webSearchRequests: 0,
    webFetchRequests: 0,
    serviceTier: undefined,
    speed: undefined,
    inferenceGeo: undefined,
    durationMs: 1234,
    project: undefined,
    collector: 'api:ext.id',
  });
});

test('defaults: source chat, time now, consumer id from the name', () => {
  const input = apiCallToInput({ id: 'msg_2', model: 'm', usage: { input_tokens: 1, output_tokens: 1 }, name: 'Chat' }, 42, 'x');
  assert.equal(input.source, 'chat');
  assert.equal(input.ts, 42);
  assert.equal(input.durationMs, null);
});

test('bad fields are refused with a message naming the field', () => {
  const cases: [Partial<Record<keyof ApiCall, unknown>>, RegExp][] = [
    [{ id: '' }, /`id`/],
    [{ model: 7 }, /`model`/],
    [{ name: ' ' }, /`name`/],
    [{ source: 'batch' }, /`source`/],
    [{ usage: { input_tokens: -5, output_tokens: 1 } }, /`usage`/],
    [{ usage: 'lots' }, /`usage`/],
    [{ timestamp: 'yesterday' }, /`timestamp`/],
    [{ durationMs: -1 }, /`durationMs`/],
  ];
  for (const [patch, message] of cases) {
    assert.throws(() => apiCallToInput({ ...call, ...patch } as ApiCall, 0, 'x'), message, JSON.stringify(patch));
  }
});
