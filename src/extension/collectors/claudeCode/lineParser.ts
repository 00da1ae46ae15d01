/**
 * One transcript line → the few facts the collector needs. The fast path (lineWalker.ts, in WebAssembly, with
 * lineScanner.ts for the lines it does not handle) reads only the fields below
 * from the line's bytes, skipping message content and tool results without decoding them; lines it does not handle
 * take the plain path: a cheap byte pre-filter so that lines that cannot matter (file snapshots, attachments, hook
 * progress, queue operations…) are never decoded, then JSON.parse. Both paths end in the same typed narrowing of
 * `unknown` (interpret). Nothing here keeps prompt or response text except a candidate name, which the caller cuts
 * short.
 */
import { cutAssistantContent, cutUserContent } from './contentCut';
import type { Schema } from './lineScanner';
import { scanLineFast } from './lineWalker';
import { asObject, anyString, shortString, timestampMs, type JsonObject } from './narrow';
import { isRealPromptText, type TitleSlot } from './names';
import { readUsage, type UsageFacts } from './usage';

export interface Envelope {
  /** UTC ms, when the line has a valid timestamp. */
  ts?: number;
  isSidechain: boolean;
  agentId?: string;
  sessionId?: string;
  cwd?: string;
  entrypoint?: string;
  sessionKind?: string;
  uuid?: string;
  /** The line is a copy wrapped in a parent's `progress` line (`data.message`). */
  wrapped: boolean;
}

export interface ApiCallFacts {
  id?: string;
  requestId?: string;
  model: string;
  ts: number;
  usage: UsageFacts;
}

export type ParsedLine =
  | { kind: 'call'; env: Envelope; call: ApiCallFacts }
  | { kind: 'user'; env: Envelope; prompt?: string; compactSummary: boolean }
  | { kind: 'title'; slot: TitleSlot; text: string; sessionId?: string }
  | { kind: 'compactBoundary'; env: Envelope }
  /** A synthetic message or an API error: Claude Code's own words, not a call; it ends the pending request. */
  | { kind: 'notCall'; env: Envelope }
  | { kind: 'ignored' }
  | { kind: 'bad'; reason: string };

/**
 * Whether a prompt could still name something, given whether the line is a side-chain (subagent) line; a user
 * line's content is parsed only then.
 */
export type PromptWanted = boolean | ((sidechain: boolean) => boolean);

const IGNORED: ParsedLine = { kind: 'ignored' };
/** A line holding none of these (with their quotes) cannot matter. Early-matching words first: only speed depends on the order. */
const NEEDLE_WORDS = ['assistant', 'user', 'usage', 'custom-title', 'ai-title', 'last-prompt', 'summary', 'compact_boundary'];
const NEEDLES = NEEDLE_WORDS.map((s) => Buffer.from(`"${s}"`));
const NEEDLE_SET: ReadonlySet<string> = new Set(NEEDLE_WORDS);
const SIDECHAIN_MARK = Buffer.from('"isSidechain":true');

/** Everything interpret() reads, and nothing more. */
const USAGE: Schema = {
  input_tokens: 'value',
  output_tokens: 'value',
  cache_read_input_tokens: 'value',
  cache_creation_input_tokens: 'value',
  cache_creation: { ephemeral_5m_input_tokens: 'value', ephemeral_1h_input_tokens: 'value' },
  server_tool_use: { web_search_requests: 'value', web_fetch_requests: 'value' },
  service_tier: 'shared',
  speed: 'shared',
  inference_geo: 'shared',
  iterations: 'value',
};
const MESSAGE: Schema = { model: 'shared', id: 'value', usage: USAGE, content: 'bulk' };
const INNER_LINE: Schema = {
  type: 'tag',
  subtype: 'tag',
  message: MESSAGE,
  isApiErrorMessage: 'value',
  isCompactSummary: 'value',
  isMeta: 'value',
  requestId: 'value',
  timestamp: 'value',
  isSidechain: 'value',
  agentId: 'shared',
  sessionId: 'shared',
  cwd: 'shared',
  entrypoint: 'shared',
  sessionKind: 'shared',
  uuid: 'value',
  customTitle: 'value',
  aiTitle: 'value',
  lastPrompt: 'value',
  summary: 'value',
  toolUseResult: 'bulk',
};
/** A `progress` line wraps a subagent's line in `data.message` (one level only: interpret reads no deeper). */
const LINE: Schema = { ...INNER_LINE, data: { agentId: 'value', message: INNER_LINE } };

