/**
 * Elects the one instance (VS Code window) that may write the database file. See README.md in this folder for the
 * protocol and why it never lets two instances believe they are the writer at the same time.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { errorCode, errorMessage } from './fsUtil';
import { watchFolders, type FolderWatch } from './folderWatcher';
import {
  createLockFile,
  entryName,
  highestEpoch,
  listLockEntries,
  lockDirOf,
  readOwner,
  signatureOf,
  sweepTempFiles,
  type FileSignature,
  type LockEntry,
  type LockOwner,
} from './lockFiles';
import { HeartbeatObserver, processIsGone } from './lockStaleness';

export interface WriterLockOptions {
  /** Unique per instance (per window and start), e.g. a random UUID. */
  instanceId: string;
  /** How often the writer refreshes its heartbeat and followers look at the lock. Default 2000 ms. */
  heartbeatMs?: number;
  /** A holder whose heartbeat has not moved for this long is taken over. Default 10000 ms; at least 3 × heartbeatMs. */
  staleMs?: number;
  /** Monotonic milliseconds (tests may pass their own). Default `performance.now`. */
  clock?: () => number;
  /** Watch the lock folder to notice a release at once (default true); the poll runs either way. */
  watch?: boolean;
  onBecameWriter?(): void | Promise<void>;
  onLostWriter?(reason: string): void | Promise<void>;
  /**
   * Claiming failed for a file-system reason (read-only or full storage, a file where the lock folder should be):
   * called with the error at every failed attempt; called with null when a live writer elsewhere is seen (then
   * saving is that writer's job and this instance's trouble is over). Lets the store tell the user plainly.
   */
  onClaimProblem?(error: unknown): void;
  log?(level: 'info' | 'warn' | 'error', message: string): void;
}

interface Judgement {
  name: string;
  signature: FileSignature;
}

export class WriterLock {
  private readonly lockDir: string;
  private readonly heartbeatMs: number;
  private readonly staleMs: number;
  private readonly clock: () => number;
  private readonly observer: HeartbeatObserver;
  private readonly hostname = os.hostname();
  private queue: Promise<unknown> = Promise.resolve();
  private heldEpoch: number | null = null;
  private writer = false;
  private lastBeat = -Infinity;
  private lastMtime = 0;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private watcher: FolderWatch | undefined;
  private knownOwner: LockOwner | null = null;
  private lastProblem: string | undefined;
  private tickQueued = false;

  private constructor(
    storageDir: string,
    private readonly options: WriterLockOptions,
  ) {
    this.lockDir = lockDirOf(storageDir);
    this.heartbeatMs = Math.max(10, options.heartbeatMs ?? 2000);
    this.staleMs = Math.max(options.staleMs ?? 10_000, 3 * this.heartbeatMs);
    this.clock = options.clock ?? (() => performance.now());
    this.observer = new HeartbeatObserver(this.staleMs, this.clock);
  }

  /** Claims the lock if it is free or stale, otherwise follows; keeps doing so in the background until `close()`. */
  static async acquireOrWatch(storageDir: string, options: WriterLockOptions): Promise<WriterLock> {
    const lock = new WriterLock(storageDir, options);
    try {
      await fsp.mkdir(lock.lockDir, { recursive: true });
    } catch (e: unknown) {
      // Read-only or broken storage: follow (never save) and keep trying; the claim step reports the problem.
      lock.log('warn', `Cannot create the lock folder ${lock.lockDir}: ${errorMessage(e)}.`);
    }
    await lock.serialized(() => lock.tick());
    lock.timer = setInterval(() => lock.scheduleTick(), lock.heartbeatMs);
    lock.timer.unref?.();
    if (options.watch !== false) {
      lock.watcher = watchFolders([lock.lockDir], { pollMs: 0, onChange: () => lock.scheduleTick(), log: options.log });
    }
    return lock;
  }

  /** What this instance believed at its last check. Use `confirm()` right before touching the database file. */
  isWriter(): boolean {
    return this.writer;
  }

  /** The epoch this instance holds while it is the writer (grows with every hand-over). */
  get epoch(): number | null {
    return this.writer ? this.heldEpoch : null;
  }

  /** The writer as last seen by this instance (itself when it is the writer), for diagnostics. */
  get currentWriter(): LockOwner | null {
    return this.knownOwner;
  }

