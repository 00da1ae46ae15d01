/**
 * The recording proxy's pieces on their own: the incremental SSE reader, usage merging, header rules, client names,
 * upstream URLs, backpressure and the terminal environment helper.
 */
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { applyProxyEnvironment } from '../../src/extension/collectors/proxy';
import { consumerKeyFor, shortClientName } from '../../src/extension/collectors/proxy/callerIdentity';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../src/extension/collectors/proxy/forwardedHeaders';
import { mergeUsage } from '../../src/extension/collectors/proxy/messageOutcome';
import { type SseEvent, SseEventReader } from '../../src/extension/collectors/proxy/sseEventReader';
import { SseMessageObserver } from '../../src/extension/collectors/proxy/sseMessageObserver';
import { pumpWithTap } from '../../src/extension/collectors/proxy/streamPump';
import { parseUpstream } from '../../src/extension/collectors/proxy/upstreamTarget';
import { messageStreamEvents } from '../support/fakeAnthropic';

function readAll(chunks: Uint8Array[], maxEventChars?: number): SseEvent[] {
  const events: SseEvent[] = [];
  const reader = new SseEventReader((e) => events.push(e), maxEventChars);
  for (const c of chunks) reader.push(c);
  reader.end();
  return events;
}

function chunked(text: string, size: number): Uint8Array[] {
  const bytes = Buffer.from(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe('SSE reader', () => {
  const stream =
    ': keep-alive comment\r\n' +
    'event: message_start\r\ndata: {"a":"é✓"}\r\n\r\n' +
    'event: content_block_delta\rdata: line one\rdata:line two\r\r' +
    'data: unnamed\n\n' +
    'event: empty\n\n' +
    'id: 7\nretry: 100\nevent: message_delta\ndata\ndata: x\n\n' +
    'event: never_finished\ndata: {"cut":';
  const expected: SseEvent[] = [
    { event: 'message_start', data: '{"a":"é✓"}', truncated: false },
    { event: 'content_block_delta', data: 'line one\nline two', truncated: false },
    { event: 'message', data: 'unnamed', truncated: false },
    { event: 'message_delta', data: '\nx', truncated: false },
  ];

  it('reads events with CRLF, CR and LF line ends, comments, multi-line data; drops an unfinished last event', () => {
    assert.deepEqual(readAll([Buffer.from(stream)]), expected);
  });

  it('gives the same events when bytes arrive one at a time (split CRLF and split UTF-8)', () => {
    assert.deepEqual(readAll(chunked(stream, 1)), expected);
  });

  it('flags an over-long event as truncated without holding it, and reads on', () => {
    const long = `event: content_block_delta\ndata: ${'q'.repeat(5000)}\n\nevent: message_stop\ndata: {}\n\n`;
    const events = readAll(chunked(long, 97), 1000);
    assert.deepEqual(events, [
      { event: 'content_block_delta', data: '', truncated: true },
      { event: 'message_stop', data: '{}', truncated: false },
    ]);
  });
});

describe('usage from a stream', () => {
  it('lets the cumulative message_delta fields win where present, keeps message_start fields where null', () => {
    const merged = mergeUsage(
      {
        input_tokens: 25,
        cache_creation_input_tokens: 10,
        cache_read_input_tokens: 5,
        output_tokens: 1,
        cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 0 },
        service_tier: 'standard',
      },
      {
        input_tokens: null,
        cache_creation_input_tokens: 40,
        cache_read_input_tokens: null,
        output_tokens: 90,
        server_tool_use: { web_search_requests: 1 },
        cache_creation: { ephemeral_1h_input_tokens: 30 },
      },
    );
    assert.deepEqual(merged, {
      input_tokens: 25,
      cache_creation_input_tokens: 40,
      cache_read_input_tokens: 5,
      output_tokens: 90,
      cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 30 },
      service_tier: 'standard',
      server_tool_use: { web_search_requests: 1 },
    });
  });

  it('knows the final usage only once message_delta has gone by', () => {
    const observer = new SseMessageObserver();
    const events = messageStreamEvents({ id: 'msg_01Observed', deltaUsage: { output_tokens: 50 } });
    for (const e of events.slice(0, -2)) observer.push(Buffer.from(e));
    assert.equal(observer.finalUsageSeen, false);
    assert.deepEqual(observer.outcome(), {
      ok: false,
      problem: 'the event stream ended before its final usage (message_delta)',
    });
    observer.push(Buffer.from(events.at(-2) ?? ''));
    assert.equal(observer.finalUsageSeen, true);
    const outcome = observer.outcome();
    assert.ok(outcome.ok);
    assert.equal(outcome.message.id, 'msg_01Observed');
    assert.equal(outcome.message.usage.tokens.output, 50);
    assert.equal(outcome.message.usage.tokens.input, 12);
  });
});

