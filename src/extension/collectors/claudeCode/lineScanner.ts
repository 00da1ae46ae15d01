/**
 * Reads the few fields the collector needs from one transcript line without JSON.parse of the whole line, which
 * would build every key, string and object of it (most of a line's cost is objects and strings the collector never
 * reads). The line is walked once, byte by byte where structure matters:
 *
 * - Keys named in a Schema are kept, with the exact value JSON.parse would give them (strings decoded the same way,
 *   numbers converted by the same algorithm, the last of duplicate keys winning); nested schemas are walked into.
 * - Every other value is skipped, but validated as strictly as JSON.parse would (strings without raw control
 *   characters and with valid escapes, number grammar, literals, commas and colons), so a damaged line is still a
 *   damaged line.
 * - `bulk` values (a message's `content`, a tool result's `toolUseResult`: the text of the conversation, most of the
 *   bytes and none of the facts) are skipped without looking inside strings — only their bracket structure is
 *   followed — and remembered as byte spans, so the caller can still parse a `content` when it wants a prompt.
 *   Damage inside a bulk value therefore does not hide the line's usage (as before, when content was cut out).
 *
 * Anything unusual (a key written with escapes, invalid JSON outside bulk values) returns undefined: the caller
 * then parses the line the plain way, which decides what it is.
 *
 * lineWalker.ts does the same walk in WebAssembly and builds the same result; this scanner reads the lines the walk
 * hands back (and every line where the walk's module cannot load).
 */
import { compile, keySlot, type CompiledKey, type CompiledSchema, type Schema } from './lineSchema';
import type { JsonObject } from './narrow';
import { addBulkSpan, dropUnreachable, NO_SPANS, numberAt, plainString, type BulkSpan, type ScannedLine } from './scannedValues';

export type { Field, Schema } from './lineSchema';
export type { BulkSpan, ScannedLine } from './scannedValues';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/** Bytes that end the plain run of a string: quote, backslash, and the control characters JSON forbids raw. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;

/** Thrown (and caught below) when the line is not what the fast path handles; never escapes this module. */
class NotScannable extends Error {}
const NOT_SCANNABLE = new NotScannable();

/**
 * Scans the object that spans exactly [start, end] of `line` (first byte `{`, last byte `}`; the caller trims). `tags`:
 * words whose raw presence the caller wants to know about, as the name of a kept key or the value of a `tag` field
 * (either proves the line holds `"<tag>"` verbatim). Returns undefined when the line must be parsed the plain way.
 */
export function scanLine(line: Buffer, start: number, end: number, schema: Schema, tags: ReadonlySet<string>): ScannedLine | undefined {
  // One scanner for every line (scanLine never re-enters): no per-line allocation besides the result.
  const s = SCANNER;
  s.reset(line, end + 1, tags);
  try {
    const obj: JsonObject = {};
    const after = s.object(start, compile(schema, tags), obj);
    if (s.skipSpace(after) !== end + 1) return undefined;
    if (s.replacedObject) dropUnreachable(obj, s.bulk);
    return { obj, bulk: s.bulk, tagged: s.tagged };
  } catch (e: unknown) {
    if (e instanceof NotScannable) return undefined;
    throw e;
  } finally {
    s.reset(EMPTY_LINE, 0, tags);
  }
}

const EMPTY_LINE = Buffer.alloc(0);

class Scanner {
  /** Spans of this line (a fresh array once the line has one: it goes out with the result). */
  bulk: BulkSpan[] = NO_SPANS;
  tagged = false;
  /** A duplicate key replaced a walked object (whose bulk spans then no longer count). */
  replacedObject = false;
  /** Set by string(): whether the last string scanned had an escape sequence, and whether it was all ASCII. */
  private escaped = false;
  private ascii = true;
  private b: Buffer = EMPTY_LINE;
  private end = 0;
  private tags: ReadonlySet<string> = new Set();

  reset(b: Buffer, end: number, tags: ReadonlySet<string>): void {
    this.b = b;
    this.end = end;
    this.tags = tags;
    this.bulk = NO_SPANS;
    this.tagged = false;
    this.replacedObject = false;
  }

  skipSpace(i: number): number {
    const b = this.b;
    while (i < this.end) {
      const c = b[i];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
      i++;
    }
    return i;
  }

