/**
 * Shrinks one JSON text on the fly, without ever holding it whole: every string is cut to its first `keepBytes` bytes,
 * everything else (keys, numbers, structure) is copied as is. A multi-megabyte transcript line is almost entirely one
 * or two strings (a tool result, a written file), while everything the collector reads from it — ids, models, usage
 * numbers, timestamps, a title cut to 200 characters — is short, so the shrunk text parses to the same facts at a
 * fraction of the memory and time.
 *
 * Cuts never split an escape sequence (the result stays valid JSON) nor a UTF-8 character. Numbers are never touched,
 * so shrinking cannot change a token count. Inside the part of a string that is dropped, only quotes are looked at
 * (with native `indexOf`), which is what makes huge strings cheap.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;

export class JsonShrinker {
  private out: Buffer;
  private size = 0;
  private inString = false;
  private skipping = false;
  private kept = 0;
  private escape = false;
  private hexLeft = 0;
  private overflowed = false;

  constructor(
    private readonly keepBytes = 2048,
    private readonly maxOutputBytes = 8 * 1024 * 1024,
  ) {
    this.out = Buffer.allocUnsafe(64 * 1024);
  }

  /** Feed the next bytes of the text (no newline inside). */
  push(bytes: Buffer): void {
    let pos = 0;
    const end = bytes.length;
    while (pos < end && !this.overflowed) {
      if (!this.inString) {
        const q = bytes.indexOf(QUOTE, pos);
        const stop = q === -1 ? end : q + 1;
        this.emit(bytes, pos, stop);
        pos = stop;
        if (q !== -1) this.openString();
      } else if (!this.skipping) {
        pos = this.copyStringHead(bytes, pos, end);
      } else {
        pos = this.skipStringTail(bytes, pos, end);
      }
    }
  }

  /** The shrunk text, or null when even the shrunk form was too large (a pathological line). */
  finish(): Buffer | null {
    if (this.overflowed) return null;
    // An unterminated string (a truncated line) stays unterminated: the caller's JSON.parse reports it.
    return this.out.subarray(0, this.size);
  }

  private openString(): void {
    this.inString = true;
    this.skipping = false;
    this.kept = 0;
    this.escape = false;
    this.hexLeft = 0;
  }

  /** Copies string bytes until the string closes or `keepBytes` is reached at a safe cut point. */
  private copyStringHead(bytes: Buffer, pos: number, end: number): number {
    let i = pos;
    let closed = false;
    while (i < end) {
      const c = bytes[i];
      if (this.kept >= this.keepBytes && this.hexLeft === 0 && !this.escape && (c & 0xc0) !== 0x80) {
        if (c === QUOTE) {
          closed = true;
          i++;
        } else {
          this.skipping = true;
        }
        break;
      }
      if (this.hexLeft > 0) this.hexLeft--;
      else if (this.escape) {
        this.escape = false;
        if (c === LETTER_U) this.hexLeft = 4;
      } else if (c === BACKSLASH) this.escape = true;
      else if (c === QUOTE) {
        closed = true;
        i++;
        break;
      }
      i++;
      this.kept++;
    }
    this.emit(bytes, pos, i);
    if (closed) this.inString = false;
    return i;
  }

  /** Skips the rest of a long string: finds its closing quote, the one not preceded by an odd run of backslashes. */
  private skipStringTail(bytes: Buffer, pos: number, end: number): number {
    let p = pos;
    if (this.escape) {
      // The byte after a backslash that ended the previous push.
      this.escape = false;
      p++;
    }
    while (p < end) {
      const q = bytes.indexOf(QUOTE, p);
      if (q === -1) {
        this.escape = backslashRunBefore(bytes, end, p) % 2 === 1;
        return end;
      }
      if (backslashRunBefore(bytes, q, p) % 2 === 1) {
        p = q + 1;
        continue;
      }
      this.emitByte(QUOTE);
      this.inString = false;
      this.skipping = false;
      return q + 1;
    }
    return end;
  }

  private emit(src: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (!this.reserve(n)) return;
    src.copy(this.out, this.size, from, to);
    this.size += n;
  }

  private emitByte(b: number): void {
    if (!this.reserve(1)) return;
    this.out[this.size++] = b;
  }

  private reserve(n: number): boolean {
    const need = this.size + n;
    if (need > this.maxOutputBytes) {
      this.overflowed = true;
      return false;
    }
    if (need > this.out.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.maxOutputBytes, Math.max(need, this.out.length * 2)));
      this.out.copy(grown, 0, 0, this.size);
      this.out = grown;
    }
    return true;
  }
}

/** Length of the run of backslashes ending just before `index`, not looking before `floor`. */
function backslashRunBefore(bytes: Buffer, index: number, floor: number): number {
  let n = 0;
  for (let i = index - 1; i >= floor && bytes[i] === BACKSLASH; i--) n++;
  return n;
}

/** Shrinks a line that is already in memory. */
export function shrinkJson(line: Buffer, keepBytes?: number, maxOutputBytes?: number): Buffer | null {
  const s = new JsonShrinker(keepBytes, maxOutputBytes);
  s.push(line);
  return s.finish();
}
