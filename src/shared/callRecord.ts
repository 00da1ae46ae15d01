/**
 * The call record: one row per Claude API call. Plain data shared by the host, the store's worker,
 * the CLI and the webview. Never holds prompt or response text, never a key.
 */

export type Source = 'chat' | 'agent' | 'memory';
export const SOURCES: readonly Source[] = ['chat', 'agent', 'memory'];
export const SOURCE_LABELS: Readonly<Record<Source, string>> = { chat: 'Chat', agent: 'Agent', memory: 'Memory' };

export function isSource(value: unknown): value is Source {
  return value === 'chat' || value === 'agent' || value === 'memory';
}

/** Token counts of one call, split the way Anthropic bills them. */
export interface TokenCounts {
  /** Uncached input tokens (`usage.input_tokens`). */
  input: number;
  /** Cache writes with the 5-minute TTL. */
  cacheWrite5m: number;
  /** Cache writes with the 1-hour TTL. */
  cacheWrite1h: number;
  /** Cache reads (`usage.cache_read_input_tokens`). */
  cacheRead: number;
  output: number;
}

/** Everything sent to Claude: uncached input plus cache writes plus cache reads. */
export function promptTokens(t: TokenCounts): number {
  return t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

export function totalTokens(t: TokenCounts): number {
  return promptTokens(t) + t.output;
}

/** The conversation or agent a call belongs to: a stable key and a display name that may change later. */
export interface ConsumerRef {
  key: string;
  name: string;
}

/** A call as offered to the recorder, by a collector or by another extension through the public API. */
export interface CallInput {
  /** Stable dedup key. For Anthropic responses the message id (`msg_…`). */
  key: string;
  /** The API request id (`req_…`) when known. */
  requestId?: string;
  /** When the call was made, UTC milliseconds since the epoch. */
  ts: number;
  source: Source;
  consumer: ConsumerRef;
  /** Model id as the API reported it, e.g. `claude-opus-5-5`. */
  model: string;
  tokens: TokenCounts;
  webSearchRequests?: number;
  webFetchRequests?: number;
  /** `usage.service_tier` when known. */
  serviceTier?: string;
  /** `usage.speed`: `standard` | `fast` when known. */
  speed?: string;
  /** `usage.inference_geo` when known (`us` costs 1.1×). */
  inferenceGeo?: string;
  /** How long the call took; null or absent when unknown (never invented). */
  durationMs?: number | null;
  /** Workspace folder / cwd the call came from, when known. */
  project?: string;
  /** Which collector recorded it: `claude-code`, `api:<extension id>`, `proxy`. */
  collector: string;
  /**
   * A copy seen in a side chain (a subagent or side-question transcript). When the same key arrives twice, a
   * non-sidechain copy wins over a sidechain copy, then the copy with the larger token total.
   */
  sidechain?: boolean;
}

/** A stored call: the input plus its price. `costNanos` is null when the model is unknown (unpriced, never $0). */
export interface StoredCall extends CallInput {
  costNanos: number | null;
  /** Version of the price table (plus user overrides) the cost was computed with. */
  priceVersion: string;
}
