/**
 * The Claude Code collector: imports the transcripts' history on start, then follows them live. Runs inside the
 * store's worker thread. One scan runs at a time; requests that arrive meanwhile are merged into the next one.
 *
 * cancel() stops the running scan at the next file boundary and suspends the safety-net poll's full scans (so a
 * cancelled first import does not restart by itself); live notifications still pick up new lines, and the next
 * explicit scan() resumes the import where it stopped — every finished file keeps its read offset.
 */
import type { ClaudeCodeOptions, ScanStats } from '../../store/storeApi';
import type { Collector, CollectorDeps } from '../collector';
import { LiveWatcher, watchTargets } from './liveWatcher';
import { ScanLog } from './scanLog';
import { emptyStats, TranscriptScanner, type ScanOutcome } from './transcriptScanner';

export const DEFAULT_DEBOUNCE_MS = 150;
export const DEFAULT_POLL_MS = 30_000;

export function createClaudeCodeCollector(deps: CollectorDeps, options: ClaudeCodeOptions): Collector {
  return new ClaudeCodeCollector(deps, options);
}

interface FullWaiter {
  resolve(stats: ScanStats): void;
  progress: boolean;
  initial: boolean;
}

class ClaudeCodeCollector implements Collector {
  private readonly scanner: TranscriptScanner;
  private readonly watchLog: ScanLog;
  private watcher: LiveWatcher | undefined;
  private running = false;
  private wantFull = false;
  private fullWaiters: FullWaiter[] = [];
  private readonly dirty = new Set<string>();
  private stopped = false;
  private pollSuspended = false;
  private lastFull: ScanOutcome | undefined;

  constructor(
    private readonly deps: CollectorDeps,
    private readonly options: ClaudeCodeOptions,
  ) {
    this.scanner = new TranscriptScanner(deps, options.configDirs);
    this.watchLog = new ScanLog(deps.log);
  }

  async start(): Promise<ScanStats> {
    const stats = await this.requestFull(true, true);
    if (this.options.watch && !this.stopped && !this.watcher) {
      this.watcher = new LiveWatcher(
        {
          onChanged: (dirs, full) => {
            if (full) void this.requestFull(false, false);
            else this.requestDirty(dirs);
          },
          onPoll: () => {
            if (!this.pollSuspended) void this.requestFull(false, false);
          },
        },
        this.watchLog,
        this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
        this.options.pollMs ?? DEFAULT_POLL_MS,
      );
      this.watcher.start();
      this.updateWatchers(this.lastFull, true);
      // Lines appended while the first import ran, before any watcher existed.
      if (!this.pollSuspended) void this.requestFull(false, false);
    }
    return stats;
  }

  scan(): Promise<ScanStats> {
    this.pollSuspended = false;
    return this.requestFull(true, false);
  }

  cancel(): void {
    if (this.running) this.pollSuspended = true;
    this.scanner.cancel();
  }

  stop(): void {
    this.stopped = true;
    this.scanner.abandon();
    this.watcher?.stop();
    this.watcher = undefined;
    for (const w of this.fullWaiters.splice(0)) w.resolve(emptyStats());
  }

  private requestFull(progress: boolean, initial: boolean): Promise<ScanStats> {
    if (this.stopped) return Promise.resolve(emptyStats());
    return new Promise<ScanStats>((resolve) => {
      this.fullWaiters.push({ resolve, progress, initial });
      this.wantFull = true;
      this.pump();
    });
  }

  private requestDirty(dirs: Iterable<string>): void {
    for (const d of dirs) this.dirty.add(d);
    this.pump();
  }

  private pump(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    void this.loop().finally(() => {
      this.running = false;
      if (!this.stopped && (this.wantFull || this.dirty.size > 0)) this.pump();
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped && (this.wantFull || this.dirty.size > 0)) {
      if (this.wantFull) {
        const waiters = this.fullWaiters.splice(0);
        this.wantFull = false;
        this.dirty.clear();
        const outcome = await this.safeScan({
          progress: waiters.some((w) => w.progress),
          initial: waiters.some((w) => w.initial),
        });
        if (outcome) this.lastFull = outcome;
        this.updateWatchers(outcome, true);
        for (const w of waiters) w.resolve(outcome?.stats ?? emptyStats());
      } else {
        const projectDirs = [...this.dirty];
        this.dirty.clear();
        const outcome = await this.safeScan({ projectDirs, progress: false });
        this.updateWatchers(outcome, false);
      }
    }
  }

  private async safeScan(request: Parameters<TranscriptScanner['scan']>[0]): Promise<ScanOutcome | undefined> {
    try {
      return await this.scanner.scan(request);
    } catch (e: unknown) {
      this.deps.log('error', `Claude Code import failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private updateWatchers(outcome: ScanOutcome | undefined, exclusive: boolean): void {
    if (!outcome || !this.watcher || this.stopped) return;
    const targets = watchTargets(this.options.configDirs, outcome.roots, outcome.listing.dirs, outcome.activeSessions);
    // A partial scan lists only its project folders: never close watchers on the strength of it.
    this.watcher.update(exclusive && outcome.full ? targets : targets.filter((t) => t.projectDir !== undefined), exclusive && outcome.full);
  }
}
