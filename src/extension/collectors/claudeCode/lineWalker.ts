/**
 * Runs transcript lines through the WebAssembly walk (wasm/lineWalk.ts, 16 bytes at a time) and reads its tape:
 * tapeFields.ts straight into the parser's fields, or fromTape (walkLine) into exactly what lineScanner.ts builds. A
 * line the walk does not handle, or any line when the module cannot be loaded, goes to lineScanner.ts. The
 * JavaScript scanner spent ~30 % of an import's CPU walking bytes one at a time.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compile, KEY_SLOTS, keySlot, type CompiledKey, type CompiledSchema, type Schema } from './lineSchema';
import type { JsonObject } from './narrow';
import { addBulkSpan, dropUnreachable, NO_SPANS, numberAt, plainString, type BulkSpan, type ScannedLine } from './scannedValues';

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Global: abstract new (...args: never[]) => { readonly value: unknown };
  RuntimeError: abstract new (...args: never[]) => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface WalkExports {
  memory: { readonly buffer: ArrayBuffer };
  walk(from: number, to: number, schema: number): number;
  tapeAddress(): number;
  tableAddress(): number;
  freeAddress(): number;
}

/** The walk's constants, read from the module so both sides agree. */
const LAYOUT_NAMES = [
  'OP_VALUE', 'OP_OPEN', 'OP_CLOSE', 'OP_BULK', 'VALUE_STRING', 'VALUE_NUMBER', 'VALUE_TRUE', 'VALUE_FALSE', 'VALUE_NULL',
  'FLAG_ESCAPED', 'FLAG_HIGH', 'FLAG_SAME', 'FLAG_INT', 'SLOTS', 'KEY_I32', 'SHARED_BYTES', 'KIND_KEEP', 'KIND_BULK', 'KIND_WALK', 'TABLE_BYTES', 'TAPE_ENTRIES',
] as const;
type Layout = Record<(typeof LAYOUT_NAMES)[number], number>;

export interface LineWalk {
  exports: WalkExports;
  layout: Layout;
  /** All of the module's memory (fixed size: never detached). */
  mem: Buffer;
  tape: Int32Array;
  /** Where copied lines go, and how many bytes fit. */
  scratch: number;
  scratchBytes: number;
  /** Addresses of read buffers in this memory that are free (see takeWalkChunk). */
  freeChunks: number[];
  /** Bytes of the key table region used so far. */
  tableUsed: number;
  /** Every key placed in the tables, by the id the tape names it with. */
  keys: CompiledKey[];
  /** Each placed schema's table address (null: it did not fit). */
  tables: Map<CompiledSchema, number | null>;
  /** Addresses of the key records that remember their last value. */
  sharedRecords: number[];
  /** Where the line of the last walkTape lies in this memory (tape addresses minus this are offsets in the line). */
  lineAt: number;
  /**
   * The buffer of the last walkTape and whether it is a view of this memory: a read chunk is handed in once per
   * line, and asking a buffer for its `buffer` is a call into the runtime.
   */
  lastBuffer: Buffer | undefined;
  lastInMemory: boolean;
  /** The schema and tags of the last walkTape and their table: every line of a file asks for the same. */
  lastSchema: Schema | undefined;
  lastTags: ReadonlySet<string> | undefined;
  lastTable: number | null;
}

export const LINE_WALK_FILE = 'lineWalk.wasm';
const OPEN_ARRAY = 0x5b;

