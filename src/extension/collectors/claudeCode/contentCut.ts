/**
 * Speeds up parsing of large assistant copies and tool results by cutting the message's `content` (text, thinking,
 * tool inputs and outputs: most of the bytes, none of the facts) out before JSON.parse.
 *
 * The start marker contains raw quotes, which never occur inside a JSON string (they would be escaped), so a match is
 * always a real `"content":` key. Its value's end is found by walking the structure — strings are jumped over with
 * native indexOf — so exactly that one array value is replaced by `[]`, whatever the rest of the line holds. Nothing
 * the collector reads lives inside a `content` array (prompts are read from lines that are not cut), and numbers are
 * never touched.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

const ASSISTANT_START = Buffer.from('"role":"assistant","content":');
const USER_START = Buffer.from('"role":"user","content":');
const EMPTY = Buffer.from('[]');

/** An assistant line with its message content replaced by `[]`, or undefined when it does not have that shape. */
export function cutAssistantContent(line: Buffer): Buffer | undefined {
  return cutAfter(line, ASSISTANT_START);
}

/** A user line (tool result or prompt) with its message content cut, for when no prompt text is needed. */
export function cutUserContent(line: Buffer): Buffer | undefined {
  return cutAfter(line, USER_START);
}

function cutAfter(line: Buffer, marker: Buffer): Buffer | undefined {
  const at = line.indexOf(marker);
  if (at === -1) return undefined;
  const from = at + marker.length;
  if (line[from] !== OPEN_ARRAY) return undefined;
  const close = closingBracket(line, from);
  if (close === -1) return undefined;
  return Buffer.concat([line.subarray(0, from), EMPTY, line.subarray(close + 1)]);
}

/** Index of the bracket closing the array or object opened at `open`, or -1 (unbalanced or unterminated). */
export function closingBracket(line: Buffer, open: number): number {
  let depth = 0;
  let i = open;
  const end = line.length;
  while (i < end) {
    const c = line[i];
    if (c === QUOTE) {
      i = stringEnd(line, i + 1);
      if (i === -1) return -1;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
    else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return -1;
}

/** Index of the quote closing a string whose first content byte is at `from`, or -1. */
function stringEnd(line: Buffer, from: number): number {
  let p = from;
  for (;;) {
    const q = line.indexOf(QUOTE, p);
    if (q === -1) return -1;
    let backslashes = 0;
    for (let j = q - 1; j >= from && line[j] === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
    p = q + 1;
  }
}
