/**
 * A loopback stand-in for the Anthropic API (127.0.0.1 only) that replays real-shaped Messages API responses: JSON
 * messages, SSE streams (message_start / content_block_* / ping / message_delta / message_stop), errors, 429 and 529,
 * cut or malformed streams, compressed bodies, token counting, batches and models. It remembers every request it saw
 * (headers and body), so tests can check what the proxy forwarded.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { CallInput } from '../../src/shared/callRecord';
import { startRecordingProxy } from '../../src/extension/collectors/proxy';
import type { RecordingProxy, RecordingProxyOptions } from '../../src/extension/collectors/proxy';

export interface SeenRequest {
  method: string;
  url: string;
  rawHeaders: string[];
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** How the fake's response ended: sent whole, or closed by the peer (the proxy) first. */
  responseEnd: Promise<'finished' | 'aborted'>;
}

export type FakeHandler = (req: SeenRequest, res: ServerResponse) => void | Promise<void>;

/** The date every fake response carries, so direct and proxied responses compare byte for byte. */
export const FAKE_DATE = 'Mon, 02 Mar 2026 10:00:00 GMT';

let requestCounter = 0;

/** Headers the real API sends on every response (values made up, shapes real). */
export function apiHeaders(contentType: string, extra: Record<string, string> = {}): Record<string, string> {
  requestCounter += 1;
  return {
    Date: FAKE_DATE,
    'Content-Type': contentType,
    'request-id': `req_011CfakeRequest${String(requestCounter).padStart(6, '0')}`,
    'anthropic-organization-id': '6f1c3a0e-0000-4000-8000-000000000000',
    'anthropic-ratelimit-requests-limit': '4000',
    'anthropic-ratelimit-requests-remaining': '3999',
    'anthropic-ratelimit-requests-reset': '2026-03-02T10:00:01Z',
    'x-robots-tag': 'none',
    via: '1.1 google',
    'cf-cache-status': 'DYNAMIC',
    Server: 'cloudflare',
    'CF-RAY': '9a0b1c2d3e4f5a6b-AMS',
    ...extra,
  };
}

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | null;
  server_tool_use?: { web_search_requests?: number; web_fetch_requests?: number } | null;
  service_tier?: string | null;
  inference_geo?: string;
  speed?: string;
}

export interface FakeMessageOptions {
  id?: string;
  model?: string;
  text?: string;
  usage?: Partial<FakeUsage>;
}

let messageCounter = 0;

export function nextMessageId(): string {
  messageCounter += 1;
  return `msg_01FakeMessage${String(messageCounter).padStart(8, '0')}`;
}

export function fakeMessage(options: FakeMessageOptions = {}): Record<string, unknown> {
  return {
    id: options.id ?? nextMessageId(),
    type: 'message',
    role: 'assistant',
    model: options.model ?? 'claude-sonnet-4-5-20250929',
    content: [{ type: 'text', text: options.text ?? 'Hello! How can I help you today?' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: 9,
      service_tier: 'standard',
      ...options.usage,
    },
  };
}

export type BodyEncoding = 'gzip' | 'br' | 'deflate';

function encode(body: Buffer, encoding: BodyEncoding | undefined): Buffer {
  if (encoding === 'gzip') return zlib.gzipSync(body);
  if (encoding === 'br') return zlib.brotliCompressSync(body);
  if (encoding === 'deflate') return zlib.deflateSync(body);
  return body;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  options: { encoding?: BodyEncoding; headers?: Record<string, string> } = {},
): void {
  const body = encode(Buffer.from(JSON.stringify(value)), options.encoding);
  const headers = apiHeaders('application/json', options.headers);
  if (options.encoding) headers['Content-Encoding'] = options.encoding;
  headers['Content-Length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
}

export function apiError(type: string, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message }, request_id: 'req_011CfakeError' };
}

/** One SSE event as the API writes it. */
export function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export interface FakeStreamOptions extends FakeMessageOptions {
  /** Usage of the final message_delta (cumulative); default `{output_tokens: <message output>}`. */
  deltaUsage?: Record<string, unknown>;
  /** Number of text_delta events. */
  deltas?: number;
}

/** The events of a streamed message, in the API's order, with a ping after the first content block start. */
export function messageStreamEvents(options: FakeStreamOptions = {}): string[] {
  const message = fakeMessage(options);
  const usage = message.usage as FakeUsage;
  const startUsage = { ...usage, output_tokens: 1 };
  const text = options.text ?? 'Hello! How can I help you today?';
  const deltas = options.deltas ?? 3;
  const pieceLength = Math.ceil(text.length / deltas);
  const events = [
    sseEvent('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: startUsage } }),
    sseEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    sseEvent('ping', { type: 'ping' }),
  ];
  for (let i = 0; i < deltas; i++) {
    const piece = text.slice(i * pieceLength, (i + 1) * pieceLength);
    events.push(
      sseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }),
    );
  }
  events.push(
    sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sseEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: options.deltaUsage ?? { output_tokens: usage.output_tokens },
    }),
    sseEvent('message_stop', { type: 'message_stop' }),
  );
  return events;
}

export interface SendSseOptions {
  encoding?: 'gzip';
  /** Extra or replacement response headers (e.g. a fixed `request-id` for byte-for-byte comparisons). */
  headers?: Record<string, string>;
  /** Write this many events, then wait for `resume` before the rest. */
  pauseAfter?: number;
  resume?: Promise<void>;
  /** Write this many events, then destroy the connection (a cut stream). */
  cutAfter?: number;
  /** Called once the first `pauseAfter` events were written. */
  onPaused?: () => void;
}

