/**
 * Reads the complete lines of a file between two byte offsets, in fixed-size chunks, never holding the file (or a
 * huge line) in memory. Lines up to `bigLineBytes` are handed over as they are (a view into the chunk buffer: valid
 * only during the callback); longer lines are streamed through a JsonShrinker as they are read, so a 300 MB line costs
 * a few kilobytes of memory. A last line without its newline is offered as incomplete: the handler takes it only if
 * it is already whole, otherwise it is read again next time.
 */
import fs from 'node:fs';
import { JsonShrinker } from './jsonShrinker';
import { giveBackWalkChunk, takeWalkChunk, WALK_CHUNK_BYTES } from './lineWalker';

export interface LineReaderOptions {
  chunkBytes?: number;
  bigLineBytes?: number;
  /** Awaited after every chunk: lets the caller yield to its event loop and keep the worker responsive. */
  pause?: () => Promise<void> | void;
  /**
   * Called after every chunk with the offset just after the last line handed over so far and the count of lines:
   * a safe point to record what was read (a line in progress starts at that offset).
   */
  checkpoint?: (endOffset: number, lines: number) => void;
  /** Checked after every chunk: true stops reading there (the outcome says so; lines handed over stay valid). */
  stopped?: () => boolean;
  /** Each chunk as read, with its offset in the file (a view valid only during the call). */
  onChunk?: (bytes: Buffer, offset: number) => void;
}

/**
 * Called for each line without its newline: the bytes [from, to) of `bytes` (most lines are handed over in place, in
 * the read chunk, without a view made for each). `bytes` is null when the line was too large even once shrunk.
 * For `complete === false` (the file's unterminated tail) return true to take the line, false to leave it.
 */
export type LineHandler = (bytes: Buffer | null, from: number, to: number, complete: boolean, shrunk: boolean) => boolean;

/** Reads up to `length` bytes at `position` of the source into `into` from `at`; returns how many it read (0: the end). */
export type ReadAt = (into: Buffer, at: number, length: number, position: number) => number;

export function fileReadAt(fd: number): ReadAt {
  return (into, at, length, position) => fs.readSync(fd, into, at, length, position);
}

/** Reads `bytes` as a file of those bytes would be read (the parser's warm-up reads made-up transcripts this way). */
export function memoryReadAt(bytes: Buffer): ReadAt {
  return (into, at, length, position) => (position >= bytes.length ? 0 : bytes.copy(into, at, position, Math.min(position + length, bytes.length)));
}

export interface ReadOutcome {
  /** Just after the last line taken: where the next read starts. */
  endOffset: number;
  bytesRead: number;
  lines: number;
  /** Reading stopped early on request; endOffset is still just after the last line taken. */
  stopped?: boolean;
}

const NEWLINE = 0x0a;

export async function readLines(
  read: ReadAt,
  from: number,
  to: number,
  onLine: LineHandler,
  options: LineReaderOptions = {},
): Promise<ReadOutcome> {
  const big = options.bigLineBytes ?? 256 * 1024;
  const chunkBytes = Math.max(1, Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, to - from));
  const chunk = takeChunk(chunkBytes);
  try {
    return await readChunks(read, from, to, onLine, options, big, chunk);
  } finally {
    giveBack(chunk);
  }
}

/** Read chunk size unless a caller says otherwise: one of the walk's buffers (see takeChunk). */
export const DEFAULT_CHUNK_BYTES = WALK_CHUNK_BYTES;
/**
 * Read buffers kept for reuse: an import reads thousands of files one after another, and a fresh megabyte each
 * (memory outside the JS heap, given back only when a collection happens to run) made the process' memory climb.
 */
const spareChunks: Buffer[] = [];
const MAX_SPARE_CHUNKS = 2;

