/**
 * One pass over the transcripts: list files, read what is new in each (one stat for an unchanged file), turn lines
 * into calls, hand them to the sink in batches, then persist each file's read state — always after its calls were
 * recorded, so a saved database never carries an offset past calls it does not hold.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallInput } from '../../../shared/callRecord';
import type { ScanStats } from '../../store/storeApi';
import type { CollectorDeps } from '../collector';
import { DirCache } from './dirCache';
import { decodeFileState, isUnchanged, knownFileOf, type KnownFile } from './fileReadState';
import { MetaCache, readTranscriptFile, type ReadJob, type ReadPiece, type ReadResult } from './fileReader';
import { bundledReaderEntry, ReaderPool } from './readerPool';
import { ScanLog } from './scanLog';
import { readCustomTitle, sidecarMtime } from './sidecars';
import {
  emptyListing,
  errorCode,
  listProjectDir,
  listProjectsRoot,
  projectsRootOf,
  type Listing,
  type TranscriptFile,
} from './transcriptFiles';

export interface ScanRequest {
  /** Only these project folders (a file-system notification); omitted: every config dir, and vanished files forgotten. */
  projectDirs?: string[];
  /** Report progress through deps.onProgress. */
  progress: boolean;
  /** The first import: progress is shown from the start rather than only once the scan proves slow. */
  initial?: boolean;
}

/** Knobs for tests; the defaults are what the extension uses. */
export interface ScannerTuning {
  /** Read chunk size (default 1 MiB). */
  chunkBytes?: number;
  /** Chunks between intermediate commits inside one file (default 32). */
  checkpointChunks?: number;
  /**
   * The file reader threads run (a bundle holding readerWorker.ts); default: the running bundle, when there is one;
   * null: never use reader threads.
   */
  readerEntry?: string | null;
  /** Reader threads for a large scan (default: the cores but one, at most MAX_READER_THREADS). */
  readerThreads?: number;
  /** New bytes a scan must have to start reader threads (default POOL_MIN_BYTES). */
  poolMinBytes?: number;
}

export interface ScanOutcome {
  stats: ScanStats;
  listing: Listing;
  /** Project roots that exist, for watching. */
  roots: string[];
  /** `<projectDir>\0<sessionId>` of conversations written to recently: their folders are worth watching. */
  activeSessions: Set<string>;
  full: boolean;
  /** Reader threads the scan parsed with (0: all in this thread). */
  readers: number;
}

/**
 * A batch is recorded once it holds this many calls or is this old. Larger batches cost less per call (one dedup
 * lookup and one roll-up write per bucket and consumer for the whole batch); a second keeps an import visibly moving
 * without announcing a change more often than the status bar can use.
 */
const FLUSH_CALLS = 5000;
const FLUSH_MS = 1000;
const YIELD_MS = 8;
const PROGRESS_MS = 200;
const SLOW_SCAN_MS = 250;
const ACTIVE_WINDOW_MS = 48 * 3_600_000;
/** Reader threads pay off for large imports only (a thread costs a bundle load and its memory). */
export const POOL_MIN_BYTES = 32 * 1024 * 1024;
export const MAX_READER_THREADS = 3;
/**
 * What reader threads may have in hand (sent, not yet recorded), per thread: enough that a thread never runs dry
 * while this thread records a batch, little enough to bound the calls waiting in memory.
 */
const REMOTE_BYTES_PER_THREAD = 96 * 1024 * 1024;
const REMOTE_FILES_PER_THREAD = 256;
/** A file this thread may read out of turn while waiting for the next one (its calls wait in memory meanwhile). */
const STEAL_MAX_BYTES = 1024 * 1024;

/** One listed file during a scan, in listing order. */
interface Slot {
  file: TranscriptFile;
  /** From the stat; undefined when the file could not be stat'ed (or is gone). */
  mtime?: number;
  /** What to read; absent when the file is unchanged. */
  job?: ReadJob;
  /** Roughly how much is new (for choosing reader threads and what to read out of turn). */
  newBytes: number;
  state: 'waiting' | 'remote' | 'local' | 'done';
  /** Pieces read before the file's turn to be recorded. */
  pieces: ReadPiece[];
  /** The file is being recorded: pieces go to the batch as they arrive. */
  streaming: boolean;
  settled: boolean;
  done?: Promise<void>;
  stop?: () => void;
  result?: ReadResult;
  stopped?: boolean;
  failure?: unknown;
}

