/**
 * Tails the journal incrementally, by byte offset per generation. Each instance has one reader; its position is
 * saved inside the database (like transcript offsets), so a database loaded from disk knows which journal lines it
 * already holds. Only complete lines are consumed: a partial last line stays for the next read.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { CallInput } from '../../../shared/callRecord';
import { validateCall } from '../../recorder/validateCall';
import { errorCode } from './fsUtil';
import { generationName, highestGeneration, journalDirOf, listGenerations, type GenerationState } from './journalFiles';

/** Plain JSON, saved with the database. */
export interface JournalPosition {
  /** Every generation up to and including this one was read completely (retired, and read to its end). */
  doneThrough: number;
  /** Bytes consumed of each generation above `doneThrough`, keyed by generation number. */
  offsets: Record<string, number>;
}

export interface JournalRead {
  calls: CallInput[];
  /** Lines that were not a valid call (garbage, torn by a crash, wrong types). Counted, never fatal. */
  skipped: number;
  /** Up to a few sentences locating skipped lines (file and byte offset), for the output channel. */
  problems: string[];
  /**
   * Generations that vanished before this reader finished them (pruned while this instance was asleep, or deleted by
   * hand). Their calls are in the database file the writer saved before pruning: reload it.
   */
  missing: number[];
  /** True when the byte budget stopped the read early; call again. */
  more: boolean;
}

export interface ReadOptions {
  /** Stop after about this many bytes (at a line boundary). Default 16 MiB. */
  maxBytes?: number;
}

const CHUNK_BYTES = 1024 * 1024;
/** Longer than any line we write by far: beyond this a "line" is garbage and is skipped without buffering it. */
const MAX_LINE_BYTES = 1024 * 1024;
const MAX_PROBLEMS = 10;
const NEWLINE = 0x0a;

export function emptyJournalPosition(): JournalPosition {
  return { doneThrough: 0, offsets: {} };
}

export function isJournalPosition(value: unknown): value is JournalPosition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.doneThrough !== 'number' || !Number.isSafeInteger(v.doneThrough) || v.doneThrough < 0) return false;
  if (typeof v.offsets !== 'object' || v.offsets === null || Array.isArray(v.offsets)) return false;
  return Object.entries(v.offsets as Record<string, unknown>).every(
    ([k, n]) => /^\d+$/.test(k) && typeof n === 'number' && Number.isSafeInteger(n) && n >= 0,
  );
}

/**
 * What two positions cover together: positions are byte prefixes of the same append-only files, so the union is
 * the longer prefix of each generation. Use it when merging a database file from disk into memory (a new writer,
 * or a follower that missed pruned generations).
 */
export function furthestJournalPosition(a: JournalPosition, b: JournalPosition): JournalPosition {
  const doneThrough = Math.max(a.doneThrough, b.doneThrough);
  const offsets: Record<string, number> = {};
  for (const key of new Set([...Object.keys(a.offsets), ...Object.keys(b.offsets)])) {
    if (Number(key) <= doneThrough) continue;
    offsets[key] = Math.max(a.offsets[key] ?? 0, b.offsets[key] ?? 0);
  }
  return { doneThrough, offsets };
}

interface GenerationRead {
  offset: number;
  /** Stopped at the byte budget with complete lines left. */
  more: boolean;
  finished: boolean;
  bytesRead: number;
  vanished: boolean;
}

export class JournalReader {
  private readonly journalDir: string;
  private pos: JournalPosition;
  private running: Promise<unknown> = Promise.resolve();

  constructor(storageDir: string, position: JournalPosition = emptyJournalPosition()) {
    this.journalDir = journalDirOf(storageDir);
    this.pos = clonePosition(position);
  }

  /** A copy of what has been consumed; save it with the database that holds those calls. */
  get position(): JournalPosition {
    return clonePosition(this.pos);
  }

  /** Back to a saved position (after loading the database file that carries it). */
  restore(position: JournalPosition): void {
    if (!isJournalPosition(position)) throw new Error('Not a journal position.');
    this.pos = clonePosition(position);
  }

