// AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs (not part of the TypeScript program).
//
// The byte walk of lineScanner.ts, 16 bytes at a time where it can: one transcript line is validated as strictly as
// JSON.parse would, and the keys a schema names are reported on a tape (key, value span, flags) for lineWalker.ts to
// turn into the same result lineScanner.ts builds. Anything it does not handle (a key written with escapes, invalid
// JSON outside bulk values, a tape or nesting too deep) traps: the caller then uses the JavaScript scanner, which
// decides. Nothing is allocated; the memory has a fixed size so JavaScript views of it stay valid. The grammar itself
// (strings, numbers, literals, any value validated, bulk values skipped) is jsonGrammar.ts; this module is the walk
// through a schema's keys and the tape.

import {
  advance, anyLiteral, begin, byteAt, CLOSE_OBJECT, COLON, COMMA, e, escaped, high, isDigit, key, MINUS, number, OPEN_ARRAY,
  OPEN_OBJECT, p, QUOTE, sameBytes, skipLooseContainer, skipLooseString, skipSpace, skipStrict, str, ZERO,
} from './jsonGrammar';

// Tape entry: four i32 — key id, value start, value end (byte addresses), flags (OP_* | VALUE_* << 4 | FLAG_*).
export const OP_VALUE: i32 = 1;
export const OP_OPEN: i32 = 2;
export const OP_CLOSE: i32 = 3;
export const OP_BULK: i32 = 4;
export const VALUE_STRING: i32 = 0;
export const VALUE_NUMBER: i32 = 1;
export const VALUE_TRUE: i32 = 2;
export const VALUE_FALSE: i32 = 3;
export const VALUE_NULL: i32 = 4;
export const VALUE_CONTAINER: i32 = 5;
export const FLAG_ESCAPED: i32 = 0x100;
export const FLAG_HIGH: i32 = 0x200;
/** A string value of a key that remembers its last value (see SHARED_BYTES) has the same bytes as that value. */
export const FLAG_SAME: i32 = 0x400;
/** A number value is a plain non-negative integer below 10^9: the entry's start holds the value itself. */
export const FLAG_INT: i32 = 0x800;

// Key tables (written by lineWalker.ts): a schema is SLOTS i32 heads of chains of key records; a key record is
// KEY_I32 i32 — length, bytes address, kind (KIND_*), child schema address, next record address, id, and for a key
// whose repeated values are worth recognising, the address of SHARED_BYTES bytes holding its last plain string value
// (else 0) and that value's length (-1: none).
export const SLOTS: i32 = 256;
export const KEY_I32: i32 = 8;
export const SHARED_BYTES: i32 = 256;
export const KIND_KEEP: i32 = 0;
export const KIND_BULK: i32 = 1;
export const KIND_WALK: i32 = 2;
export const TABLE_BYTES: i32 = 65536;
export const TAPE_ENTRIES: i32 = 16384;

const tapeBase = memory.data(TAPE_ENTRIES * 16, 16);
const tableBase = memory.data(TABLE_BYTES, 16);

let entries: i32 = 0;

