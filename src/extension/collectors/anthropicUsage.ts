/**
 * The Messages API `usage` object → our token split. Claude Code transcripts, the recording proxy and the public API all
 * carry this same object, so it is read in one place. Input is untrusted JSON: anything that is not a non-negative
 * integer where a count belongs makes the whole usage unreadable (null) rather than a silently wrong number.
 */
import type { TokenCounts } from '../../shared/callRecord';

export interface UsageFacts {
  tokens: TokenCounts;
  webSearchRequests: number;
  webFetchRequests: number;
  serviceTier?: string;
  speed?: string;
  inferenceGeo?: string;
}

type Fields = Record<string, unknown>;

function isObject(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** undefined when absent, NaN when present but not a count. */
function count(obj: Fields, key: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : Number.NaN;
}

function text(obj: Fields, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v !== '' && v.length <= 64 ? v : undefined;
}

export function readAnthropicUsage(usage: unknown): UsageFacts | null {
  if (!isObject(usage)) return null;
  const input = count(usage, 'input_tokens') ?? 0;
  const output = count(usage, 'output_tokens') ?? 0;
  const cacheRead = count(usage, 'cache_read_input_tokens') ?? 0;
  const allWrites = count(usage, 'cache_creation_input_tokens') ?? 0;
  // Without a breakdown every cache write is a 5-minute write (the API's default TTL).
  let w5m = allWrites;
  let w1h = 0;
  if (isObject(usage.cache_creation)) {
    const b5 = count(usage.cache_creation, 'ephemeral_5m_input_tokens');
    const b1 = count(usage.cache_creation, 'ephemeral_1h_input_tokens');
    if (b5 !== undefined || b1 !== undefined) {
      w1h = b1 ?? 0;
      w5m = b5 ?? Math.max(0, allWrites - w1h);
      if (w5m + w1h < allWrites) w5m = allWrites - w1h; // a breakdown that misses some writes: bill the rest as 5m
    }
  }
  let webSearchRequests = 0;
  let webFetchRequests = 0;
  if (isObject(usage.server_tool_use)) {
    webSearchRequests = count(usage.server_tool_use, 'web_search_requests') ?? 0;
    webFetchRequests = count(usage.server_tool_use, 'web_fetch_requests') ?? 0;
  }
  const numbers = [input, output, cacheRead, w5m, w1h, webSearchRequests, webFetchRequests];
  if (numbers.some((n) => !Number.isSafeInteger(n) || n < 0)) return null;
  return {
    tokens: { input, cacheWrite5m: w5m, cacheWrite1h: w1h, cacheRead, output },
    webSearchRequests,
    webFetchRequests,
    serviceTier: text(usage, 'service_tier'),
    speed: text(usage, 'speed'),
    inferenceGeo: text(usage, 'inference_geo'),
  };
}