  /** Walks the object opening at `i` with a schema; returns the index after its `}`. */
  object(i: number, schema: CompiledSchema, into: JsonObject): number {
    const b = this.b;
    i = this.skipSpace(i + 1);
    if (b[i] === CLOSE_OBJECT) return i + 1;
    for (;;) {
      if (b[i] !== QUOTE) throw NOT_SCANNABLE;
      const keyStart = i + 1;
      const keyEnd = this.string(i) - 1;
      if (this.escaped) throw NOT_SCANNABLE; // rare: let JSON.parse decode such keys
      i = this.skipSpace(keyEnd + 1);
      if (b[i] !== COLON) throw NOT_SCANNABLE;
      i = this.skipSpace(i + 1);
      const key = this.lookup(schema, keyStart, keyEnd);
      if (key !== undefined && key.tag) this.tagged = true;
      if (!key) i = this.skipStrict(i);
      else if (key.field === 'bulk') {
        const c = b[i];
        const valueEnd = c === QUOTE ? this.skipLooseString(i) : c === OPEN_ARRAY || c === OPEN_OBJECT ? this.skipLooseContainer(i) : this.skipStrict(i);
        this.bulk = addBulkSpan(this.bulk, into, key.name, i, valueEnd);
        i = valueEnd;
      } else if (typeof key.field === 'object' && b[i] === OPEN_OBJECT) {
        if (into[key.name] !== undefined) this.replacedObject = true;
        const child: JsonObject = {};
        i = this.object(i, key.field, child);
        into[key.name] = child;
      } else {
        const valueStart = i;
        if (typeof key.field === 'object' && into[key.name] !== undefined) this.replacedObject = true;
        i = this.valueInto(i, into, key.name, key.last);
        if (key.field === 'tag' && !this.tagged && b[valueStart] === QUOTE) {
          const v = into[key.name];
          if (typeof v === 'string' && this.tags.has(v) && !this.escaped) this.tagged = true;
        }
      }
      i = this.skipSpace(i);
      const c = b[i];
      if (c === CLOSE_OBJECT) return i + 1;
      if (c !== COMMA) throw NOT_SCANNABLE;
      i = this.skipSpace(i + 1);
    }
  }

  private lookup(schema: CompiledSchema, from: number, to: number): CompiledKey | undefined {
    if (to <= from) return undefined;
    const b = this.b;
    const length = to - from;
    const first = b[from];
    const last = b[to - 1];
    const list = schema.bySlot[keySlot(length, first, last)];
    if (list === undefined) return undefined;
    for (let n = 0; n < list.length; n++) {
      const kb = list[n].bytes;
      if (kb.length !== length || kb[0] !== first || kb[length - 1] !== last) continue;
      let j = 1;
      while (j < length - 1 && b[from + j] === kb[j]) j++;
      if (j >= length - 1) return list[n];
    }
    return undefined;
  }

  /** Reads the exact value at `i` into `into[name]`; returns the index after it. */
  private valueInto(i: number, into: JsonObject, name: string, last: CompiledKey['last']): number {
    const b = this.b;
    const c = b[i];
    if (c === QUOTE) {
      const after = this.string(i);
      if (this.escaped) {
        into[name] = JSON.parse(b.toString('utf8', i, after)) as string;
        return after;
      }
      into[name] = plainString(b, i + 1, after - 1, this.ascii, last);
      return after;
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const after = this.number(i);
      into[name] = numberAt(b, i, after);
      return after;
    }
    if (c === 0x74 /* t */) {
      this.literal(i, TRUE);
      into[name] = true;
      return i + 4;
    }
    if (c === 0x66 /* f */) {
      this.literal(i, FALSE);
      into[name] = false;
      return i + 5;
    }
    if (c === 0x6e /* n */) {
      this.literal(i, NULL);
      into[name] = null;
      return i + 4;
    }
    // An object or array kept whole (rare: an unexpected shape, or `iterations`): validated, then parsed exactly.
    const after = this.skipStrict(i);
    into[name] = JSON.parse(b.toString('utf8', i, after)) as unknown;
    return after;
  }

  private literal(i: number, word: Buffer): void {
    const b = this.b;
    if (i + word.length > this.end) throw NOT_SCANNABLE;
    for (let j = 0; j < word.length; j++) if (b[i + j] !== word[j]) throw NOT_SCANNABLE;
  }

