/**
 * What a scanned line is made of, built the same way by both scanners (lineScanner.ts in JavaScript, lineWalker.ts
 * from the WebAssembly walk's tape): values decoded exactly as JSON.parse would, and skipped bulk values as spans.
 */
import { SHARED_MAX_BYTES, type CompiledKey } from './lineSchema';
import type { JsonObject } from './narrow';

/** A bulk value that was skipped: its bytes are [start, end) of the line. */
export interface BulkSpan {
  holder: JsonObject;
  key: string;
  start: number;
  end: number;
  /**
   * False when JSON.parse would not keep this value: a later duplicate key replaced it (or replaced the object that
   * held it). Its bytes were still skipped without being looked at.
   */
  live: boolean;
}

export interface ScannedLine {
  obj: JsonObject;
  bulk: BulkSpan[];
  /** A kept key's name, or a `tag` field's unescaped string value, is one of the caller's tags (see scanLine). */
  tagged: boolean;
}

/** The spans of a line without any (shared: a line gets its own array when it has a span). */
export const NO_SPANS: BulkSpan[] = [];

/** Node's Buffer slicing primitives, without toString()'s argument handling (measurable at millions of calls). */
interface Slicer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
function slices(b: Buffer): Slicer {
  return b as unknown as Slicer;
}

/**
 * A string without escapes whose content is [from, to) of `b`: JSON.parse decodes the whole line as UTF-8 first,
 * and a slice between two ASCII quotes decodes identically. `last` (a 'shared' key's previous value) is reused
 * when the bytes are the same.
 */
export function plainString(b: Buffer, from: number, to: number, ascii: boolean, last: CompiledKey['last']): string {
  const length = to - from;
  if (last === undefined || length > SHARED_MAX_BYTES) return decode(b, from, to, ascii);
  if (length === last.length && sameBytes(b, from, last.bytes, length)) return last.value;
  last.value = decode(b, from, to, ascii);
  last.walked = false;
  b.copy(last.bytes, 0, from, to);
  last.length = length;
  return last.value;
}

function decode(b: Buffer, from: number, to: number, ascii: boolean): string {
  return ascii ? slices(b).latin1Slice(from, to) : slices(b).utf8Slice(from, to);
}

function sameBytes(a: Buffer, from: number, b: Buffer, length: number): boolean {
  for (let j = 0; j < length; j++) if (a[from + j] !== b[j]) return false;
  return true;
}

const MINUS = 0x2d;
const ZERO = 0x30;

/** The value of the valid JSON number [from, to) of `b`, exactly as JSON.parse gives it. */
export function numberAt(b: Buffer, from: number, to: number): number {
  let neg = false;
  let i = from;
  if (b[i] === MINUS) {
    neg = true;
    i++;
  }
  // Up to 15 digits of an integer are exact in a double; anything else goes through the same conversion JSON.parse uses.
  if (to - i <= 15) {
    let n = 0;
    let j = i;
    for (; j < to; j++) {
      const d = b[j] - ZERO;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (j === to) return neg ? -n : n;
  }
  return Number(b.toString('latin1', from, to));
}

/**
 * Adds a skipped bulk value; returns the line's span list (a new array for its first span). A later duplicate
 * replaces an earlier one, as in JSON.parse (a key is bulk or not by its name, so only a bulk value can replace one).
 */
export function addBulkSpan(bulk: BulkSpan[], holder: JsonObject, key: string, start: number, end: number): BulkSpan[] {
  if (bulk === NO_SPANS) bulk = [];
  else for (const span of bulk) if (span.holder === holder && span.key === key) span.live = false;
  bulk.push({ holder, key, start, end, live: true });
  return bulk;
}

/** After duplicate keys replaced walked objects: spans held by objects no longer in the result are not live. */
export function dropUnreachable(root: JsonObject, bulk: readonly BulkSpan[]): void {
  const reachable = new Set<unknown>();
  const visit = (o: JsonObject): void => {
    reachable.add(o);
    for (const v of Object.values(o)) if (typeof v === 'object' && v !== null && !Array.isArray(v)) visit(v as JsonObject);
  };
  visit(root);
  for (const span of bulk) if (!reachable.has(span.holder)) span.live = false;
}
