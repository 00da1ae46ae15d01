/**
 * The store: one sql.js database with its recorder, queries, pricing and the Claude Code collector. It runs inside
 * the store's worker (storeWorker.ts); tests and the browser harness can also use it in-process. It implements
 * StoreApi directly, so the worker only forwards messages to it.
 */
import { readFile } from 'node:fs/promises';
import type { SqlJsStatic } from 'sql.js';
import type { CallInput } from '../../shared/callRecord';
import type { TimeRange } from '../../shared/period';
import type { DashboardData, DashboardQuery, RecordsPage, RecordsQuery, Summary, SummaryQuery } from '../../shared/queries';
import type { Collector, CollectorDeps } from '../collectors/collector';
import { createClaudeCodeCollector } from '../collectors/claudeCode/claudeCodeCollector';
import { createPricer, type Pricer } from '../pricing';
import { Queries } from '../queries';
import { Recorder, type RecordOptions } from '../recorder/recorder';
import { endBulkImport, IndexBuild } from './bulkImport';
import { ChangeAnnouncer } from './changeAnnouncer';
import { collectorSink } from './collectorSink';
import { DatabaseFile, recoveryMessage } from './databaseFile';
import type { Db } from './db';
import { FileStateTable } from './fileStateTable';
import { readMetaValue, writeMetaValue } from './metaTable';
import { repriceIfPricesChanged, repriceStored } from './priceVersion';
import { emptyDatabase } from './newDatabase';
import { errorText, loadDatabaseFile } from './persistence';
import { applyRetentionAfterMerge, pruneStoredBefore, RETENTION_META } from './retentionMeta';
import type { DatabaseWriter } from './saver';
import { loadSqlJs } from './sqlJs';
import { StorageTrouble } from './storageTrouble';
import { StoreEvents } from './storeEvents';
import { mergeStoredCopy, openDatabaseCopy, type MergeResult } from './storedCalls';
export type { MergeResult } from './storedCalls';
import type {
  ClaudeCodeOptions, OpenOptions, OpenResult, RecordCallOptions, RecordResult, SaveResult, ScanStats, StoreApi, StoreEvent,
  StoreStatus,
} from './storeApi';

export interface StoreCoreOptions {
  /** Path of `sql-wasm.wasm`; default: beside the bundle, else from node_modules. */
  wasmPath?: string;
  /** Wait after a change before saving (default 2000 ms). */
  saveDelayMs?: number;
  /** Wait before retrying a failed save (default 30000 ms). */
  saveRetryMs?: number;
  /** Clock, for the names of moved-aside files. */
  now?: () => number;
  /** Collector factory (tests); default: the Claude Code collector. */
  createCollector?: (deps: CollectorDeps, options: ClaudeCodeOptions) => Collector;
  /** Pricer factory (tests); default: the pricing module. */
  createPricer?: (overrides: unknown) => { pricer: Pricer; problems: string[] };
  /**
   * Asked after a save's temp file is durable and right before it replaces the database file (the writer lock's
   * `confirm()` when several windows share the storage); false skips the replacement.
   */
  confirmSave?: () => Promise<boolean>;
  /** Writes the database file (default: atomic temp + fsync + rename). Only tests replace it, to fail like a full disk. */
  writeDatabase?: DatabaseWriter;
}

interface OpenState {
  db: Db;
  recorder: Recorder;
  /** The pricer the recorder prices with; the cache accounting reads the same rates. */
  pricer: Pricer;
  queries: Queries;
  fileState: FileStateTable;
  /** Saving, the writer lock and the journal (null: memory-only). */
  file: DatabaseFile | null;
  /** The indexes a large import deferred, built when the store is idle or before a save. */
  indexBuild: IndexBuild;
}

