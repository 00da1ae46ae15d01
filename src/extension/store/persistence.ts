/**
 * The database file on disk. Loading checks the file (SQLite header, quick_check, schema) and, when it is unreadable,
 * moves it aside (never deletes it) and falls back to the backup, else to an empty database. Writing is atomic: a
 * temp file is written and fsynced, the current file becomes the backup through a hard link, and the temp file is
 * renamed over the current one, so an interruption at any byte leaves a loadable file.
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { SqlJsStatic } from 'sql.js';
import type { OpenResult } from './storeApi';
import { Db } from './db';
import { emptyDatabase } from './newDatabase';
import { migrate, NewerSchemaError } from './schema';

const SQLITE_HEADER = 'SQLite format 3\u0000';
/** Temp files older than this are leftovers of a crashed save (a live save finishes in seconds). */
const STALE_TEMP_MS = 60 * 60_000;

export type Recovery = NonNullable<OpenResult['recovery']>;

export interface LoadedDatabase {
  db: Db;
  recovery?: Recovery;
  /** Whether the file was missing (a fresh start). */
  created: boolean;
  /** Identity of the file that was loaded (see diskSignature); absent when the main file was not what got loaded. */
  signature?: string;
}

export function backupPath(dbPath: string): string {
  return `${dbPath}.bak`;
}

export async function loadDatabaseFile(SQL: SqlJsStatic, dbPath: string, now: () => number): Promise<LoadedDatabase> {
  await fs.mkdir(path.dirname(dbPath), { recursive: true }).catch(() => undefined);
  await removeStaleTemps(dbPath, now());
  const { candidate: main, signature } = await readSettled(SQL, dbPath);
  if (main.ok) return { db: main.db, created: false, signature };
  if (main.missing) return { db: emptyDatabase(SQL), created: true, signature };

  const movedTo = await moveAside(dbPath, now());
  const backup = await readCandidate(SQL, backupPath(dbPath));
  if (backup.ok) return { db: backup.db, created: false, recovery: { movedTo, loadedFrom: 'backup', reason: main.reason } };
  return { db: emptyDatabase(SQL), created: false, recovery: { movedTo, loadedFrom: 'empty', reason: main.reason } };
}

/**
 * The database file as it is on disk now, to merge into memory (a window becoming the writer, or one that missed
 * pruned journal files). An unreadable file is moved aside (never deleted) and the backup is read instead; `db` is
 * null when there is nothing usable. A file from a newer schema throws NewerSchemaError and stays untouched. The
 * caller closes `db`.
 */
export async function readDiskCopy(
  SQL: SqlJsStatic,
  dbPath: string,
  now: () => number,
): Promise<{ db: Db | null; recovery?: Recovery; signature?: string }> {
  const { candidate: main, signature } = await readSettled(SQL, dbPath);
  if (main.ok) return { db: main.db, signature };
  if (main.missing) return { db: null, signature };
  const movedTo = await moveAside(dbPath, now());
  const backup = await readCandidate(SQL, backupPath(dbPath));
  return backup.ok
    ? { db: backup.db, recovery: { movedTo, loadedFrom: 'backup', reason: main.reason } }
    : { db: null, recovery: { movedTo, loadedFrom: 'empty', reason: main.reason } };
}

type Candidate = { ok: true; db: Db } | { ok: false; missing: boolean; reason: string };

/**
 * Reads a file that another window may be replacing right now. The replacement is an atomic rename, so a read never
 * sees a torn file — but an unreadable verdict is only trusted if the file did not change during the read; otherwise
 * the new file is read instead of moving a good one aside.
 */
async function readSettled(SQL: SqlJsStatic, file: string): Promise<{ candidate: Candidate; signature?: string }> {
  let candidate: Candidate = { ok: false, missing: true, reason: 'the file does not exist' };
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = await diskSignature(file);
    candidate = await readCandidate(SQL, file);
    const after = await diskSignature(file);
    if (after === before) return { candidate, signature: before };
    if (candidate.ok || candidate.missing) return { candidate };
    // Unreadable, and replaced while we read: read the new file instead of judging it by the old one.
  }
  return { candidate };
}

/**
 * Identity of the database file (inode, size, modification time): equal signatures mean the same content. ctime
 * is left out because the rename that installs a saved file changes it. A missing file has a signature too.
 */
export async function diskSignature(file: string): Promise<string> {
  try {
    return signatureOfStats(await fs.stat(file, { bigint: true }));
  } catch (e: unknown) {
    return `missing:${errorCode(e) ?? ''}`;
  }
}

