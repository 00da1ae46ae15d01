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
import { F, fillFromObject, LineFields } from './lineFields';
import { asObject, countValue, shortString, type JsonObject } from './narrow';
import { USAGE } from './transcriptSchema';

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

/** The usage facts of a plain object, or a reason (no text from the line) why the usage cannot be trusted. */
export function readUsage(value: unknown): UsageFacts | string {
  const obj = asObject(value);
  const fields = new LineFields();
  return usageFacts(fields, obj ? fieldsOf(fields, obj).root : undefined);
}

/** Fields of an iterations entry (a plain object inside the kept `iterations` array), one entry at a time. */
const ENTRY_FIELDS = new LineFields();

function fieldsOf(fields: LineFields, obj: JsonObject): LineFields {
  fields.begin(undefined);
  fillFromObject(fields, fields.root, obj, USAGE);
  return fields;
}

/**
 * The usage facts of a message's `usage`: the node `usage` of `v` (undefined: it is not an object), or a reason (no
 * text from the line) why the usage cannot be trusted.
 */
export function usageFacts(v: LineFields, usage: number | undefined): UsageFacts | string {
  if (usage === undefined) return 'message.usage is not an object';
  const tokens = readTokens(v, usage, 'usage');
  if (typeof tokens === 'string') return tokens;

  const server = v.child(usage, F.server_tool_use);
  const webSearchRequests = server === undefined ? undefined : countValue(v.value(server, F.web_search_requests));
  const webFetchRequests = server === undefined ? undefined : countValue(v.value(server, F.web_fetch_requests));
  if (Number.isNaN(webSearchRequests)) return 'usage.server_tool_use.web_search_requests is not a count';
  if (Number.isNaN(webFetchRequests)) return 'usage.server_tool_use.web_fetch_requests is not a count';

  const iterations: BilledIteration[] = [];
  const list = v.value(usage, F.iterations);
  if (Array.isArray(list)) {
    // Kept whole (a plain array), so its entries are plain objects.
    const entries: unknown[] = list;
    for (let index = 0; index < entries.length && index < MAX_ITERATIONS; index++) {
      const entry = asObject(entries[index]);
      const kind = entry?.type === 'compaction' ? 'compaction' : entry?.type === 'advisor_message' ? 'advisor' : undefined;
      if (!entry || !kind) continue;
      const t = readTokens(fieldsOf(ENTRY_FIELDS, entry), ENTRY_FIELDS.root, `usage.iterations[${index}]`);
      if (typeof t === 'string') return t;
      iterations.push({ kind, index, model: shortString(entry.model), tokens: t });
    }
  }

  return {
    tokens,
    webSearchRequests: webSearchRequests ?? 0,
    webFetchRequests: webFetchRequests ?? 0,
    serviceTier: shortString(v.value(usage, F.service_tier), 40),
    speed: shortString(v.value(usage, F.speed), 40),
    inferenceGeo: shortString(v.value(usage, F.inference_geo), 40),
    iterations,
  };
}

function readTokens(v: LineFields, usage: number, where: string): TokenCounts | string {
  const input = countValue(v.value(usage, F.input_tokens));
  const output = countValue(v.value(usage, F.output_tokens));
  const cacheRead = countValue(v.value(usage, F.cache_read_input_tokens));
  const writesTotal = countValue(v.value(usage, F.cache_creation_input_tokens));
  if (input === undefined || Number.isNaN(input)) return `${where}.input_tokens is missing or not a count`;
  if (output === undefined || Number.isNaN(output)) return `${where}.output_tokens is missing or not a count`;
  if (Number.isNaN(cacheRead)) return `${where}.cache_read_input_tokens is not a count`;
  if (Number.isNaN(writesTotal)) return `${where}.cache_creation_input_tokens is not a count`;

  let cacheWrite5m = writesTotal ?? 0;
  let cacheWrite1h = 0;
  const breakdown = v.child(usage, F.cache_creation);
  if (breakdown !== undefined) {
    const w5m = countValue(v.value(breakdown, F.ephemeral_5m_input_tokens));
    const w1h = countValue(v.value(breakdown, F.ephemeral_1h_input_tokens));
    if (Number.isNaN(w5m) || Number.isNaN(w1h)) return `${where}.cache_creation has a value that is not a count`;
    const total = writesTotal ?? (w5m ?? 0) + (w1h ?? 0);
    cacheWrite1h = w1h ?? 0;
    if (cacheWrite1h > total) return `${where}.cache_creation reports more 1h writes than cache_creation_input_tokens`;
    cacheWrite5m = total - cacheWrite1h;
  }
  return { input, cacheWrite5m, cacheWrite1h, cacheRead: cacheRead ?? 0, output };
}