interface PendingState {
  path: string;
  encoded: string;
  known: KnownFile;
}

interface Batch {
  calls: CallInput[];
  renames: Array<{ key: string; name: string }>;
  states: PendingState[];
  startedAt: number;
}

export class TranscriptScanner {
  private cancelRequested = false;
  private lastYield = 0;
  private readonly log: ScanLog;
  private metaCache = new MetaCache();
  /** The running scan's statistics (pieces arriving from reader threads add to them). */
  private currentStats: ScanStats = emptyStats();
  /** Milliseconds of work in this scan: here (recording, parsing out of turn) and in all reader threads together. */
  private busy = { here: 0, readers: 0 };
  /** New bytes of the files reader threads have in hand. */
  private remoteBytes = 0;
  private batch: Batch = newBatch();
  /** Files whose calls failed to reach the sink in this scan: their offsets must not move past those calls. */
  private failedPaths = new Set<string>();
  private abandoned = false;
  private readonly dirCache = new DirCache();
  /**
   * The identity part of each file's stored state, by path, with the stored text it was read from: a re-scan
   * compares a stat with it instead of decoding every file's JSON state (which carries the conversation context).
   */
  private readonly known = new Map<string, { encoded: string; known: KnownFile | undefined }>();

  constructor(
    private readonly deps: CollectorDeps,
    private readonly configDirs: readonly string[],
    private readonly tuning: ScannerTuning = {},
  ) {
    this.log = new ScanLog(deps.log);
  }

  cancel(): void {
    this.cancelRequested = true;
  }

  /**
   * For shutdown: stops at the next file boundary and sends nothing more to the sink (the store is closing). What was
   * read but not recorded keeps its old offsets, so it is read again next time.
   */
  abandon(): void {
    this.abandoned = true;
    this.cancelRequested = true;
  }

  async scan(request: ScanRequest): Promise<ScanOutcome> {
    const t0 = performance.now();
    this.cancelRequested = this.abandoned;
    this.metaCache = new MetaCache();
    this.failedPaths = new Set();
    this.log.beginScan();
    const stats: ScanStats = emptyStats();
    this.currentStats = stats;
    const full = request.projectDirs === undefined;
    const roots = this.roots();
    const listing = emptyListing();
    if (full) {
      // Unchanged folders are not read again (see dirCache.ts); files are still stat'ed one by one below.
      this.dirCache.beginPass();
      const read = (dir: string) => this.dirCache.read(dir);
      for (const root of roots) listProjectsRoot(root, listing, read);
      this.dirCache.endPass();
    } else {
      // A notification said these folders changed: read them for real (and refresh the cache).
      const read = (dir: string) => this.dirCache.read(dir, true);
      for (const dir of request.projectDirs ?? []) listProjectDir(dir, listing, read);
    }
    this.reportListingProblems(listing);

    const activeSessions = new Set<string>();
    const files = listing.files;
    stats.files = files.length;
    const progress = new ProgressReporter(this.deps, request, t0, files.length);
    const slots: Slot[] = [];
    let newBytes = 0;
    for (let i = 0; i < files.length && !this.cancelRequested; i++) {
      const slot = this.decide(files[i], listing);
      slots.push(slot);
      if (slot.job) newBytes += slot.newBytes;
      await this.pause();
    }
    const pool = this.startPool(slots, newBytes);
    let done = 0;
    try {
      done = await this.readAll(slots, pool, stats, activeSessions, progress);
    } finally {
      pool?.close();
    }
    this.flush();
    if (full && !this.cancelRequested) this.forgetVanished(listing, roots);
    this.log.endScan();
    stats.ms = Math.round(performance.now() - t0);
    progress.done(done, stats.calls);
    const readers = pool?.size ?? 0;
    return { stats, listing, roots: roots.filter((r) => listing.dirs.some((d) => d.path === r)), activeSessions, full, readers };
  }

