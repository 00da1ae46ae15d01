/**
 * Reads the API `usage` object of an assistant message into billable token counts. Follows the formula Claude Code
 * applies to itself: 1-hour writes from `cache_creation.ephemeral_1h_input_tokens`, every other cache write at the
 * 5-minute rate; without a `cache_creation` breakdown all writes are 5-minute writes.
 *
 * `usage.iterations[]` entries of type `compaction` (server-side compaction) and `advisor_message` (an advisor model's
 * sub-inference) are billed on top of the top-level counts, which cover only the `message` iterations; they are
 * returned separately so each can become its own record, priced under its own model.
 */
import type { TokenCounts } from '../../../shared/callRecord';
import { asObject, countField, shortString, type JsonObject } from './narrow';

export interface BilledIteration {
  kind: 'compaction' | 'advisor';
  /** Position in `usage.iterations`, part of the derived record's key. */
  index: number;
  model?: string;
  tokens: TokenCounts;
}

export interface UsageFacts {
  tokens: TokenCounts;
  webSearchRequests: number;
  webFetchRequests: number;
  serviceTier?: string;
  speed?: string;
  inferenceGeo?: string;
  iterations: BilledIteration[];
}

const MAX_ITERATIONS = 64;

/** The usage facts, or a reason (no text from the line) why the usage cannot be trusted. */
export function readUsage(value: unknown): UsageFacts | string {
  const usage = asObject(value);
  if (!usage) return 'message.usage is not an object';
  const tokens = readTokens(usage, 'usage');
  if (typeof tokens === 'string') return tokens;

  const server = asObject(usage.server_tool_use);
  const webSearchRequests = server ? countField(server, 'web_search_requests') : undefined;
  const webFetchRequests = server ? countField(server, 'web_fetch_requests') : undefined;
  if (Number.isNaN(webSearchRequests)) return 'usage.server_tool_use.web_search_requests is not a count';
  if (Number.isNaN(webFetchRequests)) return 'usage.server_tool_use.web_fetch_requests is not a count';

  const iterations: BilledIteration[] = [];
  if (Array.isArray(usage.iterations)) {
    const list: unknown[] = usage.iterations;
    for (let index = 0; index < list.length && index < MAX_ITERATIONS; index++) {
      const entry = asObject(list[index]);
      const kind = entry?.type === 'compaction' ? 'compaction' : entry?.type === 'advisor_message' ? 'advisor' : undefined;
      if (!entry || !kind) continue;
      const t = readTokens(entry, `usage.iterations[${index}]`);
      if (typeof t === 'string') return t;
      iterations.push({ kind, index, model: shortString(entry.model), tokens: t });
    }
  }

  return {
    tokens,
    webSearchRequests: webSearchRequests ?? 0,
    webFetchRequests: webFetchRequests ?? 0,
    serviceTier: shortString(usage.service_tier, 40),
    speed: shortString(usage.speed, 40),
    inferenceGeo: shortString(usage.inference_geo, 40),
    iterations,
  };
}

function readTokens(usage: JsonObject, where: string): TokenCounts | string {
  const input = countField(usage, 'input_tokens');
  const output = countField(usage, 'output_tokens');
  const cacheRead = countField(usage, 'cache_read_input_tokens');
  const writesTotal = countField(usage, 'cache_creation_input_tokens');
  if (input === undefined || Number.isNaN(input)) return `${where}.input_tokens is missing or not a count`;
  if (output === undefined || Number.isNaN(output)) return `${where}.output_tokens is missing or not a count`;
  if (Number.isNaN(cacheRead)) return `${where}.cache_read_input_tokens is not a count`;
  if (Number.isNaN(writesTotal)) return `${where}.cache_creation_input_tokens is not a count`;

  let cacheWrite5m = writesTotal ?? 0;
  let cacheWrite1h = 0;
  const breakdown = asObject(usage.cache_creation);
  if (breakdown) {
    const w5m = countField(breakdown, 'ephemeral_5m_input_tokens');
    const w1h = countField(breakdown, 'ephemeral_1h_input_tokens');
    if (Number.isNaN(w5m) || Number.isNaN(w1h)) return `${where}.cache_creation has a value that is not a count`;
    const total = writesTotal ?? (w5m ?? 0) + (w1h ?? 0);
    cacheWrite1h = w1h ?? 0;
    if (cacheWrite1h > total) return `${where}.cache_creation reports more 1h writes than cache_creation_input_tokens`;
    cacheWrite5m = total - cacheWrite1h;
  }
  return { input, cacheWrite5m, cacheWrite1h, cacheRead: cacheRead ?? 0, output };
}