  /**
   * Re-checks ownership now: refreshes the heartbeat, then verifies that no higher epoch exists. Call it right before
   * the step that replaces the database file (after the temp file is written and synced, before the rename). A true
   * answer means no other instance can judge this one stale for about `staleMs` from now.
   */
  confirm(): Promise<boolean> {
    return this.serialized(async () => {
      if (!this.writer) await this.tick();
      else await this.checkOwnership(true);
      return this.writer;
    });
  }

  /** Stops watching; a writer hands the lock back (a `.released` tombstone), so a follower takes over at once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.dispose();
    await this.serialized(async () => {
      if (this.heldEpoch === null) return;
      const epoch = this.heldEpoch;
      this.heldEpoch = null;
      this.writer = false;
      try {
        await fsp.rename(path.join(this.lockDir, entryName(epoch, 'held')), path.join(this.lockDir, entryName(epoch, 'released')));
      } catch (e: unknown) {
        // ENOENT: someone already took over (we had been judged stale) — nothing to hand back.
        if (errorCode(e) !== 'ENOENT') this.log('warn', `Could not release the writer lock: ${errorMessage(e)}`);
      }
    });
  }

  /** Timer and watch events coalesce: a slow disk must not pile up checks behind each other. */
  private scheduleTick(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    void this.serialized(() => {
      this.tickQueued = false;
      return this.tick();
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.writer) await this.checkOwnership(false);
      else await this.followOrClaim();
    } catch (e: unknown) {
      this.log('warn', `Writer lock check failed: ${errorMessage(e)}`);
      // A writer that cannot even look at its lock must assume the worst once its heartbeat could be judged stale.
      if (this.writer && this.clock() - this.lastBeat > this.staleMs / 2) this.lose(`lock folder unusable: ${errorMessage(e)}`);
    }
  }

  /** Writer side: heartbeat first (so a contender's judgement made before it is withdrawn), then look for a successor. */
  private async checkOwnership(forceBeat: boolean): Promise<void> {
    if (this.heldEpoch === null) return;
    const problem = await this.ownershipProblem(this.heldEpoch, forceBeat);
    if (problem) this.lose(problem);
  }

  private async ownershipProblem(epoch: number, forceBeat: boolean): Promise<string | null> {
    const file = path.join(this.lockDir, entryName(epoch, 'held'));
    if (forceBeat || this.clock() - this.lastBeat >= this.heartbeatMs * 0.5) {
      try {
        await this.beat(file);
      } catch (e: unknown) {
        if (errorCode(e) === 'ENOENT') return 'the lock file was removed (another instance took over)';
        if (this.clock() - this.lastBeat > this.staleMs / 2) return `heartbeat failed: ${errorMessage(e)}`;
      }
    }
    const entries = await listLockEntries(this.lockDir);
    const rival = entries.find((e) => e.epoch > epoch || (e.epoch === epoch && e.kind !== 'held'));
    if (rival) return `another instance holds ${rival.name}`;
    const mine = await readOwner(file);
    if (mine.state !== 'ok' || mine.owner.instanceId !== this.options.instanceId) return 'the lock file no longer names this instance';
    if (this.clock() - this.lastBeat > this.staleMs / 2) return 'heartbeat is overdue';
    return null;
  }

  private async beat(file: string): Promise<void> {
    // Strictly increasing mtime even when the wall clock stands still or steps back: followers look for change.
    const mtime = Math.max(Date.now(), this.lastMtime + 1);
    const when = new Date(mtime);
    await fsp.utimes(file, when, when);
    this.lastMtime = mtime;
    this.lastBeat = this.clock();
  }

  /** Follower side: find the highest epoch; claim the next one if it is free, released or stale. */
  private async followOrClaim(): Promise<void> {
    const entries = await listLockEntries(this.lockDir);
    const top = entries.length > 0 ? entries[entries.length - 1] : undefined;
    let judged: Judgement | null = null;
    if (top && top.kind === 'held' && !epochIsContested(entries, top.epoch)) {
      const file = path.join(this.lockDir, top.name);
      const [owner, signature] = await Promise.all([readOwner(file), signatureOf(file)]);
      if (signature === null) return; // Changed under us; the watcher or the next poll looks again.
      this.observer.keepOnly(new Set([top.name]));
      const silent = this.observer.isSilent(top.name, signature);
      if (owner.state === 'ok') {
        this.knownOwner = owner.owner;
        if (owner.owner.instanceId === this.options.instanceId) return this.adopt(top.epoch);
        if (!silent && !processIsGone(owner.owner, this.hostname)) {
          this.options.onClaimProblem?.(null);
          return;
        }
      } else if (!silent) {
        return;
      }
      judged = { name: top.name, signature };
    }
    await this.claim(highestEpoch(entries) + 1, judged);
  }

