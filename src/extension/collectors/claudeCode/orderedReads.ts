/**
 * Reads the changed files of a scan and hands their pieces over in file order (the order decides which of two equal
 * copies of a call is kept, so it must not depend on timing). With reader threads, files are parsed ahead in the
 * threads while this thread records; whenever the next file is not ready, this thread parses a small file further
 * ahead itself rather than wait. Without threads, every file is parsed here, in order.
 */
import { callsOf, packCalls, type CallList } from './callPacking';
import type { ReadJob, ReadPiece, ReadResult } from './fileReader';
import { readTranscriptFile } from './fileReader';
import type { AgentMeta } from './names';
import type { ReaderPool } from './readerPool';
import type { TranscriptFile } from './transcriptFiles';

/**
 * What reader threads may have in hand (sent, not yet recorded), per thread: enough that a thread does not run dry
 * while this thread records a batch, little enough to bound the calls waiting in memory.
 */
const REMOTE_BYTES_PER_THREAD = 96 * 1024 * 1024;
const REMOTE_FILES_PER_THREAD = 256;
/** A file this thread may parse out of turn while waiting for the next one (its calls wait in memory meanwhile). */
const STEAL_MAX_BYTES = 1024 * 1024;

/** One listed file during a scan, in listing order. */
export interface Slot {
  file: TranscriptFile;
  /** From the stat; undefined when the file could not be stat'ed (or is gone). */
  mtime?: number;
  /** What to read; absent when the file is unchanged. */
  job?: ReadJob;
  /** Roughly how much is new (for choosing reader threads and what to parse out of turn). */
  newBytes: number;
  state: 'waiting' | 'remote' | 'local' | 'done';
  /** Pieces read before the file's turn to be recorded (keepPiece). */
  pieces: readonly ReadPiece<CallList>[];
  /** The file is being recorded: pieces go on as they arrive. */
  streaming: boolean;
  settled: boolean;
  done?: Promise<void>;
  stop?: () => void;
  result?: ReadResult;
  /** Stopped early by a cancel: what it handed over counts, the file is not done. */
  stopped?: boolean;
  failure?: unknown;
}

/** The pieces of a slot that has none yet: most slots of a re-scan never get any. */
const NO_PIECES: readonly ReadPiece<CallList>[] = Object.freeze([]);

export function slotFor(file: TranscriptFile): Slot {
  // mtime and job given from the start: every slot gets one or both, and a property added later costs an allocation.
  return { file, mtime: undefined, job: undefined, state: 'done', newBytes: 0, pieces: NO_PIECES, streaming: false, settled: false };
}

/** Keeps a piece read before its file's turn. */
function keepPiece(slot: Slot, piece: ReadPiece<CallList>): void {
  if (slot.pieces === NO_PIECES) slot.pieces = [];
  (slot.pieces as ReadPiece<CallList>[]).push(piece);
}

/** What the scanner does with what is read. */
export interface OrderedReadsHost {
  /** A piece of the file being recorded. */
  take(slot: Slot, piece: ReadPiece<CallList>): void;
  /** All pieces of the file were taken: its statistics and messages; then the next file. */
  finish(slot: Slot, filesDone: number): void;
  /** A promise when it is time to yield to the event loop, else undefined. */
  pause(): Promise<void> | undefined;
  cancelled(): boolean;
  /** Shutting down: stop reading at once. */
  abandoned(): boolean;
  meta(metaPath: string): AgentMeta | undefined;
}

export class OrderedReads {
  /** New bytes of the files reader threads have in hand. */
  private remoteBytes = 0;
  /** Slots before this one were sent to reader threads, or passed over. */
  private ahead = 0;

  constructor(
    private readonly host: OrderedReadsHost,
    private readonly pool: ReaderPool | undefined,
    /** Files a reader thread may have in hand (tests make it small, so a cancel meets files not yet sent). */
    private readonly filesPerThread = REMOTE_FILES_PER_THREAD,
  ) {}

  /**
   * Sends slots to the reader threads in order, as far as what they may have in hand allows, before run(): while the
   * scan is still listing and stat'ing files, the threads already read the first ones.
   */
  prefetch(slots: Slot[]): void {
    if (this.pool) this.sendAhead(slots, this.pool);
  }

