/**
 * One transcript line → the few facts the collector needs. The fast path reads only the fields of
 * transcriptSchema.ts from the line's bytes, skipping message content and tool results without decoding them: the
 * WebAssembly walk (lineWalker.ts), read straight from its tape (tapeFields.ts), and lineScanner.ts for the lines the
 * walk does not handle. Lines neither handles take the plain path: a cheap byte pre-filter so that lines that cannot
 * matter (file snapshots, attachments, hook progress, queue operations…) are never decoded, then JSON.parse. Every
 * path ends in the same reading of the line's fields (lineFields.ts) into facts (interpretFields). Nothing here keeps
 * prompt or response text except a candidate name, which the caller cuts short.
 */
import { cutAssistantContent, cutUserContent } from './contentCut';
import { F, fillFromObject, LineFields, type FieldName } from './lineFields';
import { scanLine } from './lineScanner';
import { NOT_WALKED, walkLine } from './lineWalker';
import { asObject, anyString, shortString, type JsonObject } from './narrow';
import { isRealPromptText, type TitleSlot } from './names';
import { readTapeFields, UNDESCRIBED } from './tapeFields';
import { LINE } from './transcriptSchema';
import { usageFacts, type UsageFacts } from './usage';

export interface Envelope {
  /** UTC ms, when the line has a valid timestamp. */
  ts?: number;
  isSidechain: boolean;
  agentId?: string;
  sessionId?: string;
  cwd?: string;
  entrypoint?: string;
  sessionKind?: string;
  /** The line is a copy wrapped in a parent's `progress` line (`data.message`). */
  wrapped: boolean;
}

export interface ApiCallFacts {
  id?: string;
  requestId?: string;
  /** The line's uuid, read only when the message has neither an id nor a request id (it is then the call's key). */
  uuid?: string;
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

const IGNORED = make('ignored') as ParsedLine;
/** A line holding none of these (with their quotes) cannot matter. Early-matching words first: only speed depends on the order. */
const NEEDLE_WORDS = ['assistant', 'user', 'usage', 'custom-title', 'ai-title', 'last-prompt', 'summary', 'compact_boundary'];
const NEEDLES = NEEDLE_WORDS.map((s) => Buffer.from(`"${s}"`));
const NEEDLE_SET: ReadonlySet<string> = new Set(NEEDLE_WORDS);
const SIDECHAIN_MARK = Buffer.from('"isSidechain":true');

/** The schema and tags parseLine scans lines with (for benchmarks that time the scanner alone). */
export const LINE_SCAN = { schema: LINE, tags: NEEDLE_SET } as const;
/** Title lines by type: the slot they fill and the field that holds the text (prototype-free: types come from lines). */
const TITLE_FIELDS: Readonly<Record<string, readonly [TitleSlot, FieldName] | undefined>> = Object.assign(Object.create(null) as object, {
  'custom-title': ['custom', 'customTitle'],
  'ai-title': ['ai', 'aiTitle'],
  'last-prompt': ['lastPrompt', 'lastPrompt'],
  summary: ['summary', 'summary'],
} as const);
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
  return parseLineAt(bytes, 0, bytes.length, complete, wantPrompt);
}

/** parseLine of the bytes [from, to) of `buf` (a line in place in a read chunk). */
export function parseLineAt(buf: Buffer, from: number, to: number, complete = true, wantPrompt: PromptWanted = true): ParsedLine | { kind: 'pending' } {
  let start = from;
  let end = to - 1;
  while (start <= end && isSpace(buf[start])) start++;
  while (end >= start && isSpace(buf[end])) end--;
  if (start > end) return IGNORED;
  if (buf[start] !== 0x7b /* { */ || buf[end] !== 0x7d /* } */) {
    return complete ? bad('not a JSON object') : PENDING;
  }
  if (complete) {
    const scanned = parseScanned(buf, start, end, wantPrompt);
    if (scanned) return scanned;
  }
  // The other ways read the line as a buffer of its own.
  const bytes = from === 0 && to === buf.length ? buf : buf.subarray(from, to);
  start -= from;
  end -= from;
  if (complete && !mayMatter(bytes)) return IGNORED;
  if (complete && bytes.length >= CUT_FROM_BYTES) {
    const fast = parseWithoutContent(bytes, wantPrompt);
    if (fast) return fast;
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start, end + 1));
  } catch {
    return complete ? bad('invalid JSON') : PENDING;
  }
  const obj = asObject(value);
  if (!obj) return bad('not a JSON object');
  return interpret(obj);
}

