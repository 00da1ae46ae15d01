// AssemblyScript, compiled with lineWalk.ts into dist/lineWalk.wasm (scripts/build-wasm.mjs).
//
// The lane: one transcript file read from its start, its common lines applied where the walk left them, to a context
// kept in this module's memory — transcriptContext.ts's chain (the pending request's start, the message being
// streamed), the folder, the session's kind, the compact flag and the best copy of each call by key — so that the
// parser's objects and strings are never made for them. It gives exactly what lineParser.ts and transcriptContext.ts
// give, or nothing: a line it does not apply as they would (a wrapped copy, an inline side chain, usage iterations, a
// call keyed by its uuid, a bad line, anything laneTape.ts traps on) makes JavaScript read the whole file again its
// own way (fileLane.ts, beside this folder). Titles and prompts wanted for names stay JavaScript's (they need
// shortName and the meta files): the lane says so per line.

import { walk } from './lineWalk';
import {
  LF_agentId, LF_cache_creation, LF_cache_creation_input_tokens, LF_cache_read_input_tokens, LF_cwd, LF_data, LF_entrypoint,
  LF_ephemeral_1h_input_tokens, LF_ephemeral_5m_input_tokens, LF_id, LF_inference_geo, LF_input_tokens, LF_isApiErrorMessage,
  LF_isCompactSummary, LF_isMeta, LF_isSidechain, LF_iterations, LF_message, LF_model, LF_output_tokens, LF_requestId,
  LF_server_tool_use, LF_service_tier, LF_sessionKind, LF_speed, LF_subtype, LF_type, LF_usage, LF_web_fetch_requests,
  LF_web_search_requests,
} from './laneFields';
import {
  CACHE, collect, count, DATA, entry, isFilledContainer, isHigh, isObject, isTrue, MESSAGE, plainLength, ROOT, SERVER, shortString, startOf, textIs,
  timestamp, USAGE,
} from './laneTape';
import { intern, isString, LANE_MAX_STRINGS, resetStrings } from './laneStrings';

// The field names JavaScript maps walk keys to, and the tables it reads.
export * from './laneFields';
export { LANE_KEY_IDS, laneKeyTable } from './laneTape';
export { laneStringCount, laneStringsAddress } from './laneStrings';

/** What laneLine did with a line. */
export const LANE_DONE: i32 = 0;
/** A title line: JavaScript reads it (the lane has nothing to do with it). */
export const LANE_TITLE: i32 = 1;
/** A user line applied; JavaScript reads its prompt, which may name the conversation. */
export const LANE_PROMPT: i32 = 2;
/** The line is not the lane's: the file is to be read by JavaScript from its start. */
export const LANE_LEAVE: i32 = 3;

// A copy: COPY_F64 numbers, then COPY_I32 string numbers (-1: none) and a code.
export const COPY_F64: i32 = 9;
export const COPY_I32: i32 = 8;
export const LANE_MAX_COPIES: i32 = 16384;
/** Codes of a copy's last i32: source (0 chat, 1 agent, 2 memory) | consumer << 4 (0 chat, 1 run, 2 agent) | side chain << 8. */
export const CONSUMER_SHIFT: i32 = 4;
export const SIDECHAIN_BIT: i32 = 0x100;
// The state read back at the end (STATE_F64 numbers): see laneState.
export const STATE_F64: i32 = 12;

const MAX_DURATION_MS: f64 = 60 * 60 * 1000;
const NO_STRING: i32 = -1;

const copyNumbers = memory.data(LANE_MAX_COPIES * COPY_F64 * 8, 16);
const copyStrings = memory.data(LANE_MAX_COPIES * COPY_I32 * 4, 16);
/** The copy of each key (by the key's string number), stamped with the file's serial. */
const copyOfString = memory.data(LANE_MAX_STRINGS * 4, 16);
const copyStamp = memory.data(LANE_MAX_STRINGS * 4, 16);
const state = memory.data(STATE_F64 * 8, 16);
// What a string is for (stringOf).
const S_KEY: i32 = 0;
const S_REQUEST: i32 = 1;
const S_MODEL: i32 = 2;
const S_TIER: i32 = 3;
const S_SPEED: i32 = 4;
const S_GEO: i32 = 5;
const S_FOLDER: i32 = 6;
const S_AGENT: i32 = 7;
const USES: i32 = 8;
const lastStrings = memory.data(USES * 4, 16);

