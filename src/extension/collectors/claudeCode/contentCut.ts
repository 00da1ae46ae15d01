/**
 * Speeds up parsing of the two commonest lines — assistant copies and tool results — by cutting out the message's
 * `content` (text, thinking, tool inputs and outputs: most of the bytes, none of the facts) before JSON.parse.
 *
 * Why a cut cannot change a fact: the markers contain raw quotes, which never occur inside a JSON string (they would
 * be escaped), so every match is a real key. The cut replaces the content value with `[]`; if the end marker found is
 * nested deeper than the content value, the text left over has more closing brackets than openers and JSON.parse
 * fails — the caller then parses the whole line. If it lies beyond the content value, only the message's keys between
 * content and the marker are lost; the caller checks the message still has what it needs (id and model for a call)
 * and otherwise parses the whole line. Numbers are never touched.
 */

const ASSISTANT_START = Buffer.from('"role":"assistant","content":');
const ASSISTANT_END = Buffer.from('],"stop_reason":');
const USER_START = Buffer.from('"role":"user","content":');
const USER_END = Buffer.from(']},"');
const EMPTY = Buffer.from('[]');

/** The line with its message content replaced by `[]`, or undefined when the markers are not there. */
export function cutAssistantContent(line: Buffer): Buffer | undefined {
  const start = line.indexOf(ASSISTANT_START);
  if (start === -1) return undefined;
  const from = start + ASSISTANT_START.length;
  if (line[from] !== 0x5b /* [ */) return undefined;
  const end = line.lastIndexOf(ASSISTANT_END);
  if (end < from) return undefined;
  return Buffer.concat([line.subarray(0, from), EMPTY, line.subarray(end + 1)]);
}

/** A user line (tool result or prompt) with its message content cut, for when no prompt text is needed. */
export function cutUserContent(line: Buffer): Buffer | undefined {
  const start = line.indexOf(USER_START);
  if (start === -1) return undefined;
  const from = start + USER_START.length;
  if (line[from] !== 0x5b /* [ */) return undefined;
  const end = line.indexOf(USER_END, from);
  if (end === -1) return undefined;
  return Buffer.concat([line.subarray(0, from), EMPTY, line.subarray(end + 1)]);
}
