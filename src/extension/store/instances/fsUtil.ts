/**
 * Small file-system helpers shared by the writer lock and the journal. Everything is async (these run in the store's
 * worker or, for appends, possibly on the host thread: they must never block it).
 */
import { promises as fsp } from 'node:fs';

/** The `code` of a Node system error (`ENOENT`, `EEXIST`, …), or undefined for anything else. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Makes a directory entry change (a create, link or rename) durable. Without it a power loss can forget a file whose
 * data was fsynced. Platforms that cannot open a directory for syncing (Windows) are skipped: there the rename itself
 * is journaled by NTFS.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (e: unknown) {
    const code = errorCode(e);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EINVAL' && code !== 'ENOTSUP') throw e;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Directory entries, or an empty list when the directory does not exist (yet, or because a file is in the way). */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (e: unknown) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
}

/** Deletes a file; a file that is already gone is fine. */
export async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    await fsp.unlink(file);
    return true;
  } catch (e: unknown) {
    if (errorCode(e) === 'ENOENT') return false;
    throw e;
  }
}

/** Zero-padded so that names sort like numbers in a directory listing (helps people reading the folder). */
export function padNumber(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
