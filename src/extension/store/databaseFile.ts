/**
 * Everything between one open database and its file on disk: batched atomic saves (saver.ts), the writer lock and
 * journal shared with other windows (sharedStorage.ts), merging the file on disk into memory, and one voice for
 * storage trouble. A memory-only store has none of this.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import type { CallInput } from '../../shared/callRecord';
import type { Recorder } from '../recorder/recorder';
import type { Db } from './db';
import type { FileStateTable } from './fileStateTable';
import type { JournalPosition } from './instances';
import { readMetaValue, writeMetaValue } from './metaTable';
import { diskSignature, readDiskCopy, type Recovery } from './persistence';
import { applyRetentionAfterMerge, RETENTION_META } from './retentionMeta';
import { plainSaveError, Saver, type DatabaseWriter } from './saver';
import { JOURNAL_POSITION_META, parseJournalPosition, SharedStorage, type SharedStorageHost } from './sharedStorage';
import { StorageTrouble } from './storageTrouble';
import type { OpenOptions, SaveResult, StoreEvent, StoreStatus } from './storeApi';
import { mergeStoredCopy } from './storedCalls';

export interface DatabaseFileDeps {
  dbPath: string;
  db: Db;
  recorder: Recorder;
  fileState: FileStateTable;
  /** Runs before each snapshot is taken (indexes a large import deferred are built first, so the file carries them). */
  beforeSnapshot?: () => void;
  SQL: SqlJsStatic;
  /** Signature of the file loaded at open (see persistence.diskSignature). */
  loadedSignature: string | undefined;
  trouble: StorageTrouble;
  saveDelayMs?: number;
  saveRetryMs?: number;
  confirmSave?: () => Promise<boolean>;
  writeDatabase?: DatabaseWriter;
  now: () => number;
  /** Rows changed outside a store method (journal, merge): note them for saving and for a `changed` event. */
  noteChange(inserted: number, updated: number, other: boolean): void;
  flushChanges(): void;
  emit(event: StoreEvent): void;
  /** False once the store was closed or reopened: late work must not touch this database. */
  isCurrent(): boolean;
}

const FOLLOWER_SAVE_ERROR = 'Another window is saving the usage database now; this one keeps its data in memory.';

export class DatabaseFile {
  readonly saver: Saver;
  private shared: SharedStorage | null = null;
  /** The file on disk as this instance last loaded or saved it: a new writer skips merging a file it already holds. */
  private knownDisk: string | undefined;
  /** The journal position inside the snapshot being saved (pruning may only trust what is in the file). */
  private snapshotPosition: JournalPosition | null = null;

  constructor(private readonly deps: DatabaseFileDeps) {
    this.knownDisk = deps.loadedSignature;
    this.saver = new Saver({
      dbPath: deps.dbPath,
      snapshot: () => this.snapshot(),
      emit: (event) => this.onSaverEvent(event),
      delayMs: deps.saveDelayMs,
      retryMs: deps.saveRetryMs,
      confirmReplace: () => this.confirmReplace(),
      onSaved: (signature) => this.afterSave(signature),
      write: deps.writeDatabase,
    });
  }

  /** Joins the other windows on the storage folder (or, with `sharing: false`, just uses the journal). */
  async start(options: OpenOptions): Promise<void> {
    const tuning = options.sharing === false ? {} : options.sharing ?? {};
    this.shared = await SharedStorage.start(
      path.dirname(this.deps.dbPath),
      parseJournalPosition(readMetaValue(this.deps.db, JOURNAL_POSITION_META)),
      { ...tuning, instanceId: options.instanceId ?? randomUUID(), lock: options.sharing !== false, retryMs: this.deps.saveRetryMs },
      this.sharedHost(),
    );
  }

  markDirty(): void {
    this.saver.markDirty();
  }

  /**
   * Appends calls to the journal (fsync) before they are recorded: null when they are durable, else the sentence
   * saying why not (they are kept and appended again later).
   */
  appendDurably(calls: readonly CallInput[]): Promise<string | null> {
    if (!this.shared) return Promise.resolve('The journal is not open; the calls are recorded in memory only.');
    return this.shared.append(calls);
  }

  /** Saves now if this instance is (or can become) the writer. */
  async save(): Promise<SaveResult> {
    if (this.shared && !(await this.shared.tryToBecomeWriter())) {
      return { saved: false, bytes: 0, ms: 0, error: this.deps.trouble.current ?? FOLLOWER_SAVE_ERROR };
    }
    return this.saver.save();
  }

  status(): Pick<StoreStatus, 'shared' | 'writer' | 'instanceId' | 'epoch' | 'callsNotOnDisk'> {
    const shared = this.shared;
    return {
      shared: shared?.shared ?? false,
      writer: this.saver.isEnabled && (shared?.isWriter() ?? true),
      instanceId: shared?.instanceId ?? null,
      epoch: shared?.epoch ?? null,
      callsNotOnDisk: shared?.callsNotOnDisk ?? 0,
    };
  }