export class StoreCore implements StoreApi {
  // A failing listener must not break recording; it is reported once through the log channel.
  private readonly events = new StoreEvents((e, event) => {
    if (event.type !== 'log') this.emit({ type: 'log', level: 'error', message: `A store event listener failed: ${errorText(e)}` });
  });
  private readonly announcer = new ChangeAnnouncer((event) => this.emit(event));
  private readonly trouble = new StorageTrouble((event) => this.emit(event));
  private state: OpenState | null = null;
  private collector: Collector | null = null;
  private closed = false;
  private sql: SqlJsStatic | null = null;
  /** An open in progress: requests that arrive meanwhile wait for it instead of failing. */
  private opening: Promise<unknown> | null = null;

  constructor(private readonly options: StoreCoreOptions = {}) {}

  async open(options: OpenOptions = {}): Promise<OpenResult> {
    this.assertNotClosed();
    const opening = this.openNow(options);
    this.opening = opening;
    try {
      return await opening;
    } finally {
      if (this.opening === opening) this.opening = null;
    }
  }

  private async openNow(options: OpenOptions): Promise<OpenResult> {
    if (this.opening) await this.opening.catch(() => undefined);
    if (this.state) await this.shutDown();
    const SQL = await this.sqlJs();
    const makePricer = this.options.createPricer ?? createPricer;
    const { pricer, problems } = makePricer(options.priceOverrides);
    const now = this.options.now ?? Date.now;
    const loaded = options.dbPath ? await loadDatabaseFile(SQL, options.dbPath, now) : { db: emptyDatabase(SQL), created: true };
    const db = loaded.db;
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768');
    const recorder = new Recorder(db, pricer, (level, message) => this.emit({ type: 'log', level, message }));
    const indexBuild = new IndexBuild(recorder, (event) => this.emit(event));
    const state: OpenState = {
      db,
      recorder,
      pricer,
      queries: new Queries(db, () => state.pricer),
      fileState: new FileStateTable(db, () => state.file?.markDirty()),
      file: null,
      indexBuild,
    };
    if (options.dbPath) {
      state.file = new DatabaseFile({
        dbPath: options.dbPath,
        db,
        recorder,
        fileState: state.fileState,
        beforeSnapshot: () => indexBuild.now(),
        SQL,
        loadedSignature: loaded.signature,
        trouble: this.trouble,
        saveDelayMs: this.options.saveDelayMs,
        saveRetryMs: this.options.saveRetryMs,
        confirmSave: this.options.confirmSave,
        writeDatabase: this.options.writeDatabase,
        now,
        noteChange: (inserted, updated, other) => this.noteChange(state, inserted, updated, other),
        flushChanges: () => this.announcer.flush(),
        emit: (event) => this.emit(event),
        isCurrent: () => this.state === state,
      });
    }
    this.state = state;
    if (loaded.recovery) {
      this.emit({ type: 'log', level: 'warn', message: recoveryMessage(loaded.recovery, 'open') });
      state.file?.markDirty();
    }
    repriceIfPricesChanged(state, this.announcer, (event) => this.emit(event));
    await state.file?.start(options);
    const result: OpenResult = { records: recorder.count(), priceProblems: problems, priceVersion: pricer.version };
    if (loaded.recovery) result.recovery = loaded.recovery;
    return result;
  }

  /**
   * Records calls from the public API or the proxy. `durable`: they are appended to the journal and fsynced first,
   * so an answer means they survive a kill -9; if the disk refuses, they are still recorded in memory, the answer
   * carries `durabilityError`, and the journal append is retried (see StoreApi).
   */
  async record(calls: CallInput[], options: RecordCallOptions = {}): Promise<RecordResult> {
    const state = await this.whenOpen();
    if (!Array.isArray(calls)) throw new Error('record() expects an array of calls');
    const durable = options.durable === true && state.file !== null;
    // Into memory first, then the journal: this instance's own journal tail then finds the calls already stored, so the
    // answer says truly whether they were new or better (a tail that got there first would make them look unchanged).
    const result: RecordResult = state.recorder.record(calls, { updateNames: true });
    this.afterWrite(state, result.inserted, result.updated);
    this.announcer.flush();
    const durabilityError = durable ? await state.file!.appendDurably(calls) : null;
    if (durable) {
      result.durable = durabilityError === null;
      if (durabilityError !== null) result.durabilityError = durabilityError;
    }
    return result;
  }

