/**
 * The store as the host (and the CLI) sees it: every method is a request to the store's worker, which owns the
 * sql.js database, the recorder, the pricing table and the Claude Code collector. Nothing here runs SQL or parses
 * transcripts on the caller's thread.
 */
import type { CallInput } from '../../shared/callRecord';
import type { TimeRange } from '../../shared/period';
import type { DashboardData, DashboardQuery, RecordsPage, RecordsQuery, Summary } from '../../shared/queries';

export interface OpenOptions {
  /** Database file; created on first save. Omit for a memory-only store (tests, `report` without --db). */
  dbPath?: string;
  /** User price overrides (the `claudeUsage.priceOverrides` setting), validated in the worker. */
  priceOverrides?: unknown;
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
  record(calls: CallInput[]): Promise<RecordResult>;
  summary(range: TimeRange): Promise<Summary>;
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
  /** Final save, stop watchers, end the worker. */
  close(): Promise<void>;
  onEvent(listener: (event: StoreEvent) => void): { dispose(): void };
}
