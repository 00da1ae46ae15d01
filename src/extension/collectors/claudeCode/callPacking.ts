/**
 * Calls crossing from a reader thread to the store's thread in three flat parts: copying a message between threads
 * costs per object, per property name and per value, and a large import sends a couple of hundred thousand calls.
 * Numbers go in a Float64Array and string references in an Int32Array, both moved (transferred) rather than copied;
 * strings go once each in one array (those that repeat from call to call — consumer, model, project, labels — once
 * per piece). `unpackCalls(packCalls(calls))` gives back calls equal to the originals (an absent optional field comes
 * back as a field holding undefined).
 */
import { SOURCES, type CallInput } from '../../../shared/callRecord';

export interface PackedCalls {
  strings: string[];
  /** NUMBER_WIDTH numbers per call, in the order of packCalls; NaN stands for an absent field. */
  numbers: Float64Array;
  /** STRING_WIDTH indexes into `strings` per call, in the order of packCalls; -1 stands for an absent field. */
  refs: Int32Array;
}

const NUMBER_WIDTH = 11;
const STRING_WIDTH = 10;
/** The first strings of a call are its own (key, request id), the rest repeat from call to call. */
const OWN_STRINGS = 2;
/** Strings a call may go without (request id, labels, project), by their place in refs. */
const OPTIONAL_STRINGS = (1 << 1) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9);
/** One call's strings, in refs order, while it is packed or unpacked. */
const CALL_STRINGS: Array<string | undefined> = new Array<string | undefined>(STRING_WIDTH).fill(undefined);
/** `durationMs: null` ("unknown", a value) as a number: durations are finite, so this cannot be one. */
const NULL_DURATION = -Infinity;
const ABSENT = -1;

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  /** Each field's last string and its index: consecutive calls mostly repeat them (one lookup saved per field). */
  private readonly lastString: Array<string | undefined> = new Array<string | undefined>(STRING_WIDTH).fill(undefined);
  private readonly lastIndex = new Int32Array(STRING_WIDTH);

  /** A string that repeats from call to call (field `field` of the refs): sent once. */
  shared(s: string | undefined, field: number): number {
    if (s === undefined) return ABSENT;
    if (s === this.lastString[field]) return this.lastIndex[field];
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.add(s);
      this.index.set(s, i);
    }
    this.lastString[field] = s;
    this.lastIndex[field] = i;
    return i;
  }

  /** A string of one call (its key, its request id): no lookup. */
  own(s: string | undefined): number {
    return s === undefined ? ABSENT : this.add(s);
  }

  private add(s: string): number {
    this.strings.push(s);
    return this.strings.length - 1;
  }
}

export function packCalls(calls: readonly CallInput[]): PackedCalls {
  const table = new StringTable();
  const numbers = new Float64Array(calls.length * NUMBER_WIDTH);
  const refs = new Int32Array(calls.length * STRING_WIDTH);
  let n = 0;
  let r = 0;
  for (let k = 0; k < calls.length; k++) {
    const c = calls[k];
    numbers[n++] = c.ts;
    numbers[n++] = SOURCES.indexOf(c.source);
    numbers[n++] = c.tokens.input;
    numbers[n++] = c.tokens.cacheWrite5m;
    numbers[n++] = c.tokens.cacheWrite1h;
    numbers[n++] = c.tokens.cacheRead;
    numbers[n++] = c.tokens.output;
    numbers[n++] = c.webSearchRequests ?? NaN;
    numbers[n++] = c.webFetchRequests ?? NaN;
    numbers[n++] = c.durationMs === undefined ? NaN : c.durationMs === null ? NULL_DURATION : c.durationMs;
    numbers[n++] = c.sidechain === undefined ? NaN : c.sidechain ? 1 : 0;
    const fields = CALL_STRINGS;
    fields[0] = c.key;
    fields[1] = c.requestId;
    fields[2] = c.consumer.key;
    fields[3] = c.consumer.name;
    fields[4] = c.model;
    fields[5] = c.collector;
    fields[6] = c.serviceTier;
    fields[7] = c.speed;
    fields[8] = c.inferenceGeo;
    fields[9] = c.project;
    // One call site per kind of string: the optimizing compiler inlines each call site's lookups (Map get and set)
    // once, not once per field — eight inlined copies took ~50 ms to compile, in each thread that packs.
    for (let f = 0; f < OWN_STRINGS; f++) refs[r++] = table.own(fields[f]);
    for (let f = OWN_STRINGS; f < STRING_WIDTH; f++) refs[r++] = table.shared(fields[f], f);
  }
  return { strings: table.strings, numbers, refs };
}