/**
 * The fast path: the line read by the walk (straight from its tape, else as objects) or by lineScanner.ts (see
 * transcriptSchema.ts); undefined when it cannot be (a key with escapes, invalid JSON outside message content): the
 * caller then takes the plain path, which decides.
 */
function parseScanned(bytes: Buffer, start: number, end: number, wantPrompt: PromptWanted): ParsedLine | undefined {
  const tape = readTapeFields(bytes, start, end, LINE, NEEDLE_SET);
  if (tape !== NOT_WALKED && tape !== UNDESCRIBED) {
    if (tape.hasBulk && promptWanted(tape, wantPrompt) && !tape.parseContents()) return undefined;
    return meaning(tape, bytes, start, end);
  }
  const scanned = tape === NOT_WALKED ? scanLine(bytes, start, end, LINE, NEEDLE_SET) : walkLine(bytes, start, end, LINE, NEEDLE_SET);
  if (!scanned) return undefined;
  let fields = objectFields(scanned.obj);
  if (scanned.bulk.length > 0 && promptWanted(fields, wantPrompt)) {
    for (const span of scanned.bulk) {
      if (span.key !== 'content' || !span.live) continue;
      try {
        span.holder.content = JSON.parse(bytes.toString('utf8', span.start, span.end)) as unknown;
      } catch {
        return undefined;
      }
    }
    fields = objectFields(scanned.obj);
  }
  fields.tagged = scanned.tagged;
  return meaning(fields, bytes, start, end);
}

/** The line's content is to be parsed for a prompt: it can hold one, and the caller still wants one. */
function promptWanted(f: LineFields, wantPrompt: PromptWanted): boolean {
  if (!promptMayBeRead(f)) return false;
  if (typeof wantPrompt !== 'function') return wantPrompt;
  return wantPrompt(f.value(f.root, F.type) === 'progress' || f.value(f.root, F.isSidechain) === true);
}

function meaning(f: LineFields, buf: Buffer, start: number, end: number): ParsedLine {
  const parsed = interpretFields(f);
  // The plain path ignores a line without any needle before parsing it; so must this one (only escapes can differ).
  if (parsed.kind !== 'ignored' && !f.tagged && !mayMatter(buf.subarray(start, end + 1))) return IGNORED;
  return parsed;
}

/** A user line, or a progress line wrapping one: the only lines whose message content can hold a prompt. */
function promptMayBeRead(f: LineFields): boolean {
  const type = f.value(f.root, F.type);
  if (type === 'user') return true;
  if (type !== 'progress') return false;
  const data = f.child(f.root, F.data);
  const inner = data === undefined ? undefined : f.child(data, F.message);
  return inner !== undefined && f.value(inner, F.type) === 'user';
}

/** One table for lines read as objects (the tape has its own): objects of this thread's lines, one at a time. */
const OBJECT_FIELDS = new LineFields();

