/**
 * "This workspace": which stored projects lie in one of the given folders (or are one). Projects are interned in a
 * small table (one row per distinct cwd), so the match runs in JavaScript over that table and the calls are then
 * filtered by project id.
 *
 * Paths are compared as their platform writes them: `/` and `\` are the same separator, trailing separators are
 * ignored, and Windows-style paths (a drive letter or a UNC share) compare case-insensitively.
 */
import type { Db } from '../store/db';

export const MAX_SCOPE_FOLDERS = 100;

/** Checks the `projects` query field: absent/null = no scope; otherwise a list of non-empty paths. */
export function checkProjects(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw new Error('projects must be a list of folder paths or null');
  if (value.length > MAX_SCOPE_FOLDERS) throw new Error(`projects may name at most ${MAX_SCOPE_FOLDERS} folders`);
  return value.map((p, i) => {
    if (typeof p !== 'string' || p.trim() === '' || p.length > 4096) throw new Error(`projects[${i}] must be a folder path`);
    return p;
  });
}

function isWindowsLike(path: string): boolean {
  return /^[a-zA-Z]:[\\/]/.test(path) || /^[\\/]{2}[^\\/]/.test(path);
}

/** The comparable form of a path: forward slashes, no trailing slash (except the root), case-folded on Windows. */
export function normalizeProjectPath(path: string): string {
  let p = path.trim().replace(/\\/g, '/');
  const windows = isWindowsLike(path.trim());
  if (windows) p = p.toLowerCase();
  while (p.length > 1 && p.endsWith('/') && !/^[a-z]:\/$/.test(p)) p = p.slice(0, -1);
  return p;
}

/** True when `project` is `folder` or lies below it. */
export function isInFolder(project: string, folder: string): boolean {
  const p = normalizeProjectPath(project);
  const f = normalizeProjectPath(folder);
  if (p === f) return true;
  return p.startsWith(f.endsWith('/') ? f : `${f}/`);
}

/** Ids of the stored projects inside any of the folders. */
export function projectIdsIn(db: Db, folders: readonly string[]): number[] {
  if (folders.length === 0) return [];
  const ids: number[] = [];
  db.each('SELECT id, path FROM projects', [], (row) => {
    const path = typeof row[1] === 'string' ? row[1] : '';
    if (folders.some((f) => isInFolder(path, f))) ids.push(Number(row[0]));
  });
  return ids;
}
