// AssemblyScript (see transcriptLane.ts). One line's tape (lineWalk.ts) as the lane reads it: the entry of each field
// it reads, by the object the field is in (the line, its message, the message's usage…), and the values of those
// entries as lineParser.ts would take them. Anything the lane does not read exactly as lineParser.ts does — a key
// twice in one object, a string with escapes or non-ASCII bytes, a number that is not a plain integer, a timestamp not
// in Claude Code's form — traps: the file is then read by the JavaScript path, which decides.

import {
  FLAG_ESCAPED, FLAG_HIGH, FLAG_INT, OP_CLOSE, OP_OPEN, OP_VALUE, tapeAddress, VALUE_CONTAINER, VALUE_NULL, VALUE_NUMBER, VALUE_STRING,
  VALUE_TRUE,
} from './lineWalk';
import { LF_type, LF_subtype, LF_message, LF_isApiErrorMessage, LF_isCompactSummary, LF_isMeta, LF_requestId, LF_timestamp, LF_isSidechain, LF_agentId, LF_cwd, LF_entrypoint, LF_sessionKind, LF_data, LF_model, LF_id, LF_usage, LF_input_tokens, LF_output_tokens, LF_cache_read_input_tokens, LF_cache_creation_input_tokens, LF_cache_creation, LF_ephemeral_5m_input_tokens, LF_ephemeral_1h_input_tokens, LF_server_tool_use, LF_web_search_requests, LF_web_fetch_requests, LF_service_tier, LF_speed, LF_inference_geo, LF_iterations } from './laneFields';

const FIELDS: i32 = 32;

/** The objects of a line the lane reads fields of; OTHER is any other object (nothing read there). */
export const ROOT: i32 = 0;
export const MESSAGE: i32 = 1;
export const USAGE: i32 = 2;
export const CACHE: i32 = 3;
export const SERVER: i32 = 4;
export const DATA: i32 = 5;
const OTHER: i32 = 6;

export const LANE_KEY_IDS: i32 = 1024;
const MAX_DEPTH: i32 = 16;
/** No single call comes near this many tokens in one field (narrow.ts's MAX_TOKENS_PER_FIELD). */
const MAX_TOKENS_PER_FIELD: i32 = 100_000_000;

const keyFields = memory.data(LANE_KEY_IDS * 4, 16);
const slotStamp = memory.data(OTHER * FIELDS * 4, 16);
const slotEntry = memory.data(OTHER * FIELDS * 4, 16);
const roleStack = memory.data(MAX_DEPTH * 4, 16);
let serial: i32 = 0;

/** Where JavaScript writes each walk key's field number (LF_*), by key id. */
export function laneKeyTable(): usize {
  return keyFields;
}

/** Files the tape's entries by object and field; traps on a field the line has twice in one object. */
export function collect(entries: i32): void {
  serial++;
  if (serial == 0) {
    memory.fill(slotStamp, 0, <usize>(OTHER * FIELDS * 4));
    serial = 1;
  }
  const tape = tapeAddress();
  let role = ROOT;
  let depth = 0;
  for (let n: i32 = 0; n < entries; n++) {
    const at = tape + (<usize>n << 4);
    const op = load<i32>(at, 12) & 15;
    if (op == OP_CLOSE) {
      depth--;
      role = load<i32>(roleStack + (<usize>depth << 2));
      continue;
    }
    const id = load<i32>(at);
    const field = id < LANE_KEY_IDS ? load<i32>(keyFields + (<usize>id << 2)) : 0;
    if (role != OTHER && field != 0) {
      const slot = <usize>(role * FIELDS + field) << 2;
      if (load<i32>(slotStamp + slot) == serial) unreachable();
      store<i32>(slotStamp + slot, serial);
      store<i32>(slotEntry + slot, n);
    }
    if (op == OP_OPEN) {
      if (depth == MAX_DEPTH) unreachable();
      store<i32>(roleStack + (<usize>depth << 2), role);
      depth++;
      role = childRole(role, field);
    }
  }
}

function childRole(role: i32, field: i32): i32 {
  if (role == ROOT) return field == LF_message ? MESSAGE : field == LF_data ? DATA : OTHER;
  if (role == MESSAGE) return field == LF_usage ? USAGE : OTHER;
  if (role == USAGE) return field == LF_cache_creation ? CACHE : field == LF_server_tool_use ? SERVER : OTHER;
  return OTHER;
}

/** The tape entry of a field of the line (-1: absent). */
export function entry(role: i32, field: i32): i32 {
  const slot = <usize>(role * FIELDS + field) << 2;
  return load<i32>(slotStamp + slot) == serial ? load<i32>(slotEntry + slot) : -1;
}

@inline function flagsOf(n: i32): i32 {
  return load<i32>(tapeAddress() + (<usize>n << 4), 12);
}

/** Where the entry's value starts (for a plain integer: the integer). */
export function startOf(n: i32): i32 {
  return load<i32>(tapeAddress() + (<usize>n << 4), 4);
}

export function endOf(n: i32): i32 {
  return load<i32>(tapeAddress() + (<usize>n << 4), 8);
}

/** A value kept whole of this kind (VALUE_*): not an object walked into, not absent. */
function isValue(n: i32, kind: i32): bool {
  if (n < 0) return false;
  const flags = flagsOf(n);
  return (flags & 15) == OP_VALUE && ((flags >> 4) & 15) == kind;
}

/** The field holds an object (walked into). */
export function isObject(role: i32, field: i32): bool {
  const n = entry(role, field);
  return n >= 0 && (flagsOf(n) & 15) == OP_OPEN;
}

