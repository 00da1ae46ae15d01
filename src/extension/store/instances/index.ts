/**
 * Several instances (VS Code windows) on one storage folder: the writer lock and the journal of API-recorded calls.
 * vscode-free and fully async; meant to run in the store's worker (appends may also run on the host). See README.md.
 */
export { WriterLock, type WriterLockOptions } from './writerLock';
export type { LockOwner } from './lockFiles';
export { appendToJournal, JournalAppendError, MAX_JOURNAL_LINE_BYTES, type AppendResult } from './journalAppend';
export {
  JournalReader,
  emptyJournalPosition,
  furthestJournalPosition,
  isJournalPosition,
  type JournalPosition,
  type JournalRead,
  type ReadOptions,
} from './journalReader';
export {
  journalGenerations,
  pruneJournal,
  rotateJournal,
  type GenerationInfo,
  type PruneOptions,
  type RotateOptions,
  type RotateResult,
} from './journalRotation';
export { watchJournal } from './journalWatch';
export { watchFolders, type FolderWatch, type FolderWatchOptions } from './folderWatcher';
