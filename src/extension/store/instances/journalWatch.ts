/** Notices appends to the journal from other instances quickly: a watch on the journal folder plus a slow poll. */
import { promises as fsp } from 'node:fs';
import { watchFolders, type FolderWatch, type FolderWatchOptions } from './folderWatcher';
import { journalDirOf } from './journalFiles';

export async function watchJournal(storageDir: string, options: FolderWatchOptions): Promise<FolderWatch> {
  const dir = journalDirOf(storageDir);
  await fsp.mkdir(dir, { recursive: true });
  return watchFolders([dir], options);
}