/** What postMessage should move rather than copy. */
export function transferablesOf(packed: PackedCalls): ArrayBuffer[] {
  return [packed.numbers.buffer as ArrayBuffer, packed.refs.buffer as ArrayBuffer];
}

/**
 * A piece's calls as the scanner holds them until they are recorded: parsed in this thread, or still packed as they
 * came from a reader thread. Packed calls are unpacked only when they are recorded, a few hundred at a time, so a
 * batch waiting for its turn is a few typed arrays rather than thousands of objects that outlive the garbage
 * collector's young generation (promoting them cost the store's thread more than recording them).
 */
export type CallList = readonly CallInput[] | PackedCalls;

export function callCount(list: CallList): number {
  return isPacked(list) ? list.numbers.length / NUMBER_WIDTH : list.length;
}

export function callsOf(list: CallList): readonly CallInput[] {
  return isPacked(list) ? unpackCalls(list) : list;
}

function isPacked(list: CallList): list is PackedCalls {
  return !Array.isArray(list);
}

/** Throws when the parts of a packed piece do not fit together (checked when it arrives, not when it is recorded). */
export function checkPacked(packed: PackedCalls): void {
  const count = packed.numbers.length / NUMBER_WIDTH;
  if (!Number.isInteger(count) || packed.refs.length !== count * STRING_WIDTH) throw new Error('packed calls have the wrong length');
}

export function unpackCalls(packed: PackedCalls): CallInput[] {
  checkPacked(packed);
  const { strings, numbers: v, refs } = packed;
  const count = v.length / NUMBER_WIDTH;
  const num = (x: number): number | undefined => (Number.isNaN(x) ? undefined : x);
  const fields = CALL_STRINGS;
  const calls: CallInput[] = new Array(count);
  for (let k = 0, n = 0, r = 0; k < count; k++, n += NUMBER_WIDTH, r += STRING_WIDTH) {
    const source = SOURCES[v[n + 1]];
    if (source === undefined) throw new Error('packed calls hold an unknown source');
    // One loop for the strings, so their lookup and check are compiled once (see packCalls).
    for (let f = 0; f < STRING_WIDTH; f++) {
      const i = refs[r + f];
      const absent = i === ABSENT && (OPTIONAL_STRINGS & (1 << f)) !== 0;
      const s = absent ? undefined : strings[i];
      if (s === undefined && !absent) throw new Error('packed calls refer to a missing string');
      fields[f] = s;
    }
    const duration = v[n + 9];
    const sidechain = v[n + 10];
    // Every field in one literal, absent ones undefined: one allocation and one shape for every call (fields added
    // one by one grew a separate property store, call after call). Required strings were checked above.
    calls[k] = {
      key: fields[0] as string,
      requestId: fields[1],
      ts: v[n],
      source,
      consumer: { key: fields[2] as string, name: fields[3] as string },
      model: fields[4] as string,
      tokens: { input: v[n + 2], cacheWrite5m: v[n + 3], cacheWrite1h: v[n + 4], cacheRead: v[n + 5], output: v[n + 6] },
      webSearchRequests: num(v[n + 7]),
      webFetchRequests: num(v[n + 8]),
      serviceTier: fields[6],
      speed: fields[7],
      inferenceGeo: fields[8],
      durationMs: Number.isNaN(duration) ? undefined : duration === NULL_DURATION ? null : duration,
      project: fields[9],
      collector: fields[5] as string,
      sidechain: Number.isNaN(sidechain) ? undefined : sidechain === 1,
    };
  }
  return calls;
}