export function tapeAddress(): usize {
  return tapeBase;
}
export function tableAddress(): usize {
  return tableBase;
}
/** Where memory nobody else uses starts (lineWalker.ts puts lines there). */
export function freeAddress(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/**
 * Walks the object spanning [from, to) (first byte `{`, last `}`) with the schema at `schema`; returns the number of
 * tape entries. Traps when the line must be read another way.
 */
export function walk(from: usize, to: usize, schema: usize): i32 {
  begin(from, to);
  entries = 0;
  if (p >= e || load<u8>(p) != OPEN_OBJECT) unreachable();
  object(schema);
  skipSpace();
  if (p != e) unreachable();
  return entries;
}

function emit(key: i32, start: usize, end: usize, flags: i32): void {
  if (entries >= TAPE_ENTRIES) unreachable();
  const at = tapeBase + (<usize>entries << 4);
  store<i32>(at, key);
  store<i32>(at, <i32>start, 4);
  store<i32>(at, <i32>end, 8);
  store<i32>(at, flags, 12);
  entries++;
}

/** The key record of `schema` whose name is the bytes [from, from + length), or 0. */
function lookup(schema: usize, from: usize, length: i32): usize {
  if (length <= 0) return 0;
  const first = <i32>load<u8>(from);
  const last = <i32>load<u8>(from + <usize>(length - 1));
  // The same hash as lineSchema.ts's keySlot (lineWalker.ts checks that SLOTS is its KEY_SLOTS).
  const slot = (length * 7 + first * 31 + last * 17) & (SLOTS - 1);
  let record = <usize>load<i32>(schema + (<usize>slot << 2));
  while (record != 0) {
    if (load<i32>(record) == length && sameBytes(<usize>load<i32>(record, 4), from, <usize>length)) return record;
    record = <usize>load<i32>(record, 16);
  }
  return 0;
}

/** Walks the object opening at p with a schema; leaves p after its `}`. */
function object(schema: usize): void {
  advance();
  skipSpace();
  if (byteAt(p) == CLOSE_OBJECT) {
    advance();
    return;
  }
  for (;;) {
    if (byteAt(p) != QUOTE) unreachable();
    const keyStart = p + 1;
    key(); // traps on a key with escapes (rare): JSON.parse decodes those
    const keyLength = <i32>(p - 1 - keyStart);
    skipSpace();
    if (byteAt(p) != COLON) unreachable();
    advance();
    skipSpace();
    const found = lookup(schema, keyStart, keyLength);
    if (found == 0) skipStrict();
    else value(found);
    skipSpace();
    const c = byteAt(p);
    if (c == CLOSE_OBJECT) {
      advance();
      return;
    }
    if (c != COMMA) unreachable();
    advance();
    skipSpace();
  }
}

/** The value at p of a key the schema names, reported on the tape. */
function value(key: usize): void {
  const id = load<i32>(key, 20);
  const kind = load<i32>(key, 8);
  const start = p;
  const c = byteAt(p);
  if (kind == KIND_BULK) {
    if (c == QUOTE) skipLooseString();
    else if (c == OPEN_ARRAY || c == OPEN_OBJECT) skipLooseContainer();
    else skipStrict();
    emit(id, start, p, OP_BULK);
    return;
  }
  if (kind == KIND_WALK && c == OPEN_OBJECT) {
    emit(id, start, start, OP_OPEN);
    object(<usize>load<i32>(key, 12));
    emit(id, start, p, OP_CLOSE);
    return;
  }
  let flags = OP_VALUE;
  if (c == QUOTE) {
    str();
    flags |= (VALUE_STRING << 4) | (escaped ? FLAG_ESCAPED : 0) | (high ? FLAG_HIGH : 0);
    const last = <usize>load<i32>(key, 24);
    const length = <i32>(p - start) - 2;
    if (last != 0 && !escaped && length <= SHARED_BYTES) {
      if (length == load<i32>(key, 28) && sameBytes(last, start + 1, <usize>length)) flags |= FLAG_SAME;
      else {
        memory.copy(last, start + 1, <usize>length);
        store<i32>(key, length, 28);
      }
    }
  } else if (c == MINUS || isDigit(c)) {
    number();
    flags |= VALUE_NUMBER << 4;
    const digits = <i32>(p - start);
    if (c != MINUS && digits <= 9) {
      let n = 0;
      let q = start;
      while (q < p && isDigit(<i32>load<u8>(q))) n = n * 10 + (<i32>load<u8>(q++) - ZERO);
      if (q == p) {
        emit(id, <usize>n, p, flags | FLAG_INT);
        return;
      }
    }
  } else if (c == 0x74) {
    anyLiteral(c);
    flags |= VALUE_TRUE << 4;
  } else if (c == 0x66) {
    anyLiteral(c);
    flags |= VALUE_FALSE << 4;
  } else if (c == 0x6e) {
    anyLiteral(c);
    flags |= VALUE_NULL << 4;
  } else {
    skipStrict();
    flags |= VALUE_CONTAINER << 4;
  }
  emit(id, start, p, flags);
}
