/**
 * Builders for Claude Code transcript lines in the shapes of ../../../shared/facts/claude-code-transcripts.md (field
 * order as Claude Code writes them), plus a seeded PRNG. Used by the fixture generator and the scale corpus.
 */
import { mulberry32 } from './seededRandom';

export interface LineEnv {
  sessionId: string;
  cwd: string;
  entrypoint?: string;
  sessionKind?: string;
  version?: string;
  gitBranch?: string;
  isSidechain?: boolean;
  agentId?: string;
}

export interface UsageSpec {
  input: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
  output: number;
  /** Write `cache_creation` with the 5m/1h split (current versions); false: only the total (old versions). */
  breakdown?: boolean;
  webSearch?: number;
  webFetch?: number;
  serviceTier?: string;
  speed?: string;
  inferenceGeo?: string;
  iterations?: unknown[];
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export const prng = mulberry32;

export function idMaker(random: () => number): { hex(n: number): string; uuid(): string; int(min: number, max: number): number } {
  const hex = (n: number): string => {
    let s = '';
    while (s.length < n) s += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  };
  return {
    hex,
    uuid: () => {
      const h = hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
  };
}

export function usageObject(u: UsageSpec): Record<string, unknown> {
  const w5 = u.cacheWrite5m ?? 0;
  const w1 = u.cacheWrite1h ?? 0;
  const out: Record<string, unknown> = {
    input_tokens: u.input,
    cache_creation_input_tokens: w5 + w1,
    cache_read_input_tokens: u.cacheRead ?? 0,
    output_tokens: u.output,
  };
  if (u.breakdown !== false) {
    out.server_tool_use = { web_search_requests: u.webSearch ?? 0, web_fetch_requests: u.webFetch ?? 0 };
    out.service_tier = u.serviceTier ?? 'standard';
    out.cache_creation = { ephemeral_1h_input_tokens: w1, ephemeral_5m_input_tokens: w5 };
    out.inference_geo = u.inferenceGeo ?? '';
    if (u.iterations) out.iterations = u.iterations;
    out.speed = u.speed ?? 'standard';
  } else if (u.webSearch) {
    out.server_tool_use = { web_search_requests: u.webSearch, web_fetch_requests: u.webFetch ?? 0 };
  }
  return out;
}

function envelopeHead(env: LineEnv, parentUuid: string | null): Record<string, unknown> {
  const head: Record<string, unknown> = { parentUuid, isSidechain: env.isSidechain ?? false, userType: 'external' };
  if (env.entrypoint) head.entrypoint = env.entrypoint;
  head.cwd = env.cwd;
  head.sessionId = env.sessionId;
  head.version = env.version ?? '2.1.331';
  head.gitBranch = env.gitBranch ?? 'main';
  if (env.sessionKind) head.sessionKind = env.sessionKind;
  if (env.agentId) head.agentId = env.agentId;
  return head;
}

export function userLine(
  env: LineEnv,
  o: {
    ts: number;
    uuid: string;
    parentUuid: string | null;
    content: unknown;
    isMeta?: boolean;
    isCompactSummary?: boolean;
    toolUseResult?: unknown;
  },
): Record<string, unknown> {
  const line: Record<string, unknown> = { ...envelopeHead(env, o.parentUuid), type: 'user' };
  line.message = { role: 'user', content: o.content };
  if (o.isMeta) line.isMeta = true;
  if (o.isCompactSummary) line.isCompactSummary = true;
  line.uuid = o.uuid;
  line.timestamp = iso(o.ts);
  if (o.toolUseResult !== undefined) line.toolUseResult = o.toolUseResult;
  return line;
}

export function assistantLine(
  env: LineEnv,
  o: {
    ts: number;
    uuid: string;
    parentUuid: string | null;
    id: string;
    model: string;
    requestId?: string;
    content: unknown[];
    stopReason: string | null;
    usage: Record<string, unknown>;
    isApiErrorMessage?: boolean;
    costUSD?: number;
  },
): Record<string, unknown> {
  const line: Record<string, unknown> = envelopeHead(env, o.parentUuid);
  line.message = {
    model: o.model,
    id: o.id,
    type: 'message',
    role: 'assistant',
    content: o.content,
    stop_reason: o.stopReason,
    stop_sequence: null,
    usage: o.usage,
  };
  if (o.requestId) line.requestId = o.requestId;
  line.type = 'assistant';
  line.uuid = o.uuid;
  line.timestamp = iso(o.ts);
  if (o.isApiErrorMessage) line.isApiErrorMessage = true;
  if (o.costUSD !== undefined) line.costUSD = o.costUSD;
  return line;
}

export function toolResultContent(toolUseId: string, text: string): unknown[] {
  return [{ tool_use_id: toolUseId, type: 'tool_result', content: text }];
}

/** Source-like text with quotes, backslashes and newlines (so JSON escapes are exercised), of about `bytes` bytes. */
export function codeText(bytes: number, random: () => number): string {
  const parts = [
    'export function handler(req, res) {\n',
    '  const limit = Number(process.env["RATE_LIMIT"] ?? "10");\n',
    '  if (!req.headers["x-key"]) return res.status(401).send("no key \\"given\\"");\n',
    '  const path = "C:\\\\Users\\\\dev\\\\app";\n',
    '  // naïve — ünïcödé ✓ 日本語 😀\n',
    '  return res.json({ ok: true, limit });\n}\n\n',
  ];
  let s = '';
  while (s.length < bytes) s += parts[Math.floor(random() * parts.length)];
  return s.slice(0, bytes);
}
