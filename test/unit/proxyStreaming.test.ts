/**
 * Streaming through the recording proxy: events reach the client as they arrive, disconnects and cuts on either side
 * close the other side, broken or huge streams are forwarded whole and recorded only when their usage is complete.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import {
  type ProxyOnFake,
  eventually,
  messageStreamEvents,
  rawRequest,
  sendSse,
  sseEvent,
  startProxyOnFake,
} from '../support/fakeAnthropic';

const API_KEY = 'sk-ant-api03-SECRET-streaming-key-0123456789';
const MODEL = 'claude-sonnet-4-5-20250929';
const TEST_TIMEOUT = { timeout: 20_000 }; // a proxy that buffered a stream would hang these tests, not pass them

const streamRequest = {
  method: 'POST',
  path: '/v1/messages',
  headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' },
  body: JSON.stringify({ model: MODEL, max_tokens: 16, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
};

interface OpenStream {
  req: ClientRequest;
  res: IncomingMessage;
  text: () => string;
  /** Resolves when the received text satisfies `check`. */
  until(check: (text: string) => boolean): Promise<void>;
  /** Resolves with how the response ended. */
  ended: Promise<'end' | 'cut'>;
}

function openStream(baseUrl: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${streamRequest.path}`, { method: 'POST', headers: streamRequest.headers, agent: false });
    req.on('error', () => {}); // a destroyed request errors; the tests look at the response
    req.on('response', (res) => {
      let received = '';
      const waiters: Array<{ check: (t: string) => boolean; done: () => void }> = [];
      const settle = (): void => {
        for (const w of [...waiters]) {
          if (w.check(received)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.done();
          }
        }
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        received += chunk;
        settle();
      });
      res.on('error', () => {});
      const ended = new Promise<'end' | 'cut'>((done) => {
        res.on('end', () => done('end'));
        res.on('close', () => done(res.complete ? 'end' : 'cut'));
      });
      resolve({
        req,
        res,
        text: () => received,
        until: (check) =>
          new Promise<void>((done) => {
            waiters.push({ check, done });
            settle();
          }),
        ended,
      });
    });
    req.on('error', reject);
    req.end(streamRequest.body);
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

let harness: ProxyOnFake | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('recording proxy streaming', () => {
  it('forwards each SSE event as it arrives, before upstream sends the rest', TEST_TIMEOUT, async () => {
    const h = (harness = await startProxyOnFake());
    const events = messageStreamEvents({ id: 'msg_01Incremental' });
    const gate = deferred();
    h.fake.use((_req, res) => sendSse(res, events, { pauseAfter: 1, resume: gate.promise }));
    const stream = await openStream(h.proxy.url);
    await stream.until((t) => t.includes('"type":"message_start"'));
    assert.equal(stream.text(), events[0], 'the client has message_start while upstream still holds the rest');
    gate.resolve();
    assert.equal(await stream.ended, 'end');
    assert.equal(stream.text(), events.join(''));
    assert.equal(h.calls.length, 1);
  });

  it('aborts upstream when the client disconnects mid-stream and records nothing', TEST_TIMEOUT, async () => {
    const h = (harness = await startProxyOnFake());
    const gate = deferred();
    h.fake.use((_req, res) => sendSse(res, messageStreamEvents(), { pauseAfter: 3, resume: gate.promise }));
    const stream = await openStream(h.proxy.url);
    await stream.until((t) => t.includes('event: ping'));
    stream.req.destroy();
    assert.equal(await h.fake.seen[0].responseEnd, 'aborted', 'the proxy closed its upstream request');
    gate.resolve();
    await eventually(() => h.logs.some((l) => l.includes('client disconnected')));
    assert.equal(h.calls.length, 0);
    assert.deepEqual(
      h.logs.filter((l) => !l.includes('listening')),
      ['info: Recording proxy: POST /v1/messages: the client disconnected before the final usage; nothing recorded.'],
    );

    // Still serving afterwards.
    h.fake.use((_req, res) => sendSse(res, messageStreamEvents()));
    const next = await new Anthropic({ apiKey: API_KEY, baseURL: h.proxy.url, maxRetries: 0 }).messages
      .stream({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    assert.equal(h.calls.length, 1);
    assert.equal(h.calls[0].key, next.id);
  });

  it('records a call whose final message_delta arrived before the client disconnected', TEST_TIMEOUT, async () => {
    const h = (harness = await startProxyOnFake());
    const events = messageStreamEvents({ id: 'msg_01LeftAfterDelta', deltaUsage: { output_tokens: 31 } });
    const gate = deferred();
    h.fake.use((_req, res) => sendSse(res, events, { pauseAfter: events.length - 1, resume: gate.promise }));
    const stream = await openStream(h.proxy.url);
    await stream.until((t) => t.includes('"type":"message_delta"') && t.endsWith('\n\n'));
    stream.req.destroy();
    await eventually(() => h.calls.length === 1);
    gate.resolve();
    assert.equal(h.calls[0].key, 'msg_01LeftAfterDelta');
    assert.equal(h.calls[0].tokens.output, 31);
  });

  it('cuts the client when upstream cuts the stream, and records nothing', TEST_TIMEOUT, async () => {
    const h = (harness = await startProxyOnFake());
    h.fake.use((_req, res) => sendSse(res, messageStreamEvents(), { cutAfter: 4 }));
    const sdk = new Anthropic({ apiKey: API_KEY, baseURL: h.proxy.url, maxRetries: 0 });
    const stream = sdk.messages.stream({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    await assert.rejects(stream.finalMessage());
    await eventually(() => h.logs.some((l) => l.includes('upstream response was cut')));
    assert.equal(h.calls.length, 0);
    assert.ok(!h.everything().includes(API_KEY));
  });

  it('cuts the stream when upstream goes silent past the timeout', TEST_TIMEOUT, async () => {
    const h = (harness = await startProxyOnFake({ requestTimeoutMs: 150 }));
    const gate = deferred();
    h.fake.use((_req, res) => sendSse(res, messageStreamEvents(), { pauseAfter: 2, resume: gate.promise }));
    const stream = await openStream(h.proxy.url);
    assert.equal(await stream.ended, 'cut');
    assert.equal(await h.fake.seen[0].responseEnd, 'aborted');
    gate.resolve();
    assert.equal(h.calls.length, 0);
    assert.ok(h.logs.some((l) => /upstream response cut \(no response from upstream/.test(l)), h.logs.join('\n'));
  });

  const malformed: Array<[string, string[], RegExp]> = [
    [
      'a message_start that is not JSON',
      [sseEvent('message_start', '{"type":"message_start","message":{"id":"msg_01Bro'), ...messageStreamEvents().slice(1)],
      /the message_start event is not valid JSON/,
    ],
    ['a body that is not SSE at all', ['<html>upstream hiccup</html>\n'], /had no message_start event/],
    ['a message_delta without message_start', messageStreamEvents().slice(1), /message_delta event came before message_start/],
    ['a stream without usage in message_delta', [...messageStreamEvents().slice(0, -2).concat(sseEvent('message_delta', { type: 'message_delta', delta: {} }))], /carried no usage/],
  ];
  for (const [what, events, problem] of malformed) {
    it(`forwards a 200 stream with ${what} unchanged, records nothing and logs one line`, TEST_TIMEOUT, async () => {
      const h = (harness = await startProxyOnFake());
      h.fake.use((_req, res) => sendSse(res, events, { headers: { 'request-id': 'req_011Cbroken' } }));
      const direct = await rawRequest(h.fake.url, streamRequest);
      const proxied = await rawRequest(h.proxy.url, streamRequest);
      assert.ok(proxied.body.equals(direct.body));
      assert.equal(proxied.body.toString('utf8'), events.join(''));
      await h.proxy.close();
      assert.equal(h.calls.length, 0);
      const warnings = h.logs.filter((l) => l.startsWith('warn:'));
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0], problem);
    });
  }

  it('records nothing for a stream that carries an error event', TEST_TIMEOUT, async () => {
    const h = (harness = await startProxyOnFake());
    const events = [
      ...messageStreamEvents().slice(0, 3),
      sseEvent('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ];
    h.fake.use((_req, res) => sendSse(res, events));
    const sdk = new Anthropic({ apiKey: API_KEY, baseURL: h.proxy.url, maxRetries: 0 });
    const stream = sdk.messages.stream({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    await assert.rejects(stream.finalMessage(), /Overloaded/);
    await h.proxy.close();
    assert.equal(h.calls.length, 0);
    assert.ok(h.logs.some((l) => l.includes('error event (overloaded_error)')), h.logs.join('\n'));
  });

  it('streams a huge response whole and still records it (incremental parsing)', TEST_TIMEOUT, async () => {
    const h = (harness = await startProxyOnFake());
    // 8 MB of text in 2 KB deltas, plus one 6 MB delta: longer than one SSE event the proxy would ever hold.
    const events = [
      ...messageStreamEvents({ id: 'msg_01Huge', text: 'y'.repeat(8 * 1024 * 1024), deltas: 4096 }).slice(0, -3),
      sseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'z'.repeat(6 * 1024 * 1024) } }),
      ...messageStreamEvents({ deltaUsage: { output_tokens: 4_000_000 } }).slice(-3),
    ];
    const expected = createHash('sha256').update(events.join('')).digest('hex');
    h.fake.use((_req, res) => sendSse(res, events));
    const proxied = await rawRequest(h.proxy.url, streamRequest);
    assert.equal(createHash('sha256').update(proxied.body).digest('hex'), expected);
    assert.equal(h.calls.length, 1, h.logs.join('\n'));
    assert.equal(h.calls[0].key, 'msg_01Huge');
    assert.equal(h.calls[0].tokens.output, 4_000_000);
  });

  it('serves a slow reader completely, at its own pace', TEST_TIMEOUT, async () => {
    const h = (harness = await startProxyOnFake());
    const events = messageStreamEvents({ id: 'msg_01Slow', text: 'w'.repeat(2 * 1024 * 1024), deltas: 256 });
    h.fake.use((_req, res) => sendSse(res, events));
    const received = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(`${h.proxy.url}/v1/messages`, { method: 'POST', headers: streamRequest.headers, agent: false });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          res.pause(); // read one chunk, then let the proxy wait
          setImmediate(() => res.resume());
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
      });
      req.on('error', reject);
      req.end(streamRequest.body);
    });
    assert.equal(received.toString('utf8'), events.join(''));
    assert.equal(h.calls.length, 1);
    assert.equal(h.calls[0].key, 'msg_01Slow');
  });

  it('close() cuts open streams and returns', TEST_TIMEOUT, async () => {
    const h = (harness = await startProxyOnFake());
    const gate = deferred();
    h.fake.use((_req, res) => sendSse(res, messageStreamEvents(), { pauseAfter: 2, resume: gate.promise }));
    const stream = await openStream(h.proxy.url);
    await stream.until((t) => t.includes('content_block_start'));
    await h.proxy.close();
    assert.equal(await stream.ended, 'cut');
    assert.equal(await h.fake.seen[0].responseEnd, 'aborted');
    gate.resolve();
    assert.equal(h.calls.length, 0);
  });
});
