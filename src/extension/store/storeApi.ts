/**
 * The store as the host (and the CLI) sees it: every method is a request to the store's worker, which owns the
 * sql.js database, the recorder, the pricing table and the Claude Code collector. Nothing here runs SQL or parses
 * transcripts on the caller's thread.
 */
import type { CallInput } from '../../shared/callRecord';
import type { TimeRange } from '../../shared/period';
import type { DashboardData, DashboardQuery, RecordsPage, RecordsQuery, Summary, SummaryQuery } from '../../shared/queries';

export interface OpenOptions {
  /** Database file; created on first save. Omit for a memory-only store (tests, `report` without --db). */
  dbPath?: string;
  /** User price overrides (the `claudeUsage.priceOverrides` setting), validated in the worker. */
  priceOverrides?: unknown;
  /**
   * Names this instance (one VS Code window's start) in the writer lock of the storage folder, dirname(dbPath).
   * Default: a random UUID.
   */
  instanceId?: string;
  /**
   * Several instances on one storage folder (see instances/README.md): on by default whenever `dbPath` is given —
   * only the holder of the writer lock saves the file, everyone imports every source and the journal. `false` turns
   * it off (a private temp database nobody else opens); an object tunes it (tests).
   */
  sharing?: false | SharingOptions;
}

export interface SharingOptions {
  /** Writer-lock heartbeat, ms (default 2000). */
  heartbeatMs?: number;
  /** A writer silent this long is taken over, ms (default 10000; at least 3 × heartbeatMs). */
  staleMs?: number;
  /**
   * Safety-net poll of the journal folder, ms (default 2000); appends are noticed at once through a watch. 0 turns
   * automatic reading off (tests that need a window lagging behind).
   */
  journalPollMs?: number;
  /** After a save, the writer starts a new journal file once the live one is larger than this (default 1 MiB). */
  journalRotateBytes?: number;
  /** Retired journal files are deleted only after being quiet this long, ms (default 10 minutes). */
  journalPruneGraceMs?: number;
}

export interface OpenResult {
  /** Records in the database after opening. */
  records: number;
  /** Set when the file could not be read: where the unreadable file was moved, and what was loaded instead. */
  recovery?: { movedTo: string; loadedFrom: 'backup' | 'empty'; reason: string };
  /** Problems with price overrides, each a sentence a person can act on. */
  priceProblems: string[];
  priceVersion: string;
}

export interface RecordRejection {
  index: number;
  key: string | null;
  message: string;
}

export interface RecordResult {
  inserted: number;
  /** Existing keys replaced by a better copy (non-sidechain, or larger token total). */
  updated: number;
  /** Duplicates that were not better than the stored copy. */
  unchanged: number;
  rejected: RecordRejection[];
  /**
   * Only for `record(calls, { durable: true })` on a store with a database file: true when every accepted call was
   * written to the journal and fsynced before this answer (it survives a kill -9 of any process from now on).
   */
  durable?: boolean;
  /**
   * Set when the journal could not be written (disk full, read-only storage): the calls ARE recorded in memory and
   * counted, but not yet on disk. The store keeps retrying to journal them and announces the problem with a
   * `saveFailed` event. A caller that must be sure should treat this as a failure; recording again is harmless.
   */
  durabilityError?: string;
}

export interface RecordCallOptions {
  /**
   * Write the calls to the journal (fsync) before recording them and answering: use it for calls that have no
   * file of their own (the public API, the proxy). Without a database file there is nothing to write to and the
   * calls are only recorded (memory-only store).
   */
  durable?: boolean;
}

export interface StoreStatus {
  /** Records in memory. */
  records: number;
  /** Whether a database file is used (false: memory-only). */
  persistent: boolean;
  /** Several instances share the storage folder (writer lock and journal in use). */
  shared: boolean;
  /** This instance saves the database file now (always true for a persistent store that does not share). */
  writer: boolean;
  instanceId: string | null;
  /** The writer lock's epoch while this instance holds it. */
  epoch: number | null;
  /** The current storage problem, as announced by `saveFailed`; null when saving and journaling work. */
  storageProblem: string | null;
  /** Calls recorded in memory whose journal append failed and is being retried. */
  callsNotOnDisk: number;
  /**
   * The indexes a large import leaves out until the store is idle after it (dedup's key hash, records by cost):
   * whether they are still to build, and how long the last build took (ms).
   */
  deferredIndexes: { pending: boolean; lastBuildMs: number | null };
}

export interface SaveResult {
  saved: boolean;
  bytes: number;
  ms: number;
  /** Set when the save failed (disk full, read-only); data stays in memory and the next save tries again. */
  error?: string;
}

export interface ClaudeCodeOptions {
  /** Config directories to scan (each holds `projects/`). */
  configDirs: string[];
  /** Watch for changes after the first scan (the extension) or scan once (the CLI). */
  watch: boolean;
  /** Debounce for file-system notifications, ms. */
  debounceMs?: number;
  /** Safety-net poll interval, ms. */
  pollMs?: number;
}

export interface ImportProgress {
  running: boolean;
  filesDone: number;
  filesTotal: number;
  calls: number;
}

export interface ScanStats {
  files: number;
  filesRead: number;
  bytesRead: number;
  linesRead: number;
  calls: number;
  skippedLines: number;
  ms: number;
}

export type StoreEvent =
  | { type: 'changed'; revision: number; inserted: number; updated: number }
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'saveFailed'; error: string }
  | { type: 'saveRecovered' };

export interface StoreApi {
  open(options: OpenOptions): Promise<OpenResult>;
  record(calls: CallInput[], options?: RecordCallOptions): Promise<RecordResult>;
  /** Totals for a range, optionally scoped to projects (a plain TimeRange is a SummaryQuery). */
  summary(query: SummaryQuery): Promise<Summary>;
  dashboard(query: DashboardQuery): Promise<DashboardData>;
  records(query: RecordsQuery): Promise<RecordsPage>;
  setPriceOverrides(overrides: unknown): Promise<{ problems: string[]; priceVersion: string }>;
  /** Recompute every stored cost with the current price table. */
  reprice(): Promise<{ repriced: number }>;
  save(): Promise<SaveResult>;
  startClaudeCode(options: ClaudeCodeOptions): Promise<ScanStats>;
  /** Scan now (the safety net, or a user's "rescan"). */
  rescanClaudeCode(): Promise<ScanStats>;
  cancelImport(): Promise<void>;
  /**
   * Retention: removes calls dated before `cutoffMs` (UTC ms) with their roll-ups and compacts the database, so the
   * file shrinks at the next save. The cutoff is kept in the database: calls before it that come back later (from
   * another window's older file) are removed again. A cutoff later than the worker's clock is refused.
   */
  pruneBefore(cutoffMs: number): Promise<{ removed: number }>;
  /** Diagnostics: writer role, storage problems, calls not yet on disk. */
  status(): Promise<StoreStatus>;
  /** Final save, stop watchers, end the worker. */
  close(): Promise<void>;
  onEvent(listener: (event: StoreEvent) => void): { dispose(): void };
}
