/**
 * Several instances (VS Code windows) on one storage folder, wired into one open store — the design of
 * instances/README.md:
 *  - every instance imports the journal of API-recorded calls into its own memory (watch + slow poll), from the
 *    journal position saved in its database, and keeps that position in the database with the rows it matches;
 *  - only the holder of the writer lock saves; on becoming the writer it first merges the file on disk into memory
 *    (so it never replaces a newer file with an older view), then saves; the lock's `confirm()` is the save's last
 *    check before the rename; after a good save it rotates and prunes the journal up to the SAVED position;
 *  - durable records are appended to the journal (fsync) before anyone is told they were recorded.
 * With `lock: false` (one instance by construction) the journal is used the same way and the instance always saves.
 */
import { promises as fsp } from 'node:fs';
import type { CallInput } from '../../shared/callRecord';
import {
  appendToJournal,
  furthestJournalPosition,
  isJournalPosition,
  journalGenerations,
  JournalReader,
  pruneJournal,
  rotateJournal,
  watchFolders,
  WriterLock,
  type FolderWatch,
  type JournalPosition,
  type JournalRead,
} from './instances';
import { journalDirOf } from './instances/journalFiles';
import { NewerSchemaError } from './schema';
import type { SharingOptions } from './storeApi';

/** The meta key of the journal position saved with the rows. */
export const JOURNAL_POSITION_META = 'journal_position';

type Level = 'info' | 'warn' | 'error';

export interface SharedStorageHost {
  /** Records calls read from the journal and stores `position` with them, in one synchronous step. */
  applyJournal(calls: CallInput[], position: JournalPosition): void;
  /** Merges the database file on disk into memory; resolves with the journal position it carries, if any. */
  mergeDisk(): Promise<JournalPosition | null>;
  setSavingEnabled(enabled: boolean): void;
  /** Saves soon (a new writer's first save). */
  saveNow(): void;
  /** The lock could not be claimed for a file-system reason (error), or a live writer elsewhere took over (null). */
  claimProblem(error: unknown): void;
  /** The journal cannot be written (a sentence), or works again (null). */
  journalProblem(message: string | null): void;
  log(level: Level, message: string): void;
}

export interface SharedStorageOptions extends SharingOptions {
  instanceId: string;
  /** false: this instance is alone by construction — no lock, it always saves (the journal still protects records). */
  lock: boolean;
  /** How often calls whose journal append failed are tried again, ms (default 30 s). */
  retryMs?: number;
}

const MAX_READ_ROUNDS = 64;
/** Calls kept for a later journal append while the disk refuses them; beyond this, the oldest wait for a save. */
const MAX_PENDING = 200_000;

export function parseJournalPosition(text: string | undefined): JournalPosition | null {
  if (text === undefined) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isJournalPosition(value) ? value : null;
  } catch {
    return null;
  }
}

export class SharedStorage {
  private readonly reader: JournalReader;
  private lock: WriterLock | null = null;
  private watch: FolderWatch | null = null;
  /** Journal reads, merges and the becoming-the-writer sequence run one at a time (they share the reader). */
  private queue: Promise<unknown> = Promise.resolve();
  private tidying: Promise<unknown> = Promise.resolve();
  private pumpQueued = false;
  private becoming: Promise<void> = Promise.resolve();
  private stopped = false;
  private resigned = false;
  private pending: CallInput[] = [];
  /** How many calls a retry is appending right now. */
  private retrying = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly reportedProblems = new Set<string>();
  /** Lock callbacks can fire while `acquireOrWatch` is still running: work that needs the lock waits for this. */
  private readonly lockReady: Promise<void>;
  private markLockReady: () => void = () => {};

  private constructor(
    private readonly storageDir: string,
    position: JournalPosition | null,
    private readonly options: SharedStorageOptions,
    private readonly host: SharedStorageHost,
  ) {
    this.reader = new JournalReader(storageDir, position ?? undefined);
    this.lockReady = new Promise((resolve) => (this.markLockReady = resolve));
  }

