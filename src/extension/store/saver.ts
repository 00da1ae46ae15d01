/**
 * When the database is written: a while after changes (batched; the interval grows with the cost of a save, so a
 * huge history is not rewritten every two seconds), on request, and a final time on close. A failed save (disk
 * full, read-only) keeps everything in memory, is announced once, retried later, and its recovery is announced too.
 */
import type { SaveResult, StoreEvent } from './storeApi';
import { NotWriterError, errorCode, errorText, writeDatabaseFile } from './persistence';

export interface SaverOptions {
  dbPath: string;
  /** A consistent snapshot of the database file's bytes. */
  snapshot(): Uint8Array;
  emit(event: StoreEvent): void;
  /** Wait after a change before saving (default 2 s). */
  delayMs?: number;
  /** Wait before retrying a failed save (default 30 s). */
  retryMs?: number;
  /** Asked right before the file is replaced; false skips this save (another instance is the writer). */
  confirmReplace?: () => Promise<boolean>;
  /**
   * Runs after a save replaced the file, with the new file's signature (the writer then tidies the journal up to
   * what the file holds, and knows the file on disk is its own).
   */
  onSaved?: (signature: string | undefined) => void;
  /** Writes the file (default: writeDatabaseFile). Tests inject failures here (a full disk) — nothing else should. */
  write?: DatabaseWriter;
}

/** The least time between timed saves while they are held back (see hold). */
const HELD_DELAY_MS = 60_000;

export type DatabaseWriter = (dbPath: string, bytes: Uint8Array, confirmReplace?: () => Promise<boolean>) => Promise<string | void>;

export class Saver {
  private changes = 0;
  private savedChanges = 0;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private failing = false;
  private lastSaveMs = 0;
  private closed = false;
  private enabled = true;
  private held = false;
  private readonly delayMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: SaverOptions) {
    this.delayMs = options.delayMs ?? 2000;
    this.retryMs = options.retryMs ?? 30_000;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  get dirty(): boolean {
    return this.changes !== this.savedChanges;
  }

  markDirty(): void {
    this.changes++;
    if (!this.failing) this.schedule(Math.max(this.delayMs, 4 * this.lastSaveMs));
  }

  /**
   * Turns saving off (an instance that is not the writer) or back on (it became the writer: pending changes are
   * saved soon). While off, save() and close() write nothing.
   */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) {
      this.cancelTimer();
      // Saving is someone else's job now; if it fails again once this instance saves again, say so again.
      this.failing = false;
    } else if (this.dirty) this.schedule(this.delayMs);
  }

  /**
   * Spaces timed saves out to one a minute (during a large import every save would rewrite the whole growing file,
   * and each needs a copy of it in memory; a long import still reaches the disk now and then) until `hold(false)`,
   * which schedules a save of what changed. save() and close() still save at once.
   */
  hold(held: boolean): void {
    if (this.held === held) return;
    this.held = held;
    this.cancelTimer();
    if (this.dirty) this.schedule(this.delayMs);
  }

  /** Saves now if anything changed (after any save in progress). Never rejects. */
  save(): Promise<SaveResult> {
    const next = this.queue.then(() => this.saveOnce());
    this.queue = next;
    return next;
  }

  /** The final save; afterwards nothing is scheduled. */
  async close(): Promise<SaveResult> {
    this.closed = true;
    this.cancelTimer();
    return this.save();
  }

  private async saveOnce(): Promise<SaveResult> {
    this.cancelTimer();
    if (!this.dirty || !this.enabled) return { saved: false, bytes: 0, ms: 0 };
    const target = this.changes;
    const started = performance.now();
    try {
      const bytes = this.options.snapshot();
      const signature = await (this.options.write ?? writeDatabaseFile)(this.options.dbPath, bytes, this.options.confirmReplace);
      const ms = Math.round(performance.now() - started);
      this.savedChanges = target;
      this.lastSaveMs = ms;
      if (this.failing) {
        this.failing = false;
        this.options.emit({ type: 'saveRecovered' });
      }
      if (this.dirty) this.schedule(Math.max(this.delayMs, 4 * ms));
      this.options.onSaved?.(signature ?? undefined);
      return { saved: true, bytes: bytes.length, ms };
    } catch (e: unknown) {
      if (e instanceof NotWriterError) return { saved: false, bytes: 0, ms: Math.round(performance.now() - started), error: e.message };
      const error = plainSaveError(e, this.options.dbPath);
      if (!this.failing) {
        this.failing = true;
        this.options.emit({ type: 'saveFailed', error });
      }
      this.schedule(this.retryMs);
      return { saved: false, bytes: 0, ms: Math.round(performance.now() - started), error };
    }
  }

  private schedule(ms: number): void {
    if (this.closed || this.timer || !this.enabled) return;
    if (this.held) ms = Math.max(ms, HELD_DELAY_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** A sentence a person can act on. */
export function plainSaveError(e: unknown, dbPath: string): string {
  const tail = 'Recording continues in memory and saving will be retried.';
  switch (errorCode(e)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk is full, so usage data could not be saved to ${dbPath}. ${tail}`;
    case 'EROFS':
      return `The storage folder is read-only, so usage data could not be saved to ${dbPath}. ${tail}`;
    case 'EACCES':
    case 'EPERM':
      return `No permission to write usage data to ${dbPath}. ${tail}`;
    case 'ENOENT':
    case 'ENOTDIR':
      return `The storage folder for ${dbPath} does not exist or is not a folder. ${tail}`;
    default:
      return `Usage data could not be saved to ${dbPath} (${errorText(e)}). ${tail}`;
  }
}
