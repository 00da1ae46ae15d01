/**
 * One pass over the transcripts: list files, read what is new in each (one stat for an unchanged file), turn lines
 * into calls, hand them to the sink in batches, then persist each file's read state — always after its calls were
 * recorded, so a saved database never carries an offset past calls it does not hold.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CallInput } from '../../../shared/callRecord';
import type { ScanStats } from '../../store/storeApi';
import type { CollectorDeps } from '../collector';
import { DirCache } from './dirCache';
import {
  decodeFileState,
  encodeFileState,
  HEAD_BYTES,
  headHash,
  isUnchanged,
  knownFileOf,
  planRead,
  type FileReadState,
  type KnownFile,
  type ReadPlan,
} from './fileReadState';
import { parseLine } from './lineParser';
import { readLines } from './lineReader';
import type { AgentMeta } from './names';
import { ScanLog } from './scanLog';
import { readAgentMeta, readCustomTitle, sidecarMtime } from './sidecars';
import { emptyContext, TranscriptContext, type ContextState } from './transcriptContext';
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
}

export interface ScanOutcome {
  stats: ScanStats;
  listing: Listing;
  /** Project roots that exist, for watching. */
  roots: string[];
  /** `<projectDir>\0<sessionId>` of conversations written to recently: their folders are worth watching. */
  activeSessions: Set<string>;
  full: boolean;
}