  /** Reads and hands over every slot in order, until done or cancelled. Returns how many files are done. */
  async run(slots: Slot[]): Promise<number> {
    const pool = this.pool;
    let head = 0;
    while (head < slots.length) {
      const cancelled = this.host.cancelled();
      if (cancelled && slots[head].state === 'waiting') break;
      this.ahead = Math.max(this.ahead, head);
      if (pool && !cancelled) this.sendAhead(slots, pool);
      const slot = slots[head];
      if (slot.state === 'remote' && !slot.streaming) {
        // Its turn: what arrived so far is handed over, the rest as it arrives (a huge file never piles up here).
        slot.streaming = true;
        this.handOverPieces(slot);
      }
      if (slot.state === 'remote') {
        if (!slot.settled && !cancelled && this.ahead < slots.length && this.mayParseAhead(slots[this.ahead])) {
          await this.readHere(slots[this.ahead++], false);
          continue;
        }
        await this.settle(slot);
      } else if (slot.state === 'waiting') {
        await this.readHere(slot, true);
      }
      slot.streaming = true;
      this.handOverPieces(slot);
      slot.job = undefined;
      head++;
      this.host.finish(slot, head);
      const yielding = this.host.pause();
      if (yielding) await yielding;
    }
    return head;
  }

  private handOverPieces(slot: Slot): void {
    // Most slots of a re-scan hold no pieces: no empty array is made for them.
    const pieces = slot.pieces;
    if (pieces.length === 0) return;
    slot.pieces = NO_PIECES;
    for (const piece of pieces) this.host.take(slot, piece);
  }

  private sendAhead(slots: Slot[], pool: ReaderPool): void {
    const maxFiles = pool.size * this.filesPerThread;
    const maxBytes = pool.size * REMOTE_BYTES_PER_THREAD;
    while (this.ahead < slots.length && !pool.broken && pool.inFlight < maxFiles && this.remoteBytes < maxBytes) {
      this.dispatch(slots[this.ahead++], pool);
    }
  }

  /**
   * Whether to parse this file here while the next one is still in a reader thread (this thread would only wait):
   * small files only, so this thread is soon back to recording what the readers hand over.
   */
  private mayParseAhead(slot: Slot): boolean {
    return this.pool !== undefined && slot.newBytes <= STEAL_MAX_BYTES;
  }

  private dispatch(slot: Slot, pool: ReaderPool): void {
    if (slot.state !== 'waiting' || !slot.job) return;
    const run = pool.run(slot.job, (piece) => {
      if (slot.streaming) this.host.take(slot, piece);
      else keepPiece(slot, piece);
    });
    slot.state = 'remote';
    slot.stop = run.stop;
    this.remoteBytes += slot.newBytes;
    slot.done = run.done.then(
      (outcome) => {
        this.remoteBytes -= slot.newBytes;
        slot.settled = true;
        slot.result = outcome.result;
        if (outcome.stopped) slot.stopped = true;
      },
      (e: unknown) => {
        this.remoteBytes -= slot.newBytes;
        slot.settled = true;
        slot.failure = e;
      },
    );
  }

  /** Waits for a file a reader thread is parsing; if the thread failed, reads the file here instead. */
  private async settle(slot: Slot): Promise<void> {
    if (this.host.cancelled() && !slot.settled) slot.stop?.();
    await slot.done;
    if (slot.failure === undefined || this.host.abandoned()) return;
    // Read again here from the same stored state (pieces already recorded come again: recording them twice is a no-op).
    slot.pieces = NO_PIECES;
    slot.failure = undefined;
    slot.state = 'waiting';
    await this.readHere(slot, true);
  }

  /** Reads a file in this thread; pieces are handed over at once when `streaming` (the file is next in order). */
  private async readHere(slot: Slot, streaming: boolean): Promise<void> {
    if (slot.state !== 'waiting' || !slot.job) {
      if (slot.state === 'waiting') slot.state = 'done';
      return;
    }
    slot.state = 'local';
    slot.streaming = streaming;
    try {
      slot.result = await readTranscriptFile(slot.job, {
        onPiece: (piece) => {
          if (slot.streaming) this.host.take(slot, piece);
          // A file parsed out of turn waits for the files before it (a reader thread's whole batch): its calls wait
          // packed, as a reader thread's do, rather than as objects the garbage collector would move to its old
          // generation.
          else keepPiece(slot, { ...piece, calls: packCalls(callsOf(piece.calls)) });
        },
        pause: () => this.host.pause(),
        stopped: () => this.host.abandoned(),
        meta: (metaPath) => this.host.meta(metaPath),
      });
    } catch (e: unknown) {
      slot.failure = e;
    }
    slot.settled = true;
  }
}
