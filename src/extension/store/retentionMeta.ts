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

/** After a merge: the later of the two cutoffs applies to everything in memory. Returns how many calls went. */
export function applyRetentionAfterMerge(db: Db, recorder: Recorder, otherCutoff: string | undefined): number {
  const mine = readRetentionCutoff(db);
  const theirs = Number(otherCutoff ?? NaN);
  const cutoff = Math.max(mine ?? -Infinity, Number.isFinite(theirs) ? theirs : -Infinity);
  if (!Number.isFinite(cutoff)) return 0;
  if (cutoff !== mine) writeRetentionCutoff(db, cutoff);
  return recorder.pruneBefore(cutoff);
}
