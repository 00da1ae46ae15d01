// AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs (not part of the TypeScript program).
//
// The byte walk of lineScanner.ts, 16 bytes at a time where it can: one transcript line is validated as strictly as
// JSON.parse would, and the keys a schema names are reported on a tape (key, value span, flags) for lineWalker.ts to
// turn into the same result lineScanner.ts builds. Anything it does not handle (a key written with escapes, invalid
// JSON outside bulk values, a tape or nesting too deep) traps: the caller then uses the JavaScript scanner, which
// decides. Nothing is allocated; the memory has a fixed size so JavaScript views of it stay valid.

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
const MAX_DEPTH: i32 = 4096;

const tapeBase = memory.data(TAPE_ENTRIES * 16, 16);
const tableBase = memory.data(TABLE_BYTES, 16);
const depthStack = memory.data(MAX_DEPTH);

const QUOTE: i32 = 0x22;
const BACKSLASH: i32 = 0x5c;
const OPEN_OBJECT: i32 = 0x7b;
const CLOSE_OBJECT: i32 = 0x7d;
const OPEN_ARRAY: i32 = 0x5b;
const CLOSE_ARRAY: i32 = 0x5d;
const COMMA: i32 = 0x2c;
const COLON: i32 = 0x3a;
const MINUS: i32 = 0x2d;
const ZERO: i32 = 0x30;
const NINE: i32 = 0x39;

let p: usize = 0;
let e: usize = 0;
let entries: i32 = 0;
/** Set by str(): the string had an escape sequence; some byte of it was 0x80 or above. */
let escaped = false;
let high = false;

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
  p = from;
  e = to;
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

@inline function byteAt(q: usize): i32 {
  return q < e ? <i32>load<u8>(q) : -1;
}

@inline function isSpace(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
}

function skipSpace(): void {
  while (p < e && isSpace(<i32>load<u8>(p))) p++;
}

@inline function isDigit(c: i32): bool {
  return c >= ZERO && c <= NINE;
}

function isHex(c: i32): bool {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** A strictly valid string opening at p; leaves p after its closing quote and sets `escaped` and `high`. */
function str(): void {
  let q = p + 1;
  let esc = false;
  let hi = 0;
  const quotes = i8x16.splat(<i8>QUOTE);
  const backslashes = i8x16.splat(<i8>BACKSLASH);
  const controls = i8x16.splat(<i8>0x20);
  for (;;) {
    let c: i32 = -1;
    while (q + 16 <= e) {
      const v = v128.load(q);
      const stops = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quotes), i8x16.eq(v, backslashes)), i8x16.lt_u(v, controls)));
      const top = i8x16.bitmask(v);
      if (stops != 0) {
        const at = ctz(stops);
        hi |= top & ((1 << at) - 1);
        q += <usize>at;
        c = <i32>load<u8>(q);
        break;
      }
      hi |= top;
      q += 16;
    }
    if (c < 0) {
      while (q < e) {
        c = <i32>load<u8>(q);
        if (c == QUOTE || c == BACKSLASH || c < 0x20) break;
        hi |= c & 0x80;
        q++;
      }
      if (q >= e) unreachable();
    }
    if (c == QUOTE) break;
    if (c != BACKSLASH) unreachable(); // a raw control character
    esc = true;
    const x = byteAt(q + 1);
    if (x == 0x75 /* u */) {
      if (!(isHex(byteAt(q + 2)) && isHex(byteAt(q + 3)) && isHex(byteAt(q + 4)) && isHex(byteAt(q + 5)))) unreachable();
      q += 6;
    } else if (x == QUOTE || x == BACKSLASH || x == 0x2f || x == 0x62 || x == 0x66 || x == 0x6e || x == 0x72 || x == 0x74) {
      q += 2;
    } else unreachable();
  }
  escaped = esc;
  high = hi != 0;
  p = q + 1;
}

/** The JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function number(): void {
  let q = p;
  if (byteAt(q) == MINUS) q++;
  let c = byteAt(q);
  if (c == ZERO) q++;
  else if (c >= 0x31 && c <= NINE) {
    while (isDigit(byteAt(q))) q++;
  } else unreachable();
  if (byteAt(q) == 0x2e /* . */) {
    q++;
    if (!isDigit(byteAt(q))) unreachable();
    while (isDigit(byteAt(q))) q++;
  }
  c = byteAt(q);
  if (c == 0x65 || c == 0x45 /* e E */) {
    q++;
    c = byteAt(q);
    if (c == 0x2b || c == MINUS) q++;
    if (!isDigit(byteAt(q))) unreachable();
    while (isDigit(byteAt(q))) q++;
  }
  p = q;
}

function literal(a: i32, b: i32, c: i32, d: i32, length: i32): void {
  if (byteAt(p + 1) != a || byteAt(p + 2) != b || byteAt(p + 3) != c) unreachable();
  if (length == 5 && byteAt(p + 4) != d) unreachable();
  p += <usize>length;
}

/** A literal at p (first byte `c`), or a trap. */
function anyLiteral(c: i32): void {
  if (c == 0x74) literal(0x72, 0x75, 0x65, 0, 4); // true
  else if (c == 0x66) literal(0x61, 0x6c, 0x73, 0x65, 5); // false
  else if (c == 0x6e) literal(0x75, 0x6c, 0x6c, 0, 4); // null
  else unreachable();
}

/** `"key"` then `:`; leaves p at the value. */
function keyAndColon(): void {
  if (byteAt(p) != QUOTE) unreachable();
  str();
  skipSpace();
  if (byteAt(p) != COLON) unreachable();
  p++;
  skipSpace();
}

