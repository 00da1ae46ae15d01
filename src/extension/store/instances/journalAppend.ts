/**
 * Appends calls to the journal so they survive `kill -9` of any process at any moment: the promise resolves only
 * after the bytes are written with O_APPEND, fsynced, and the file is still the live generation. Any instance may
 * append at any time; no lock is needed (see README.md for why lines from several processes never interleave and
 * why a rotation can never swallow an acknowledged call).
 */
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { validateCall } from '../../recorder/validateCall';
import type { RecordRejection } from '../storeApi';
import { errorCode, fsyncDir } from './fsUtil';
import { appendTarget, generationName, highestGeneration, journalDirOf, listGenerations } from './journalFiles';

/** A journal line is one small JSON object; bigger means something is wrong with the call, not the journal. */
export const MAX_JOURNAL_LINE_BYTES = 64 * 1024;
const MAX_ATTEMPTS = 8;

export interface AppendResult {
  /** Calls now durable in the journal. */
  appended: number;
  /** Calls refused before anything was written (each with the same message the recorder would give). */
  rejected: RecordRejection[];
  /**
   * How many times the batch was written again because a rotation retired the file during the append (each time
   * the batch may now be in the journal twice; the recorder's dedup by key absorbs it).
   */
  rewrites: number;
}

export class JournalAppendError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JournalAppendError';
  }
}

/**
 * Validates, then appends every valid call as one line, in ONE write (so a batch lands whole, between other
 * processes' batches). Throws JournalAppendError when the journal cannot be written (disk full, read-only):
 * then nothing was acknowledged and the caller must say so.
 */
export async function appendToJournal(storageDir: string, calls: readonly unknown[]): Promise<AppendResult> {
  const rejected: RecordRejection[] = [];
  const lines: string[] = [];
  calls.forEach((value, index) => {
    const checked = validateCall(value);
    if (!checked.ok) {
      rejected.push({ index, key: checked.key, message: checked.message });
      return;
    }
    const line = JSON.stringify(checked.call);
    if (Buffer.byteLength(line) > MAX_JOURNAL_LINE_BYTES) {
      rejected.push({ index, key: checked.call.key, message: `the call is larger than ${MAX_JOURNAL_LINE_BYTES} bytes as JSON` });
      return;
    }
    lines.push(line);
  });
  if (lines.length === 0) return { appended: 0, rejected, rewrites: 0 };
  // Each line STARTS with a newline too: if an earlier writer died after a partial write (disk full), its torn
  // bytes end at our newline and become one skipped line instead of swallowing our first call.
  const bytes = Buffer.from(`\n${lines.join('\n')}\n`, 'utf8');
  const rewrites = await appendBytes(journalDirOf(storageDir), bytes);
  return { appended: lines.length, rejected, rewrites };
}

/** Resolves with the number of rewrites once the bytes are durable in the live generation. */
async function appendBytes(journalDir: string, bytes: Buffer): Promise<number> {
  let lastError: unknown;
  let rewrites = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let target: string;
    try {
      target = await targetFile(journalDir);
    } catch (e: unknown) {
      if (e instanceof JournalAppendError) throw e;
      throw new JournalAppendError(`Cannot find the journal in ${journalDir}: ${describeError(e)}`, { cause: e });
    }
    let handle: fsp.FileHandle;
    try {
      // No O_CREAT: if a rotation renamed the file between our listing and this open, fail and look again
      // instead of re-creating a generation that readers may already have finished.
      handle = await fsp.open(target, constants.O_WRONLY | constants.O_APPEND);
    } catch (e: unknown) {
      if (errorCode(e) === 'ENOENT') {
        lastError = e;
        continue;
      }
      throw new JournalAppendError(`Cannot open the journal ${target}: ${describeError(e)}`, { cause: e });
    }
    try {
      const { bytesWritten } = await handle.write(bytes, 0, bytes.length, null);
      if (bytesWritten !== bytes.length) {
        lastError = new Error(`short write (${bytesWritten} of ${bytes.length} bytes)`);
        continue;
      }
      await handle.sync();
      if (await stillLive(handle, target)) return rewrites;
      rewrites += 1;
      // A rotation retired this file while we wrote: the reader may already be past it, so write again into the
      // new generation. A duplicate line is harmless (the recorder dedups by key); a lost one is not.
      lastError = new Error('the journal was rotated during the append');
    } catch (e: unknown) {
      throw new JournalAppendError(`Cannot append to the journal ${target}: ${describeError(e)}`, { cause: e });
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  throw new JournalAppendError(`Cannot append to the journal in ${journalDir} after ${MAX_ATTEMPTS} attempts: ${describeError(lastError)}`);
}

async function stillLive(handle: fsp.FileHandle, target: string): Promise<boolean> {
  const [mine, named] = await Promise.all([handle.stat({ bigint: true }), statOrNull(target)]);
  return named !== null && named.ino === mine.ino && named.dev === mine.dev;
}

async function statOrNull(file: string): Promise<{ ino: bigint; dev: bigint } | null> {
  try {
    return await fsp.stat(file, { bigint: true });
  } catch (e: unknown) {
    if (errorCode(e) === 'ENOENT') return null;
    throw e;
  }
}

/** The live generation's path, creating the folder and the first generation when there is none. */
async function targetFile(journalDir: string): Promise<string> {
  let files = await listGenerations(journalDir);
  let active = appendTarget(files);
  if (active) return path.join(journalDir, active.name);
  await fsp.mkdir(journalDir, { recursive: true });
  const generation = highestGeneration(files) + 1;
  const file = path.join(journalDir, generationName(generation, 'active'));
  try {
    const handle = await fsp.open(file, 'wx', 0o644);
    await handle.close();
    await fsyncDir(journalDir);
  } catch (e: unknown) {
    if (errorCode(e) !== 'EEXIST') throw new JournalAppendError(`Cannot create the journal ${file}: ${describeError(e)}`, { cause: e });
  }
  files = await listGenerations(journalDir);
  active = appendTarget(files);
  return path.join(journalDir, active ? active.name : generationName(generation, 'active'));
}

function describeError(e: unknown): string {
  const code = errorCode(e);
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EROFS') return 'the storage folder is read-only';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