/** Streams events one write each (as the API does), honouring backpressure. */
export async function sendSse(res: ServerResponse, events: readonly string[], options: SendSseOptions = {}): Promise<void> {
  const headers = apiHeaders('text/event-stream; charset=utf-8', { 'Cache-Control': 'no-cache', ...options.headers });
  const gzip = options.encoding === 'gzip' ? zlib.createGzip() : undefined;
  if (gzip) headers['Content-Encoding'] = 'gzip';
  res.writeHead(200, headers);
  res.flushHeaders();
  const write = async (text: string): Promise<void> => {
    if (res.destroyed) return;
    let chunk: Buffer = Buffer.from(text);
    if (gzip) chunk = await gzipFlush(gzip, chunk);
    if (!res.write(chunk) && !res.destroyed) await drainOrClose(res);
  };
  for (let i = 0; i < events.length; i++) {
    if (i === options.cutAfter) {
      res.socket?.destroy();
      return;
    }
    if (i === options.pauseAfter) {
      options.onPaused?.();
      await options.resume;
    }
    await write(events[i]);
  }
  if (gzip) {
    const tail = await new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [];
      gzip.on('data', (d: Buffer) => parts.push(d)).on('end', () => resolve(Buffer.concat(parts)));
      gzip.end();
    });
    if (!res.destroyed) res.write(tail);
  }
  if (!res.destroyed) res.end();
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/** Compresses one piece and flushes it, like a server streaming gzip-encoded SSE. */
function gzipFlush(gzip: zlib.Gzip, chunk: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const onData = (d: Buffer): void => void parts.push(d);
    gzip.on('data', onData);
    gzip.write(chunk);
    gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      gzip.off('data', onData);
      resolve(Buffer.concat(parts));
    });
  });
}

/** What the real API answers on the endpoints our tests touch, when no test-specific handler is set. */
export const defaultHandler: FakeHandler = async (req, res) => {
  const path = req.url.split('?')[0];
  let body: Record<string, unknown> = {};
  try {
    body = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Record<string, unknown>) : {};
  } catch {
    sendJson(res, 400, apiError('invalid_request_error', 'Invalid JSON body'));
    return;
  }
  const model = typeof body.model === 'string' ? body.model : undefined;
  if (req.method === 'POST' && path === '/v1/messages') {
    if (body.stream === true) await sendSse(res, messageStreamEvents({ model }));
    else sendJson(res, 200, fakeMessage({ model }));
  } else if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
    sendJson(res, 200, { input_tokens: 2095 });
  } else if (req.method === 'POST' && path === '/v1/messages/batches') {
    sendJson(res, 200, fakeBatch());
  } else if (req.method === 'GET' && path.startsWith('/v1/messages/batches/')) {
    sendJson(res, 200, fakeBatch());
  } else if (req.method === 'GET' && path === '/v1/models') {
    sendJson(res, 200, {
      data: [{ type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }],
      has_more: false,
      first_id: 'claude-sonnet-4-5-20250929',
      last_id: 'claude-sonnet-4-5-20250929',
    });
  } else {
    sendJson(res, 404, apiError('not_found_error', 'Not found'));
  }
};

export function fakeBatch(): Record<string, unknown> {
  return {
    id: 'msgbatch_013Zva2CMHLNnXjNJJKqJ2EF',
    type: 'message_batch',
    processing_status: 'in_progress',
    request_counts: { processing: 1, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    ended_at: null,
    created_at: '2026-03-02T10:00:00Z',
    expires_at: '2026-03-03T10:00:00Z',
    cancel_initiated_at: null,
    results_url: null,
    archived_at: null,
  };
}

export class FakeAnthropic {
  readonly seen: SeenRequest[] = [];
  private handler: FakeHandler = defaultHandler;

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeAnthropic> {
    let fake: FakeAnthropic | undefined;
    const server = http.createServer((req, res) => void fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeAnthropic(server, (server.address() as AddressInfo).port);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answer the following requests with this handler (until set again). */
  use(handler: FakeHandler): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.sendDate = false;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const responseEnd = new Promise<'finished' | 'aborted'>((resolve) =>
      res.once('close', () => resolve(res.writableFinished ? 'finished' : 'aborted')),
    );
    const seen: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: req.rawHeaders,
      headers: req.headers,
      body: Buffer.concat(chunks),
      responseEnd,
    };
    this.seen.push(seen);
    try {
      await this.handler(seen, res);
    } catch {
      res.destroy();
    }
  }
}

// ---- Test harness: the recording proxy in front of the fake, with everything it recorded and logged. ----

export interface ProxyOnFake {
  fake: FakeAnthropic;
  proxy: RecordingProxy;
  calls: CallInput[];
  logs: string[];
  /** Everything recorded and logged, as one text (for "never contains the key" checks). */
  everything(): string;
  close(): Promise<void>;
}

export async function startProxyOnFake(options: Partial<RecordingProxyOptions> = {}): Promise<ProxyOnFake> {
  const fake = await FakeAnthropic.start();
  const calls: CallInput[] = [];
  const logs: string[] = [];
  const proxy = await startRecordingProxy({
    port: 0,
    upstream: fake.url,
    record: async (call) => void calls.push(call),
    log: (level, message) => void logs.push(`${level}: ${message}`),
    ...options,
  });
  return {
    fake,
    proxy,
    calls,
    logs,
    everything: () => JSON.stringify({ calls, logs }),
    close: async () => {
      await proxy.close();
      await fake.close();
    },
  };
}

export interface RawResponse {
  status: number;
  statusMessage: string;
  rawHeaders: string[];
  body: Buffer;
}

/** A plain HTTP/1.1 request without keep-alive; the body is read whole. */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}${options.path}`,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Resolves once `check` holds (polled; a condition, never a fixed wait). */
export async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 2));
}