function signatureOfStats(st: { ino: bigint; size: bigint; mtimeNs: bigint }): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}`;
}

async function readCandidate(SQL: SqlJsStatic, file: string): Promise<Candidate> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e: unknown) {
    // ENOTDIR: a file stands where the folder should be; there is no database to lose, and saving will say so.
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true, reason: 'the file does not exist' };
    return { ok: false, missing: false, reason: `the file cannot be read (${errorText(e)})` };
  }
  if (bytes.length === 0) return { ok: false, missing: false, reason: 'the file is empty' };
  if (bytes.length < 100 || Buffer.from(bytes.subarray(0, 16)).toString('latin1') !== SQLITE_HEADER) {
    return { ok: false, missing: false, reason: 'the file is not a SQLite database' };
  }
  let db: Db | undefined;
  try {
    db = new Db(new SQL.Database(bytes));
    const check = db.all('PRAGMA quick_check');
    const verdict = check.map((row) => String(row[0])).join('; ');
    if (verdict !== 'ok') throw new Error(`integrity check failed: ${verdict.slice(0, 300)}`);
    migrate(db);
    return { ok: true, db };
  } catch (e: unknown) {
    db?.close();
    if (e instanceof NewerSchemaError) throw e;
    return { ok: false, missing: false, reason: `the file is damaged (${errorText(e)})` };
  }
}

/** Renames an unreadable file to `<file>.corrupt-<timestamp>`; copies it when it cannot be renamed. */
async function moveAside(file: string, now: number): Promise<string> {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  for (let n = 2; await exists(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
  try {
    await fs.rename(file, target);
  } catch (renameError: unknown) {
    try {
      await fs.copyFile(file, target, fsConstants.COPYFILE_EXCL);
    } catch {
      throw new Error(
        `The usage database ${file} is unreadable and could not be moved aside (${errorText(renameError)}); ` +
          'it was left untouched. Check the folder permissions.',
      );
    }
  }
  return target;
}

let tempCounter = 0;

/** Thrown when `confirmReplace` says no: another instance is the writer now. Nothing was replaced. */
export class NotWriterError extends Error {
  constructor() {
    super('Another window is saving the usage database now; this one keeps its data in memory.');
    this.name = 'NotWriterError';
  }
}

/**
 * Writes the database atomically and keeps the previous file as `<file>.bak`. `confirmReplace` runs after the temp
 * file is durable and right before the current file is replaced (the writer lock's last check). Resolves with the
 * new file's signature (see diskSignature).
 */
export async function writeDatabaseFile(
  dbPath: string,
  bytes: Uint8Array,
  confirmReplace?: () => Promise<boolean>,
): Promise<string> {
  const tmp = `${dbPath}.tmp-${process.pid}-${threadId}-${++tempCounter}`;
  // The folder may have been removed since opening; a real problem (a file in its place) surfaces at open() below.
  await fs.mkdir(path.dirname(dbPath), { recursive: true }).catch(() => undefined);
  let signature: string;
  try {
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
      // The rename below keeps inode, size and mtime: this is the signature the file will have once installed.
      signature = signatureOfStats(await handle.stat({ bigint: true }));
    } finally {
      await handle.close();
    }
    if (confirmReplace && !(await confirmReplace())) throw new NotWriterError();
    await keepBackup(dbPath);
    await fs.rename(tmp, dbPath);
  } catch (e: unknown) {
    await fs.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(path.dirname(dbPath));
  return signature;
}

/** Points `<file>.bak` at the current file. There is never a moment without a current file or without a backup. */
async function keepBackup(dbPath: string): Promise<void> {
  const bak = backupPath(dbPath);
  const tmpLink = `${bak}.tmp-${process.pid}-${threadId}-${++tempCounter}`;
  try {
    await fs.link(dbPath, tmpLink);
  } catch (e: unknown) {
    if (errorCode(e) === 'ENOENT') return;
    // File systems without hard links: copy instead (slower, same guarantee).
    await fs.copyFile(dbPath, tmpLink);
  }
  try {
    await fs.rename(tmpLink, bak);
  } catch (e: unknown) {
    await fs.unlink(tmpLink).catch(() => undefined);
    throw e;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported everywhere (Windows); the rename is still atomic there.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function removeStaleTemps(dbPath: string, now: number): Promise<void> {
  const dir = path.dirname(dbPath);
  const prefixes = [`${path.basename(dbPath)}.tmp-`, `${path.basename(backupPath(dbPath))}.tmp-`];
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!prefixes.some((p) => name.startsWith(p))) continue;
    const full = path.join(dir, name);
    try {
      const stat = await fs.stat(full);
      if (now - stat.mtimeMs > STALE_TEMP_MS) await fs.unlink(full);
    } catch {
      // Another window may be finishing its own save right now.
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