  async summary(query: SummaryQuery): Promise<Summary> {
    return (await this.whenOpen()).queries.summary(query);
  }

  async dashboard(query: DashboardQuery): Promise<DashboardData> {
    return (await this.whenOpen()).queries.dashboard(query);
  }

  async records(query: RecordsQuery): Promise<RecordsPage> {
    return (await this.whenOpen()).queries.records(query);
  }

  async setPriceOverrides(overrides: unknown): Promise<{ problems: string[]; priceVersion: string }> {
    const state = await this.whenOpen();
    const { pricer, problems } = (this.options.createPricer ?? createPricer)(overrides);
    state.recorder.setPricer(pricer);
    state.pricer = pricer;
    repriceIfPricesChanged(state, this.announcer, (event) => this.emit(event));
    return { problems, priceVersion: pricer.version };
  }

  async reprice(): Promise<{ repriced: number }> {
    return { repriced: repriceStored(await this.whenOpen(), this.announcer) };
  }

  async save(): Promise<SaveResult> {
    const state = await this.whenOpen();
    return state.file ? state.file.save() : { saved: false, bytes: 0, ms: 0 };
  }

  async status(): Promise<StoreStatus> {
    const state = await this.whenOpen();
    const file = state.file?.status() ?? { shared: false, writer: false, instanceId: null, epoch: null, callsNotOnDisk: 0 };
    const { recorder } = state;
    const deferredIndexes = { pending: recorder.indexesDeferred, lastBuildMs: recorder.indexBuildMs };
    return { records: recorder.count(), persistent: state.file !== null, ...file, storageProblem: this.trouble.current, deferredIndexes };
  }

  /** Reads the journal now instead of at the next notification (tests; a user's rescan). */
  async readJournalNow(): Promise<void> {
    await (await this.whenOpen()).file?.pumpJournal();
  }

  async startClaudeCode(options: ClaudeCodeOptions): Promise<ScanStats> {
    const state = await this.whenOpen();
    this.collector?.stop();
    const make = this.options.createCollector ?? createClaudeCodeCollector;
    const collector = make(this.collectorDeps(state), options);
    this.collector = collector;
    return collector.start();
  }

  async rescanClaudeCode(): Promise<ScanStats> {
    await this.whenOpen();
    if (!this.collector) throw new Error('The Claude Code import has not been started');
    return this.collector.scan();
  }