let file: i32 = 0;
let subagentFile = false;
let copies: i32 = 0;
// The one chain a file may have here: 'main' in a session file, 'a:<agentId>' in a subagent file.
let chainThere = false;
let chainAgent: i32 = NO_STRING;
/** The pending request's start: 0 absent, 1 null, 2 pending. */
let pendingKind: i32 = 0;
let pending: f64 = 0;
let openThere = false;
let openKey: i32 = NO_STRING;
let openFirst: f64 = 0;
let openLast: f64 = 0;
let openStart: f64 = NaN;
let cwd: i32 = NO_STRING;
/** 0 unknown, 1 interactive, 2 headless. */
let kind: i32 = 0;
let compact = false;

export function laneCopiesAddress(): usize {
  return copyNumbers;
}
export function laneCopyStringsAddress(): usize {
  return copyStrings;
}
export function laneStateAddress(): usize {
  return state;
}

/** Starts a file read from its start (a subagent's own file, or a session's). */
export function laneBegin(subagent: i32): void {
  file++;
  if (file == 0) {
    memory.fill(copyStamp, 0, <usize>LANE_MAX_STRINGS * 4);
    file = 1;
  }
  resetStrings();
  memory.fill(lastStrings, 0xff, <usize>USES * 4);
  subagentFile = subagent != 0;
  copies = 0;
  chainThere = false;
  chainAgent = NO_STRING;
  pendingKind = 0;
  openThere = false;
  cwd = NO_STRING;
  kind = 0;
  compact = false;
}

/**
 * Applies the line [from, to) (an object) with the lane's walk schema; returns LANE_*. Traps where the line is not
 * the lane's (the caller treats a trap as LANE_LEAVE). `wantPrompt`: the conversation has no first prompt yet.
 */
export function laneLine(from: usize, to: usize, schema: usize, wantPrompt: i32): i32 {
  collect(walk(from, to, schema));
  const type = entry(ROOT, LF_type);
  if (textIs(type, 'assistant')) return assistantLine();
  if (textIs(type, 'user')) return userLine(wantPrompt != 0);
  if (textIs(type, 'system')) {
    if (textIs(entry(ROOT, LF_subtype), 'compact_boundary') && !isTrue(ROOT, LF_isSidechain)) {
      compact = true;
      useChain();
      pendingKind = 1;
    }
    return LANE_DONE;
  }
  if (textIs(type, 'progress')) {
    // Hook progress is ignored; a subagent's line wrapped in one is not the lane's.
    return isObject(ROOT, LF_data) && isObject(DATA, LF_message) ? LANE_LEAVE : LANE_DONE;
  }
  if (textIs(type, 'custom-title') || textIs(type, 'ai-title') || textIs(type, 'last-prompt') || textIs(type, 'summary')) return LANE_TITLE;
  return LANE_DONE;
}

/** How many copies (distinct calls) the file gave; their numbers and strings are at laneCopiesAddress. */
export function laneCopies(): i32 {
  return copies;
}

/**
 * Writes the context's state at laneStateAddress: chain there (0/1), its agent's string, pending kind, pending, open
 * there, open key, first, last, start (NaN: null), folder's string, kind, compact.
 */
export function laneState(): void {
  store<f64>(state, chainThere ? 1 : 0);
  store<f64>(state, <f64>chainAgent, 8);
  store<f64>(state, <f64>pendingKind, 16);
  store<f64>(state, pending, 24);
  store<f64>(state, openThere ? 1 : 0, 32);
  store<f64>(state, <f64>openKey, 40);
  store<f64>(state, openFirst, 48);
  store<f64>(state, openLast, 56);
  store<f64>(state, openStart, 64);
  store<f64>(state, <f64>cwd, 72);
  store<f64>(state, <f64>kind, 80);
  store<f64>(state, compact ? 1 : 0, 88);
}

/**
 * The string number of a string entry (-1: none). `use` says what the string is for (a S_* constant): most are the
 * same as the last one for the same use (a model, a folder, the id of a message streamed over several lines), which
 * is checked before the string is hashed.
 */
