/**
 * The writer lock's files. One file per epoch in `<storage>/writer-lock/`:
 *   epoch-000000007.lock      held by the instance named inside (its heartbeat is the file's mtime)
 *   epoch-000000007.released  the same epoch, handed back on a clean close (a tombstone: never live again)
 * The writer is the holder of the highest epoch, and only while nothing else carries that epoch or a higher one.
 * Epochs only grow, so they double as fencing numbers and make hand-overs visible in a listing.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { errorCode, fsyncDir, listDir, padNumber, unlinkIfPresent } from './fsUtil';

export const LOCK_DIR_NAME = 'writer-lock';

export interface LockOwner {
  instanceId: string;
  pid: number;
  hostname: string;
  /** Wall-clock ms when the owner claimed this epoch (for people reading the file; never used to judge staleness). */
  startedAt: number;
  epoch: number;
}

export type LockEntryKind = 'held' | 'released';

export interface LockEntry {
  epoch: number;
  kind: LockEntryKind;
  name: string;
}

/** What a stat of a lock file looked like; a heartbeat changes it. */
export type FileSignature = string;

const ENTRY_PATTERN = /^epoch-(\d{1,15})\.(lock|released)$/;
const TEMP_PREFIX = '.claim-';
const EPOCH_WIDTH = 9;

export function lockDirOf(storageDir: string): string {
  return path.join(storageDir, LOCK_DIR_NAME);
}

export function entryName(epoch: number, kind: LockEntryKind): string {
  return `epoch-${padNumber(epoch, EPOCH_WIDTH)}.${kind === 'held' ? 'lock' : 'released'}`;
}

export function parseEntryName(name: string): LockEntry | null {
  const m = ENTRY_PATTERN.exec(name);
  if (!m) return null;
  return { epoch: Number(m[1]), kind: m[2] === 'lock' ? 'held' : 'released', name };
}

/** Every lock entry, lowest epoch first. Unknown names (temp files, a user's notes) are ignored. */
export async function listLockEntries(lockDir: string): Promise<LockEntry[]> {
  const entries: LockEntry[] = [];
  for (const name of await listDir(lockDir)) {
    const entry = parseEntryName(name);
    if (entry) entries.push(entry);
  }
  return entries.sort((a, b) => a.epoch - b.epoch || a.kind.localeCompare(b.kind));
}

export function highestEpoch(entries: readonly LockEntry[]): number {
  return entries.length === 0 ? 0 : entries[entries.length - 1].epoch;
}

export type OwnerRead = { state: 'missing' } | { state: 'unreadable' } | { state: 'ok'; owner: LockOwner };

export function isLockOwner(value: unknown): value is LockOwner {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.instanceId === 'string' &&
    typeof v.pid === 'number' &&
    Number.isInteger(v.pid) &&
    typeof v.hostname === 'string' &&
    typeof v.startedAt === 'number' &&
    typeof v.epoch === 'number'
  );
}

export async function readOwner(file: string): Promise<OwnerRead> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e: unknown) {
    if (errorCode(e) === 'ENOENT') return { state: 'missing' };
    return { state: 'unreadable' };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isLockOwner(parsed) ? { state: 'ok', owner: parsed } : { state: 'unreadable' };
  } catch {
    return { state: 'unreadable' };
  }
}

/** The stat of a lock file as a comparable string, or null when it is gone. */
export async function signatureOf(file: string): Promise<FileSignature | null> {
  try {
    const st = await fsp.stat(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch (e: unknown) {
    if (errorCode(e) === 'ENOENT') return null;
    throw e;
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP', 'EXDEV']);

/**
 * Creates `epoch-N.lock` holding `owner`, exclusively: resolves 'exists' when another instance got there first.
 * The content is written to a private temp file and hard-linked into place, so the lock never exists half-written
 * and `link` fails atomically when the name is taken (also on NFS). Where hard links are not supported, falls back
 * to an exclusive create (`wx`); readers then treat a briefly empty file as "unreadable" and only judge it by its
 * heartbeat.
 */
export async function createLockFile(lockDir: string, owner: LockOwner): Promise<'created' | 'exists'> {
  const finalPath = path.join(lockDir, entryName(owner.epoch, 'held'));
  const content = `${JSON.stringify(owner)}\n`;
  const tempPath = path.join(lockDir, `${TEMP_PREFIX}${safeId(owner.instanceId)}-${randomBytes(4).toString('hex')}.tmp`);
  await writeSynced(tempPath, content, 'wx');
  try {
    await fsp.link(tempPath, finalPath);
  } catch (e: unknown) {
    const code = errorCode(e);
    if (code === 'EEXIST') return 'exists';
    if (!code || !NO_HARD_LINKS.has(code)) throw e;
    try {
      await writeSynced(finalPath, content, 'wx');
    } catch (e2: unknown) {
      if (errorCode(e2) === 'EEXIST') return 'exists';
      throw e2;
    }
  } finally {
    await unlinkIfPresent(tempPath).catch(() => undefined);
  }
  await fsyncDir(lockDir);
  return 'created';
}

async function writeSynced(file: string, content: string, flags: string): Promise<void> {
  const handle = await fsp.open(file, flags, 0o644);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Temp files left by claimants that crashed between writing and linking; old ones are swept by the writer. */
export async function sweepTempFiles(lockDir: string, olderThanMs: number, nowMs: number): Promise<void> {
  for (const name of await listDir(lockDir)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const file = path.join(lockDir, name);
    try {
      const st = await fsp.stat(file);
      if (nowMs - st.mtimeMs > olderThanMs) await unlinkIfPresent(file);
    } catch {
      // Raced with its owner removing it: nothing to do.
    }
  }
}

function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
}
