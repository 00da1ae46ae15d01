// AssemblyScript (see transcriptLane.ts). The strings one file's lane keeps past the line they came from (call
// keys, request ids, models, folders…): copied into an arena once each and named by a number, so equal strings are
// one number (a key's copies meet by number) and JavaScript decodes each once. Tables are stamped with the file's
// serial rather than cleared: thousands of small files are read one after another.

import { sameBytes } from './jsonGrammar';

export const LANE_MAX_STRINGS: i32 = 32768;
const HASH_SLOTS: i32 = 65536;
const ARENA_BYTES: i32 = 2 * 1024 * 1024;

const arena = memory.data(ARENA_BYTES, 16);
/** Per string: its address, byte length and whether it has bytes above 0x7f (read by JavaScript). */
const strings = memory.data(LANE_MAX_STRINGS * 12, 16);
const slotStamp = memory.data(HASH_SLOTS * 4, 16);
const slotString = memory.data(HASH_SLOTS * 4, 16);

let fileSerial: i32 = 0;
let count: i32 = 0;
let used: i32 = 0;

export function laneStringsAddress(): usize {
  return strings;
}

export function laneStringCount(): i32 {
  return count;
}

/** Forgets every string (a new file). */
export function resetStrings(): void {
  fileSerial++;
  if (fileSerial == 0) {
    memory.fill(slotStamp, 0, <usize>HASH_SLOTS * 4);
    fileSerial = 1;
  }
  count = 0;
  used = 0;
}

/** The number of the string of `length` bytes at `from` (`high`: some above 0x7f), copied in if new; traps when the tables are full. */
export function intern(from: usize, length: i32, high: bool): i32 {
  let h: u32 = 0x811c9dc5;
  for (let i: i32 = 0; i < length; i++) h = (h ^ <u32>load<u8>(from + <usize>i)) * 0x01000193;
  let slot = <i32>(h & <u32>(HASH_SLOTS - 1));
  for (;;) {
    const at = slotStamp + (<usize>slot << 2);
    if (load<i32>(at) != fileSerial) break;
    const n = load<i32>(slotString + (<usize>slot << 2));
    const s = strings + <usize>n * 12;
    if (load<i32>(s, 4) == length && sameBytes(<usize>load<i32>(s), from, <usize>length)) return n;
    slot = (slot + 1) & (HASH_SLOTS - 1);
  }
  if (count >= LANE_MAX_STRINGS || used + length > ARENA_BYTES) unreachable();
  const copy = arena + <usize>used;
  memory.copy(copy, from, <usize>length);
  used += length;
  const n = count++;
  const s = strings + <usize>n * 12;
  store<i32>(s, <i32>copy);
  store<i32>(s, length, 4);
  store<i32>(s, high ? 1 : 0, 8);
  store<i32>(slotStamp + (<usize>slot << 2), fileSerial);
  store<i32>(slotString + (<usize>slot << 2), n);
  return n;
}


/** Whether string `n` is the `length` bytes at `from`. */
export function isString(n: i32, from: usize, length: i32): bool {
  const s = strings + <usize>n * 12;
  return load<i32>(s, 4) == length && sameBytes(<usize>load<i32>(s), from, <usize>length);
}