/** The field is `true`. */
export function isTrue(role: i32, field: i32): bool {
  return isValue(entry(role, field), VALUE_TRUE);
}

/** The byte length of a string value (-1: not a string); traps on one with escapes (JSON.parse decodes those). */
export function plainLength(n: i32): i32 {
  if (!isValue(n, VALUE_STRING)) return -1;
  if ((flagsOf(n) & FLAG_ESCAPED) != 0) unreachable();
  return endOf(n) - startOf(n) - 2;
}

/** Whether a string value has bytes above 0x7f. */
export function isHigh(n: i32): bool {
  return (flagsOf(n) & FLAG_HIGH) != 0;
}

/** The entry of the field when it is narrow.ts's shortString (non-empty, at most `max` UTF-16 units), else -1. */
export function shortString(role: i32, field: i32, max: i32): i32 {
  const n = entry(role, field);
  const bytes = plainLength(n);
  const length = bytes > 0 && isHigh(n) ? utf16Length(<usize>startOf(n) + 1, bytes) : bytes;
  return length > 0 && length <= max ? n : -1;
}

/**
 * The length in UTF-16 units of the string Buffer's UTF-8 decoding gives for `bytes` bytes at `at`; traps unless
 * they are well-formed UTF-8 (the decoding would put replacement characters in).
 */
function utf16Length(at: usize, bytes: i32): i32 {
  let units = 0;
  let i = 0;
  while (i < bytes) {
    const c = <u32>load<u8>(at + <usize>i);
    if (c < 0x80) {
      i++;
      units++;
      continue;
    }
    let more = 0;
    let min: u32 = 0;
    let cp: u32 = 0;
    if ((c & 0xe0) == 0xc0) {
      more = 1;
      min = 0x80;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      more = 2;
      min = 0x800;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      more = 3;
      min = 0x10000;
      cp = c & 0x07;
    } else unreachable();
    if (i + more >= bytes) unreachable();
    for (let k = 1; k <= more; k++) {
      const b = <u32>load<u8>(at + <usize>(i + k));
      if ((b & 0xc0) != 0x80) unreachable();
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) unreachable();
    units += cp >= 0x10000 ? 2 : 1;
    i += more + 1;
  }
  return units;
}

/** Whether a string entry's characters are `s` (ASCII). */
export function textIs(n: i32, s: string): bool {
  if (plainLength(n) != s.length) return false;
  const from = <usize>startOf(n) + 1;
  for (let i = 0; i < s.length; i++) if (<i32>load<u8>(from + <usize>i) != s.charCodeAt(i)) return false;
  return true;
}

/** narrow.ts's countValue: -1 for absent or null, else the count; traps on anything else (the line is bad). */
export function count(role: i32, field: i32): i32 {
  const n = entry(role, field);
  if (n < 0 || isValue(n, VALUE_NULL)) return -1;
  if (!isValue(n, VALUE_NUMBER) || (flagsOf(n) & FLAG_INT) == 0) unreachable();
  const v = startOf(n);
  if (v > MAX_TOKENS_PER_FIELD) unreachable();
  return v;
}

/** The field holds an array or object kept whole other than `[]` (usage.iterations: the lane reads none). */
export function isFilledContainer(role: i32, field: i32): bool {
  const n = entry(role, field);
  if (!isValue(n, VALUE_CONTAINER)) return false;
  return !(endOf(n) - startOf(n) == 2 && load<u8>(<usize>startOf(n)) == 0x5b);
}

/**
 * The line's timestamp in UTC ms as narrow.ts's timestampMs reads it; NaN when it has none (absent, not a string,
 * not a date). Traps on a string it would hand to Date.parse.
 */
export function timestamp(): f64 {
  const n = entry(ROOT, LF_timestamp);
  const length = plainLength(n);
  if (length < 0) return NaN;
  if (isHigh(n)) unreachable(); // not Claude Code's form: Date.parse's
  if (length < 10 || length > 40) return NaN;
  const at = <usize>startOf(n) + 1;
  if (length != 24 || load<u8>(at + 10) != 84 || load<u8>(at + 23) != 90) unreachable();
  return utcIsoMs(at);
}

function utcIsoMs(at: usize): f64 {
  if (load<u8>(at + 4) != 45 || load<u8>(at + 7) != 45 || load<u8>(at + 13) != 58) return NaN;
  if (load<u8>(at + 16) != 58 || load<u8>(at + 19) != 46) return NaN;
  const year = digit(at) * 1000 + digit(at + 1) * 100 + digit(at + 2) * 10 + digit(at + 3);
  const month = digit(at + 5) * 10 + digit(at + 6);
  const day = digit(at + 8) * 10 + digit(at + 9);
  const hour = digit(at + 11) * 10 + digit(at + 12);
  const minute = digit(at + 14) * 10 + digit(at + 15);
  const second = digit(at + 17) * 10 + digit(at + 18);
  const milli = digit(at + 20) * 100 + digit(at + 21) * 10 + digit(at + 22);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) return NaN;
  return ((daysSinceEpoch(year, month, day) * 24 + <f64>hour) * 60 + <f64>minute) * 60_000 + <f64>(second * 1000 + milli);
}

function daysSinceEpoch(year: i32, month: i32, day: i32): f64 {
  const y = <f64>(month <= 2 ? year - 1 : year);
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor(<f64>(153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + <f64>(day - 1);
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: i32, month: i32): i32 {
  if (month == 2) return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

function digit(at: usize): i32 {
  const d = <i32>load<u8>(at) - 48;
  return d >= 0 && d <= 9 ? d : -10_000;
}
