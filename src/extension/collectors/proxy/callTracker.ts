/**
 * Follows one 2xx Messages API response through the proxy and turns it into a CallInput. A call is recorded once the
 * final usage was seen — the whole JSON body, or the stream's `message_delta` — because from then on the call is billed
 * whether or not the client stays to read the rest. A response cut before that (client gone, upstream cut, timeout)
 * records nothing: its final token counts are unknown and we never invent them.
 */
import type { CallInput } from '../../../shared/callRecord';
import type { CallerIdentity } from './callerIdentity';
import { type DecodedCopy, createDecodedCopy } from './decodedCopy';
import { rawHeaderValue } from './forwardedHeaders';
import { JsonMessageObserver } from './jsonMessageObserver';
import type { MessageObserver, ObservedMessage } from './messageOutcome';
import type { ProxyLog } from './proxyTypes';
import { SseMessageObserver } from './sseMessageObserver';

export interface CallTrackerDeps {
  identity: CallerIdentity;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
  log: ProxyLog;
  record(call: CallInput): void;
  maxJsonBodyBytes: number;
  /** For log lines, e.g. `POST /v1/messages` (never the query string or headers). */
  label: string;
}

export type CutReason = 'client' | 'upstream';

const REQUEST_ID = /^[\w.:-]{1,200}$/;

function observerFor(contentType: string, maxJsonBodyBytes: number): MessageObserver | undefined {
  const mime = contentType.split(';')[0].trim().toLowerCase();
  if (mime === 'text/event-stream') return new SseMessageObserver();
  if (mime === 'application/json' || mime.endsWith('+json')) return new JsonMessageObserver(maxJsonBodyBytes);
  return undefined;
}

export class CallTracker {
  private settled = false;

  private constructor(
    private readonly deps: CallTrackerDeps,
    private readonly observer: MessageObserver,
    private readonly copy: DecodedCopy,
    private readonly requestId: string | undefined,
  ) {}

  /** A tracker for a 2xx response, or undefined (with a log line) when its body cannot be read. */
  static forResponse(deps: CallTrackerDeps, rawHeaders: readonly string[]): CallTracker | undefined {
    const contentType = rawHeaderValue(rawHeaders, 'content-type') ?? '';
    const observer = observerFor(contentType, deps.maxJsonBodyBytes);
    if (!observer) {
      deps.log('warn', `Recording proxy: ${deps.label} answered with content type "${contentType.slice(0, 60)}"; not recorded.`);
      return undefined;
    }
    const copy = createDecodedCopy(rawHeaderValue(rawHeaders, 'content-encoding'), observer);
    if ('unreadable' in copy) {
      deps.log('warn', `Recording proxy: ${deps.label}: ${copy.unreadable}; forwarded, not recorded.`);
      return undefined;
    }
    const requestId = rawHeaderValue(rawHeaders, 'request-id');
    return new CallTracker(deps, observer, copy, requestId && REQUEST_ID.test(requestId) ? requestId : undefined);
  }

  write(chunk: Buffer): void {
    if (!this.settled) this.copy.write(chunk);
  }

  /** The upstream response ended normally. */
  async complete(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    const endedAt = performance.now();
    const endedWall = Date.now();
    await this.copy.end();
    this.conclude(endedAt, endedWall, undefined);
  }

  /** The response stopped early. Records only when the final usage had already gone by. */
  cut(reason: CutReason): void {
    if (this.settled) return;
    this.settled = true;
    this.copy.destroy();
    this.conclude(performance.now(), Date.now(), reason);
  }

  private conclude(endedAt: number, endedWall: number, cut: CutReason | undefined): void {
    const { label, log } = this.deps;
    if (cut && !this.observer.finalUsageSeen) {
      const who = cut === 'client' ? 'the client disconnected' : 'the upstream response was cut';
      log(cut === 'client' ? 'info' : 'warn', `Recording proxy: ${label}: ${who} before the final usage; nothing recorded.`);
      return;
    }
    const problem = this.copy.problem;
    const outcome = problem === undefined ? this.observer.outcome() : { ok: false as const, problem };
    if (!outcome.ok) {
      log('warn', `Recording proxy: ${label}: ${outcome.problem}; forwarded, not recorded.`);
      return;
    }
    this.deps.record(this.toCall(outcome.message, endedAt, endedWall));
  }

  private toCall(message: ObservedMessage, endedAt: number, endedWall: number): CallInput {
    const { identity, startedAt } = this.deps;
    const { usage } = message;
    const call: CallInput = {
      key: message.id,
      ts: endedWall,
      source: identity.source,
      consumer: { ...identity.consumer },
      model: message.model,
      tokens: { ...usage.tokens },
      webSearchRequests: usage.webSearchRequests,
      webFetchRequests: usage.webFetchRequests,
      durationMs: Math.max(0, Math.round(endedAt - startedAt)),
      collector: 'proxy',
    };
    if (this.requestId) call.requestId = this.requestId;
    if (usage.serviceTier) call.serviceTier = usage.serviceTier;
    if (usage.speed) call.speed = usage.speed;
    if (usage.inferenceGeo) call.inferenceGeo = usage.inferenceGeo;
    return call;
  }
}