/** The schema and tags parseLine scans lines with (for benchmarks that time the scanner alone). */
export const LINE_SCAN = { schema: LINE, tags: NEEDLE_SET } as const;
const TITLE_FIELDS: Readonly<Record<string, [TitleSlot, string]>> = {
  'custom-title': ['custom', 'customTitle'],
  'ai-title': ['ai', 'aiTitle'],
  'last-prompt': ['lastPrompt', 'lastPrompt'],
  summary: ['summary', 'summary'],
};
/** Below this, cutting the content out costs more than parsing it (measured); above, it saves most of the parse. */
const CUT_FROM_BYTES = 2048;
/** A prompt longer than this is cut before it is kept as a name candidate. */
const PROMPT_KEEP = 2000;

/**
 * Parses one line (without its newline). `complete` is false for a last line that has no newline yet: it is only
 * taken when it already parses as a whole object (a prefix of a JSON object is never itself a JSON object), and a
 * failure is reported as `pending` so the caller reads it again later instead of counting it as bad.
 * `wantPrompt`: whether a user line's text could still name something (else a large one's content is not parsed);
 * asked only when it matters.
 */
export function parseLine(bytes: Buffer, complete = true, wantPrompt: PromptWanted = true): ParsedLine | { kind: 'pending' } {
  let start = 0;
  let end = bytes.length - 1;
  while (start <= end && isSpace(bytes[start])) start++;
  while (end >= start && isSpace(bytes[end])) end--;
  if (start > end) return IGNORED;
  if (bytes[start] !== 0x7b /* { */ || bytes[end] !== 0x7d /* } */) {
    return complete ? { kind: 'bad', reason: 'not a JSON object' } : { kind: 'pending' };
  }
  if (complete) {
    const scanned = parseScanned(bytes, start, end, wantPrompt);
    if (scanned) return scanned;
  }
  if (complete && !mayMatter(bytes)) return IGNORED;
  if (complete && bytes.length >= CUT_FROM_BYTES) {
    const fast = parseWithoutContent(bytes, wantPrompt);
    if (fast) return fast;
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start, end + 1));
  } catch {
    return complete ? { kind: 'bad', reason: 'invalid JSON' } : { kind: 'pending' };
  }
  const obj = asObject(value);
  if (!obj) return { kind: 'bad', reason: 'not a JSON object' };
  return interpret(obj);
}

/**
 * The fast path: the line read through lineScanner.ts (see the schemas above); undefined when it cannot be (a key
 * with escapes, invalid JSON outside message content): the caller then takes the plain path, which decides.
 */
function parseScanned(bytes: Buffer, start: number, end: number, wantPrompt: PromptWanted): ParsedLine | undefined {
  const scanned = scanLineFast(bytes, start, end, LINE, NEEDLE_SET);
  if (!scanned) return undefined;
  const { obj } = scanned;
  if (scanned.bulk.length > 0 && promptMayBeRead(obj)) {
    const sidechain = obj.type === 'progress' || obj.isSidechain === true;
    if (typeof wantPrompt === 'function' ? wantPrompt(sidechain) : wantPrompt) {
      for (const span of scanned.bulk) {
        if (span.key !== 'content' || !span.live) continue;
        try {
          span.holder.content = JSON.parse(bytes.toString('utf8', span.start, span.end)) as unknown;
        } catch {
          return undefined;
        }
      }
    }
  }
  const parsed = interpret(obj);
  // The plain path ignores a line without any needle before parsing it; so must this one (only escapes can differ).
  if (parsed.kind !== 'ignored' && !scanned.tagged && !mayMatter(bytes)) return IGNORED;
  return parsed;
}

/** A user line, or a progress line wrapping one: the only lines whose message content can hold a prompt. */
function promptMayBeRead(obj: JsonObject): boolean {
  if (obj.type === 'user') return true;
  return obj.type === 'progress' && asObject(asObject(obj.data)?.message)?.type === 'user';
}