  /** Calls appended since the last read, from every generation. Reads never overlap each other. */
  readNew(options: ReadOptions = {}): Promise<JournalRead> {
    const run = this.running.then(() => this.read(options.maxBytes ?? 16 * 1024 * 1024));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async read(maxBytes: number): Promise<JournalRead> {
    const out: JournalRead = { calls: [], skipped: 0, problems: [], missing: [], more: false };
    // Work on a copy and commit it only with the calls: a read that fails half-way (an I/O error on one file) must
    // not leave the position past calls the caller never received.
    let pos = clonePosition(this.pos);
    const files = await listGenerations(this.journalDir);
    if (files.length > 0 && highestGeneration(files) <= pos.doneThrough) {
      // The live generation is never "done", so the journal folder was emptied and numbering began again (a user
      // cleaning up, a restored backup). Reading everything again is harmless: dedup by key.
      note(out, `The journal was reset (generation ${highestGeneration(files)} after ${pos.doneThrough} was done); reading it from the start.`);
      pos = emptyJournalPosition();
    }
    const present = new Map(files.map((f) => [f.generation, f.state] as const));
    const highest = Math.max(highestGeneration(files), ...Object.keys(pos.offsets).map(Number));
    const finished = new Set<number>();
    let budget = maxBytes;
    for (let generation = pos.doneThrough + 1; generation <= highest; generation++) {
      const state = present.get(generation);
      if (state === undefined) {
        out.missing.push(generation);
        continue;
      }
      if (budget <= 0) {
        out.more = true;
        break;
      }
      const result = await this.readGeneration(generation, state, pos.offsets[String(generation)] ?? 0, budget, out);
      if (result.vanished) {
        out.missing.push(generation);
        continue;
      }
      pos.offsets[String(generation)] = result.offset;
      if (result.finished) finished.add(generation);
      if (result.more) out.more = true;
      budget -= result.bytesRead;
    }
    const missing = new Set(out.missing);
    while (finished.has(pos.doneThrough + 1) || missing.has(pos.doneThrough + 1)) {
      pos.doneThrough += 1;
    }
    for (const key of Object.keys(pos.offsets)) {
      if (Number(key) <= pos.doneThrough || missing.has(Number(key))) delete pos.offsets[key];
    }
    this.pos = pos;
    return out;
  }

  /** Reads one generation from its offset; opens the active name first, then the retired one (a rotation may race). */
  private async readGeneration(generation: number, listed: GenerationState, offset: number, budget: number, out: JournalRead): Promise<GenerationRead> {
    const order: GenerationState[] = listed === 'active' ? ['active', 'retired'] : ['retired'];
    for (const state of order) {
      const name = generationName(generation, state);
      let handle: fsp.FileHandle;
      try {
        handle = await fsp.open(path.join(this.journalDir, name), 'r');
      } catch (e: unknown) {
        if (errorCode(e) === 'ENOENT') continue;
        throw e;
      }
      try {
        return await readLines(handle, name, offset, budget, state === 'retired', out);
      } finally {
        await handle.close().catch(() => undefined);
      }
    }
    return { offset, finished: false, bytesRead: 0, vanished: true, more: false };
  }
}

/**
 * Consumes complete lines from `offset`. In a retired generation nothing more will be completed (a late appender
 * re-appends elsewhere), so a partial tail there is skipped and the generation is finished.
 */
async function readLines(
  handle: fsp.FileHandle,
  name: string,
  startOffset: number,
  budget: number,
  retired: boolean,
  out: JournalRead,
): Promise<GenerationRead> {
  const size = (await handle.stat()).size;
  let offset = startOffset;
  if (size < offset) {
    note(out, `${name}: the file is shorter (${size} bytes) than already read (${offset}); reading it again from the start.`);
    offset = 0;
  }
  const end = Math.min(size, offset + budget);
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let consumed = offset; // The byte after the last newline processed.
  let position = offset;
  let lineStart = offset; // Where the line being assembled began.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;
  while (position < size) {
    // Past the budget, finish only the line in progress.
    if (position >= end && pendingBytes === 0 && !discarding) break;
    const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - position), position);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE, from); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
      if (discarding) skip(out, name, lineStart, 'a line longer than 1 MiB');
      else takeLine(pendingBytes > 0 ? Buffer.concat([...pending, chunk.subarray(from, nl)]) : chunk.subarray(from, nl), name, lineStart, out);
      pending = [];
      pendingBytes = 0;
      discarding = false;
      from = nl + 1;
      consumed = position + from;
      lineStart = consumed;
      if (consumed >= end) break;
    }
    if (consumed >= end && pendingBytes === 0 && !discarding) {
      position = consumed;
      break;
    }
    if (from < bytesRead && !discarding) {
      pending.push(Buffer.from(chunk.subarray(from)));
      pendingBytes += bytesRead - from;
      if (pendingBytes > MAX_LINE_BYTES) {
        // Never buffer garbage: drop it, and move the offset past it so the next read does not start over.
        discarding = true;
        pending = [];
        pendingBytes = 0;
      }
    }
    position += bytesRead;
    if (discarding) consumed = position;
  }
  let finished = false;
  if (retired && position >= size) {
    if (consumed < size || discarding) skip(out, name, lineStart, 'an incomplete last line');
    consumed = size;
    finished = true;
  }
  return { offset: consumed, finished, bytesRead: position - offset, vanished: false, more: !finished && consumed < size && consumed >= end };
}

function takeLine(line: Buffer, name: string, offset: number, out: JournalRead): void {
  const text = line.toString('utf8').trim();
  if (text === '') return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    skip(out, name, offset, 'not JSON');
    return;
  }
  const checked = validateCall(value);
  if (checked.ok) out.calls.push(checked.call);
  else skip(out, name, offset, checked.message);
}

function skip(out: JournalRead, name: string, offset: number, why: string): void {
  out.skipped += 1;
  note(out, `${name} at byte ${offset}: skipped ${why}.`);
}

function note(out: JournalRead, message: string): void {
  if (out.problems.length < MAX_PROBLEMS) out.problems.push(message);
}

function clonePosition(p: JournalPosition): JournalPosition {
  return { doneThrough: p.doneThrough, offsets: { ...p.offsets } };
}

