/**
 * The recording proxy as a transparent forwarder: raw HTTP clients compare what comes through the proxy with what the
 * fake upstream sends directly, byte for byte, and check what upstream received.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterEach, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { startRecordingProxy } from '../../src/extension/collectors/proxy';
import {
  FAKE_DATE,
  type ProxyOnFake,
  type RawResponse,
  apiError,
  fakeMessage,
  messageStreamEvents,
  rawRequest,
  sendJson,
  sendSse,
  startProxyOnFake,
} from '../support/fakeAnthropic';

const API_KEY = 'sk-ant-api03-SECRET-forwarding-key-0123456789';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/** End-to-end headers in order, original casing (the per-connection ones differ legitimately). */
function endToEnd(raw: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i].toLowerCase())) out.push([raw[i], raw[i + 1]]);
  return out;
}

function assertSameResponse(direct: RawResponse, proxied: RawResponse): void {
  assert.equal(proxied.status, direct.status);
  assert.equal(proxied.statusMessage, direct.statusMessage);
  assert.deepEqual(endToEnd(proxied.rawHeaders), endToEnd(direct.rawHeaders));
  assert.ok(proxied.body.equals(direct.body), 'body bytes through the proxy equal the upstream bytes');
}

const messagesPost = (headers: Record<string, string> = {}) => ({
  method: 'POST',
  path: '/v1/messages',
  headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01', ...headers },
  body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
});

