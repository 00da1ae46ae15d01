/**
 * Keeps the journal from growing forever. Rotation (start a new generation, retire the old ones by renaming them)
 * never loses a call by itself: appenders verify after their fsync that they wrote to the live file and re-append
 * otherwise, and readers read retired files to their end. Only pruning deletes, and only generations that a SAVED
 * database has read completely, after a grace period that lets lagging followers finish them (a follower that is
 * later than that reloads the saved database instead). Run both from the writer, after a successful save.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { errorCode, fsyncDir, unlinkIfPresent } from './fsUtil';
import { generationName, highestGeneration, journalDirOf, listGenerations, type GenerationFile } from './journalFiles';
import type { JournalPosition } from './journalReader';

export interface GenerationInfo extends GenerationFile {
  bytes: number;
}

/** The generations on disk with their sizes (for deciding when to rotate, and for diagnostics). */
export async function journalGenerations(storageDir: string): Promise<GenerationInfo[]> {
  const dir = journalDirOf(storageDir);
  const out: GenerationInfo[] = [];
  for (const file of await listGenerations(dir)) {
    try {
      out.push({ ...file, bytes: (await fsp.stat(path.join(dir, file.name))).size });
    } catch (e: unknown) {
      if (errorCode(e) !== 'ENOENT') throw e;
    }
  }
  return out;
}

export interface RotateOptions {
  /** Rotate only when the live generation has grown beyond this many bytes. Default: always. */
  ifLargerThan?: number;
}

export interface RotateResult {
  rotated: boolean;
  /** The generation appends go to now. */
  active: number;
  retired: number[];
}

/**
 * Starts generation N+1 (exclusive create, so two rotators cannot both start one), then retires every older active
 * generation by renaming it. Also finishes a rotation that a crash interrupted (more than one active generation).
 */
export async function rotateJournal(storageDir: string, options: RotateOptions = {}): Promise<RotateResult> {
  const dir = journalDirOf(storageDir);
  await fsp.mkdir(dir, { recursive: true });
  const before = await journalGenerations(storageDir);
  const actives = before.filter((g) => g.state === 'active');
  const live = actives[actives.length - 1];
  const grow = !live || options.ifLargerThan === undefined || live.bytes > options.ifLargerThan;
  // More than one active generation means an earlier rotation was interrupted: finish it even if nothing grew.
  if (!grow && actives.length <= 1) return { rotated: false, active: live.generation, retired: [] };

  let active = live?.generation ?? 0;
  if (grow) {
    const next = highestGeneration(before) + 1;
    try {
      const handle = await fsp.open(path.join(dir, generationName(next, 'active')), 'wx', 0o644);
      await handle.close();
      await fsyncDir(dir);
    } catch (e: unknown) {
      if (errorCode(e) !== 'EEXIST') throw e;
      // Another rotator started it: fine, retire below it all the same.
    }
    active = next;
  }
  const retired: number[] = [];
  for (const g of await listGenerations(dir)) {
    if (g.state !== 'active' || g.generation >= active) continue;
    try {
      await fsp.rename(path.join(dir, g.name), path.join(dir, generationName(g.generation, 'retired')));
      retired.push(g.generation);
    } catch (e: unknown) {
      if (errorCode(e) !== 'ENOENT') throw e;
    }
  }
  if (retired.length > 0) await fsyncDir(dir);
  return { rotated: true, active, retired };
}

export interface PruneOptions {
  /** A retired generation is deleted only after it has been quiet this long. Default 10 minutes. */
  graceMs?: number;
  /** Wall-clock now, ms (tests). */
  nowMs?: number;
}

/**
 * Deletes retired generations that `saved` — the journal position stored in the database file that is ON DISK now —
 * has read completely, once they have been quiet for the grace period. Active generations are never deleted.
 */
export async function pruneJournal(storageDir: string, saved: JournalPosition, options: PruneOptions = {}): Promise<number[]> {
  const dir = journalDirOf(storageDir);
  const graceMs = options.graceMs ?? 10 * 60_000;
  const nowMs = options.nowMs ?? Date.now();
  const deleted: number[] = [];
  for (const g of await listGenerations(dir)) {
    if (g.state !== 'retired' || g.generation > saved.doneThrough) continue;
    const file = path.join(dir, g.name);
    try {
      const st = await fsp.stat(file);
      // ctime moves with the rename that retired it, mtime with any late append: wait for both to be old.
      if (nowMs - Math.max(st.mtimeMs, st.ctimeMs) < graceMs) continue;
    } catch (e: unknown) {
      if (errorCode(e) === 'ENOENT') continue;
      throw e;
    }
    if (await unlinkIfPresent(file)) deleted.push(g.generation);
  }
  if (deleted.length > 0) await fsyncDir(dir);
  return deleted;
}