  async cancelImport(): Promise<void> {
    this.collector?.cancel();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.opening) await this.opening.catch(() => undefined);
    await this.shutDown();
    this.announcer.dispose();
  }

  onEvent(listener: (event: StoreEvent) => void): { dispose(): void } {
    return this.events.on(listener);
  }

  /**
   * Retention: removes calls older than `cutoff` (UTC ms); the cutoff is kept so that calls before it that come back
   * when another window's older file is merged are removed again (retentionMeta.ts).
   */
  async pruneBefore(cutoff: number): Promise<{ removed: number }> {
    const state = await this.whenOpen();
    const removed = pruneStoredBefore(state.db, state.recorder, cutoff, (this.options.now ?? Date.now)(), () => state.file?.markDirty());
    if (removed > 0) {
      this.announcer.note(0, 0, true);
      this.announcer.flush();
    }
    return { removed };
  }

  // ---- Beyond StoreApi, for tools and tests (several windows are wired in databaseFile.ts / sharedStorage.ts) ----

  /**
   * Merges another copy of the database into memory (a new writer does the same with the file on disk): every call
   * is recorded (dedup keeps the better copy), file states are taken for files not read here yet (keeping our own
   * offsets is always safe: re-read lines dedup), consumer names already known here stay.
   */
  async mergeFromFile(file: string): Promise<MergeResult> {
    const state = await this.whenOpen();
    const SQL = await this.sqlJs();
    const bytes = await readFile(file);
    this.assertCurrent(state);
    const other = openDatabaseCopy(SQL, bytes, file);
    try {
      const merged = mergeStoredCopy(other, state.recorder, state.fileState);
      this.afterWrite(state, merged.result.inserted, merged.result.updated);
      if (applyRetentionAfterMerge(state.db, state.recorder, merged.meta[RETENTION_META]) > 0) this.noteChange(state, 0, 0, true);
      this.announcer.flush();
      return merged;
    } finally {
      other.close();
    }
  }

  /** A value kept in the database itself (saved atomically with the rows), e.g. a journal position. */
  getMeta(key: string): string | undefined {
    return readMetaValue(this.requireOpen().db, key);
  }

  setMeta(key: string, value: string): void {
    const state = this.requireOpen();
    if (readMetaValue(state.db, key) === value) return;
    writeMetaValue(state.db, key, value);
    state.file?.markDirty();
  }

  /** Off for an instance that is not the writer; on again when it becomes the writer (the lock does this itself). */
  setSavingEnabled(enabled: boolean): void {
    this.requireOpen().file?.saver.setEnabled(enabled);
  }

  /** Records calls from a source inside the worker other than the Claude Code collector and the journal. */
  recordCalls(calls: readonly unknown[], options: RecordOptions = {}): RecordResult {
    const state = this.requireOpen();
    const result = state.recorder.record(calls, options);
    this.afterWrite(state, result.inserted, result.updated);
    this.announcer.flush();
    return result;
  }

  private collectorDeps(state: OpenState): CollectorDeps {
    return {
      sink: collectorSink(state, {
        isCurrent: () => this.state === state,
        assertCurrent: () => this.assertCurrent(state),
        afterWrite: (inserted, updated) => this.afterWrite(state, inserted, updated),
        emit: (event) => this.emit(event),
      }),
      fileState: state.fileState,
      log: (level, message) => this.emit({ type: 'log', level, message }),
      onProgress: (progress) => this.emit({ type: 'progress', progress }),
      onRecorded: () => this.announcer.flush(),
    };
  }

  /** Schedules a save and notes the change for the next announcement. */
  private afterWrite(state: OpenState, inserted: number, updated: number): void {
    this.noteChange(state, inserted, updated, false);
  }

  private noteChange(state: OpenState, inserted: number, updated: number, other: boolean): void {
    const renamed = state.recorder.takeRenames() > 0;
    if (inserted === 0 && updated === 0 && !renamed && !other) return;
    state.file?.markDirty();
    this.announcer.note(inserted, updated, renamed || other);
  }

  /** Stop importing, final save (the writer's, confirmed by the lock), then hand the lock over. */
  private async shutDown(): Promise<void> {
    this.collector?.stop();
    this.collector = null;
    const state = this.state;
    if (!state) return;
    endBulkImport(state);
    // No timed build on a database about to close: the final save builds the indexes first (beforeSnapshot).
    state.indexBuild.cancel();
    await state.file?.stop();
    this.state = null;
    this.announcer.flush();
    try {
      await state.file?.close();
    } finally {
      state.db.close();
    }
  }

  private async sqlJs(): Promise<SqlJsStatic> {
    this.sql ??= await loadSqlJs(this.options.wasmPath);
    return this.sql;
  }

  private async whenOpen(): Promise<OpenState> {
    if (this.opening) await this.opening.catch(() => undefined);
    return this.requireOpen();
  }

  private requireOpen(): OpenState {
    this.assertNotClosed();
    if (!this.state) throw new Error('The store is not open: call open() first');
    return this.state;
  }

  /** A collector outliving its database (stopped mid-scan) gets a clear error instead of touching a closed one. */
  private assertCurrent(state: OpenState): void {
    if (this.state !== state) throw new Error('The store was closed or reopened; this import has ended');
  }

  private assertNotClosed(): void {
    if (this.closed) throw new Error('The store is closed');
  }

  private emit(event: StoreEvent): void {
    this.events.emit(event);
  }
}