  private async claim(epoch: number, judged: Judgement | null): Promise<void> {
    const owner: LockOwner = { instanceId: this.options.instanceId, pid: process.pid, hostname: this.hostname, startedAt: Date.now(), epoch };
    let created: 'created' | 'exists';
    try {
      await fsp.mkdir(this.lockDir, { recursive: true });
      created = await createLockFile(this.lockDir, owner);
    } catch (e: unknown) {
      this.log('warn', `Cannot create the writer lock in ${this.lockDir}: ${errorMessage(e)}. This instance will not save.`);
      this.options.onClaimProblem?.(e);
      return;
    }
    if (created === 'exists') return; // Another contender won this epoch.
    const mine = path.join(this.lockDir, entryName(epoch, 'held'));
    if (!(await this.claimStands(epoch, judged))) {
      await fsp.unlink(mine).catch(() => undefined);
      return;
    }
    try {
      await this.beat(mine);
    } catch (e: unknown) {
      this.log('warn', `The new writer lock vanished at once (${errorMessage(e)}); trying again later.`);
      await fsp.unlink(mine).catch(() => undefined);
      return;
    }
    this.heldEpoch = epoch;
    await this.sweepOlder(epoch);
    this.become(owner);
  }

  /**
   * After creating epoch N: nothing at or above N but our file, and the holder we judged stale did not beat in the
   * meantime (if it did, our judgement was made while it was paused — withdraw and let it keep the lock).
   */
  private async claimStands(epoch: number, judged: Judgement | null): Promise<boolean> {
    const entries = await listLockEntries(this.lockDir);
    if (entries.some((e) => e.epoch > epoch || (e.epoch === epoch && e.kind !== 'held'))) return false;
    if (judged) {
      const now = await signatureOf(path.join(this.lockDir, judged.name));
      if (now !== null && now !== judged.signature) return false;
    }
    return true;
  }

  /** Our own file is the highest (we lost briefly to a contender that withdrew): take it back after the usual checks. */
  private async adopt(epoch: number): Promise<void> {
    const problem = await this.ownershipProblem(epoch, true);
    if (problem) return;
    this.heldEpoch = epoch;
    this.become(null);
  }

  private become(owner: LockOwner | null): void {
    this.writer = true;
    if (owner) this.knownOwner = owner;
    this.log('info', `This instance is now the writer (epoch ${this.heldEpoch}).`);
    if (!this.closed) this.notify(() => this.options.onBecameWriter?.());
  }

  private lose(reason: string): void {
    const was = this.writer;
    this.writer = false;
    this.heldEpoch = null;
    if (!was) return;
    this.log('info', `This instance is no longer the writer: ${reason}.`);
    this.notify(() => this.options.onLostWriter?.(reason));
  }

  /** Tidying only: a failure here must never keep a rightful claim from taking effect. */
  private async sweepOlder(epoch: number): Promise<void> {
    try {
      const entries: LockEntry[] = await listLockEntries(this.lockDir);
      for (const entry of entries) {
        if (entry.epoch < epoch) await fsp.unlink(path.join(this.lockDir, entry.name)).catch(() => undefined);
      }
      await sweepTempFiles(this.lockDir, 60_000, Date.now());
    } catch (e: unknown) {
      this.log('warn', `Could not tidy the lock folder: ${errorMessage(e)}`);
    }
  }

  private notify(callback: () => void | Promise<void> | undefined): void {
    try {
      const result = callback();
      if (result instanceof Promise) result.catch((e: unknown) => this.log('error', `Writer lock callback failed: ${errorMessage(e)}`));
    } catch (e: unknown) {
      this.log('error', `Writer lock callback failed: ${errorMessage(e)}`);
    }
  }

  /** A problem that persists (a read-only folder) is reported once, not at every heartbeat. */
  private log(level: 'info' | 'warn' | 'error', message: string): void {
    if (level !== 'info' && message === this.lastProblem) return;
    if (level !== 'info') this.lastProblem = message;
    this.options.log?.(level, message);
  }
}

/** A held file next to a tombstone of the same epoch is a contender's claim that is being withdrawn. */
function epochIsContested(entries: readonly LockEntry[], epoch: number): boolean {
  return entries.filter((e) => e.epoch === epoch).length > 1;
}