  /**
   * Catches up with the journal, then joins the writer election. When this instance becomes the writer at once (it
   * is alone), the promise resolves after the merge, so the store is ready to save.
   */
  static async start(
    storageDir: string,
    position: JournalPosition | null,
    options: SharedStorageOptions,
    host: SharedStorageHost,
  ): Promise<SharedStorage> {
    const shared = new SharedStorage(storageDir, position, options, host);
    await shared.enqueue(() => shared.readJournal());
    if (options.lock) {
      host.setSavingEnabled(false);
      try {
        shared.lock = await WriterLock.acquireOrWatch(storageDir, {
          instanceId: options.instanceId,
          heartbeatMs: options.heartbeatMs,
          staleMs: options.staleMs,
          onBecameWriter: () => shared.becameWriter(),
          onLostWriter: (reason) => shared.lostWriter(reason),
          onClaimProblem: (error) => host.claimProblem(error),
          log: (level, message) => host.log(level, message),
        });
      } finally {
        shared.markLockReady();
      }
      await shared.becoming;
    }
    const journalDir = journalDirOf(storageDir);
    await fsp.mkdir(journalDir, { recursive: true }).catch(() => undefined); // unwritable storage: the poll still runs
    if (options.journalPollMs !== 0) {
      shared.watch = watchFolders([journalDir], {
        pollMs: options.journalPollMs ?? 2000,
        onChange: () => shared.schedulePump(),
        log: (level, message) => host.log(level, message),
      });
    }
    return shared;
  }

  get instanceId(): string {
    return this.options.instanceId;
  }

  /** Whether this instance may save now (its belief at the last lock check; the save itself confirms). */
  isWriter(): boolean {
    if (this.resigned) return false;
    return this.lock ? this.lock.isWriter() : true;
  }

  get epoch(): number | null {
    return this.lock?.epoch ?? null;
  }

  get shared(): boolean {
    return this.lock !== null;
  }

  /** Calls waiting for the journal, including a retry still being written: none of them is on disk yet. */
  get callsNotOnDisk(): number {
    return this.pending.length + this.retrying;
  }

  /** The save's last word before its rename: true only while this instance holds the lock. */
  async confirm(): Promise<boolean> {
    if (this.resigned) return false;
    return this.lock ? this.lock.confirm() : true;
  }

  /** A save was asked for while following: look at the lock now (it may be free) and finish becoming the writer. */
  async tryToBecomeWriter(): Promise<boolean> {
    if (!this.lock || this.resigned) return this.isWriter();
    await this.lock.confirm();
    await this.becoming;
    return this.isWriter();
  }

  /**
   * Makes calls durable: appended to the journal and fsynced. Resolves with null when they are on disk, or with a
   * sentence when the journal cannot be written — then the calls are kept and appended again later.
   */
  async append(calls: readonly CallInput[]): Promise<string | null> {
    try {
      await appendToJournal(this.storageDir, calls);
      if (this.pending.length > 0) void this.retryPending();
      return null;
    } catch (e: unknown) {
      const message = journalProblemText(e);
      this.keepPending(calls);
      this.host.journalProblem(message);
      return message;
    }
  }

  /** After a save that replaced the file: rotate the journal, and prune what the SAVED position has finished. */
  afterSave(saved: JournalPosition | null): void {
    if (!saved || this.stopped) return;
    this.tidying = this.tidying.then(async () => {
      try {
        // Nothing to rotate before the first append (rotating would only create an empty file).
        const live = (await journalGenerations(this.storageDir)).some((g) => g.state === 'active');
        if (live) await rotateJournal(this.storageDir, { ifLargerThan: this.options.journalRotateBytes ?? 1 << 20 });
        await pruneJournal(this.storageDir, saved, { graceMs: this.options.journalPruneGraceMs });
      } catch (e: unknown) {
        this.logOnce('warn', `Could not tidy up the journal: ${errorText(e)}`);
      }
    });
  }

  /** Reads the journal now (tests, and a user's rescan). */
  pumpNow(): Promise<void> {
    return this.enqueue(() => this.readJournal());
  }

