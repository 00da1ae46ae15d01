/**
 * The API other extensions get from `vscode.extensions.getExtension('claude-usage.claude-usage').activate()`.
 * Documented in README. Types here are the public contract: add optional fields only.
 */
import type { Source } from '../../shared/callRecord';
import type { Period } from '../../shared/period';

/** One Claude API call, as another extension reports it. Never pass prompt or response text. */
export interface ApiCall {
  /** The response's message id (`msg_…`): the dedup key. The same id recorded twice is stored once. */
  id: string;
  /** The `request-id` response header, when known. */
  requestId?: string;
  /** The response's `model`, e.g. `claude-sonnet-4-5`. */
  model: string;
  /** The response's `usage` object, exactly as the Messages API returned it (from the JSON body or the final stream event). */
  usage: unknown;
  /** `chat` (a person is waiting), `agent` (automated work) or `memory` (summaries, titles, memory upkeep). Default `chat`. */
  source?: Source;
  /** Display name of the conversation or agent the call belongs to, e.g. "Refactor assistant". */
  name: string;
  /** Stable id of that conversation or agent; defaults to the name. */
  consumerId?: string;
  /** When the call was made: epoch ms, ISO string or Date. Default: now. */
  timestamp?: number | string | Date;
  /** How long the call took, when measured. */
  durationMs?: number;
  /** The workspace folder the call was made for. */
  project?: string;
}

export interface ApiRecordResult {
  /** True when the call was new or replaced an earlier partial copy. */
  stored: boolean;
  /** Exact cost in USD as a decimal string, or null when the model has no known price. */
  costUsd: string | null;
}

export interface ApiTotals {
  calls: number;
  unpricedCalls: number;
  /** Exact USD decimal string. */
  costUsd: string;
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
}

export interface ClaudeUsageApi {
  readonly apiVersion: 1;
  /** Validates, prices and stores one call. Rejects with a message naming the bad field. */
  recordCall(call: ApiCall): Promise<ApiRecordResult>;
  /** Totals for a period ending now, or for an explicit [from, to) range in epoch ms. */
  getTotals(range: Period | { from: number; to: number }): Promise<ApiTotals>;
  /** Called (coalesced) whenever stored usage changes, whatever recorded it. */
  onDidChange(listener: () => void): { dispose(): void };
}