const FLUSH_CALLS = 2000;
const FLUSH_MS = 250;
const YIELD_MS = 8;
const PROGRESS_MS = 200;
const SLOW_SCAN_MS = 250;
const ACTIVE_WINDOW_MS = 48 * 3_600_000;
/** Read chunks (of 1 MB) between intermediate commits inside one large file. */
const CHECKPOINT_CHUNKS = 32;

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
  private metaCache = new Map<string, AgentMeta | undefined>();
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
    this.metaCache = new Map();
    this.failedPaths = new Set();
    this.log.beginScan();
    const stats: ScanStats = { files: 0, filesRead: 0, bytesRead: 0, linesRead: 0, calls: 0, skippedLines: 0, ms: 0 };
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
    let done = 0;
    for (let i = 0; i < files.length && !this.cancelRequested; i++) {
      const f = files[i];
      try {
        const mtime = await this.processFile(f, listing, stats);
        if (mtime !== undefined) {
          this.log.clear(f.path);
          if (Date.now() - mtime < ACTIVE_WINDOW_MS) activeSessions.add(`${f.projectDir}\0${f.sessionId}`);
        }
      } catch (e: unknown) {
        // A bug or an I/O error on one file must not stop the import: report it and go on.
        this.log.once(f.path, 'error', `Claude Code transcript ${f.path}: could not be read (${describe(e)}).`);
      }
      if (this.batch.calls.length >= FLUSH_CALLS || performance.now() - this.batch.startedAt > FLUSH_MS) this.flush();
      done = i + 1;
      progress.update(done, stats.calls);
      await this.pause();
    }
    this.flush();
    if (full && !this.cancelRequested) this.forgetVanished(listing, roots);
    this.log.endScan();
    stats.ms = Math.round(performance.now() - t0);
    progress.done(done, stats.calls);
    return { stats, listing, roots: roots.filter((r) => listing.dirs.some((d) => d.path === r)), activeSessions, full };
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

  /** Reads what is new in one file; returns its mtime (undefined when it could not be read). */
  private async processFile(f: TranscriptFile, listing: Listing, stats: ScanStats): Promise<number | undefined> {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(f.path, { throwIfNoEntry: false });
    } catch (e: unknown) {
      this.log.once(f.path, 'warn', `Cannot read ${f.path} (${describe(e)}); skipped until it is readable.`);
      return undefined;
    }
    if (!st) {
      // Gone since the listing: forget its offset (its records stay).
      if (!this.abandoned) this.deps.fileState.delete(f.path);
      return undefined;
    }
    const stored = this.deps.fileState.get(f.path);
    const known = this.knownFile(f.path, stored);
    const identity = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
    const sidecarNow = f.kind === 'session' ? sidecarMtime(f.sidecarPath) : undefined;
    const sidecarChanged = f.kind === 'session' && sidecarNow !== known?.sidecarMtime;
    if (known && isUnchanged(identity, known) && !sidecarChanged) return st.mtimeMs;
    const prev = decodeFileState(stored);

    let fd: number;
    try {
      fd = fs.openSync(f.path, 'r');
    } catch (e: unknown) {
      if (errorCode(e) !== 'ENOENT') this.log.once(f.path, 'warn', `Cannot open ${f.path} (${describe(e)}); skipped until it is readable.`);
      return undefined;
    }
    try {
      const plan: ReadPlan =
        prev && isUnchanged(identity, prev)
          ? { action: 'read', from: prev.offset, fresh: false }
          : planRead(identity, prev, (len) => headHash(fd, len));
      if (plan.action === 'skip') return st.mtimeMs;
      if (plan.reason) {
        this.deps.log('info', `Claude Code transcript ${f.path} was ${plan.reason}; reading it again (calls already recorded are kept once).`);
      }
      const ctxState = plan.fresh ? restartContext(prev?.ctx) : (prev as FileReadState).ctx;
      const ownMeta = f.kind === 'subagent' && f.metaPath ? this.meta(f.metaPath) : undefined;
      const ctx = new TranscriptContext(f, ctxState, ownMeta, (agentId) => {
        const metaPath = listing.agentMeta.get(f.sessionId)?.get(agentId);
        return metaPath ? this.meta(metaPath) : undefined;
      });
      if (sidecarChanged) ctx.setSidecarTitle(sidecarNow, f.sidecarPath && sidecarNow !== undefined ? readCustomTitle(f.sidecarPath) : undefined);

      const startLine = plan.fresh ? 0 : (prev?.line ?? 0);
      let lineNo = startLine;
      let bad = 0;
      let described = 0;
      const fileIdentity = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
      let headLen = plan.fresh || !prev ? 0 : prev.headLen;
      let head = plan.fresh || !prev ? '' : prev.head;
      /**
       * Hands what was read so far to the batch, with the state that says so. A commit in the middle of the file
       * records the size as the offset reached, so that it never passes for "unchanged" and the rest is read later.
       */
      const commit = (offset: number, lines: number, final: boolean): void => {
        const drained = ctx.drain();
        stats.calls += drained.calls.length;
        if (headLen < HEAD_BYTES && offset > headLen) {
          headLen = Math.min(offset, HEAD_BYTES);
          head = headHash(fd, headLen);
        }
        const size = final ? fileIdentity.size : offset;
        const state: FileReadState = { v: 1, ...fileIdentity, size, offset, line: startLine + lines, headLen, head, ctx: ctx.state };
        this.batch.calls.push(...drained.calls);
        this.batch.renames.push(...drained.renames);
        this.batch.states.push({ path: f.path, encoded: encodeFileState(state), known: knownFileOf(state) });
      };
      let sinceCommit = 0;
      const wantsPrompt = (sidechain: boolean): boolean => ctx.wantsPrompt(sidechain);
      const outcome = await readLines(
        fd,
        plan.from,
        st.size,
        (bytes, complete) => {
          const parsed = bytes === null ? (complete ? { kind: 'bad' as const, reason: 'line too large' } : null) : parseLine(bytes, complete, wantsPrompt);
          if (parsed === null || parsed.kind === 'pending') return false;
          lineNo++;
          const reason = ctx.handle(parsed);
          if (reason !== undefined) {
            if (this.log.badLine(f.path, lineNo, reason, bad)) described++;
            bad++;
          }
          return true;
        },
        {
          chunkBytes: this.tuning.chunkBytes,
          pause: () => this.pause(),
          // A huge transcript is recorded as it is read, so its calls never pile up in memory.
          checkpoint: (offset, lines) => {
            sinceCommit++;
            if (sinceCommit < (this.tuning.checkpointChunks ?? CHECKPOINT_CHUNKS)) return;
            sinceCommit = 0;
            commit(offset, lines, false);
            this.flush();
          },
        },
      );
      stats.filesRead++;
      stats.bytesRead += outcome.bytesRead;
      stats.linesRead += outcome.lines;
      stats.skippedLines += bad;
      this.log.fileBadLines(f.path, bad, described);
      commit(outcome.endOffset, outcome.lines, true);
      return st.mtimeMs;
    } finally {
      fs.closeSync(fd);
    }
  }

  private meta(metaPath: string): AgentMeta | undefined {
    if (!this.metaCache.has(metaPath)) this.metaCache.set(metaPath, readAgentMeta(metaPath));
    return this.metaCache.get(metaPath);
  }

  /** Calls first, then renames (the consumer exists by then), then read offsets. */
  private flush(): void {
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

function newBatch(): Batch {
  return { calls: [], renames: [], states: [], startedAt: performance.now() };
}

/** A re-read file starts parsing afresh but keeps what names its consumers already have in the store. */
function restartContext(prev: ContextState | undefined): ContextState {
  const ctx = emptyContext();
  if (!prev) return ctx;
  Object.assign(ctx.named, prev.named);
  if (prev.sidecarMtime !== undefined) ctx.sidecarMtime = prev.sidecarMtime;
  if (prev.titles.sidecar) ctx.titles.sidecar = prev.titles.sidecar;
  return ctx;
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
