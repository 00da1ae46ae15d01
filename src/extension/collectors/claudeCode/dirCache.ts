/**
 * Remembers directory listings between scans, so a re-scan with nothing new costs one stat per folder instead of a
 * readdir (plus sorting and path joins) per folder.
 *
 * A folder's entries change only through create / delete / rename inside it, and each of those updates the folder's
 * mtime and ctime (appending to a file does not: files are still stat'ed one by one every scan). A cached listing is
 * reused only when all of these hold:
 * - the folder's mtime, ctime and inode are exactly what they were when the listing was taken;
 * - the listing was taken at least CONFIRM_MS (on our clock) after we first saw that mtime/ctime. Timestamps are
 *   coarse (a few ms locally, seconds on FAT or network drives): an entry created in the same tick as the previous
 *   change would not move them. A change made after a listing that came CONFIRM_MS after the folder's last change
 *   necessarily gets a later timestamp, whatever the file system's clock offset;
 * - the listing is younger than MAX_AGE_MS: a periodic real listing for file systems whose folder times are not
 *   trustworthy (some network and FUSE mounts).
 * Anything else (a failed stat, a changed folder, a folder seen for the first time) reads the folder again.
 */
import fs from 'node:fs';
import { statNow, type StatFn } from './statAhead';

/** Longer than the coarsest timestamp granularity in use (FAT: 2 s). */
export const CONFIRM_MS = 3_000;
export const MAX_AGE_MS = 10 * 60_000;

export interface DirEntryInfo {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

interface CachedDir {
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** When we first saw this exact mtime/ctime/inode (our clock). */
  firstSeen: number;
  /** When `entries` were read (our clock). */
  listedAt: number;
  entries: DirEntryInfo[];
}

export class DirCache {
  private readonly dirs = new Map<string, CachedDir>();
  /** Folders read during the current full pass (see beginPass / endPass). */
  private touched: Set<string> | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** A full listing starts: folders it does not read are forgotten at endPass(). */
  beginPass(): void {
    this.touched = new Set();
  }

  endPass(): void {
    const touched = this.touched;
    this.touched = undefined;
    if (!touched) return;
    for (const dir of this.dirs.keys()) if (!touched.has(dir)) this.dirs.delete(dir);
  }

  /**
   * The folder's entries sorted by name, from the cache when that is safe, else read now (`fresh` forces a read).
   * Throws what readdir throws (the caller tells a missing folder from an unreadable one). `stat`: how the folder is
   * stat'ed (a full scan's goes through statAhead.ts).
   */
  read(dir: string, fresh = false, stat: StatFn = statNow): DirEntryInfo[] {
    this.touched?.add(dir);
    const st = stat(dir);
    if (!st) {
      this.dirs.delete(dir);
      // Let readdir produce the error the caller expects (ENOENT).
      return readSorted(dir);
    }
    const now = this.now();
    const cached = this.dirs.get(dir);
    const same = cached !== undefined && cached.mtimeMs === st.mtimeMs && cached.ctimeMs === st.ctimeMs && cached.ino === st.ino;
    if (same && !fresh && cached.listedAt - cached.firstSeen >= CONFIRM_MS && now - cached.listedAt < MAX_AGE_MS) {
      return cached.entries;
    }
    let entries: DirEntryInfo[];
    try {
      entries = readSorted(dir);
    } catch (e: unknown) {
      this.dirs.delete(dir);
      throw e;
    }
    if (same) {
      cached.entries = entries;
      cached.listedAt = now;
    } else {
      this.dirs.set(dir, { mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, firstSeen: now, listedAt: now, entries });
    }
    return entries;
  }

  /**
   * Reads again the folders whose listing is not confirmed yet but could be (first seen CONFIRM_MS ago or more): at
   * the end of a long scan, so the next one reuses them. A folder that changed meanwhile simply gets its new entries,
   * which the next scan then uses.
   */
  confirm(): void {
    const now = this.now();
    for (const [dir, cached] of this.dirs) {
      if (cached.listedAt - cached.firstSeen >= CONFIRM_MS || now - cached.firstSeen < CONFIRM_MS) continue;
      try {
        this.read(dir);
      } catch {
        // Gone or unreadable: read() forgot it; the next scan reports what it finds.
      }
    }
  }

  get size(): number {
    return this.dirs.size;
  }
}

/** A folder's entries without a cache (sorted by name, so listings are in a stable order). */
export function readSorted(dir: string): DirEntryInfo[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((e) => ({ name: e.name, isFile: e.isFile(), isDirectory: e.isDirectory(), isSymbolicLink: e.isSymbolicLink() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