/** The common lines parsed without their message content (see contentCut.ts); undefined: parse the whole line. */
function parseWithoutContent(bytes: Buffer, wantPrompt: PromptWanted): ParsedLine | undefined {
  const assistant = cutAssistantContent(bytes);
  const wanted = typeof wantPrompt === 'function' ? wantPrompt(bytes.indexOf(SIDECHAIN_MARK) !== -1) : wantPrompt;
  const cut = assistant ?? (wanted ? undefined : cutUserContent(bytes));
  if (!cut) return undefined;
  let obj: JsonObject | undefined;
  try {
    obj = asObject(JSON.parse(cut.toString('utf8')));
  } catch {
    return undefined;
  }
  if (!obj) return undefined;
  const parsed = interpret(obj);
  if (assistant) return (parsed.kind === 'call' && parsed.call.id !== undefined) || parsed.kind === 'notCall' ? parsed : undefined;
  return parsed.kind === 'user' && parsed.env.ts !== undefined ? parsed : undefined;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

function mayMatter(bytes: Buffer): boolean {
  for (const needle of NEEDLES) if (bytes.indexOf(needle) !== -1) return true;
  return false;
}

export function interpret(obj: JsonObject): ParsedLine {
  const type = obj.type;
  switch (type) {
    case 'assistant':
      return assistantLine(obj, envelope(obj, false));
    case 'user':
      return userLine(obj, envelope(obj, false));
    case 'progress':
      return progressLine(obj);
    case 'system':
      return obj.subtype === 'compact_boundary' ? { kind: 'compactBoundary', env: envelope(obj, false) } : IGNORED;
    default: {
      const title = typeof type === 'string' ? TITLE_FIELDS[type] : undefined;
      if (!title) return IGNORED;
      const text = anyString(obj[title[1]]);
      if (text === undefined) return { kind: 'bad', reason: `${String(type)} line without ${title[1]}` };
      return { kind: 'title', slot: title[0], text: text.slice(0, PROMPT_KEEP), sessionId: shortString(obj.sessionId) };
    }
  }
}

function envelope(obj: JsonObject, wrapped: boolean): Envelope {
  return {
    ts: timestampMs(obj.timestamp),
    isSidechain: obj.isSidechain === true,
    agentId: shortString(obj.agentId),
    sessionId: shortString(obj.sessionId),
    cwd: shortString(obj.cwd, 4096),
    entrypoint: shortString(obj.entrypoint, 64),
    sessionKind: shortString(obj.sessionKind, 64),
    uuid: shortString(obj.uuid),
    wrapped,
  };
}

function assistantLine(obj: JsonObject, env: Envelope): ParsedLine {
  const message = asObject(obj.message);
  if (!message) return { kind: 'bad', reason: 'assistant line without a message object' };
  const model = shortString(message.model);
  if (model === '<synthetic>' || obj.isApiErrorMessage === true) return { kind: 'notCall', env };
  if (!model) return { kind: 'bad', reason: 'assistant message without a model' };
  if (message.usage === undefined) return { kind: 'bad', reason: 'assistant message without usage' };
  const usage = readUsage(message.usage);
  if (typeof usage === 'string') return { kind: 'bad', reason: usage };
  if (env.ts === undefined) return { kind: 'bad', reason: 'assistant line without a valid timestamp' };
  return {
    kind: 'call',
    env,
    call: { id: shortString(message.id), requestId: shortString(obj.requestId), model, ts: env.ts, usage },
  };
}

function userLine(obj: JsonObject, env: Envelope): ParsedLine {
  const compactSummary = obj.isCompactSummary === true;
  const prompt = compactSummary || obj.isMeta === true ? undefined : promptText(asObject(obj.message)?.content);
  return { kind: 'user', env, prompt, compactSummary };
}

/** The text of a real prompt: a string, or the first text block of a message that is not a tool result. */
function promptText(content: unknown): string | undefined {
  let text: string | undefined;
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    const blocks: unknown[] = content;
    for (const b of blocks) {
      const block = asObject(b);
      if (block?.type === 'tool_result') return undefined;
      if (text === undefined && block?.type === 'text') text = anyString(block.text);
    }
  }
  return text !== undefined && isRealPromptText(text) ? text.slice(0, PROMPT_KEEP) : undefined;
}

/** A subagent's message or prompt wrapped in the parent transcript: `{type:"progress", data:{agentId?, message}}`. */
function progressLine(obj: JsonObject): ParsedLine {
  const data = asObject(obj.data);
  const inner = asObject(data?.message);
  if (!data || !inner) return IGNORED;
  const outer = envelope(obj, true);
  const own = envelope(inner, true);
  const env: Envelope = {
    ...outer,
    ts: own.ts ?? outer.ts,
    isSidechain: true,
    agentId: shortString(data.agentId) ?? own.agentId,
    uuid: own.uuid,
  };
  if (inner.type === 'assistant') return assistantLine(inner, env);
  if (inner.type === 'user') return userLine(inner, env);
  return IGNORED;
}