let harness: ProxyOnFake | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('recording proxy forwarding', () => {
  it('returns a JSON response byte for byte, with status, headers and their order and casing', async () => {
    const h = (harness = await startProxyOnFake());
    const message = fakeMessage({ id: 'msg_01FixedJson' });
    h.fake.use((_req, res) => sendJson(res, 200, message, { headers: { 'request-id': 'req_011CfixedJson' } }));
    const direct = await rawRequest(h.fake.url, messagesPost());
    const proxied = await rawRequest(h.proxy.url, messagesPost());
    assertSameResponse(direct, proxied);
    assert.equal(endToEnd(proxied.rawHeaders).find(([k]) => k === 'Date')?.[1], FAKE_DATE, 'no Date added by the proxy');
    assert.equal(h.calls.length, 1);
    assert.equal(h.calls[0].requestId, 'req_011CfixedJson');
  });

  it('returns an SSE stream byte for byte', async () => {
    const h = (harness = await startProxyOnFake());
    const events = messageStreamEvents({ id: 'msg_01FixedStream', deltas: 8 });
    h.fake.use((_req, res) => sendSse(res, events, { headers: { 'request-id': 'req_011CfixedStream' } }));
    const direct = await rawRequest(h.fake.url, messagesPost());
    const proxied = await rawRequest(h.proxy.url, messagesPost());
    assertSameResponse(direct, proxied);
    assert.equal(proxied.body.toString('utf8'), events.join(''));
    assert.equal(h.calls.length, 1);
    assert.equal(h.calls[0].key, 'msg_01FixedStream');
  });

  it('forwards method, path, query, body bytes and end-to-end headers unchanged, rewriting only Host', async () => {
    const h = (harness = await startProxyOnFake());
    h.fake.use((_req, res) => sendJson(res, 200, { ok: true }));
    const body = randomBytes(256 * 1024); // not even UTF-8: forwarded as bytes
    await rawRequest(h.proxy.url, {
      method: 'PUT',
      path: '/v1/files/abc?limit=5&after_id=x%20y',
      headers: {
        'X-Api-Key': API_KEY,
        'Anthropic-Beta': 'files-api-2025-04-14',
        'Content-Type': 'application/octet-stream',
        'X-Claude-Usage-Source': 'agent',
        'x-claude-usage-name': 'uploader',
        'X-Custom-Thing': 'kept',
        Connection: 'keep-alive, X-Hop',
        'X-Hop': 'dropped because Connection names it',
      },
      body,
    });
    const seen = h.fake.seen[0];
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.url, '/v1/files/abc?limit=5&after_id=x%20y');
    assert.ok(seen.body.equals(body));
    const names = endToEnd(seen.rawHeaders).map(([k]) => k);
    assert.deepEqual(names, ['Host', 'X-Api-Key', 'Anthropic-Beta', 'Content-Type', 'X-Custom-Thing', 'Content-Length']);
    assert.equal(seen.headers.host, `127.0.0.1:${h.fake.port}`);
    assert.equal(seen.headers['x-api-key'], API_KEY);
    assert.equal(seen.headers['x-custom-thing'], 'kept');
    assert.equal(h.calls.length, 0, 'only POST /v1/messages is a call');
    assert.ok(!h.everything().includes(API_KEY));
  });

  for (const encoding of ['gzip', 'br', 'deflate'] as const) {
    it(`passes a ${encoding}-encoded JSON response through untouched and still records its usage`, async () => {
      const h = (harness = await startProxyOnFake());
      const message = fakeMessage({ id: `msg_01Encoded${encoding}`, usage: { input_tokens: 321, output_tokens: 54 } });
      h.fake.use((_req, res) => sendJson(res, 200, message, { encoding, headers: { 'request-id': 'req_011Cenc' } }));
      const request = messagesPost({ 'accept-encoding': 'gzip, deflate, br' });
      const direct = await rawRequest(h.fake.url, request);
      const proxied = await rawRequest(h.proxy.url, request);
      assertSameResponse(direct, proxied);
      assert.equal(h.fake.seen[1].headers['accept-encoding'], 'gzip, deflate, br', 'Accept-Encoding is not changed');
      await h.proxy.close(); // decoding the copy is asynchronous: let it finish
      assert.equal(h.calls.length, 1, h.logs.join('\n'));
      assert.equal(h.calls[0].key, message.id);
      assert.equal(h.calls[0].tokens.input, 321);
      assert.equal(h.calls[0].tokens.output, 54);
    });
  }

  it('passes a gzip-encoded SSE stream through untouched and records it', async () => {
    const h = (harness = await startProxyOnFake());
    const events = messageStreamEvents({ id: 'msg_01GzipStream', deltaUsage: { output_tokens: 222 } });
    h.fake.use((_req, res) => sendSse(res, events, { encoding: 'gzip', headers: { 'request-id': 'req_011Cgz' } }));
    const direct = await rawRequest(h.fake.url, messagesPost({ 'accept-encoding': 'gzip' }));
    const proxied = await rawRequest(h.proxy.url, messagesPost({ 'accept-encoding': 'gzip' }));
    assert.ok(proxied.body.equals(direct.body), 'compressed bytes are the upstream bytes');
    assert.equal(zlib.gunzipSync(proxied.body).toString('utf8'), events.join(''));
    assert.deepEqual(endToEnd(proxied.rawHeaders), endToEnd(direct.rawHeaders));
    await h.proxy.close();
    assert.equal(h.calls.length, 1, h.logs.join('\n'));
    assert.equal(h.calls[0].tokens.output, 222);
  });

  it('forwards an encoding it cannot decode and records nothing, with a log line', async () => {
    const h = (harness = await startProxyOnFake());
    h.fake.use((_req, res) => {
      const body = Buffer.from('pretend zstd bytes');
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd', 'Content-Length': body.length });
      res.end(body);
    });
    const proxied = await rawRequest(h.proxy.url, messagesPost({ 'accept-encoding': 'zstd' }));
    assert.equal(proxied.body.toString(), 'pretend zstd bytes');
    assert.equal(h.calls.length, 0);
    assert.equal(h.logs.filter((l) => l.includes('zstd')).length, 1);
  });

  it('forwards a 200 with malformed JSON unchanged, records nothing and logs one line', async () => {
    const h = (harness = await startProxyOnFake());
    h.fake.use((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"id":"msg_01Broken","usage":{"input_tokens":');
    });
    const proxied = await rawRequest(h.proxy.url, messagesPost());
    assert.equal(proxied.body.toString(), '{"id":"msg_01Broken","usage":{"input_tokens":');
    await h.proxy.close();
    assert.equal(h.calls.length, 0);
    const problems = h.logs.filter((l) => l.startsWith('warn:'));
    assert.deepEqual(problems, ['warn: Recording proxy: POST /v1/messages: the 2xx response body is not valid JSON; forwarded, not recorded.']);
  });

  it('forwards a JSON body above the reading cap whole, without recording it', async () => {
    const h = (harness = await startProxyOnFake({ maxJsonBodyBytes: 64 * 1024 }));
    const message = fakeMessage({ id: 'msg_01HugeJson', text: 'x'.repeat(300 * 1024) });
    h.fake.use((_req, res) => sendJson(res, 200, message));
    const proxied = await rawRequest(h.proxy.url, messagesPost());
    assert.deepEqual(JSON.parse(proxied.body.toString('utf8')), message);
    await h.proxy.close();
    assert.equal(h.calls.length, 0);
    assert.deepEqual(
      h.logs.filter((l) => l.startsWith('warn:')),
      ['warn: Recording proxy: POST /v1/messages: the JSON body is larger than 64 KB, too large to read its usage; forwarded, not recorded.'],
    );
  });

  it('keeps an upstream path prefix', async () => {
    const h = (harness = await startProxyOnFake());
    const calls: unknown[] = [];
    const prefixed = await startRecordingProxy({
      port: 0,
      upstream: `${h.fake.url}/gateway/anthropic/`,
      record: async (c) => void calls.push(c),
      log: () => {},
    });
    try {
      await rawRequest(prefixed.url, messagesPost());
      assert.equal(h.fake.seen[0].url, '/gateway/anthropic/v1/messages');
    } finally {
      await prefixed.close();
    }
    assert.equal(calls.length, 0, 'the fake answers 404 under the prefix: not recorded');
  });

  it('answers 504 in the API error shape when upstream stays silent past the timeout', async () => {
    const h = (harness = await startProxyOnFake({ requestTimeoutMs: 150 }));
    h.fake.use(() => {}); // never answers
    const proxied = await rawRequest(h.proxy.url, messagesPost());
    assert.equal(proxied.status, 504);
    const body = JSON.parse(proxied.body.toString('utf8')) as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'api_error');
    assert.match(body.error.message, /timed out waiting for http:\/\/127\.0\.0\.1/);
    assert.equal(await h.fake.seen[0].responseEnd, 'aborted', 'the upstream request was abandoned');
    assert.equal(h.calls.length, 0);
  });

  it('rejects absolute-form (forward-proxy) requests with 400', async () => {
    const h = (harness = await startProxyOnFake());
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: h.proxy.port, path: 'http://example.com/v1/messages', agent: false });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 400);
    assert.equal(h.fake.seen.length, 0, 'nothing forwarded for it');
  });

  it('listens on 127.0.0.1 only and reports a busy port clearly', async () => {
    const h = (harness = await startProxyOnFake());
    assert.equal(h.proxy.url, `http://127.0.0.1:${h.proxy.port}`);
    await assert.rejects(
      startRecordingProxy({ port: h.proxy.port, upstream: h.fake.url, record: async () => {}, log: () => {} }),
      /port \d+ on 127\.0\.0\.1 is already in use/,
    );
    await assert.rejects(
      startRecordingProxy({ port: 0, upstream: 'ftp://example.com', record: async () => {}, log: () => {} }),
      /must be an http or https URL/,
    );
  });

  it('forwards error statuses with their bodies byte for byte', async () => {
    const h = (harness = await startProxyOnFake());
    h.fake.use((_req, res) =>
      sendJson(res, 529, apiError('overloaded_error', 'Overloaded'), { headers: { 'request-id': 'req_011Cov', 'x-should-retry': 'true' } }),
    );
    const direct = await rawRequest(h.fake.url, messagesPost());
    const proxied = await rawRequest(h.proxy.url, messagesPost());
    assertSameResponse(direct, proxied);
    assert.equal(h.calls.length, 0);
  });
});