describe('caller names', () => {
  for (const [agent, name] of [
    ['Anthropic/JS 0.71.2', 'Anthropic/JS'],
    ['Anthropic/Python 0.40.0', 'Anthropic/Python'],
    ['claude-cli/2.1.3 (external, cli)', 'claude-cli'],
    ['curl/8.5.0', 'curl'],
    ['python-requests/2.31.0', 'python-requests'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36', 'Mozilla'],
    ['my tool', 'my tool'],
    [undefined, 'Unknown API client'],
    ['', 'Unknown API client'],
    ['1.2.3', 'Unknown API client'],
  ] as const) {
    it(`"${agent}" → "${name}"`, () => assert.equal(shortClientName(agent), name));
  }

  it('derives the consumer key from the name, case-folded', () => {
    assert.equal(consumerKeyFor('Anthropic/JS'), 'proxy:anthropic/js');
    assert.equal(consumerKeyFor('Anthropic/JS'), consumerKeyFor('anthropic/js'));
  });
});

describe('headers across the proxy', () => {
  it('drops hop-by-hop and our own headers, rewrites Host, keeps order, casing and duplicates', () => {
    const result = upstreamRequestHeaders(
      [
        'Host', '127.0.0.1:8787',
        'X-API-Key', 'k',
        'Connection', 'keep-alive, X-Trace',
        'X-Trace', 'hop',
        'Keep-Alive', 'timeout=5',
        'anthropic-beta', 'a',
        'anthropic-beta', 'b',
        'Transfer-Encoding', 'chunked',
        'Expect', '100-continue',
        'Proxy-Authorization', 'Basic eA==',
        'X-Claude-Usage-Source', 'memory',
        'x-claude-usage-name', 'Notes',
        'User-Agent', 'Anthropic/JS 0.71.2',
      ],
      'api.anthropic.com',
    );
    assert.deepEqual(result.forward, [
      'Host', 'api.anthropic.com',
      'X-API-Key', 'k',
      'anthropic-beta', 'a',
      'anthropic-beta', 'b',
      'User-Agent', 'Anthropic/JS 0.71.2',
    ]);
    assert.equal(result.source, 'memory');
    assert.equal(result.name, 'Notes');
    assert.equal(result.userAgent, 'Anthropic/JS 0.71.2');
  });

  it('passes response headers through except per-connection ones', () => {
    assert.deepEqual(
      clientResponseHeaders(['Content-Type', 'text/event-stream', 'Transfer-Encoding', 'chunked', 'Connection', 'close', 'request-id', 'req_1', 'Set-Cookie', 'a', 'Set-Cookie', 'b']),
      ['Content-Type', 'text/event-stream', 'request-id', 'req_1', 'Set-Cookie', 'a', 'Set-Cookie', 'b'],
    );
  });
});

describe('upstream URL', () => {
  it('reads host, port, prefix and a log-safe form without credentials', () => {
    assert.deepEqual(parseUpstream('https://api.anthropic.com'), {
      https: true, hostname: 'api.anthropic.com', port: 443, hostHeader: 'api.anthropic.com', pathPrefix: '', display: 'https://api.anthropic.com',
    });
    const gateway = parseUpstream('http://user:secret@[::1]:8080/llm/anthropic/?x=1');
    assert.equal(gateway.hostname, '::1');
    assert.equal(gateway.port, 8080);
    assert.equal(gateway.hostHeader, '[::1]:8080');
    assert.equal(gateway.pathPrefix, '/llm/anthropic');
    assert.equal(gateway.display, 'http://[::1]:8080/llm/anthropic');
    assert.throws(() => parseUpstream('api.anthropic.com'), /is not a URL/);
  });
});

describe('backpressure', () => {
  it('pauses the upstream while the client is not reading, resumes when it drains', async () => {
    const source = new PassThrough();
    const pendingCallbacks: Array<() => void> = [];
    const client = new Writable({ highWaterMark: 8, write: (_chunk, _enc, done) => void pendingCallbacks.push(done) });
    const tapped: Buffer[] = [];
    pumpWithTap(source, client, (c) => tapped.push(c));
    source.write(Buffer.alloc(16, 1));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source.isPaused(), true, 'a full client pauses the source');
    source.write(Buffer.alloc(16, 2));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(tapped.length, 1, 'nothing more is read while paused');
    pendingCallbacks.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(tapped.length, 2, 'draining resumes the source');
  });
});

describe('terminal environment', () => {
  it('sets ANTHROPIC_BASE_URL with a visible note, and removes both', () => {
    const vars = new Map<string, string>();
    const collection = {
      description: undefined as unknown,
      replace: (name: string, value: string) => void vars.set(name, value),
      delete: (name: string) => void vars.delete(name),
    };
    applyProxyEnvironment(collection, 'http://127.0.0.1:43123');
    assert.equal(vars.get('ANTHROPIC_BASE_URL'), 'http://127.0.0.1:43123');
    assert.match(String(collection.description), /Claude Usage: ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:43123/);
    applyProxyEnvironment(collection, undefined);
    assert.equal(vars.has('ANTHROPIC_BASE_URL'), false);
    assert.equal(collection.description, undefined);
  });
});
