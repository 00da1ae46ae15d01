/**
 * The retention cutoff kept in the database (meta), so that calls before it do not come back when another window's
 * older file is merged into this one.
 */
import type { Recorder } from '../recorder/recorder';
import type { Db } from './db';
import { readMetaValue, writeMetaValue } from './metaTable';

export const RETENTION_META = 'retention_cutoff';

export function readRetentionCutoff(db: Db): number | null {
  const value = Number(readMetaValue(db, RETENTION_META) ?? NaN);
  return Number.isFinite(value) ? value : null;
}

export function writeRetentionCutoff(db: Db, cutoff: number): void {
  writeMetaValue(db, RETENTION_META, String(cutoff));
}

/**
 * Removes calls older than `cutoff` (UTC ms) and their roll-ups, keeps the cutoff, and compacts the database so the
 * file shrinks at the next save. Refuses a cutoff later than the clock: that is a bug or a broken clock, and deleting
 * history is not undoable. `changed` runs once the cutoff is written (so it is saved even if pruning fails). Returns
 * how many calls went.
 */
export function pruneStoredBefore(db: Db, recorder: Recorder, cutoff: number, now: number, changed: () => void): number {
  if (typeof cutoff !== 'number' || !Number.isFinite(cutoff)) throw new Error(`pruneBefore: the cutoff must be a time in UTC ms (got ${String(cutoff)})`);
  if (cutoff > now) throw new Error(`pruneBefore: the cutoff ${new Date(cutoff).toISOString()} is in the future; nothing was removed`);
  const cutoffMs = Math.floor(cutoff);
  writeRetentionCutoff(db, cutoffMs);
  changed();
  const removed = recorder.pruneBefore(cutoffMs);
  if (removed > 0) db.exec('VACUUM');
  return removed;
}

/** After a merge: the later of the two cutoffs applies to everything in memory. Returns how many calls went. */
export function applyRetentionAfterMerge(db: Db, recorder: Recorder, otherCutoff: string | undefined): number {
  const mine = readRetentionCutoff(db);
  const theirs = Number(otherCutoff ?? NaN);
  const cutoff = Math.max(mine ?? -Infinity, Number.isFinite(theirs) ? theirs : -Infinity);
  if (!Number.isFinite(cutoff)) return 0;
  if (cutoff !== mine) writeRetentionCutoff(db, cutoff);
  return recorder.pruneBefore(cutoff);
}
