/**
 * What a collector needs from the store's worker, and what it offers. Collectors turn an outside source
 * (Claude Code transcripts, …) into CallInputs; they never price, never run SQL, never hold prompt text.
 */
import type { CallInput } from '../../shared/callRecord';
import type { ImportProgress, RecordResult, ScanStats } from '../store/storeApi';

/** Where calls go: the recorder (validates, prices, dedups, stores). Synchronous inside the worker. */
export interface CallSink {
  /**
   * The calls are the collector's own objects, built with CallInput's fields only (no getters, nothing else): the
   * recorder checks them in place instead of copying them, and may normalise them.
   */
  record(calls: CallInput[]): RecordResult;
  /**
   * Runs `fn` (which records) as one transaction: all of it is stored, or on a throw none of it. Without it, each
   * record() is a transaction of its own.
   */
  transaction?<T>(fn: () => T): T;
  /** A consumer's display name changed (a conversation got its title later). Unknown keys are ignored. */
  renameConsumer(key: string, name: string): void;
  /**
   * A large import of about `expectedCalls` calls begins: the sink may switch to a way of recording that pays off
   * only in bulk, until endLargeImport (always called, also after a failure or a cancel).
   */
  beginLargeImport?(expectedCalls: number): void;
  endLargeImport?(): void;
}

/**
 * Per-file read state, persisted in the same database as the records (so a saved file always carries offsets that
 * match its rows). The value is the collector's own JSON text.
 */
export interface FileStateStore {
  get(path: string): string | undefined;
  set(path: string, state: string): void;
  delete(path: string): void;
  paths(): string[];
}

export interface CollectorLog {
  (level: 'info' | 'warn' | 'error', message: string): void;
}

export interface CollectorDeps {
  sink: CallSink;
  fileState: FileStateStore;
  log: CollectorLog;
  onProgress(progress: ImportProgress): void;
  /** Called after a scan recorded something, so the store can announce a change. */
  onRecorded(result: RecordResult): void;
}

export interface Collector {
  /** First scan (history), then live watching if asked. Resolves when the first scan is done. */
  start(): Promise<ScanStats>;
  scan(): Promise<ScanStats>;
  /** Stop the current scan at the next file boundary. */
  cancel(): void;
  stop(): void;
}