/** Where the module is: beside the running bundle, else in the package's dist/ (running from sources). */
export function locateLineWalk(): string | undefined {
  const beside = path.join(__dirname, LINE_WALK_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const built = path.join(dir, 'dist', LINE_WALK_FILE);
      return existsSync(built) ? built : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Instantiates the walk from a file; throws with the reason when it cannot. */
export function loadLineWalk(file: string): LineWalk {
  const module = new wasm.Module(readFileSync(file));
  const instance = new wasm.Instance(module, {});
  const raw = instance.exports as WalkExports & Record<string, unknown>;
  const constant = (name: keyof Layout): number => {
    const value = exportedNumber(raw, name);
    if (value === undefined) throw new Error(`${file} does not export ${name}`);
    return value;
  };
  const layout = Object.fromEntries(LAYOUT_NAMES.map((n) => [n, constant(n)])) as unknown as Layout;
  if (layout.SLOTS !== KEY_SLOTS) throw new Error(`${file} hashes keys into ${layout.SLOTS} slots, lineSchema.ts into ${KEY_SLOTS}`);
  const mem = Buffer.from(raw.memory.buffer);
  const tapeAt = raw.tapeAddress();
  const free = raw.freeAddress();
  const freeChunks = Array.from({ length: WALK_CHUNKS }, (_, n) => free + n * WALK_CHUNK_BYTES);
  const scratch = free + WALK_CHUNKS * WALK_CHUNK_BYTES;
  if (scratch >= mem.length) throw new Error(`${file} has too little memory (${mem.length} bytes)`);
  return {
    exports: raw,
    layout,
    mem,
    tape: new Int32Array(raw.memory.buffer, tapeAt, layout.TAPE_ENTRIES * 4),
    scratch,
    scratchBytes: mem.length - scratch,
    freeChunks,
    tableUsed: 0,
    keys: [],
    tables: new Map(),
    sharedRecords: [],
    lineAt: 0,
    lastBuffer: undefined,
    lastInMemory: false,
    lastSchema: undefined,
    lastTags: undefined,
    lastTable: null,
  };
}

/** The value of a numeric global a module exports; undefined when it exports none by that name. */
export function exportedNumber(exports: Record<string, unknown>, name: string): number | undefined {
  const g = exports[name];
  return g instanceof wasm.Global ? Number(g.value) : undefined;
}

/** Read buffers kept in the walk's memory: a thread reads one file at a time, rarely two (a live append). */
export const WALK_CHUNK_BYTES = 1024 * 1024;
const WALK_CHUNKS = 3;

/**
 * A WALK_CHUNK_BYTES read buffer inside the walk's memory, so the lines read into it are walked where they lie
 * instead of being copied in; undefined when none is free (or there is no walk). Give it back with giveBackWalkChunk.
 */
export function takeWalkChunk(): Buffer | undefined {
  const walk = lineWalk();
  const at = walk?.freeChunks.pop();
  return walk && at !== undefined ? walk.mem.subarray(at, at + WALK_CHUNK_BYTES) : undefined;
}

/** Returns a buffer from takeWalkChunk (any view of it); false when it is not one. */
export function giveBackWalkChunk(chunk: Buffer): boolean {
  const walk = shared;
  if (!walk || chunk.buffer !== walk.mem.buffer) return false;
  walk.freeChunks.push(chunk.byteOffset);
  return true;
}

let shared: LineWalk | null | undefined;
let unavailable: string | undefined;

/** This thread's walk, loaded on first use; null when the module is missing or cannot run here (see lineWalkProblem). */
export function lineWalk(): LineWalk | null {
  if (shared !== undefined) return shared;
  const file = locateLineWalk();
  try {
    if (!file) throw new Error(`${LINE_WALK_FILE} not found beside ${__dirname}`);
    shared = loadLineWalk(file);
  } catch (e: unknown) {
    unavailable = e instanceof Error ? e.message : String(e);
    shared = null;
  }
  return shared;
}

/** Why lines are read by the JavaScript scanner alone (a build without the module, or a host without WebAssembly). */
export function lineWalkProblem(): string | undefined {
  lineWalk();
  return unavailable;
}

/** The address of a compiled schema's key tables in the walk's memory (written on first use); null when full. */
function tableOf(walk: LineWalk, schema: CompiledSchema): number | null {
  let at = walk.tables.get(schema);
  if (at === undefined) {
    const used = walk.tableUsed;
    const keys = walk.keys.length;
    const sharedCount = walk.sharedRecords.length;
    const placedBefore = new Set(walk.tables.keys());
    try {
      at = place(walk, schema);
    } catch (e: unknown) {
      if (!(e instanceof RangeError)) throw e;
      walk.tableUsed = used;
      walk.keys.length = keys;
      walk.sharedRecords.length = sharedCount;
      for (const s of [...walk.tables.keys()]) if (!placedBefore.has(s)) walk.tables.delete(s);
      at = null;
    }
    walk.tables.set(schema, at);
  }
  return at;
}

/** Writes a compiled schema and the schemas under it as key tables; a RangeError when they do not fit. */
function place(walk: LineWalk, schema: CompiledSchema): number {
  const { layout, mem } = walk;
  const known = walk.tables.get(schema);
  if (known !== undefined && known !== null) return known;
  const alloc = (bytes: number): number => {
    const at = walk.exports.tableAddress() + walk.tableUsed;
    walk.tableUsed += (bytes + 3) & ~3;
    if (walk.tableUsed > layout.TABLE_BYTES) throw new RangeError('key tables full');
    return at;
  };
  const heads = alloc(layout.SLOTS * 4);
  mem.fill(0, heads, heads + layout.SLOTS * 4);
  walk.tables.set(schema, heads);
  for (const list of schema.bySlot) {
    for (const key of list ?? []) {
      const record = alloc(layout.KEY_I32 * 4);
      const bytes = alloc(key.bytes.length);
      key.bytes.copy(mem, bytes);
      const field = key.field;
      const kind = field === 'bulk' ? layout.KIND_BULK : typeof field === 'object' ? layout.KIND_WALK : layout.KIND_KEEP;
      const child = typeof field === 'object' ? place(walk, field) : 0;
      const last = key.last ? alloc(layout.SHARED_BYTES) : 0;
      const length = key.bytes.length;
      const head = heads + keySlot(length, key.bytes[0], key.bytes[length - 1]) * 4;
      mem.writeInt32LE(length, record);
      mem.writeInt32LE(bytes, record + 4);
      mem.writeInt32LE(kind, record + 8);
      mem.writeInt32LE(child, record + 12);
      mem.writeInt32LE(mem.readInt32LE(head), record + 16);
      mem.writeInt32LE(walk.keys.push(key) - 1, record + 20);
      mem.writeInt32LE(last, record + 24);
      mem.writeInt32LE(-1, record + 28);
      mem.writeInt32LE(record, head);
      if (last !== 0) walk.sharedRecords.push(record);
    }
  }
  return heads;
}

/**
 * The walk stopped halfway through a line, or its tape was not read to the end, perhaps after remembering new bytes
 * for a key whose value was not taken: forget every remembered value.
 */
export function forgetShared(walk: LineWalk): void {
  for (const record of walk.sharedRecords) walk.mem.writeInt32LE(-1, record + 28);
}

/**
 * The walk alone: the scanned line, or null when the walk did not read it (a line scanLine sends back to
 * JSON.parse, a line too long for the walk's memory, or no module): then scanLine decides.
 */
export function walkLine(line: Buffer, start: number, end: number, schema: Schema, tags: ReadonlySet<string>): ScannedLine | null {
  const walk = lineWalk();
  if (!walk) return null;
  const entries = walkTape(walk, line, start, end, schema, tags);
  return entries === NOT_WALKED ? null : fromTape(walk, entries, start - walk.lineAt, tags);
}

/** walkTape's answer for a line the walk did not read. */
export const NOT_WALKED = -1;

/**
 * Runs the walk over [start, end] of `line`, in place when the line lies in the walk's memory, else through a copy
 * into it (`walk.lineAt` is then where it lies). Returns the number of tape entries, to be read before the next walk;
 * NOT_WALKED when the walk did not read the line (one it traps on, one too long for its memory, or a schema whose
 * tables do not fit).
 */
export function walkTape(walk: LineWalk, line: Buffer, start: number, end: number, schema: Schema, tags: ReadonlySet<string>): number {
  if (schema !== walk.lastSchema || tags !== walk.lastTags) {
    walk.lastTable = schemaTable(walk, schema, tags);
    walk.lastSchema = schema;
    walk.lastTags = tags;
  }
  const table = walk.lastTable;
  if (table === null) return NOT_WALKED;
  const at = lineAddress(walk, line, start, end + 1);
  if (at < 0) return NOT_WALKED;
  walk.lineAt = at;
  try {
    return walk.exports.walk(at, at + end + 1 - start, table);
  } catch (e: unknown) {
    if (!isWalkTrap(e)) throw e;
    forgetShared(walk);
    return NOT_WALKED;
  }
}

/** The address of a schema's key tables in the walk's memory (placed on first use); null when they do not fit. */
export function schemaTable(walk: LineWalk, schema: Schema, tags: ReadonlySet<string>): number | null {
  return tableOf(walk, compile(schema, tags));
}

/**
 * Where the bytes [from, to) of `line` are in the walk's memory: in place when the line lies there (a read chunk),
 * else copied to its scratch space; -1 when they do not fit.
 */
export function lineAddress(walk: LineWalk, line: Buffer, from: number, to: number): number {
  if (line !== walk.lastBuffer) {
    walk.lastBuffer = line;
    walk.lastInMemory = line.buffer === walk.mem.buffer;
  }
  if (walk.lastInMemory) return line.byteOffset + from;
  if (to - from > walk.scratchBytes) return -1;
  line.copy(walk.mem, walk.scratch, from, to);
  return walk.scratch;
}

/** Whether an error is the walk's trap (a line it does not read). */
export function isWalkTrap(e: unknown): boolean {
  return e instanceof wasm.RuntimeError;
}

/** The scanned line the tape describes (addresses on it are in the walk's memory; `shift` maps them to the line). */
function fromTape(walk: LineWalk, entries: number, shift: number, tags: ReadonlySet<string>): ScannedLine {
  const { tape, layout, keys } = walk;
  const root: JsonObject = {};
  const parents: JsonObject[] = [];
  let into = root;
  let bulk: BulkSpan[] = NO_SPANS;
  let tagged = false;
  let replacedObject = false;
  for (let n = 0; n < entries; n++) {
    const at = n * 4;
    const key = keys[tape[at]];
    const start = tape[at + 1];
    const end = tape[at + 2];
    const flags = tape[at + 3];
    const op = flags & 15;
    if (op === layout.OP_CLOSE) {
      into = parents.pop() ?? root;
      continue;
    }
    if (key.tag) tagged = true;
    const name = key.name;
    if (op === layout.OP_OPEN) {
      if (into[name] !== undefined) replacedObject = true;
      const child: JsonObject = {};
      into[name] = child;
      parents.push(into);
      into = child;
      continue;
    }
    if (op === layout.OP_BULK) {
      bulk = addBulkSpan(bulk, into, name, start + shift, end + shift);
      continue;
    }
    if (typeof key.field === 'object' && into[name] !== undefined) replacedObject = true;
    const value = tapeValue(walk, key, start, end, flags);
    into[name] = value;
    if (key.field === 'tag' && !tagged && typeof value === 'string' && (flags & layout.FLAG_ESCAPED) === 0 && tags.has(value)) tagged = true;
  }
  if (replacedObject) dropUnreachable(root, bulk);
  return { obj: root, bulk, tagged };
}

/**
 * The value of a tape entry that is a value (OP_VALUE), exactly as JSON.parse gives it. Entries of keys that remember
 * their last value must be read in tape order (see keptString).
 */
export function tapeValue(walk: LineWalk, key: CompiledKey, start: number, end: number, flags: number): unknown {
  const { layout, mem } = walk;
  const kind = (flags >> 4) & 15;
  if (kind === layout.VALUE_STRING) {
    return (flags & layout.FLAG_ESCAPED) !== 0 ? (JSON.parse(mem.toString('utf8', start, end)) as string) : keptString(walk, key, start + 1, end - 1, flags);
  }
  if (kind === layout.VALUE_NUMBER) return (flags & layout.FLAG_INT) !== 0 ? start : numberAt(mem, start, end);
  if (kind === layout.VALUE_TRUE) return true;
  if (kind === layout.VALUE_FALSE) return false;
  if (kind === layout.VALUE_NULL) return null;
  // An object or array kept whole (an unexpected shape, or `iterations`, almost always `[]`): validated, then
  // parsed exactly.
  if (end - start === 2) return mem[start] === OPEN_ARRAY ? [] : {};
  return JSON.parse(mem.toString('utf8', start, end)) as unknown;
}

/**
 * A string value without escapes. A key that remembers its last value reuses it when the walk found the same bytes
 * (FLAG_SAME) and that value came from the walk (not from lineScanner.ts, which keeps its own copy of the bytes);
 * whenever the walk remembered new bytes, the key remembers their value, and lineScanner.ts's copy no longer holds.
 */
function keptString(walk: LineWalk, key: CompiledKey, from: number, to: number, flags: number): string {
  const last = key.last;
  if (last !== undefined && last.walked && (flags & walk.layout.FLAG_SAME) !== 0) return last.value;
  const value = plainString(walk.mem, from, to, (flags & walk.layout.FLAG_HIGH) === 0, undefined);
  if (last !== undefined && to - from <= walk.layout.SHARED_BYTES) {
    last.value = value;
    last.length = -1;
    last.walked = true;
  }
  return value;
}
