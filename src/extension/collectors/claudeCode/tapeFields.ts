/**
 * A transcript line read straight from the WebAssembly walk's tape (lineWalker.ts) into LineFields: each kept
 * value's place on the tape goes into its slot and is decoded only when the parser asks for it. Building the nested
 * objects fromTape builds (one hidden-class transition and one megamorphic store per key) was more than half of the
 * parse's JavaScript time after the walk.
 *
 * The values are fromTape's (and so lineScanner.ts's and JSON.parse's) by construction: decoded by the same function
 * (tapeValue), and strings of keys that remember their last value decoded in tape order, as fromTape does. A line the
 * table cannot describe exactly (a duplicate key, where JSON.parse keeps the last) is handed back to be read by
 * fromTape.
 */
import { fieldNumber, LineFields } from './lineFields';
import type { CompiledKey, Schema } from './lineSchema';
import { forgetShared, lineWalk, NOT_WALKED, tapeValue, walkTape, type LineWalk } from './lineWalker';

/** What readTapeFields gives back when the table cannot describe the line: read it with walkLine (fromTape). */
export const UNDESCRIBED = null;

let fields: LineFields | undefined;
/**
 * What the fill loop needs of each key the walk knows, by key id, so it reads no key object on the common path: the
 * field number (bits 0-7), whether the name is a tag, whether the key remembers its last value, and whether it is a
 * `tag` field. -1: not worked out yet.
 */
let keyInfo = new Int32Array(0);
const FIELD_BITS = 0xff;
const NAME_IS_TAG = 1 << 8;
const REMEMBERS = 1 << 9;
const TAG_FIELD = 1 << 10;
const parents = new Int32Array(64);

/**
 * Walks [start, end] of `line` (see walkTape) into this thread's LineFields (valid until the next line read);
 * NOT_WALKED when the walk did not read the line (lineScanner.ts decides), UNDESCRIBED when the table cannot
 * describe it.
 */
export function readTapeFields(
  line: Buffer, start: number, end: number, schema: Schema, tags: ReadonlySet<string>,
): LineFields | typeof NOT_WALKED | typeof UNDESCRIBED {
  const walk = lineWalk();
  if (!walk) return NOT_WALKED;
  const entries = walkTape(walk, line, start, end, schema, tags);
  if (entries === NOT_WALKED) return NOT_WALKED;
  fields ??= new LineFields();
  if (fill(fields, walk, entries, tags)) return fields;
  // The tape was left halfway: values the walk remembered past that point were not taken.
  forgetShared(walk);
  return UNDESCRIBED;
}

/** Fills the table from the tape (and its `tagged`); false when it cannot describe the line. */
function fill(fields: LineFields, walk: LineWalk, entries: number, tags: ReadonlySet<string>): boolean {
  const { tape, layout } = walk;
  const { OP_CLOSE, OP_OPEN, OP_BULK, VALUE_STRING, FLAG_ESCAPED } = layout;
  fields.begin(walk);
  let tagged = false;
  let node = 0;
  let depth = 0;
  for (let n = 0; n < entries; n++) {
    const at = n * 4;
    const id = tape[at];
    const start = tape[at + 1];
    const end = tape[at + 2];
    const flags = tape[at + 3];
    const op = flags & 15;
    if (op === OP_CLOSE) {
      node = parents[--depth];
      continue;
    }
    const info = id < keyInfo.length && keyInfo[id] >= 0 ? keyInfo[id] : describeKey(walk, id);
    if ((info & NAME_IS_TAG) !== 0) tagged = true;
    const field = info & FIELD_BITS;
    const slot = field === FIELD_BITS ? -1 : fields.claim(node, field);
    if (slot < 0) return false;
    if (op === OP_OPEN) {
      const child = fields.setNode(slot);
      if (child < 0 || depth === parents.length) return false;
      parents[depth++] = node;
      node = child;
    } else if (op === OP_BULK) {
      fields.setBulk(slot, field, start, end);
    } else if ((info & REMEMBERS) !== 0 && ((flags >> 4) & 15) === VALUE_STRING) {
      // Remembered values are taken in tape order, whether or not the parser asks for them (see keptString).
      const value = tapeValue(walk, walk.keys[id], start, end, flags);
      fields.setKept(slot, value);
      if ((info & TAG_FIELD) !== 0 && !tagged && (flags & FLAG_ESCAPED) === 0 && tags.has(value as string)) tagged = true;
    } else {
      fields.setTape(slot, id, start, end, flags);
    }
  }
  fields.tagged = tagged;
  return true;
}

function describeKey(walk: LineWalk, id: number): number {
  if (id >= keyInfo.length) {
    const grown = new Int32Array(Math.max(64, walk.keys.length * 2)).fill(-1);
    grown.set(keyInfo);
    keyInfo = grown;
  }
  const key: CompiledKey = walk.keys[id];
  const field = fieldNumber(key.name);
  const info =
    (field < 0 ? FIELD_BITS : field) | (key.tag ? NAME_IS_TAG : 0) | (key.last !== undefined ? REMEMBERS : 0) | (key.field === 'tag' ? TAG_FIELD : 0);
  keyInfo[id] = info;
  return info;
}
