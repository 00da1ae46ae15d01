// AssemblyScript (see lineWalk.ts). The JSON grammar over the bytes [p, e) of one line, 16 bytes at a time where
// it can: strict validation of any value, as JSON.parse would accept it, and loose skipping of bulk values (only
// their brackets and closing quotes are found). Anything invalid traps. The position is this module's state: the
// walk (lineWalk.ts) sets it with begin(), reads it, and moves past single bytes it checked with advance().

export const QUOTE: i32 = 0x22;
const BACKSLASH: i32 = 0x5c;
export const OPEN_OBJECT: i32 = 0x7b;
export const CLOSE_OBJECT: i32 = 0x7d;
export const OPEN_ARRAY: i32 = 0x5b;
const CLOSE_ARRAY: i32 = 0x5d;
export const COMMA: i32 = 0x2c;
export const COLON: i32 = 0x3a;
export const MINUS: i32 = 0x2d;
export const ZERO: i32 = 0x30;
const NINE: i32 = 0x39;

const MAX_DEPTH: i32 = 4096;
const depthStack = memory.data(MAX_DEPTH);

export let p: usize = 0;
export let e: usize = 0;
/** Set by str(): the string had an escape sequence; some byte of it was 0x80 or above. */
export let escaped = false;
export let high = false;

/** The line to read: [from, to). */
export function begin(from: usize, to: usize): void {
  p = from;
  e = to;
}

/** Moves past one byte the caller has checked. */
@inline export function advance(): void {
  p++;
}

@inline export function byteAt(q: usize): i32 {
  return q < e ? <i32>load<u8>(q) : -1;
}

@inline function isSpace(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
}

export function skipSpace(): void {
  // Claude Code writes compact JSON: the first byte is almost never a space.
  while (p < e) {
    const c = <i32>load<u8>(p);
    if (c > 0x20 || !isSpace(c)) return;
    p++;
  }
}

@inline export function isDigit(c: i32): bool {
  return c >= ZERO && c <= NINE;
}

function isHex(c: i32): bool {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** A strictly valid string opening at p; leaves p after its closing quote and sets `escaped` and `high`. */
export function str(): void {
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

/**
 * A key opening at p: leaves p after its closing quote. Keys are plain: one with an escape sequence (or a raw control
 * character, which str() rejects too) traps, so the caller reads the line another way.
 */
export function key(): void {
  let q = p + 1;
  const quotes = i8x16.splat(<i8>QUOTE);
  const backslashes = i8x16.splat(<i8>BACKSLASH);
  const controls = i8x16.splat(<i8>0x20);
  for (;;) {
    if (q + 16 > e) {
      while (q < e) {
        const c = <i32>load<u8>(q);
        if (c == QUOTE) break;
        if (c == BACKSLASH || c < 0x20) unreachable();
        q++;
      }
      if (q >= e) unreachable();
      break;
    }
    const v = v128.load(q);
    const stops = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quotes), i8x16.eq(v, backslashes)), i8x16.lt_u(v, controls)));
    if (stops != 0) {
      q += <usize>ctz(stops);
      if (<i32>load<u8>(q) != QUOTE) unreachable();
      break;
    }
    q += 16;
  }
  p = q + 1;
}

/** Whether the n bytes at a and at b are the same (eight at a time). */
export function sameBytes(a: usize, b: usize, n: usize): bool {
  while (n >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  while (n > 0) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++;
    b++;
    n--;
  }
  return true;
}

/** The JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
export function number(): void {
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
export function anyLiteral(c: i32): void {
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
export function skipStrict(): void {
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
export function skipLooseString(): void {
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
export function skipLooseContainer(): void {
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