  /**
   * A strictly valid string opening at `i`; returns the index after its closing quote. Sets `escaped` (it has an
   * escape sequence) and `ascii` (every byte is below 0x80).
   */
  private string(i: number): number {
    const b = this.b;
    const end = this.end;
    let escaped = false;
    let high = 0;
    let j = i + 1;
    for (;;) {
      let c = 0;
      // Plain bytes in a tight loop; the table marks quote, backslash and control characters.
      while (j < end && STRING_STOP[(c = b[j])] === 0) {
        high |= c;
        j++;
      }
      if (j >= end) throw NOT_SCANNABLE;
      if (c === QUOTE) break;
      if (c !== BACKSLASH) throw NOT_SCANNABLE; // a raw control character
      escaped = true;
      const e = b[j + 1];
      if (e === 0x75 /* u */) {
        for (let k = 2; k < 6; k++) if (!isHex(b[j + k])) throw NOT_SCANNABLE;
        j += 6;
      } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        j += 2;
      } else throw NOT_SCANNABLE;
    }
    this.escaped = escaped;
    this.ascii = (high & 0x80) === 0;
    return j + 1;
  }

  /** The JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? ; returns the index after it. */
  private number(i: number): number {
    const b = this.b;
    let j = i;
    if (b[j] === MINUS) j++;
    if (b[j] === ZERO) j++;
    else if (b[j] >= 0x31 && b[j] <= NINE) while (b[j] >= ZERO && b[j] <= NINE) j++;
    else throw NOT_SCANNABLE;
    if (b[j] === DOT) {
      j++;
      if (!(b[j] >= ZERO && b[j] <= NINE)) throw NOT_SCANNABLE;
      while (b[j] >= ZERO && b[j] <= NINE) j++;
    }
    if (b[j] === LOWER_E || b[j] === UPPER_E) {
      j++;
      if (b[j] === PLUS || b[j] === MINUS) j++;
      if (!(b[j] >= ZERO && b[j] <= NINE)) throw NOT_SCANNABLE;
      while (b[j] >= ZERO && b[j] <= NINE) j++;
    }
    if (j > this.end) throw NOT_SCANNABLE;
    return j;
  }

  /** Validates any JSON value at `i` as strictly as JSON.parse; returns the index after it. Iterative (any depth). */
  private skipStrict(i: number): number {
    const b = this.b;
    const first = b[i];
    // Most skipped values are strings or numbers: no container bookkeeping for them.
    if (first === QUOTE) return this.string(i);
    if (first === MINUS || (first >= ZERO && first <= NINE)) return this.number(i);
    // Open containers: true for an object, false for an array.
    const stack: boolean[] = [];
    for (;;) {
      // A value.
      const c = b[i];
      if (c === QUOTE) i = this.string(i);
      else if (c === MINUS || (c >= ZERO && c <= NINE)) i = this.number(i);
      else if (c === 0x74) {
        this.literal(i, TRUE);
        i += 4;
      } else if (c === 0x66) {
        this.literal(i, FALSE);
        i += 5;
      } else if (c === 0x6e) {
        this.literal(i, NULL);
        i += 4;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const isObject = c === OPEN_OBJECT;
        i = this.skipSpace(i + 1);
        if (b[i] === (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) i++;
        else {
          stack.push(isObject);
          if (isObject) i = this.keyAndColon(i);
          continue;
        }
      } else throw NOT_SCANNABLE;
      // After a value: close containers or move to the next member.
      for (;;) {
        if (stack.length === 0) return i;
        i = this.skipSpace(i);
        const isObject = stack[stack.length - 1];
        const d = b[i];
        if (d === COMMA) {
          i = this.skipSpace(i + 1);
          if (isObject) i = this.keyAndColon(i);
          break;
        }
        if (d !== (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) throw NOT_SCANNABLE;
        stack.pop();
        i++;
      }
    }
  }

  /** `"key"` then `:`; returns the index of the value. */
  private keyAndColon(i: number): number {
    if (this.b[i] !== QUOTE) throw NOT_SCANNABLE;
    i = this.skipSpace(this.string(i));
    if (this.b[i] !== COLON) throw NOT_SCANNABLE;
    return this.skipSpace(i + 1);
  }

  /** A string whose content is not looked at: only its closing quote (not escaped) is found. */
  private skipLooseString(i: number): number {
    const b = this.b;
    let p = i + 1;
    for (;;) {
      const q = b.indexOf(QUOTE, p);
      if (q === -1 || q >= this.end) throw NOT_SCANNABLE;
      let backslashes = 0;
      for (let j = q - 1; j > i && b[j] === BACKSLASH; j--) backslashes++;
      if ((backslashes & 1) === 0) return q + 1;
      p = q + 1;
    }
  }

  /** An array or object followed by its brackets only (strings jumped over); returns the index after it. */
  private skipLooseContainer(i: number): number {
    const b = this.b;
    let depth = 0;
    let j = i;
    while (j < this.end) {
      const c = b[j];
      if (c === QUOTE) {
        j = this.skipLooseString(j);
        continue;
      }
      if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
      else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    throw NOT_SCANNABLE;
  }
}

const SCANNER = new Scanner();

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}
