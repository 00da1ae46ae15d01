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
/** Field number of each key the walk knows, by key id (-2: not looked up yet). */
let fieldByKey = new Int32Array(0);
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
  const { tape, keys, layout } = walk;
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
    if (op === layout.OP_CLOSE) {
      node = parents[--depth];
      continue;
    }
    const key = keys[id];
    if (key.tag) tagged = true;
    const field = fieldOf(walk, id, key);
    const slot = fields.claim(node, field);
    if (slot < 0) return false;
    if (op === layout.OP_OPEN) {
      const child = fields.setNode(slot);
      if (child < 0 || depth === parents.length) return false;
      parents[depth++] = node;
      node = child;
    } else if (op === layout.OP_BULK) {
      fields.setBulk(slot, field, start, end);
    } else if (key.last !== undefined && ((flags >> 4) & 15) === layout.VALUE_STRING) {
      // Remembered values are taken in tape order, whether or not the parser asks for them (see keptString).
      const value = tapeValue(walk, key, start, end, flags);
      fields.setKept(slot, value);
      if (key.field === 'tag' && !tagged && (flags & layout.FLAG_ESCAPED) === 0 && tags.has(value as string)) tagged = true;
    } else {
      fields.setTape(slot, key, start, end, flags);
    }
  }
  fields.tagged = tagged;
  return true;
}

function fieldOf(walk: LineWalk, id: number, key: CompiledKey): number {
  if (id >= fieldByKey.length) {
    const grown = new Int32Array(Math.max(64, walk.keys.length * 2)).fill(-2);
    grown.set(fieldByKey);
    fieldByKey = grown;
  }
  let field = fieldByKey[id];
  if (field === -2) fieldByKey[id] = field = fieldNumber(key.name);
  return field;
}