  /** Stops watching and waits for work in progress; the lock is kept until release() (after the final save). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    // The writer's final save should hold everything journaled so far, so that the file alone is complete.
    if (this.isWriter()) await this.enqueue(() => this.readJournal());
    this.stopped = true;
    this.watch?.dispose();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.queue.catch(() => undefined);
    await this.tidying.catch(() => undefined);
    // One last try for calls the disk refused earlier; the final save holds them too if this is the writer.
    if (this.pending.length > 0) await this.retryPending();
  }

  /** Hands the lock over (a follower takes over at once). */
  async release(): Promise<void> {
    await this.lock?.close();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work, work);
    this.queue = run.catch((e: unknown) => this.host.log('error', `Several-windows upkeep failed: ${errorText(e)}`));
    return run;
  }

  private schedulePump(): void {
    if (this.pumpQueued || this.stopped) return;
    this.pumpQueued = true;
    void this.enqueue(async () => {
      this.pumpQueued = false;
      await this.readJournal();
    });
  }

  /** Only inside the queue. */
  private async readJournal(): Promise<void> {
    for (let round = 0; round < MAX_READ_ROUNDS && !this.stopped; round++) {
      let read: JournalRead;
      try {
        read = await this.reader.readNew();
      } catch (e: unknown) {
        this.logOnce('warn', `Cannot read the journal of API-recorded calls: ${errorText(e)}`);
        return;
      }
      for (const problem of read.problems) this.host.log('warn', `Journal: ${problem}`);
      this.host.applyJournal(read.calls, this.reader.position);
      if (read.missing.length > 0) await this.catchUpFromDisk(read.missing);
      if (!read.more) return;
    }
  }

  /**
   * Journal files this instance had not finished were pruned (it slept through the grace period): their calls are in
   * the saved database, so merge it.
   */
  private async catchUpFromDisk(missing: number[]): Promise<void> {
    this.host.log('info', `Journal files ${missing.join(', ')} were tidied away before this window read them; merging the saved database instead.`);
    try {
      const position = await this.host.mergeDisk();
      if (position) this.reader.restore(furthestJournalPosition(this.reader.position, position));
      this.host.applyJournal([], this.reader.position);
    } catch (e: unknown) {
      this.host.log('error', `Could not merge the saved database: ${errorText(e)}`);
    }
  }

  private becameWriter(): Promise<void> {
    const run = this.enqueue(async () => {
      await this.lockReady;
      if (this.stopped || this.resigned || !this.lock?.isWriter()) return;
      let position: JournalPosition | null;
      try {
        position = await this.host.mergeDisk();
      } catch (e: unknown) {
        await this.cannotMerge(e);
        return;
      }
      if (position) this.reader.restore(furthestJournalPosition(this.reader.position, position));
      await this.readJournal();
      this.host.applyJournal([], this.reader.position);
      if (this.stopped || !this.lock?.isWriter()) return;
      this.host.setSavingEnabled(true);
      this.host.saveNow();
    });
    this.becoming = run.catch(() => undefined);
    return run;
  }

  /**
   * Saving without knowing what is on disk could replace newer data, so this instance does not save. A newer
   * schema (a newer version of the extension in another window) is final: the lock goes to someone who can read it.
   */
  private async cannotMerge(e: unknown): Promise<void> {
    this.host.setSavingEnabled(false);
    if (e instanceof NewerSchemaError) {
      this.resigned = true;
      this.host.log('error', `${e.message} This window keeps recording in memory and leaves saving to a newer window.`);
      await this.lock?.close();
      return;
    }
    this.host.log('error', `Could not read the saved database before taking over saving (${errorText(e)}); trying again later.`);
    const timer = setTimeout(() => {
      if (!this.stopped && this.lock?.isWriter()) void this.becameWriter();
    }, this.options.retryMs ?? 30_000);
    timer.unref?.();
  }

  private lostWriter(reason: string): void {
    this.host.setSavingEnabled(false);
    this.host.log('info', `Another window saves the usage database now (${reason}); this one keeps importing.`);
  }

  private keepPending(calls: readonly CallInput[]): void {
    this.pending.push(...calls);
    if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.retryPending();
    }, this.options.retryMs ?? 30_000);
    this.retryTimer.unref?.();
  }

  private async retryPending(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.retrying += batch.length;
    try {
      await appendToJournal(this.storageDir, batch);
      this.retrying -= batch.length;
      if (this.pending.length === 0 && this.retrying === 0) this.host.journalProblem(null);
      this.host.log('info', `${batch.length} call(s) recorded while the disk refused them are now in the journal.`);
    } catch (e: unknown) {
      this.retrying -= batch.length;
      this.pending.unshift(...batch);
      this.host.journalProblem(journalProblemText(e));
      this.scheduleRetry();
    }
  }

  private logOnce(level: Level, message: string): void {
    if (this.reportedProblems.has(message)) return;
    this.reportedProblems.add(message);
    this.host.log(level, message);
  }
}

/** A sentence a person can act on; the journal's own message already names the cause plainly. */
export function journalProblemText(e: unknown): string {
  return `Claude Usage could not write recorded calls to disk (${errorText(e)}). They are counted in memory and will be written when the disk accepts them again.`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
