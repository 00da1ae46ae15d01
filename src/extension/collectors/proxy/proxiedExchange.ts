/**
 * One request through the proxy: forwarded to upstream unchanged (method, path, query, end-to-end headers, body
 * streamed), the response streamed back unchanged, and a Messages API response watched on the side for its usage.
 * Whatever happens (client gone, upstream down or cut, timeout) the other side is closed and nothing is left open.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { CallInput } from '../../../shared/callRecord';
import type { CallerIdentityReader } from './callerIdentity';
import { CallTracker } from './callTracker';
import { clientResponseHeaders, upstreamRequestHeaders } from './forwardedHeaders';
import { UpstreamTimeoutError, describeNetworkError, sendProxyError } from './proxyErrors';
import type { ProxyLog } from './proxyTypes';
import { pumpWithTap } from './streamPump';
import type { UpstreamTarget } from './upstreamTarget';

export interface ExchangeContext {
  target: UpstreamTarget;
  agent: http.Agent;
  timeoutMs: number;
  maxJsonBodyBytes: number;
  log: ProxyLog;
  identities: CallerIdentityReader;
  record(call: CallInput): void;
  /** Work the proxy's close() should wait for (a call still being concluded). */
  track(work: Promise<void>): void;
}

/** Only the Messages endpoint is a billable call we record; `?beta=true` and other queries don't change that. */
function isMessagesCall(method: string | undefined, url: string): boolean {
  const q = url.indexOf('?');
  return method === 'POST' && (q === -1 ? url : url.slice(0, q)) === '/v1/messages';
}

export function handleExchange(ctx: ExchangeContext, req: IncomingMessage, res: ServerResponse): void {
  const startedAt = performance.now();
  const url = req.url ?? '';
  const label = `${req.method ?? 'GET'} ${url.split('?')[0].slice(0, 100)}`;
  res.sendDate = false; // the upstream's Date header (if any) is the one the client sees
  if (!url.startsWith('/')) {
    sendProxyError(res, 400, 'invalid_request_error', 'The Claude Usage recording proxy only accepts paths such as /v1/messages.');
    req.resume();
    return;
  }
  const { target, log } = ctx;
  const headers = upstreamRequestHeaders(req.rawHeaders, target.hostHeader);
  const identity = isMessagesCall(req.method, url) ? ctx.identities.read(headers) : undefined;
  const request = target.https ? https.request : http.request;
  const upstreamReq = request({
    hostname: target.hostname,
    port: target.port,
    method: req.method,
    path: target.pathPrefix + url,
    headers: headers.forward,
    setHost: false,
    agent: ctx.agent,
  });
  let tracker: CallTracker | undefined;
  let clientGone = false;
  let upstreamFailed = false;

  const onClientGone = (): void => {
    if (clientGone || res.writableFinished) return;
    clientGone = true;
    upstreamReq.destroy();
    tracker?.cut('client');
  };
  res.on('close', onClientGone);
  req.on('error', onClientGone);

  const onUpstreamFailure = (err: unknown): void => {
    if (clientGone || upstreamFailed) return;
    upstreamFailed = true;
    const why = describeNetworkError(err);
    if (res.headersSent) {
      // Mid-body: cut the client's connection too, exactly what it would have seen talking to upstream directly.
      log('warn', `Recording proxy: ${label}: upstream response cut (${why}).`);
      tracker?.cut('upstream');
      res.destroy();
      return;
    }
    const timedOut = err instanceof UpstreamTimeoutError;
    log('warn', `Recording proxy: ${label}: ${timedOut ? 'upstream timed out' : 'could not reach upstream'} (${why}).`);
    const message = timedOut
      ? `The Claude Usage recording proxy timed out waiting for ${target.display} (${why}).`
      : `The Claude Usage recording proxy could not reach upstream ${target.display} (${why}).`;
    sendProxyError(res, timedOut ? 504 : 502, 'api_error', message);
  };

  upstreamReq.setTimeout(ctx.timeoutMs, () => upstreamReq.destroy(new UpstreamTimeoutError(ctx.timeoutMs)));
  upstreamReq.on('error', onUpstreamFailure);
  upstreamReq.on('response', (upstreamRes) => {
    if (clientGone) {
      upstreamRes.destroy();
      return;
    }
    const status = upstreamRes.statusCode ?? 502;
    if (identity && status >= 200 && status < 300) {
      tracker = CallTracker.forResponse(
        { identity, startedAt, log, record: ctx.record, maxJsonBodyBytes: ctx.maxJsonBodyBytes, label },
        upstreamRes.rawHeaders,
      );
    }
    try {
      res.writeHead(status, upstreamRes.statusMessage, clientResponseHeaders(upstreamRes.rawHeaders));
    } catch (err: unknown) {
      // Node refuses to re-send what it considers an invalid status line or header: answer like an unreachable upstream.
      tracker = undefined;
      upstreamRes.destroy();
      onUpstreamFailure(err);
      return;
    }
    // Without this, a response with no body chunks yet would sit in Node's header buffer instead of reaching the client.
    res.flushHeaders();
    pumpWithTap(upstreamRes, res, (chunk) => tapSafely(chunk));
    upstreamRes.on('end', () => {
      res.end();
      if (tracker) ctx.track(tracker.complete());
    });
    upstreamRes.on('error', onUpstreamFailure);
    upstreamRes.on('close', () => {
      if (!upstreamRes.complete) onUpstreamFailure(new Error('upstream closed the connection mid-response'));
    });
  });

  const tapSafely = (chunk: Buffer): void => {
    if (!tracker) return;
    try {
      tracker.write(chunk);
    } catch (err: unknown) {
      // A reading bug must never break forwarding: stop watching this response, keep streaming it.
      log('error', `Recording proxy: ${label}: could not read the response (${describeNetworkError(err)}); not recorded.`);
      tracker = undefined;
    }
  };

  req.pipe(upstreamReq);
}
