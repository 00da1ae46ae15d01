/**
 * One pass over the transcripts: list files (folders that did not change are not read again: dirCache.ts), stat each
 * one (an unchanged file costs nothing more), read what is new in the others (orderedReads.ts: in file order, in
 * reader threads for a large import), hand their calls to the sink in batches, then persist each file's read state —
 * always after its calls were recorded, so a saved database never carries an offset past calls it does not hold.
 */
import os from 'node:os';
import type { ScanStats } from '../../store/storeApi';
import type { CollectorDeps } from '../collector';
import { CONFIRM_MS, DirCache } from './dirCache';
import { FileDecisions } from './fileDecisions';
import type { KnownFile } from './fileReadState';
import { callCount, type CallList } from './callPacking';
import { inTransaction, recordInChunks } from './chunkedRecording';
import { MetaCache, type ReadPiece } from './fileReader';
import { OrderedReads, type Slot } from './orderedReads';
import { ProgressReporter } from './progressReporter';
import { warmUpParser } from './parserWarmUp';
import { bundledReaderEntry, ReaderPool } from './readerPool';
import { ScanLog } from './scanLog';
import { StatAhead, statNow } from './statAhead';
import { LINE_WALK_FILE, lineWalkProblem } from './lineWalker';
import {
  emptyListing,
  errorCode,
  listProjectDir,
  projectDirsOf,
  sessionKeyOf,
  projectsRoots,
  type Listing,
  type TranscriptFile,
  vanishedFiles,
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
  /** The bundle reader threads run (holding readerWorker.ts); default: the running bundle, if any; null: no threads. */
  readerEntry?: string | null;
  /** Reader threads for a large scan (default: the cores but one, at most MAX_READER_THREADS). */
  readerThreads?: number;
  /** New bytes a scan must have to start reader threads (default POOL_MIN_BYTES). */
  poolMinBytes?: number;
  /** Paths a full scan must stat for a helper thread to share them (default statAhead.ts MIN_PATHS). */
  statAheadMinPaths?: number;
  /** Files a reader thread may have in hand (default orderedReads.ts REMOTE_FILES_PER_THREAD). */
  readerFilesAhead?: number;
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
const FLUSH_CALLS = 8000;
const FLUSH_MS = 1000;
const YIELD_MS = 8;
const ACTIVE_WINDOW_MS = 48 * 3_600_000;
/** Reader threads pay off for large imports only (a thread costs a bundle load and its memory). */
export const POOL_MIN_BYTES = 32 * 1024 * 1024;
export const MAX_READER_THREADS = 3;
/** Transcript bytes per API call, on the low side (real transcripts and the bench corpus have 5–8 KB per call). */
const BYTES_PER_CALL_ESTIMATE = 4096;

interface PendingState {
  path: string;
  encoded: string;
  known: KnownFile;
}

interface Batch {
  calls: CallList[];
  callCount: number;
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
  private batch: Batch = newBatch();
  /** Files whose calls failed to reach the sink in this scan: their offsets must not move past those calls. */
  private failedPaths = new Set<string>();
  private abandoned = false;
  private readonly dirCache = new DirCache();
  private readonly statAhead: StatAhead;
  private readonly decisions: FileDecisions;

  constructor(
    private readonly deps: CollectorDeps,
    private readonly configDirs: readonly string[],
    private readonly tuning: ScannerTuning = {},
  ) {
    this.log = new ScanLog(deps.log);
    this.statAhead = new StatAhead(tuning.statAheadMinPaths);
    this.decisions = new FileDecisions(deps.fileState, this.log, {
      chunkBytes: tuning.chunkBytes,
      checkpointChunks: tuning.checkpointChunks,
      abandoned: () => this.abandoned,
    });
  }

  cancel(): void {
    this.cancelRequested = true;
  }

  /**
   * For shutdown: stops reading at once and sends nothing more to the sink (the store is closing). What was read but
   * not recorded keeps its old offsets, so it is read again next time.
   */
  abandon(): void {
    this.abandoned = true;
    this.cancelRequested = true;
    this.statAhead.close();
  }

  async scan(request: ScanRequest): Promise<ScanOutcome> {
    const t0 = performance.now();
    this.cancelRequested = this.abandoned;
    this.metaCache = new MetaCache();
    this.failedPaths = new Set();
    this.log.beginScan();
    const walkProblem = lineWalkProblem();
    if (walkProblem) this.log.once(LINE_WALK_FILE, 'warn', `Claude Code transcripts are read without the WebAssembly line walk, more slowly (${walkProblem}).`);
    const stats: ScanStats = emptyStats();
    this.currentStats = stats;
    const full = request.projectDirs === undefined;
    const roots = projectsRoots(this.configDirs);
    const listing = emptyListing();
    // Folders are listed one project at a time and each listed file is stat'ed at once, so that for a large import
    // reader threads start on the first files while the rest are still being listed. Unchanged folders are not read
    // again (see dirCache.ts); the folders a notification names as changed are read for real (and the cache
    // refreshed). A full scan's stats are shared with a helper thread (statAhead.ts).
    const stat = full ? this.statAhead.stat : statNow;
    const read = full ? (dir: string) => this.dirCache.read(dir, false, stat) : (dir: string) => this.dirCache.read(dir, true);
    if (full) {
      this.dirCache.beginPass();
      this.statAhead.begin();
    }
    const projectDirs = full ? roots.flatMap((root) => projectDirsOf(root, listing, read)) : (request.projectDirs ?? []);
    const activeSessions = new Set<string>();
    const scanStart = Date.now();
    let progress: ProgressReporter | undefined;
    let pool: ReaderPool | undefined;
    let reads: OrderedReads | undefined;
    const ordered = (threads: ReaderPool | undefined): OrderedReads =>
      new OrderedReads(
        {
          take: (slot, piece) => this.take(slot, piece),
          finish: (slot, filesDone) => {
            this.finish(slot, stats, activeSessions, scanStart);
            if (this.batch.callCount >= FLUSH_CALLS || performance.now() - this.batch.startedAt > FLUSH_MS) this.flush();
            progress?.update(filesDone, stats.calls);
          },
          pause: () => this.pause(),
          cancelled: () => this.cancelRequested,
          abandoned: () => this.abandoned,
          meta: (metaPath) => this.metaCache.get(metaPath),
        },
        threads,
        this.tuning.readerFilesAhead,
      );
    const slots: Slot[] = [];
    let newBytes = 0;
    let jobs = 0;
    try {
      for (const dir of projectDirs) {
        if (this.cancelRequested) break;
        listProjectDir(dir, listing, read);
        while (slots.length < listing.files.length && !this.cancelRequested) {
          const slot = this.decisions.decide(listing.files[slots.length], listing, stat);
          slots.push(slot);
          if (slot.job) {
            newBytes += slot.newBytes;
            jobs++;
          }
          const yielding = this.pause();
          if (yielding) await yielding;
        }
        if (!pool && this.poolWanted(newBytes, jobs)) {
          pool = this.startPool();
          reads = pool && ordered(pool);
          // This thread parses files out of turn during the import: it warms up while the reader thread starts.
          if (pool) await warmUpParser(false);
        }
        reads?.prefetch(slots);
      }
    } catch (e: unknown) {
      pool?.close();
      if (full) this.statAhead.end(false);
      throw e;
    }
    if (full) this.statAhead.end(!this.cancelRequested);
    // A pass cut short by a cancel read only some folders: it must not make the cache forget the others.
    if (full && !this.cancelRequested) this.dirCache.endPass();
    this.reportListingProblems(listing);
    stats.files = listing.files.length;
    progress = new ProgressReporter(this.deps, request, t0, listing.files.length);
    const large = this.largeScan(newBytes);
    if (large) this.deps.sink.beginLargeImport?.(Math.ceil(newBytes / BYTES_PER_CALL_ESTIMATE));
    reads ??= ordered(undefined);
    let done = 0;
    try {
      done = await reads.run(slots);
      this.flush();
    } finally {
      pool?.close();
      if (large) this.deps.sink.endLargeImport?.();
    }
    if (full && !this.cancelRequested) {
      this.forgetVanished(listing, roots);
      // A long import: the folder listings it began with can be confirmed now, so the next scan reuses them — just
      // after this scan resolves rather than before (re-reading 2,700 folders was the last ~80 ms of the bench's
      // import, with the reader thread already done). The stat helper starts then too, for the next full scan.
      const long = performance.now() - t0 > CONFIRM_MS;
      setTimeout(() => {
        if (this.abandoned) return;
        if (long) this.dirCache.confirm();
        this.statAhead.prepare();
      }, 0).unref();
    }
    this.log.endScan();
    stats.ms = Math.round(performance.now() - t0);
    progress.done(done, stats.calls);
    const readers = pool?.size ?? 0;
    return { stats, listing, roots: roots.filter((r) => listing.dirs.some((d) => d.path === r)), activeSessions, full, readers };
  }

  /** A scan with this much to read is a large import (the first one): reader threads and bulk recording pay off. */
  private largeScan(newBytes: number): boolean {
    return !this.cancelRequested && newBytes >= (this.tuning.poolMinBytes ?? POOL_MIN_BYTES);
  }

  /** Reader threads, decided as files are stat'ed: a large scan of at least two files. */
  private poolWanted(newBytes: number, jobs: number): boolean {
    return this.largeScan(newBytes) && jobs >= 2;
  }

  /** Reader threads for this scan; undefined: read here. */
  private startPool(): ReaderPool | undefined {
    const entry = this.tuning.readerEntry === undefined ? bundledReaderEntry() : (this.tuning.readerEntry ?? undefined);
    const threads = this.tuning.readerThreads ?? Math.min(MAX_READER_THREADS, os.availableParallelism() - 1);
    if (!entry || threads < 1) return undefined;
    try {
      return new ReaderPool(entry, threads);
    } catch (e: unknown) {
      this.deps.log('info', `Claude Code import: reading in one thread (${describe(e)}).`);
      return undefined;
    }
  }

  /** Hands one piece of a file to the batch; an intermediate piece of a large file is recorded at once. */
  private take(slot: Slot, piece: ReadPiece<CallList>): void {
    const count = callCount(piece.calls);
    this.currentStats.calls += count;
    const b = this.batch;
    if (count > 0) b.calls.push(piece.calls);
    b.callCount += count;
    for (const r of piece.renames) b.renames.push(r);
    b.states.push({ path: slot.file.path, encoded: piece.encoded, known: piece.known });
    if (piece.checkpoint) this.flush();
  }

  /** After a file's pieces: its statistics and messages. */
  private finish(slot: Slot, stats: ScanStats, active: Set<string>, now: number): void {
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
    if (now - slot.mtime < ACTIVE_WINDOW_MS) active.add(sessionKeyOf(f));
  }

  private reportListingProblems(listing: Listing): void {
    for (const d of listing.dirs) this.log.clear(d.path);
    for (const u of listing.unreadable) {
      this.log.once(u.path, 'warn', `Cannot read ${u.path} (${u.reason}); its Claude Code transcripts are skipped until it is readable.`);
    }
  }

  /** Calls first, then renames (the consumer exists by then), then read offsets. */
  private flush(): void {
    const b = this.batch;
    this.batch = newBatch();
    if (this.abandoned || (b.callCount === 0 && b.renames.length === 0 && b.states.length === 0)) return;
    if (b.callCount > 0) {
      let result;
      try {
        result = recordInChunks(this.deps.sink, b.calls);
      } catch (e: unknown) {
        // Offsets are not advanced: these files are read again on the next scan.
        for (const p of b.states) this.failedPaths.add(p.path);
        this.deps.log('error', `Recording ${b.callCount} Claude Code call(s) failed (${describe(e)}); they will be retried.`);
        return;
      }
      for (const r of result.rejected) {
        this.log.limited(`Claude Code call ${r.key ?? `#${r.index}`} was not recorded: ${r.message}`);
      }
      if (result.inserted + result.updated > 0) this.deps.onRecorded(result);
    }
    // Renames and offsets in one transaction too: each statement on its own is a commit, and SQLite writes every page
    // a commit changed (a first import stores thousands of read states).
    inTransaction(this.deps.sink, () => {
      for (const r of b.renames) this.deps.sink.renameConsumer(r.key, r.name);
      for (const p of b.states) {
        if (this.failedPaths.has(p.path)) continue;
        this.deps.fileState.set(p.path, p.encoded);
        this.decisions.stored(p.path, p.encoded, p.known);
      }
    });
  }

  /** Forgets read state of files that are gone (their records stay: Claude Code deletes old transcripts). */
  private forgetVanished(listing: Listing, roots: string[]): void {
    for (const p of vanishedFiles(listing, roots, this.deps.fileState.paths())) {
      this.deps.fileState.delete(p);
      this.decisions.forget(p);
    }
  }

  /**
   * Yields to the worker's event loop every few milliseconds so it keeps answering queries during an import;
   * undefined (nothing to await) in between.
   */
  private pause(): Promise<void> | undefined {
    if (performance.now() - this.lastYield < YIELD_MS) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        this.lastYield = performance.now();
        resolve();
      }),
    );
  }
}

export function emptyStats(): ScanStats {
  return { files: 0, filesRead: 0, bytesRead: 0, linesRead: 0, calls: 0, skippedLines: 0, ms: 0 };
}

function newBatch(): Batch {
  return { calls: [], callCount: 0, renames: [], states: [], startedAt: performance.now() };
}

function describe(e: unknown): string {
  return errorCode(e) ?? (e instanceof Error ? e.message : String(e));
}