/** Validates any JSON value at p as strictly as JSON.parse; leaves p after it. Iterative (nesting up to MAX_DEPTH). */
function skipStrict(): void {
  const first = byteAt(p);
  if (first == QUOTE) {
    str();
    return;
  }
  if (first == MINUS || isDigit(first)) {
    number();
    return;
  }
  let depth = 0;
  for (;;) {
    const c = byteAt(p);
    if (c == QUOTE) str();
    else if (c == MINUS || isDigit(c)) number();
    else if (c == OPEN_OBJECT || c == OPEN_ARRAY) {
      const isObject = c == OPEN_OBJECT;
      p++;
      skipSpace();
      if (byteAt(p) == (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) p++;
      else {
        if (depth >= MAX_DEPTH) unreachable();
        store<u8>(depthStack + <usize>depth, isObject ? 1 : 0);
        depth++;
        if (isObject) keyAndColon();
        continue;
      }
    } else anyLiteral(c);
    // After a value: close containers or move on to the next member.
    for (;;) {
      if (depth == 0) return;
      skipSpace();
      const isObject = load<u8>(depthStack + <usize>(depth - 1)) != 0;
      const d = byteAt(p);
      if (d == COMMA) {
        p++;
        skipSpace();
        if (isObject) keyAndColon();
        break;
      }
      if (d != (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) unreachable();
      depth--;
      p++;
    }
  }
}

/**
 * A string whose content is not looked at: only its closing quote is found — the first quote preceded by an even
 * number of backslashes. Quotes are looked for alone: message text and tool output are full of `\n`, and stopping at
 * every backslash would leave the 16-byte steps every few bytes.
 */
function skipLooseString(): void {
  const open = p;
  let q = p + 1;
  const quotes = i8x16.splat(<i8>QUOTE);
  for (;;) {
    let found = false;
    while (q + 16 <= e) {
      const stops = i8x16.bitmask(i8x16.eq(v128.load(q), quotes));
      if (stops != 0) {
        q += <usize>ctz(stops);
        found = true;
        break;
      }
      q += 16;
    }
    if (!found) {
      while (q < e && <i32>load<u8>(q) != QUOTE) q++;
      if (q >= e) unreachable();
    }
    let back = q;
    while (back > open + 1 && <i32>load<u8>(back - 1) == BACKSLASH) back--;
    if (((q - back) & 1) == 0) {
      p = q + 1;
      return;
    }
    q++;
  }
}

/** An array or object followed by its brackets only (strings jumped over); leaves p after it. */
function skipLooseContainer(): void {
  let depth = 0;
  const quotes = i8x16.splat(<i8>QUOTE);
  const opens = i8x16.splat(<i8>OPEN_OBJECT);
  const closes = i8x16.splat(<i8>CLOSE_OBJECT);
  const openArrays = i8x16.splat(<i8>OPEN_ARRAY);
  const closeArrays = i8x16.splat(<i8>CLOSE_ARRAY);
  while (p < e) {
    while (p + 16 <= e) {
      const v = v128.load(p);
      const hits = v128.or(v128.or(i8x16.eq(v, quotes), v128.or(i8x16.eq(v, opens), i8x16.eq(v, closes))), v128.or(i8x16.eq(v, openArrays), i8x16.eq(v, closeArrays)));
      const stops = i8x16.bitmask(hits);
      if (stops != 0) {
        p += <usize>ctz(stops);
        break;
      }
      p += 16;
    }
    if (p >= e) break;
    const c = <i32>load<u8>(p);
    if (c == QUOTE) {
      skipLooseString();
      continue;
    }
    if (c == OPEN_ARRAY || c == OPEN_OBJECT) depth++;
    else if (c == CLOSE_ARRAY || c == CLOSE_OBJECT) {
      depth--;
      if (depth == 0) {
        p++;
        return;
      }
    }
    p++;
  }
  unreachable();
}

/** The key record of `schema` whose name is the bytes [from, from + length), or 0. */
function lookup(schema: usize, from: usize, length: i32): usize {
  if (length <= 0) return 0;
  const first = <i32>load<u8>(from);
  const last = <i32>load<u8>(from + <usize>(length - 1));
  // The same hash as lineSchema.ts's keySlot (lineWalker.ts checks that SLOTS is its KEY_SLOTS).
  const slot = (length * 7 + first * 31 + last * 17) & (SLOTS - 1);
  let key = <usize>load<i32>(schema + (<usize>slot << 2));
  while (key != 0) {
    if (load<i32>(key) == length && memory.compare(<usize>load<i32>(key, 4), from, <usize>length) == 0) return key;
    key = <usize>load<i32>(key, 16);
  }
  return 0;
}

/** Walks the object opening at p with a schema; leaves p after its `}`. */
function object(schema: usize): void {
  p++;
  skipSpace();
  if (byteAt(p) == CLOSE_OBJECT) {
    p++;
    return;
  }
  for (;;) {
    if (byteAt(p) != QUOTE) unreachable();
    const keyStart = p + 1;
    str();
    if (escaped) unreachable(); // rare: let JSON.parse decode such keys
    const keyLength = <i32>(p - 1 - keyStart);
    skipSpace();
    if (byteAt(p) != COLON) unreachable();
    p++;
    skipSpace();
    const key = lookup(schema, keyStart, keyLength);
    if (key == 0) skipStrict();
    else value(key);
    skipSpace();
    const c = byteAt(p);
    if (c == CLOSE_OBJECT) {
      p++;
      return;
    }
    if (c != COMMA) unreachable();
    p++;
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
      if (length == load<i32>(key, 28) && memory.compare(last, start + 1, <usize>length) == 0) flags |= FLAG_SAME;
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
