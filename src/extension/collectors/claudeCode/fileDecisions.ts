/**
 * What a scan does with one listed file, decided from one stat and its stored read state: nothing (unchanged), or a
 * read job for what is new. The identity part of each stored state is kept decoded, by path, with the stored text it
 * came from: a re-scan compares a stat with it instead of decoding every file's JSON state (which carries the
 * conversation context).
 */
import type { FileStateStore } from '../collector';
import { decodeFileState, isUnchanged, knownFileOf, type KnownFile } from './fileReadState';
import type { ReadJob } from './fileReader';
import { slotFor, type Slot } from './orderedReads';
import type { ScanLog } from './scanLog';
import { readCustomTitle, sidecarMtime } from './sidecars';
import { statNow, type StatFacts, type StatFn } from './statAhead';
import { errorCode, type Listing, type TranscriptFile } from './transcriptFiles';

export interface DecisionOptions {
  chunkBytes?: number;
  checkpointChunks?: number;
  /** Shutting down: a vanished file's state is not touched (the store is closing). */
  abandoned(): boolean;
}

export class FileDecisions {
  private readonly known = new Map<string, { encoded: string; known: KnownFile | undefined }>();

  constructor(
    private readonly fileState: FileStateStore,
    private readonly log: ScanLog,
    private readonly options: DecisionOptions,
  ) {}

  /**
   * One stat (through `stat`: a full scan's goes through statAhead.ts): unchanged files are done; a changed file
   * becomes a read job.
   */
  decide(f: TranscriptFile, listing: Listing, stat: StatFn = statNow): Slot {
    const slot = slotFor(f);
    let st: StatFacts | undefined;
    try {
      st = stat(f.path);
    } catch (e: unknown) {
      this.log.once(f.path, 'warn', `Cannot read ${f.path} (${errorCode(e) ?? (e instanceof Error ? e.message : String(e))}); skipped until it is readable.`);
      return slot;
    }
    if (!st) {
      // Gone since the listing: forget its offset (its records stay).
      if (!this.options.abandoned()) this.fileState.delete(f.path);
      return slot;
    }
    const stored = this.fileState.get(f.path);
    const known = this.knownFile(f.path, stored);
    const sidecarNow = f.kind === 'session' ? sidecarMtime(f.sidecarPath) : undefined;
    const sidecarChanged = f.kind === 'session' && sidecarNow !== known?.sidecarMtime;
    const unchanged = known !== undefined && isUnchanged(st, known);
    slot.mtime = st.mtimeMs;
    if (unchanged && !sidecarChanged) return slot;
    const identity = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
    const job: ReadJob = {
      file: f,
      agentMeta: [...(listing.agentMeta.get(f.sessionId) ?? [])],
      identity,
      unchanged,
      chunkBytes: this.options.chunkBytes,
      checkpointChunks: this.options.checkpointChunks,
    };
    if (stored !== undefined) job.prevEncoded = stored;
    if (sidecarChanged) {
      job.sidecar = { mtimeMs: sidecarNow, title: f.sidecarPath && sidecarNow !== undefined ? readCustomTitle(f.sidecarPath) : undefined };
    }
    slot.job = job;
    slot.state = 'waiting';
    const appended = known && known.ino === identity.ino && identity.size >= known.size ? identity.size - known.size : identity.size;
    slot.newBytes = Math.max(0, appended);
    return slot;
  }

  /** A file's new state was stored. */
  stored(filePath: string, encoded: string, known: KnownFile): void {
    this.known.set(filePath, { encoded, known });
  }

  /** A file's state was dropped. */
  forget(filePath: string): void {
    this.known.delete(filePath);
  }

  /** The identity in a file's stored state, decoded once per stored text. */
  private knownFile(filePath: string, stored: string | undefined): KnownFile | undefined {
    if (stored === undefined) {
      this.known.delete(filePath);
      return undefined;
    }
    const cached = this.known.get(filePath);
    if (cached && cached.encoded === stored) return cached.known;
    const state = decodeFileState(stored);
    const known = state ? knownFileOf(state) : undefined;
    this.known.set(filePath, { encoded: stored, known });
    return known;
  }
}
