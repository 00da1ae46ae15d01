import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAnthropicUsage } from '../../src/extension/collectors/anthropicUsage';

test('splits cache writes by TTL when the breakdown is present', () => {
  const u = readAnthropicUsage({
    input_tokens: 4,
    cache_creation_input_tokens: 1830,
    cache_read_input_tokens: 48211,
    output_tokens: 412,
    server_tool_use: { web_search_requests: 2, web_fetch_requests: 1 },
    service_tier: 'standard',
    cache_creation: { ephemeral_1h_input_tokens: 1830, ephemeral_5m_input_tokens: 0 },
    inference_geo: 'global',
    speed: 'standard',
  });
  assert.deepEqual(u, {
    tokens: { input: 4, cacheWrite5m: 0, cacheWrite1h: 1830, cacheRead: 48211, output: 412 },
    webSearchRequests: 2,
    webFetchRequests: 1,
    serviceTier: 'standard',
    speed: 'standard',
    inferenceGeo: 'global',
  });
});

test('without a breakdown every cache write is a 5-minute write', () => {
  const u = readAnthropicUsage({ input_tokens: 10, cache_creation_input_tokens: 500, output_tokens: 3 });
  assert.deepEqual(u?.tokens, { input: 10, cacheWrite5m: 500, cacheWrite1h: 0, cacheRead: 0, output: 3 });
});

test('writes missing from a partial breakdown are billed as 5-minute writes', () => {
  const u = readAnthropicUsage({ input_tokens: 1, cache_creation_input_tokens: 900, cache_creation: { ephemeral_1h_input_tokens: 600 }, output_tokens: 1 });
  assert.equal(u?.tokens.cacheWrite1h, 600);
  assert.equal(u?.tokens.cacheWrite5m, 300);
});

test('wrongly typed or negative counts make the usage unreadable instead of a wrong number', () => {
  assert.equal(readAnthropicUsage({ input_tokens: '10', output_tokens: 1 }), null);
  assert.equal(readAnthropicUsage({ input_tokens: -1, output_tokens: 1 }), null);
  assert.equal(readAnthropicUsage({ input_tokens: 1.5, output_tokens: 1 }), null);
  assert.equal(readAnthropicUsage({ input_tokens: 1, output_tokens: 1, server_tool_use: { web_search_requests: 'many' } }), null);
  assert.equal(readAnthropicUsage(null), null);
  assert.equal(readAnthropicUsage([1, 2]), null);
});