function stringOf(n: i32, use: i32): i32 {
  if (n < 0) return NO_STRING;
  const from = <usize>startOf(n) + 1;
  const length = plainLength(n);
  const at = lastStrings + (<usize>use << 2);
  const last = load<i32>(at);
  if (last >= 0 && isString(last, from, length)) return last;
  const s = intern(from, length, isHigh(n));
  store<i32>(at, s);
  return s;
}

/** transcriptContext.ts's chain(env) for the lines the lane takes (traps on a second chain). */
function useChain(): void {
  const sidechain = isTrue(ROOT, LF_isSidechain);
  let agent = NO_STRING;
  if (subagentFile) agent = stringOf(shortString(ROOT, LF_agentId, 256), S_AGENT);
  else if (sidechain) unreachable(); // an inline side chain: the agent's own chain and names
  if (!chainThere) {
    chainThere = true;
    chainAgent = agent;
  } else if (agent != chainAgent) unreachable();
}

/** transcriptContext.ts's noteSession. */
function noteSession(): void {
  const folder = shortString(ROOT, LF_cwd, 4096);
  if (folder >= 0 && (!isTrue(ROOT, LF_isSidechain) || cwd == NO_STRING)) cwd = stringOf(folder, S_FOLDER);
  if (kind == 0 && describesSession()) kind = isHeadless() ? 2 : 1;
}

/** The line says what kind of session wrote it (an entrypoint or a session kind, as transcriptContext.ts reads them). */
function describesSession(): bool {
  return shortString(ROOT, LF_entrypoint, 64) >= 0 || shortString(ROOT, LF_sessionKind, 64) >= 0;
}

function isHeadless(): bool {
  const entrypoint = shortString(ROOT, LF_entrypoint, 64);
  const sessionKind = shortString(ROOT, LF_sessionKind, 64);
  return (
    textIs(entrypoint, 'sdk-cli') || textIs(entrypoint, 'sdk-ts') || textIs(entrypoint, 'sdk-py') ||
    textIs(sessionKind, 'daemon') || textIs(sessionKind, 'daemon-worker')
  );
}

function userLine(wantPrompt: bool): i32 {
  noteSession();
  useChain();
  const ts = timestamp();
  pendingKind = isNaN(ts) ? 1 : 2;
  pending = ts;
  openThere = false;
  if (!isTrue(ROOT, LF_isSidechain)) compact = false;
  if (isTrue(ROOT, LF_isCompactSummary) || isTrue(ROOT, LF_isMeta)) return LANE_DONE;
  return wantPrompt ? LANE_PROMPT : LANE_DONE;
}