function takeChunk(bytes: number): Buffer {
  if (bytes > DEFAULT_CHUNK_BYTES) return Buffer.allocUnsafeSlow(bytes);
  // Lines read into the line walk's own memory are walked without being copied there first.
  return (takeWalkChunk() ?? spareChunks.pop() ?? Buffer.allocUnsafeSlow(DEFAULT_CHUNK_BYTES)).subarray(0, bytes);
}

function giveBack(chunk: Buffer): void {
  // Lines were handed out as views valid only during their callback, so the buffer is free again.
  if (giveBackWalkChunk(chunk)) return;
  if (chunk.buffer.byteLength !== DEFAULT_CHUNK_BYTES || spareChunks.length >= MAX_SPARE_CHUNKS) return;
  spareChunks.push(Buffer.from(chunk.buffer, 0, DEFAULT_CHUNK_BYTES));
}

async function readChunks(
  read: ReadAt,
  from: number,
  to: number,
  onLine: LineHandler,
  options: LineReaderOptions,
  big: number,
  chunk: Buffer,
): Promise<ReadOutcome> {
  let offset = from;
  let endOffset = from;
  let lines = 0;
  // The line in progress across chunk boundaries: copied pieces while small, a shrinker once it is big.
  let pieces: Buffer[] = [];
  let piecesLength = 0;
  let shrinker: JsonShrinker | null = null;

  const addPartial = (part: Buffer): void => {
    if (shrinker) {
      shrinker.push(part);
      return;
    }
    if (piecesLength + part.length > big) {
      shrinker = new JsonShrinker();
      for (const p of pieces) shrinker.push(p);
      shrinker.push(part);
      pieces = [];
      piecesLength = 0;
      return;
    }
    pieces.push(Buffer.from(part));
    piecesLength += part.length;
  };

  const handOver = (line: Buffer | null, complete: boolean, shrunk: boolean): boolean =>
    onLine(line, 0, line === null ? 0 : line.length, complete, shrunk);

  /** The line so far (pieces, shrinker and `last`), then resets the accumulators. */
  const takeLine = (last: Buffer | undefined): { line: Buffer | null; shrunk: boolean } => {
    if (shrinker) {
      if (last) shrinker.push(last);
      const line = shrinker.finish();
      shrinker = null;
      return { line, shrunk: true };
    }
    let line: Buffer;
    if (piecesLength > 0) {
      line = Buffer.concat(last ? [...pieces, last] : pieces);
      pieces = [];
      piecesLength = 0;
    } else line = last ?? Buffer.alloc(0);
    if (line.length > big) {
      const s = new JsonShrinker();
      s.push(line);
      return { line: s.finish(), shrunk: true };
    }
    return { line, shrunk: false };
  };

  while (offset < to) {
    const want = Math.min(chunk.length, to - offset);
    const n = read(chunk, 0, want, offset);
    if (n <= 0) break; // The file shrank under us; the next scan notices the truncation.
    const view = chunk.subarray(0, n);
    options.onChunk?.(view, offset);
    let pos = 0;
    while (pos < n) {
      const nl = view.indexOf(NEWLINE, pos);
      if (nl === -1) {
        addPartial(view.subarray(pos));
        break;
      }
      if (piecesLength === 0 && shrinker === null && nl - pos <= big) onLine(view, pos, nl, true, false);
      else {
        const { line, shrunk } = takeLine(view.subarray(pos, nl));
        handOver(line, true, shrunk);
      }
      lines++;
      endOffset = offset + nl + 1;
      pos = nl + 1;
    }
    offset += n;
    options.checkpoint?.(endOffset, lines);
    if (options.pause) await options.pause();
    if (options.stopped?.()) return { endOffset, bytesRead: offset - from, lines, stopped: true };
  }

  if (endOffset < offset) {
    const { line, shrunk } = takeLine(undefined);
    if (line && line.length > 0 && handOver(line, false, shrunk)) {
      endOffset = offset;
      lines++;
    }
  }
  return { endOffset, bytesRead: offset - from, lines };
}