  /**
   * Reads the files that changed and records them in file order. With reader threads, files are parsed ahead in the
   * threads (a window of a few files) while this thread records; when the file to record next is not ready and this
   * thread has been less busy than the readers, it reads a small file further ahead itself. Returns how many files
   * are done.
   */
  private async readAll(slots: Slot[], pool: ReaderPool | undefined, stats: ScanStats, active: Set<string>, progress: ProgressReporter): Promise<number> {
    const maxFiles = pool ? pool.size * REMOTE_FILES_PER_THREAD : 0;
    const maxBytes = pool ? pool.size * REMOTE_BYTES_PER_THREAD : 0;
    this.busy = { here: 0, readers: 0 };
    this.remoteBytes = 0;
    let head = 0;
    let ahead = 0;
    while (head < slots.length) {
      if (this.cancelRequested && slots[head].state === 'waiting') break;
      ahead = Math.max(ahead, head);
      if (pool && !this.cancelRequested) {
        while (ahead < slots.length && !pool.broken && pool.inFlight < maxFiles && this.remoteBytes < maxBytes) {
          this.dispatch(slots[ahead++], pool);
        }
      }
      const slot = slots[head];
      if (slot.state === 'remote' && !slot.streaming) {
        // Its turn: what arrived so far is recorded, the rest as it arrives (a huge file never piles up here).
        slot.streaming = true;
        for (const piece of slot.pieces.splice(0)) this.take(slot, piece, stats);
      }
      if (slot.state === 'remote') {
        if (!slot.settled && !this.cancelRequested && ahead < slots.length && slots[ahead].newBytes <= STEAL_MAX_BYTES &&
            pool && this.busy.here < this.busy.readers / pool.size) {
          // The head is still being parsed elsewhere and this thread has had less to do than a reader: parse a small
          // file further on meanwhile. (Recording is this thread's own work; when it is the slower side, it parses
          // nothing and the readers do it all.)
          const started = performance.now();
          await this.readHere(slots[ahead++], false);
          this.busy.here += performance.now() - started;
          continue;
        }
        await this.settle(slot);
      } else if (slot.state === 'waiting') {
        await this.readHere(slot, true);
      }
      slot.streaming = true;
      for (const piece of slot.pieces.splice(0)) this.take(slot, piece, stats);
      this.finish(slot, stats, active);
      slot.job = undefined;
      head++;
      if (this.batch.calls.length >= FLUSH_CALLS || performance.now() - this.batch.startedAt > FLUSH_MS) this.flush();
      progress.update(head, stats.calls);
      await this.pause();
    }
    return head;
  }

