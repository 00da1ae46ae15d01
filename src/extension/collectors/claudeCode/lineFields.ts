/**
 * The fields of one transcript line that the collector reads, in a fixed table of slots: one row of fields (F) per
 * object of the line (the line, its message, the message's usage…), numbered as nodes. lineParser.ts reads every line
 * from this table, however the line was read: straight from the WebAssembly walk's tape (tapeFields.ts, values
 * decoded only when asked for, no object built per line) or from a parsed object (fillFromObject). One class for
 * both, so the parser's code sees one shape.
 */
import type { Schema } from './lineSchema';
import type { LineWalk } from './lineWalker';
import { tapeValue } from './lineWalker';
import { isoBytesMs, timestampMs, type JsonObject } from './narrow';

/** Every field the collector reads, at any depth (the schemas in transcriptSchema.ts name these and no others). */
export const FIELD_NAMES = [
  'type', 'subtype', 'message', 'isApiErrorMessage', 'isCompactSummary', 'isMeta', 'requestId', 'timestamp',
  'isSidechain', 'agentId', 'sessionId', 'cwd', 'entrypoint', 'sessionKind', 'uuid', 'customTitle', 'aiTitle',
  'lastPrompt', 'summary', 'toolUseResult', 'data', 'model', 'id', 'usage', 'content', 'input_tokens',
  'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'cache_creation',
  'ephemeral_5m_input_tokens', 'ephemeral_1h_input_tokens', 'server_tool_use', 'web_search_requests',
  'web_fetch_requests', 'service_tier', 'speed', 'inference_geo', 'iterations',
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

/** Field numbers by name. */
export const F = Object.freeze(Object.fromEntries(FIELD_NAMES.map((name, i) => [name, i]))) as { readonly [K in FieldName]: number };

const FIELD_NUMBERS: ReadonlyMap<string, number> = new Map(FIELD_NAMES.map((name, i) => [name, i]));

/** A field's number, or -1 for a name the collector never reads. */
export function fieldNumber(name: string): number {
  return FIELD_NUMBERS.get(name) ?? -1;
}

/** Objects one line may hold: the line, its message, usage, cache_creation… (the schemas' depth allows 11). */
export const MAX_NODES = 16;
const WIDTH = FIELD_NAMES.length;

/** What a slot holds. */
const enum Slot {
  /** A value, in `kept`. */
  Kept = 1,
  /** An object walked into: `start` is its node. */
  Node = 2,
  /** A value still on the walk's tape: decoded when asked for. */
  Tape = 3,
  /** A skipped bulk value (its bytes in the walk's memory); absent until parsed (parseContents). */
  Bulk = 4,
}

export class LineFields {
  /** The line's node. */
  readonly root = 0;
  /** A key of the line is one of the scan's tags, or a `tag` field's unescaped value is (see ScannedLine.tagged). */
  tagged = false;
  /** A slot belongs to the current line when its stamp is the line's serial. */
  private serial = 0;
  private readonly stamp = new Int32Array(MAX_NODES * WIDTH);
  private readonly what = new Int8Array(MAX_NODES * WIDTH);
  private readonly start = new Int32Array(MAX_NODES * WIDTH);
  private readonly end = new Int32Array(MAX_NODES * WIDTH);
  private readonly flags = new Int32Array(MAX_NODES * WIDTH);
  private readonly keyIds = new Int32Array(MAX_NODES * WIDTH);
  private readonly kept: unknown[] = new Array<unknown>(MAX_NODES * WIDTH).fill(undefined);
  private nodes = 1;
  private walk: LineWalk | undefined;
  /** How many bulk values the line had skipped. */
  private bulkCount = 0;
  /** Slots of the line's skipped `content` values, for parseContents. */
  private readonly contents = new Int32Array(MAX_NODES);
  private contentCount = 0;

  /** The field's value, exactly as JSON.parse gives it; undefined when absent. Objects are read with child(). */
  value(node: number, field: number): unknown {
    const slot = node * WIDTH + field;
    if (this.stamp[slot] !== this.serial) return undefined;
    const what = this.what[slot];
    if (what === Slot.Kept) return this.kept[slot];
    if (what === Slot.Tape) {
      const walk = this.walk as LineWalk;
      return tapeValue(walk, walk.keys[this.keyIds[slot]], this.start[slot], this.end[slot], this.flags[slot]);
    }
    if (what === Slot.Bulk) return undefined;
    throw new Error(`${FIELD_NAMES[field]} holds an object: read it with child()`);
  }

  /** timestampMs of the field's value; Claude Code's own form is read from the line's bytes, without a string. */
  timestamp(node: number, field: number): number | undefined {
    const slot = node * WIDTH + field;
    if (this.stamp[slot] === this.serial && this.what[slot] === Slot.Tape && this.end[slot] - this.start[slot] === 26) {
      const walk = this.walk as LineWalk;
      const { layout } = walk;
      const flags = this.flags[slot];
      if (((flags >> 4) & 15) === layout.VALUE_STRING && (flags & (layout.FLAG_ESCAPED | layout.FLAG_HIGH)) === 0) {
        const ms = isoBytesMs(walk.mem, this.start[slot] + 1);
        if (ms !== null) return ms;
      }
    }
    return timestampMs(this.value(node, field));
  }

  /** The field's value when it is an object (not an array, not null): its node; else undefined. */
  child(node: number, field: number): number | undefined {
    const slot = node * WIDTH + field;
    return this.stamp[slot] === this.serial && this.what[slot] === Slot.Node ? this.start[slot] : undefined;
  }

  /** Whether the field is there at all (null counts as there). */
  has(node: number, field: number): boolean {
    const slot = node * WIDTH + field;
    return this.stamp[slot] === this.serial && this.what[slot] !== Slot.Bulk;
  }

  /** Skipped bulk values were set aside (see Schema 'bulk'). */
  get hasBulk(): boolean {
    return this.bulkCount > 0;
  }

  /** Parses every skipped `content` value (to read a prompt from it); false when one is not valid JSON. */
  parseContents(): boolean {
    const mem = (this.walk as LineWalk).mem;
    for (let i = 0; i < this.contentCount; i++) {
      const slot = this.contents[i];
      try {
        this.kept[slot] = JSON.parse(mem.toString('utf8', this.start[slot], this.end[slot])) as unknown;
      } catch {
        return false;
      }
      this.what[slot] = Slot.Kept;
    }
    this.contentCount = 0;
    return true;
  }

  /** Starts a new line (every slot of the previous one is gone). */
  begin(walk: LineWalk | undefined): void {
    this.serial = (this.serial + 1) | 0;
    if (this.serial === 0) {
      this.stamp.fill(0);
      this.serial = 1;
    }
    this.walk = walk;
    this.tagged = false;
    this.nodes = 1;
    this.bulkCount = 0;
    this.contentCount = 0;
  }

  /**
   * Claims the slot of `field` in `node` for the current line; -1 when the line already set it (a duplicate key:
   * JSON.parse keeps the last, which this table does not follow) or the field is not one the collector reads.
   */
  claim(node: number, field: number): number {
    if (field < 0) return -1;
    const slot = node * WIDTH + field;
    if (this.stamp[slot] === this.serial) return -1;
    this.stamp[slot] = this.serial;
    return slot;
  }

  /** The slot holds a value. */
  setKept(slot: number, value: unknown): void {
    this.what[slot] = Slot.Kept;
    this.kept[slot] = value;
  }

  /** The slot holds a value left on the walk's tape (of the walk's key `keyId`). */
  setTape(slot: number, keyId: number, start: number, end: number, flags: number): void {
    this.what[slot] = Slot.Tape;
    this.keyIds[slot] = keyId;
    this.start[slot] = start;
    this.end[slot] = end;
    this.flags[slot] = flags;
  }

  /** The slot holds a skipped bulk value: bytes [start, end) of the walk's memory. */
  setBulk(slot: number, field: number, start: number, end: number): void {
    this.what[slot] = Slot.Bulk;
    this.start[slot] = start;
    this.end[slot] = end;
    this.bulkCount++;
    if (field === F.content) this.contents[this.contentCount++] = slot;
  }

  /** The slot holds an object: returns its new node, or -1 when the line has too many. */
  setNode(slot: number): number {
    if (this.nodes === MAX_NODES) return -1;
    this.what[slot] = Slot.Node;
    this.start[slot] = this.nodes;
    return this.nodes++;
  }
}

/**
 * Fills `fields` (begun) from a parsed object, as far as the schema reaches: objects the schema walks into become
 * nodes, every other value is kept as it is (bulk values included: a parsed object has them). Always succeeds: an
 * object has no duplicate keys and the schemas are shallower than MAX_NODES.
 */
export function fillFromObject(fields: LineFields, node: number, obj: JsonObject, schema: Schema): void {
  for (const name in schema) {
    const value = obj[name];
    if (value === undefined) continue;
    const slot = fields.claim(node, fieldNumber(name));
    if (slot < 0) continue;
    const field = schema[name];
    if (typeof field === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const child = fields.setNode(slot);
      if (child >= 0) fillFromObject(fields, child, value as JsonObject, field);
    } else fields.setKept(slot, value);
  }
}