function objectFields(obj: JsonObject): LineFields {
  OBJECT_FIELDS.begin(undefined);
  fillFromObject(OBJECT_FIELDS, OBJECT_FIELDS.root, obj, LINE);
  return OBJECT_FIELDS;
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

type Pending = { kind: 'pending' };
/** A parsed line of any kind, with the fields of every kind (those of other kinds undefined). */
interface AnyLine {
  kind: ParsedLine['kind'] | Pending['kind'];
  env: Envelope | undefined;
  call: ApiCallFacts | undefined;
  prompt: string | undefined;
  compactSummary: boolean | undefined;
  slot: TitleSlot | undefined;
  text: string | undefined;
  sessionId: string | undefined;
  reason: string | undefined;
}

/**
 * Every parsed line is made here, by one object literal with every field: parsed lines then share one hidden class,
 * and the code that reads `kind` of every line stays monomorphic. One shape per kind (seven) made those reads
 * megamorphic, a dictionary lookup per line.
 */
function make(
  kind: AnyLine['kind'], env?: Envelope, call?: ApiCallFacts, prompt?: string, compactSummary?: boolean, slot?: TitleSlot, text?: string,
  sessionId?: string, reason?: string,
): AnyLine {
  return { kind, env, call, prompt, compactSummary, slot, text, sessionId, reason };
}

function bad(reason: string): ParsedLine {
  return make('bad', undefined, undefined, undefined, undefined, undefined, undefined, undefined, reason) as ParsedLine;
}

const PENDING = make('pending') as Pending;

/** A line that cannot be read (for readers that reject a line before parsing it). */
export function badLine(reason: string): ParsedLine {
  return bad(reason);
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

function mayMatter(bytes: Buffer): boolean {
  for (const needle of NEEDLES) if (bytes.indexOf(needle) !== -1) return true;
  return false;
}

/** What the JSON.parse result of a line means. */
export function interpret(obj: JsonObject): ParsedLine {
  return interpretFields(objectFields(obj));
}

/** What a line means, from its fields. */
function interpretFields(v: LineFields): ParsedLine {
  const obj = v.root;
  const type = v.value(obj, F.type);
  switch (type) {
    case 'assistant':
      return assistantLine(v, obj, envelope(v, obj, false));
    case 'user':
      return userLine(v, obj, envelope(v, obj, false));
    case 'progress':
      return progressLine(v, obj);
    case 'system':
      return v.value(obj, F.subtype) === 'compact_boundary' ? (make('compactBoundary', envelope(v, obj, false)) as ParsedLine) : IGNORED;
    default: {
      const title = typeof type === 'string' ? TITLE_FIELDS[type] : undefined;
      if (!title) return IGNORED;
      const text = anyString(v.value(obj, F[title[1]]));
      if (text === undefined) return bad(`${String(type)} line without ${title[1]}`);
      return make('title', undefined, undefined, undefined, undefined, title[0], text.slice(0, PROMPT_KEEP), shortString(v.value(obj, F.sessionId))) as ParsedLine;
    }
  }
}

function envelope(v: LineFields, obj: number, wrapped: boolean): Envelope {
  return {
    ts: v.timestamp(obj, F.timestamp),
    isSidechain: v.value(obj, F.isSidechain) === true,
    agentId: shortString(v.value(obj, F.agentId)),
    sessionId: shortString(v.value(obj, F.sessionId)),
    cwd: shortString(v.value(obj, F.cwd), 4096),
    entrypoint: shortString(v.value(obj, F.entrypoint), 64),
    sessionKind: shortString(v.value(obj, F.sessionKind), 64),
    wrapped,
  };
}

function assistantLine(v: LineFields, obj: number, env: Envelope): ParsedLine {
  const message = v.child(obj, F.message);
  if (message === undefined) return bad('assistant line without a message object');
  const model = shortString(v.value(message, F.model));
  if (model === '<synthetic>' || v.value(obj, F.isApiErrorMessage) === true) return make('notCall', env) as ParsedLine;
  if (!model) return bad('assistant message without a model');
  if (!v.has(message, F.usage)) return bad('assistant message without usage');
  const usage = usageFacts(v, v.child(message, F.usage));
  if (typeof usage === 'string') return bad(usage);
  if (env.ts === undefined) return bad('assistant line without a valid timestamp');
  const id = shortString(v.value(message, F.id));
  const requestId = shortString(v.value(obj, F.requestId));
  // Decoded only when it is needed: every line has one, and few calls lack both ids.
  const uuid = id === undefined && requestId === undefined ? shortString(v.value(obj, F.uuid)) : undefined;
  return make('call', env, { id, requestId, uuid, model, ts: env.ts, usage }) as ParsedLine;
}

function userLine(v: LineFields, obj: number, env: Envelope): ParsedLine {
  const compactSummary = v.value(obj, F.isCompactSummary) === true;
  if (compactSummary || v.value(obj, F.isMeta) === true) return make('user', env, undefined, undefined, compactSummary) as ParsedLine;
  const message = v.child(obj, F.message);
  const prompt = message === undefined ? undefined : promptText(v.value(message, F.content));
  return make('user', env, undefined, prompt, compactSummary) as ParsedLine;
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
function progressLine(v: LineFields, obj: number): ParsedLine {
  const data = v.child(obj, F.data);
  const inner = data === undefined ? undefined : v.child(data, F.message);
  if (data === undefined || inner === undefined) return IGNORED;
  const outer = envelope(v, obj, true);
  const own = envelope(v, inner, true);
  const env: Envelope = {
    ...outer,
    ts: own.ts ?? outer.ts,
    isSidechain: true,
    agentId: shortString(v.value(data, F.agentId)) ?? own.agentId,
  };
  const innerType = v.value(inner, F.type);
  if (innerType === 'assistant') return assistantLine(v, inner, env);
  if (innerType === 'user') return userLine(v, inner, env);
  return IGNORED;
}
