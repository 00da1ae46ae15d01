/**
 * The recording proxy with the official @anthropic-ai/sdk as the client: what gets recorded (and what never does).
 * Everything runs on 127.0.0.1 against the fake upstream.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startRecordingProxy } from '../../src/extension/collectors/proxy';
import {
  type ProxyOnFake,
  apiError,
  fakeMessage,
  messageStreamEvents,
  sendJson,
  sendSse,
  startProxyOnFake,
} from '../support/fakeAnthropic';

const API_KEY = 'sk-ant-api03-SECRET-test-key-never-recorded-0123456789';
const MODEL = 'claude-sonnet-4-5-20250929';

function client(baseURL: string, defaultHeaders: Record<string, string> = {}): Anthropic {
  return new Anthropic({ apiKey: API_KEY, baseURL, maxRetries: 0, defaultHeaders });
}

function assertNoCustomHeadersUpstream(h: ProxyOnFake): void {
  for (const seen of h.fake.seen) {
    for (let i = 0; i < seen.rawHeaders.length; i += 2) {
      assert.doesNotMatch(seen.rawHeaders[i], /^x-claude-usage-/i, `upstream saw ${seen.rawHeaders[i]}`);
    }
  }
}

let harness: ProxyOnFake | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('recording proxy with the official SDK', () => {
  it('records a JSON Messages call with the message id as key, and forwards the API key only upstream', async () => {
    const h = (harness = await startProxyOnFake());
    const before = Date.now();
    const message = await client(h.proxy.url).messages.create({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    const after = Date.now();

    assert.equal(message.content[0].type, 'text');
    assert.equal(h.calls.length, 1);
    const call = h.calls[0];
    assert.equal(call.key, message.id, 'the dedup key is the message id Claude Code transcripts carry too');
    assert.match(call.key, /^msg_/);
    assert.equal(call.model, MODEL);
    assert.equal(call.collector, 'proxy');
    assert.equal(call.source, 'chat');
    assert.deepEqual(call.consumer, { key: 'proxy:anthropic/js', name: 'Anthropic/JS' });
    assert.deepEqual(call.tokens, { input: 12, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 9 });
    assert.equal(call.serviceTier, 'standard');
    assert.match(call.requestId ?? '', /^req_011Cfake/);
    assert.ok(call.ts >= before && call.ts <= after, 'ts is the response time');
    assert.ok(typeof call.durationMs === 'number' && call.durationMs >= 0 && call.durationMs <= after - before);

    assert.equal(h.fake.seen.length, 1);
    assert.equal(h.fake.seen[0].headers['x-api-key'], API_KEY, 'the key reaches upstream unchanged');
    assert.equal(h.fake.seen[0].headers.host, `127.0.0.1:${h.fake.port}`, 'Host is the upstream');
    assert.ok(!h.everything().includes(API_KEY), 'the key is never recorded or logged');
  });

  it('takes source and consumer name from the x-claude-usage headers and never forwards them', async () => {
    const h = (harness = await startProxyOnFake());
    const sdk = client(h.proxy.url, { 'x-claude-usage-source': 'Agent', 'x-claude-usage-name': '  Nightly   summariser ' });
    await sdk.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });

    assert.equal(h.calls.length, 1);
    assert.equal(h.calls[0].source, 'agent');
    assert.deepEqual(h.calls[0].consumer, { key: 'proxy:nightly summariser', name: 'Nightly summariser' });
    assertNoCustomHeadersUpstream(h);
  });

  it('records an unknown source as chat and says so once per distinct value', async () => {
    const h = (harness = await startProxyOnFake());
    const sdk = client(h.proxy.url, { 'x-claude-usage-source': 'batch-job' });
    for (let i = 0; i < 2; i++) {
      await sdk.messages.create({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    }
    assert.deepEqual(
      h.calls.map((c) => c.source),
      ['chat', 'chat'],
    );
    const warnings = h.logs.filter((l) => l.includes('batch-job'));
    assert.equal(warnings.length, 1, h.logs.join('\n'));
    assert.match(warnings[0], /^warn: .*not chat, agent or memory/);
  });

  it('records a streamed call: message_start usage merged with the cumulative message_delta usage', async () => {
    const h = (harness = await startProxyOnFake());
    const id = 'msg_01StreamedCallForMergeTest';
    h.fake.use((_req, res) =>
      sendSse(
        res,
        messageStreamEvents({
          id,
          usage: {
            input_tokens: 25,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
            service_tier: 'priority',
            inference_geo: 'us',
            speed: 'fast',
          },
          deltaUsage: {
            input_tokens: 25,
            cache_creation_input_tokens: 300,
            cache_read_input_tokens: 1000,
            output_tokens: 77,
            server_tool_use: { web_search_requests: 2 },
          },
          deltas: 5,
        }),
      ),
    );
    const stream = client(h.proxy.url).messages.stream({
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Stream please' }],
    });
    const final = await stream.finalMessage();

    assert.equal(final.id, id);
    assert.equal(final.usage.output_tokens, 77, 'the SDK saw the same stream');
    assert.equal(h.calls.length, 1);
    const call = h.calls[0];
    assert.equal(call.key, id);
    assert.deepEqual(call.tokens, { input: 25, cacheWrite5m: 300, cacheWrite1h: 0, cacheRead: 1000, output: 77 });
    assert.equal(call.webSearchRequests, 2);
    assert.equal(call.webFetchRequests, 0);
    assert.equal(call.serviceTier, 'priority');
    assert.equal(call.inferenceGeo, 'us');
    assert.equal(call.speed, 'fast');
    assert.ok(!h.everything().includes(API_KEY));
  });

  it('records stream: true calls iterated event by event', async () => {
    const h = (harness = await startProxyOnFake());
    const events = await client(h.proxy.url).messages.create({
      model: MODEL,
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const types: string[] = [];
    for await (const event of events) types.push(event.type);
    assert.deepEqual(types.slice(0, 2), ['message_start', 'content_block_start']);
    assert.equal(types.at(-1), 'message_stop');
    assert.equal(h.calls.length, 1);
    assert.deepEqual(h.calls[0].tokens, { input: 12, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 9 });
  });

  it('records beta Messages calls (?beta=true) and splits 5-minute and 1-hour cache writes', async () => {
    const h = (harness = await startProxyOnFake());
    h.fake.use((_req, res) =>
      sendJson(
        res,
        200,
        fakeMessage({
          usage: {
            input_tokens: 4,
            cache_creation_input_tokens: 1830,
            cache_read_input_tokens: 48211,
            cache_creation: { ephemeral_5m_input_tokens: 30, ephemeral_1h_input_tokens: 1800 },
            output_tokens: 412,
            server_tool_use: { web_search_requests: 0, web_fetch_requests: 3 },
          },
        }),
      ),
    );
    await client(h.proxy.url).beta.messages.create({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
      betas: ['extended-cache-ttl-2025-04-11'],
    });
    assert.equal(h.fake.seen[0].url, '/v1/messages?beta=true');
    assert.equal(h.calls.length, 1);
    assert.deepEqual(h.calls[0].tokens, { input: 4, cacheWrite5m: 30, cacheWrite1h: 1800, cacheRead: 48211, output: 412 });
    assert.equal(h.calls[0].webFetchRequests, 3);
  });

  it('records the same message twice under the same key, so the store dedups it', async () => {
    const h = (harness = await startProxyOnFake());
    const id = 'msg_01SameMessageTwice';
    h.fake.use((_req, res) => sendJson(res, 200, fakeMessage({ id })));
    const sdk = client(h.proxy.url);
    const params = { model: MODEL, max_tokens: 8, messages: [{ role: 'user' as const, content: 'hi' }] };
    await sdk.messages.create(params);
    await sdk.messages.create(params);
    assert.deepEqual(
      h.calls.map((c) => c.key),
      [id, id],
    );
  });

  it('forwards token counting, batches and models without recording them', async () => {
    const h = (harness = await startProxyOnFake());
    const sdk = client(h.proxy.url);
    const count = await sdk.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(count.input_tokens, 2095);
    const batch = await sdk.messages.batches.create({
      requests: [{ custom_id: 'a', params: { model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] } }],
    });
    assert.equal(batch.id, 'msgbatch_013Zva2CMHLNnXjNJJKqJ2EF');
    const retrieved = await sdk.messages.batches.retrieve(batch.id);
    assert.equal(retrieved.processing_status, 'in_progress');
    const models = await sdk.models.list();
    assert.equal(models.data[0].id, MODEL);

    assert.deepEqual(
      h.fake.seen.map((s) => `${s.method} ${s.url}`),
      [
        'POST /v1/messages/count_tokens',
        'POST /v1/messages/batches',
        'GET /v1/messages/batches/msgbatch_013Zva2CMHLNnXjNJJKqJ2EF',
        'GET /v1/models',
      ],
    );
    assert.equal(h.calls.length, 0);
  });

  for (const [status, type] of [
    [429, 'rate_limit_error'],
    [529, 'overloaded_error'],
    [400, 'invalid_request_error'],
    [500, 'api_error'],
  ] as const) {
    it(`forwards a ${status} ${type} unchanged and records nothing`, async () => {
      const h = (harness = await startProxyOnFake());
      h.fake.use((_req, res) => sendJson(res, status, apiError(type, 'Try again later'), { headers: { 'retry-after': '7' } }));
      const error = await client(h.proxy.url)
        .messages.create({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(error instanceof Anthropic.APIError, String(error));
      assert.equal(error.status, status);
      assert.deepEqual(error.error, apiError(type, 'Try again later'));
      assert.equal(error.headers?.get('retry-after'), '7');
      assert.equal(h.calls.length, 0);
    });
  }

  it('answers 502 in the API error shape when upstream is down, and keeps serving', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const logs: string[] = [];
    const calls: unknown[] = [];
    const proxy = await startRecordingProxy({
      port: 0,
      upstream: `http://127.0.0.1:${deadPort}`,
      record: async (call) => void calls.push(call),
      log: (level, message) => void logs.push(`${level}: ${message}`),
    });
    try {
      for (let i = 0; i < 2; i++) {
        const error = await client(proxy.url)
          .messages.create({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        assert.ok(error instanceof Anthropic.APIError, String(error));
        assert.equal(error.status, 502);
        const body = error.error as { type: string; error: { type: string; message: string } };
        assert.equal(body.type, 'error');
        assert.equal(body.error.type, 'api_error');
        assert.match(body.error.message, /could not reach upstream http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED/);
      }
      assert.equal(calls.length, 0);
      assert.ok(logs.some((l) => /could not reach upstream/.test(l)));
      assert.ok(!JSON.stringify(logs).includes(API_KEY));
    } finally {
      await proxy.close();
    }
  });

  it('logs a failing record() and keeps forwarding', async () => {
    const h = (harness = await startProxyOnFake({
      record: async () => {
        throw new Error('database is locked');
      },
    }));
    const message = await client(h.proxy.url).messages.create({
      model: MODEL,
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await h.proxy.close(); // waits for the failing record to be logged
    assert.ok(h.logs.some((l) => l === `error: Recording proxy: could not record call ${message.id}: database is locked`), h.logs.join('\n'));
  });
});
