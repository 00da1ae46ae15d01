/**
 * The schemas lineScanner.ts reads lines with: which keys to keep, walk into or skip as bulk, compiled once into a
 * lookup by a cheap hash of the key's bytes.
 */

/**
 * What to do with a key's value: keep it exactly ('value'; 'shared' for a value most lines repeat, such as a model or
 * a session id: the string of the previous line is reused when the bytes are the same; 'tag' is 'shared' and also
 * compares a string value with the caller's tags), walk into it (a Schema: for an object; any other value is kept
 * as is), or skip it as bulk.
 */
export type Field = 'value' | 'shared' | 'tag' | 'bulk' | Schema;
export interface Schema {
  readonly [key: string]: Field;
}

export interface CompiledKey {
  bytes: Buffer;
  name: string;
  field: CompiledField;
  /** The name is one of the scan's tags. */
  tag: boolean;
  /**
   * For 'shared' and 'tag' fields: the last plain string value, its bytes and their length (-1: not known), and
   * whether the value was set by the WebAssembly walk, which remembers the bytes on its side (lineWalker.ts).
   */
  last?: { bytes: Buffer; length: number; value: string; walked: boolean };
}
export type CompiledField = 'value' | 'shared' | 'tag' | 'bulk' | CompiledSchema;
/** Longer shared strings are not remembered (they are not the repeated kind). */
export const SHARED_MAX_BYTES = 256;
export interface CompiledSchema {
  /** Keys by a hash of their length, first and last byte (see keySlot); usually one candidate per slot. */
  bySlot: Array<CompiledKey[] | undefined>;
}

export const KEY_SLOTS = 256;

export function keySlot(length: number, first: number, last: number): number {
  return (length * 7 + first * 31 + last * 17) & (KEY_SLOTS - 1);
}

const compiledByTags = new WeakMap<ReadonlySet<string>, WeakMap<Schema, CompiledSchema>>();

/** The schema compiled for these tags (once per schema object and tag set). */
export function compile(schema: Schema, tags: ReadonlySet<string>): CompiledSchema {
  let forTags = compiledByTags.get(tags);
  if (!forTags) compiledByTags.set(tags, (forTags = new WeakMap()));
  let c = forTags.get(schema);
  if (c) return c;
  c = { bySlot: new Array<CompiledKey[] | undefined>(KEY_SLOTS).fill(undefined) };
  forTags.set(schema, c);
  for (const [name, field] of Object.entries(schema)) {
    const bytes = Buffer.from(name);
    if (bytes.length === 0) continue;
    const slot = keySlot(bytes.length, bytes[0], bytes[bytes.length - 1]);
    let list = c.bySlot[slot];
    if (!list) c.bySlot[slot] = list = [];
    const key: CompiledKey = { bytes, name, field: typeof field === 'string' ? field : compile(field, tags), tag: tags.has(name) };
    if (field === 'shared' || field === 'tag') key.last = { bytes: Buffer.alloc(SHARED_MAX_BYTES), length: -1, value: '', walked: false };
    list.push(key);
  }
  return c;
}
