/** Builds the public API on top of the store; `vscode`-free so it is tested without an editor. */
import type { CallInput } from '../../shared/callRecord';
import { isSource } from '../../shared/callRecord';
import { nanosToDecimalString } from '../../shared/money';
import { isPeriod, periodRange, type TimeRange } from '../../shared/period';
import { readAnthropicUsage } from '../collectors/anthropicUsage';
import type { StoreApi } from '../store/storeApi';
import type { ApiCall, ApiRecordResult, ApiTotals, ClaudeUsageApi } from './publicApi';

const MAX_NAME = 200;

/** Turns an ApiCall into a CallInput, or throws an Error whose message names the bad field. */
export function apiCallToInput(call: ApiCall, now: number, callerId: string): CallInput {
  if (typeof call !== 'object' || call === null) throw new Error('recordCall: expected a call object');
  if (typeof call.id !== 'string' || call.id.trim() === '' || call.id.length > 200) throw new Error('recordCall: `id` must be the response message id (a non-empty string)');
  if (typeof call.model !== 'string' || call.model.trim() === '') throw new Error('recordCall: `model` must be the model id the response reported');
  if (typeof call.name !== 'string' || call.name.trim() === '') throw new Error('recordCall: `name` must name the conversation or agent');
  const source = call.source ?? 'chat';
  if (!isSource(source)) throw new Error(`recordCall: \`source\` must be chat, agent or memory, got ${JSON.stringify(call.source)}`);
  const usage = readAnthropicUsage(call.usage);
  if (!usage) throw new Error('recordCall: `usage` must be the Messages API usage object with non-negative integer token counts');
  const ts = toEpochMs(call.timestamp, now);
  if (call.durationMs !== undefined && (typeof call.durationMs !== 'number' || !Number.isFinite(call.durationMs) || call.durationMs < 0)) {
    throw new Error('recordCall: `durationMs` must be a non-negative number of milliseconds');
  }
  const name = call.name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME);
  const consumerId = typeof call.consumerId === 'string' && call.consumerId.trim() !== '' ? call.consumerId.trim() : name;
  return {
    key: call.id.trim(),
    requestId: typeof call.requestId === 'string' ? call.requestId : undefined,
    ts,
    source,
    consumer: { key: `api:${callerId}:${consumerId}`, name },
    model: call.model.trim(),
    tokens: usage.tokens,
    webSearchRequests: usage.webSearchRequests,
    webFetchRequests: usage.webFetchRequests,
    serviceTier: usage.serviceTier,
    speed: usage.speed,
    inferenceGeo: usage.inferenceGeo,
    durationMs: call.durationMs === undefined ? null : Math.round(call.durationMs),
    project: typeof call.project === 'string' && call.project !== '' ? call.project : undefined,
    collector: `api:${callerId}`,
  };
}

function toEpochMs(value: ApiCall['timestamp'], now: number): number {
  if (value === undefined) return now;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new Error('recordCall: `timestamp` must be epoch ms, an ISO 8601 string or a Date');
  return Math.round(ms);
}

export interface CreateApiOptions {
  callerId: string;
  /** Settles when the store has opened; calls made before wait for it. */
  ready?: Promise<unknown>;
  now?: () => number;
  onDidChange: ClaudeUsageApi['onDidChange'];
}

export function createApi(store: StoreApi, options: CreateApiOptions): ClaudeUsageApi {
  const now = options.now ?? Date.now;
  const ready = options.ready ?? Promise.resolve();
  return {
    apiVersion: 1,
    async recordCall(call: ApiCall): Promise<ApiRecordResult> {
      const input = apiCallToInput(call, now(), options.callerId);
      await ready;
      // Durable: the call is in the journal on disk (fsynced) before this promise resolves, so a resolved call
      // survives the editor being killed at any moment. If the disk refuses (full, read-only), the call is still
      // counted in memory and written later, but the promise rejects: it was not safely stored. Recording it again
      // is harmless (the same id is stored once).
      const result = await store.record([input], { durable: true });
      const rejected = result.rejected[0];
      if (rejected) throw new Error(`recordCall: ${rejected.message}`);
      if (result.durabilityError) throw new Error(`recordCall: ${result.durabilityError}`);
      const page = await store.records({ range: { from: input.ts, to: input.ts + 1 }, consumerKey: input.consumer.key, search: '', page: 1, pageSize: 100 });
      const row = page.rows.find((r) => r.key === input.key);
      return { stored: result.inserted + result.updated > 0, costUsd: row && row.costNanos !== null ? nanosToDecimalString(row.costNanos) : null };
    },
    async getTotals(range): Promise<ApiTotals> {
      let r: TimeRange;
      if (isPeriod(range)) r = periodRange(range, now());
      else if (range && Number.isFinite(range.from) && Number.isFinite(range.to) && range.from <= range.to) r = { from: range.from, to: range.to };
      else throw new Error('getTotals: expected "24h", "7d", "30d" or { from, to } in epoch ms');
      await ready;
      const s = await store.summary(r);
      return {
        calls: s.calls,
        unpricedCalls: s.unpricedCalls,
        costUsd: nanosToDecimalString(s.costNanos),
        inputTokens: s.tokens.input,
        cacheWriteTokens: s.tokens.cacheWrite5m + s.tokens.cacheWrite1h,
        cacheReadTokens: s.tokens.cacheRead,
        outputTokens: s.tokens.output,
      };
    },
    onDidChange: options.onDidChange,
  };
}