  pumpJournal(): Promise<void> {
    return this.shared?.pumpNow() ?? Promise.resolve();
  }

  /** Stops the journal watch and waits for work in progress (before the store stops being current). */
  async stop(): Promise<void> {
    await this.shared?.stop();
  }

  /** The final save (the writer's, confirmed by the lock), then the lock is handed over. */
  async close(): Promise<void> {
    await this.saver.close();
    await this.shared?.release();
  }

  private snapshot(): Uint8Array {
    this.deps.beforeSnapshot?.();
    this.snapshotPosition = parseJournalPosition(readMetaValue(this.deps.db, JOURNAL_POSITION_META));
    return this.deps.db.export();
  }

  private async confirmReplace(): Promise<boolean> {
    if (this.deps.confirmSave && !(await this.deps.confirmSave())) return false;
    return this.shared ? this.shared.confirm() : true;
  }

  private afterSave(signature: string | undefined): void {
    this.knownDisk = signature;
    this.deps.trouble.clear('save');
    this.deps.trouble.clear('lock');
    this.shared?.afterSave(this.snapshotPosition);
  }

  private onSaverEvent(event: StoreEvent): void {
    if (event.type === 'saveFailed') this.deps.trouble.set('save', event.error);
    else if (event.type === 'saveRecovered') this.deps.trouble.clear('save');
    else this.deps.emit(event);
  }

  private sharedHost(): SharedStorageHost {
    const { deps } = this;
    return {
      applyJournal: (calls, position) => {
        if (!deps.isCurrent()) return;
        if (calls.length > 0) {
          const result = deps.recorder.record(calls, { updateNames: true });
          deps.noteChange(result.inserted, result.updated, false);
        }
        // The same synchronous step as the rows: a snapshot never carries a position ahead of them.
        const text = JSON.stringify(position);
        if (readMetaValue(deps.db, JOURNAL_POSITION_META) !== text) {
          writeMetaValue(deps.db, JOURNAL_POSITION_META, text);
          this.saver.markDirty();
        }
        deps.flushChanges();
      },
      mergeDisk: () => this.mergeDisk(),
      setSavingEnabled: (enabled) => {
        if (!deps.isCurrent()) return;
        this.saver.setEnabled(enabled);
        if (!enabled) deps.trouble.clear('save');
      },
      saveNow: () => {
        if (deps.isCurrent()) void this.saver.save();
      },
      claimProblem: (error) => {
        if (error === null) deps.trouble.clear('lock');
        else deps.trouble.set('lock', plainSaveError(error, deps.dbPath));
      },
      journalProblem: (message) => (message === null ? deps.trouble.clear('journal') : deps.trouble.set('journal', message)),
      log: (level, message) => deps.emit({ type: 'log', level, message }),
    };
  }

  /**
   * Brings the file on disk into memory (unless it is the very file this instance loaded or saved last): every call
   * (dedup keeps the better copy), file states of files not read here, the retention cutoff; returns the journal
   * position it carries. An unreadable file is moved aside (kept) and its backup merged instead.
   */
  private async mergeDisk(): Promise<JournalPosition | null> {
    const { deps } = this;
    if (!deps.isCurrent()) return null;
    if ((await diskSignature(deps.dbPath)) === this.knownDisk) return null;
    const copy = await readDiskCopy(deps.SQL, deps.dbPath, deps.now);
    if (copy.recovery) deps.emit({ type: 'log', level: 'warn', message: recoveryMessage(copy.recovery, 'merge') });
    if (!copy.db) return null;
    try {
      if (!deps.isCurrent()) return null;
      const merged = mergeStoredCopy(copy.db, deps.recorder, deps.fileState);
      deps.noteChange(merged.result.inserted, merged.result.updated, false);
      if (applyRetentionAfterMerge(deps.db, deps.recorder, merged.meta[RETENTION_META]) > 0) deps.noteChange(0, 0, true);
      deps.flushChanges();
      if (copy.signature !== undefined) this.knownDisk = copy.signature;
      return parseJournalPosition(merged.meta[JOURNAL_POSITION_META]);
    } finally {
      copy.db.close();
    }
  }
}

/** At open, the backup replaces the file; when merging, this window's memory stays and the backup is added to it. */
export function recoveryMessage(recovery: Recovery, when: 'open' | 'merge'): string {
  const { movedTo, loadedFrom, reason } = recovery;
  const what =
    when === 'open'
      ? loadedFrom === 'backup' ? 'the backup was loaded instead.' : 'there was no usable backup, so the store starts empty.'
      : loadedFrom === 'backup' ? 'its backup was merged into this window’s records instead.' : 'there was no usable backup; this window keeps its own records and saves them.';
  return `The usage database could not be read (${reason}). It was kept as ${movedTo}; ${what}`;
}