function assistantLine(): i32 {
  if (!isObject(ROOT, LF_message)) unreachable();
  const model = shortString(MESSAGE, LF_model, 256);
  if (textIs(model, '<synthetic>') || isTrue(ROOT, LF_isApiErrorMessage)) {
    // Claude Code's own words, not a call: it ends the pending request.
    useChain();
    pendingKind = 1;
    openThere = false;
    return LANE_DONE;
  }
  if (model < 0 || !isObject(MESSAGE, LF_usage) || isFilledContainer(USAGE, LF_iterations)) unreachable();
  const ts = timestamp();
  if (isNaN(ts)) unreachable();
  const id = shortString(MESSAGE, LF_id, 256);
  const requestId = shortString(ROOT, LF_requestId, 256);
  if (id < 0 && requestId < 0) unreachable(); // keyed by its uuid: rare, JavaScript's

  // Tokens as usage.ts reads them.
  const input = count(USAGE, LF_input_tokens);
  const output = count(USAGE, LF_output_tokens);
  if (input < 0 || output < 0) unreachable();
  const cacheRead = count(USAGE, LF_cache_read_input_tokens);
  const writes = count(USAGE, LF_cache_creation_input_tokens);
  let write5m = writes < 0 ? 0 : writes;
  let write1h = 0;
  if (isObject(USAGE, LF_cache_creation)) {
    const w5m = count(CACHE, LF_ephemeral_5m_input_tokens);
    const w1h = count(CACHE, LF_ephemeral_1h_input_tokens);
    const total = writes >= 0 ? writes : (w5m < 0 ? 0 : w5m) + (w1h < 0 ? 0 : w1h);
    write1h = w1h < 0 ? 0 : w1h;
    if (write1h > total) unreachable();
    write5m = total - write1h;
  }
  const servers = isObject(USAGE, LF_server_tool_use);
  const searches = servers ? count(SERVER, LF_web_search_requests) : -1;
  const fetches = servers ? count(SERVER, LF_web_fetch_requests) : -1;

  noteSession();
  const key = stringOf(id >= 0 ? id : requestId, S_KEY);
  useChain();
  if (!openThere || openKey != key) {
    openStart = pendingKind == 2 && pending <= ts ? pending : NaN;
    openThere = true;
    openKey = key;
    openFirst = ts;
    openLast = ts;
    pendingKind = 1;
  } else if (ts > openLast) openLast = ts;
  const span = isNaN(openStart) ? -1 : openLast - openStart;
  const duration = span >= 0 && span <= MAX_DURATION_MS ? span : -1;

  const sidechain = subagentFile || isTrue(ROOT, LF_isSidechain);
  let consumer = 2;
  if (!subagentFile) consumer = (describesSession() ? isHeadless() : kind == 2) ? 1 : 0;
  const source = compact && !sidechain ? 2 : consumer == 0 ? 0 : 1;
  const folder = shortString(ROOT, LF_cwd, 4096);
  const project = folder >= 0 ? stringOf(folder, S_FOLDER) : cwd;

  const at = copyAt(key);
  const fresh = at < 0;
  const c = fresh ? newCopy(key) : at;
  const numbers = copyNumbers + (<usize>c * COPY_F64 << 3);
  const strings = copyStrings + (<usize>c * COPY_I32 << 2);
  const total = <f64>input + <f64>write5m + <f64>write1h + <f64>(cacheRead < 0 ? 0 : cacheRead) + <f64>output;
  let longest = duration;
  if (!fresh) {
    const before = load<f64>(numbers, 64);
    if (before > longest) longest = before;
    const side = (load<i32>(strings, 28) & SIDECHAIN_BIT) != 0;
    const better = side != sidechain ? !sidechain : total > copyTotal(numbers);
    if (!better) {
      store<f64>(numbers, longest, 64);
      return LANE_DONE;
    }
  }
  // The call's time is its message's first copy's (transcriptContext.ts: ts = open.f).
  store<f64>(numbers, openFirst);
  store<f64>(numbers, <f64>input, 8);
  store<f64>(numbers, <f64>write5m, 16);
  store<f64>(numbers, <f64>write1h, 24);
  store<f64>(numbers, <f64>(cacheRead < 0 ? 0 : cacheRead), 32);
  store<f64>(numbers, <f64>output, 40);
  store<f64>(numbers, <f64>(searches < 0 ? 0 : searches), 48);
  store<f64>(numbers, <f64>(fetches < 0 ? 0 : fetches), 56);
  store<f64>(numbers, longest, 64);
  store<i32>(strings, key);
  store<i32>(strings, stringOf(requestId, S_REQUEST), 4);
  store<i32>(strings, stringOf(model, S_MODEL), 8);
  store<i32>(strings, stringOf(shortString(USAGE, LF_service_tier, 40), S_TIER), 12);
  store<i32>(strings, stringOf(shortString(USAGE, LF_speed, 40), S_SPEED), 16);
  store<i32>(strings, stringOf(shortString(USAGE, LF_inference_geo, 40), S_GEO), 20);
  store<i32>(strings, project, 24);
  store<i32>(strings, source | (consumer << CONSUMER_SHIFT) | (sidechain ? SIDECHAIN_BIT : 0), 28);
  return LANE_DONE;
}

function copyTotal(numbers: usize): f64 {
  return load<f64>(numbers, 8) + load<f64>(numbers, 16) + load<f64>(numbers, 24) + load<f64>(numbers, 32) + load<f64>(numbers, 40);
}

function copyAt(key: i32): i32 {
  return load<i32>(copyStamp + (<usize>key << 2)) == file ? load<i32>(copyOfString + (<usize>key << 2)) : -1;
}

function newCopy(key: i32): i32 {
  if (copies >= LANE_MAX_COPIES) unreachable();
  const c = copies++;
  store<i32>(copyStamp + (<usize>key << 2), file);
  store<i32>(copyOfString + (<usize>key << 2), c);
  return c;
}