  /** One stat: unchanged files are done; a changed file becomes a read job. */
  private decide(f: TranscriptFile, listing: Listing): Slot {
    const slot: Slot = { file: f, state: 'done', newBytes: 0, pieces: [], streaming: false, settled: false };
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(f.path, { throwIfNoEntry: false });
    } catch (e: unknown) {
      this.log.once(f.path, 'warn', `Cannot read ${f.path} (${describe(e)}); skipped until it is readable.`);
      return slot;
    }
    if (!st) {
      // Gone since the listing: forget its offset (its records stay).
      if (!this.abandoned) this.deps.fileState.delete(f.path);
      return slot;
    }
    const stored = this.deps.fileState.get(f.path);
    const known = this.knownFile(f.path, stored);
    const identity = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
    const sidecarNow = f.kind === 'session' ? sidecarMtime(f.sidecarPath) : undefined;
    const sidecarChanged = f.kind === 'session' && sidecarNow !== known?.sidecarMtime;
    const unchanged = known !== undefined && isUnchanged(identity, known);
    slot.mtime = st.mtimeMs;
    if (unchanged && !sidecarChanged) return slot;
    const job: ReadJob = {
      file: f,
      agentMeta: [...(listing.agentMeta.get(f.sessionId) ?? [])],
      identity,
      unchanged,
      chunkBytes: this.tuning.chunkBytes,
      checkpointChunks: this.tuning.checkpointChunks,
    };
    if (stored !== undefined) job.prevEncoded = stored;
    if (sidecarChanged) {
      job.sidecar = { mtimeMs: sidecarNow, title: f.sidecarPath && sidecarNow !== undefined ? readCustomTitle(f.sidecarPath) : undefined };
    }
    slot.job = job;
    slot.state = 'waiting';
    const appended = known && known.ino === identity.ino && identity.size >= known.size ? identity.size - known.size : identity.size;
    slot.newBytes = Math.max(0, appended);
    return slot;
  }

  /** Reader threads, for a scan with enough to read to be worth them (the first import); undefined: read here. */
  private startPool(slots: Slot[], newBytes: number): ReaderPool | undefined {
    const entry = this.tuning.readerEntry === undefined ? bundledReaderEntry() : (this.tuning.readerEntry ?? undefined);
    const threads = this.tuning.readerThreads ?? Math.min(MAX_READER_THREADS, os.availableParallelism() - 1);
    if (!entry || threads < 1 || this.cancelRequested) return undefined;
    if (newBytes < (this.tuning.poolMinBytes ?? POOL_MIN_BYTES) || slots.filter((s) => s.job).length < 2) return undefined;
    try {
      return new ReaderPool(entry, threads);
    } catch (e: unknown) {
      this.deps.log('info', `Claude Code import: reading in one thread (${describe(e)}).`);
      return undefined;
    }
  }

  private dispatch(slot: Slot, pool: ReaderPool): void {
    if (slot.state !== 'waiting' || !slot.job) return;
    const run = pool.run(slot.job, (piece) => {
      if (slot.streaming) this.take(slot, piece, this.currentStats);
      else slot.pieces.push(piece);
    });
    slot.state = 'remote';
    slot.stop = run.stop;
    this.remoteBytes += slot.newBytes;
    slot.done = run.done.then(
      (outcome) => {
        this.busy.readers += outcome.ms;
        this.remoteBytes -= slot.newBytes;
        slot.settled = true;
        slot.result = outcome.stopped ? { kind: 'unchanged' } : outcome.result;
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
    if (this.cancelRequested && !slot.settled) slot.stop?.();
    await slot.done;
    if (slot.failure === undefined || this.abandoned) return;
    // Read again here from the same stored state (pieces already recorded come again: recording them twice is a no-op).
    slot.pieces = [];
    slot.failure = undefined;
    slot.state = 'waiting';
    await this.readHere(slot, true);
  }

  /** Reads a file in this thread; pieces are recorded at once when `streaming` (the file is next in order). */
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
          if (slot.streaming) this.take(slot, piece, this.currentStats);
          else slot.pieces.push(piece);
        },
        pause: () => this.pause(),
        stopped: () => this.abandoned,
        meta: (metaPath) => this.metaCache.get(metaPath),
      });
    } catch (e: unknown) {
      slot.failure = e;
    }
    slot.settled = true;
  }

  /** Hands one piece of a file to the batch; an intermediate piece of a large file is recorded at once. */
  private take(slot: Slot, piece: ReadPiece, stats: ScanStats): void {
    stats.calls += piece.calls.length;
    const b = this.batch;
    for (const c of piece.calls) b.calls.push(c);
    for (const r of piece.renames) b.renames.push(r);
    b.states.push({ path: slot.file.path, encoded: piece.encoded, known: piece.known });
    if (piece.checkpoint) this.flush();
  }

  /** After a file's pieces: its statistics and messages. */
  private finish(slot: Slot, stats: ScanStats, active: Set<string>): void {
    const f = slot.file;
    if (slot.failure !== undefined) {
      // A bug or an I/O error on one file must not stop the import: report it and go on.
      this.log.once(f.path, 'error', `Claude Code transcript ${f.path}: could not be read (${describe(slot.failure)}).`);
      return;
    }
    const result = slot.result;
    if (slot.stopped || slot.mtime === undefined) return;
    if (result?.kind === 'gone') return;
    if (result?.kind === 'unreadable') {
      this.log.once(f.path, 'warn', `Cannot open ${f.path} (${result.reason}); skipped until it is readable.`);
      return;
    }
    if (result?.kind === 'read') {
      if (result.replaced) {
        this.deps.log('info', `Claude Code transcript ${f.path} was ${result.replaced}; reading it again (calls already recorded are kept once).`);
      }
      let described = 0;
      result.badSamples.forEach((b, i) => {
        if (this.log.badLine(f.path, b.line, b.reason, i)) described++;
      });
      this.log.fileBadLines(f.path, result.bad, described);
      stats.filesRead++;
      stats.bytesRead += result.bytesRead;
      stats.linesRead += result.lines;
      stats.skippedLines += result.bad;
    }
    this.log.clear(f.path);
    if (Date.now() - slot.mtime < ACTIVE_WINDOW_MS) active.add(`${f.projectDir}\0${f.sessionId}`);
  }

  /** Existing projects roots, deduplicated by real path (~/.config/claude is often a link to ~/.claude). */
  private roots(): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const dir of this.configDirs) {
      const root = projectsRootOf(dir);
      let real = root;
      try {
        real = fs.realpathSync(root);
      } catch {
        // Missing: listed as empty below.
      }
      if (seen.has(real)) continue;
      seen.add(real);
      out.push(root);
    }
    return out;
  }

  private reportListingProblems(listing: Listing): void {
    for (const d of listing.dirs) this.log.clear(d.path);
    for (const u of listing.unreadable) {
      this.log.once(u.path, 'warn', `Cannot read ${u.path} (${u.reason}); its Claude Code transcripts are skipped until it is readable.`);
    }
  }

  /** Calls first, then renames (the consumer exists by then), then read offsets. */
  private flush(): void {
    const started = performance.now();
    try {
      this.record();
    } finally {
      this.busy.here += performance.now() - started;
    }
  }

  private record(): void {
    const b = this.batch;
    this.batch = newBatch();
    if (this.abandoned || (b.calls.length === 0 && b.renames.length === 0 && b.states.length === 0)) return;
    if (b.calls.length > 0) {
      let result;
      try {
        result = this.deps.sink.record(b.calls);
      } catch (e: unknown) {
        // Offsets are not advanced: these files are read again on the next scan.
        for (const p of b.states) this.failedPaths.add(p.path);
        this.deps.log('error', `Recording ${b.calls.length} Claude Code call(s) failed (${describe(e)}); they will be retried.`);
        return;
      }
      for (const r of result.rejected) {
        this.log.limited(`Claude Code call ${r.key ?? `#${r.index}`} was not recorded: ${r.message}`);
      }
      if (result.inserted + result.updated > 0) this.deps.onRecorded(result);
    }
    for (const r of b.renames) this.deps.sink.renameConsumer(r.key, r.name);
    for (const p of b.states) {
      if (this.failedPaths.has(p.path)) continue;
      this.deps.fileState.set(p.path, p.encoded);
      this.known.set(p.path, { encoded: p.encoded, known: p.known });
    }
  }

  /** The identity in a file's stored state, decoded once per stored text. */
  private knownFile(filePath: string, stored: string | undefined): KnownFile | undefined {
    if (stored === undefined) {
      this.known.delete(filePath);
      return undefined;
    }
    const cached = this.known.get(filePath);
    if (cached && cached.encoded === stored) return cached.known;
    const state = decodeFileState(stored);
    const known = state ? knownFileOf(state) : undefined;
    this.known.set(filePath, { encoded: stored, known });
    return known;
  }

  /** Forgets read state of files that are gone (their records stay: Claude Code deletes old transcripts). */
  private forgetVanished(listing: Listing, roots: string[]): void {
    const listedRoots = roots.filter((r) => listing.dirs.some((d) => d.path === r && d.role === 'root'));
    if (listedRoots.length === 0) return;
    const seen = new Set(listing.files.map((f) => f.path));
    const unreadable = listing.unreadable.map((u) => u.path + path.sep);
    for (const p of this.deps.fileState.paths()) {
      if (seen.has(p) || !p.endsWith('.jsonl')) continue;
      if (!listedRoots.some((r) => p.startsWith(r + path.sep))) continue;
      if (unreadable.some((u) => p.startsWith(u))) continue;
      this.deps.fileState.delete(p);
      this.known.delete(p);
    }
  }

  /** Yields to the worker's event loop every few milliseconds so it keeps answering queries during an import. */
  private async pause(): Promise<void> {
    const now = performance.now();
    if (now - this.lastYield < YIELD_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastYield = performance.now();
  }
}

function emptyStats(): ScanStats {
  return { files: 0, filesRead: 0, bytesRead: 0, linesRead: 0, calls: 0, skippedLines: 0, ms: 0 };
}

function newBatch(): Batch {
  return { calls: [], renames: [], states: [], startedAt: performance.now() };
}

function describe(e: unknown): string {
  return errorCode(e) ?? (e instanceof Error ? e.message : String(e));
}

class ProgressReporter {
  private lastEmit = 0;
  private emitted = false;

  constructor(
    private readonly deps: CollectorDeps,
    private readonly request: ScanRequest,
    private readonly t0: number,
    private readonly total: number,
  ) {
    if (request.progress && request.initial) this.emit(true, 0, 0);
  }

  update(done: number, calls: number): void {
    if (!this.request.progress) return;
    const now = performance.now();
    if (!this.request.initial && now - this.t0 < SLOW_SCAN_MS) return;
    if (now - this.lastEmit < PROGRESS_MS) return;
    this.emit(true, done, calls);
  }

  done(filesDone: number, calls: number): void {
    if (this.emitted) this.deps.onProgress({ running: false, filesDone, filesTotal: this.total, calls });
  }

  private emit(running: boolean, done: number, calls: number): void {
    this.emitted = true;
    this.lastEmit = performance.now();
    this.deps.onProgress({ running, filesDone: done, filesTotal: this.total, calls });
  }
}
