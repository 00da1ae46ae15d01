/**
 * Reads what is new in one transcript file and turns it into calls: everything between "this file changed" (decided
 * by the scanner from one stat) and "record this". A pure function of its job, so it runs the same in the store's
 * worker and in a reader thread (readerPool.ts): no store, no log, no sink — it hands back pieces (calls, renames and
 * the read state that says so) and a summary, and the scanner records them in file order.
 */
import fs from 'node:fs';
import type { CallInput } from '../../../shared/callRecord';
import type { CallList } from './callPacking';
import {
  decodeFileState,
  encodeFileState,
  HEAD_BYTES,
  hashOfHead,
  headHash,
  knownFileOf,
  planRead,
  type FileIdentity,
  type FileReadState,
  type KnownFile,
  type ReadPlan,
} from './fileReadState';
import { badLine, parseLineAt } from './lineParser';
import { FileLane, LaneStatus, laneFor } from './fileLane';
import { DEFAULT_CHUNK_BYTES, fileReadAt, readLines, type LineHandler, type LineReaderOptions, type ReadAt, type ReadOutcome } from './lineReader';
import type { AgentMeta } from './names';
import { readAgentMeta } from './sidecars';
import { emptyContext, type ContextState } from './contextState';
import { TranscriptContext } from './transcriptContext';
import type { TranscriptFile } from './transcriptFiles';

/** Read chunks (of 1 MB) between intermediate pieces of one large file. */
export const CHECKPOINT_CHUNKS = 32;
/** Bad lines described one by one per file (the rest are counted); the scanner's log decides how many it shows. */
export const BAD_LINE_SAMPLES = 3;

export interface ReadJob {
  file: TranscriptFile;
  /** Meta files of the session's subagents, by agent id (names for copies wrapped in the parent transcript). */
  agentMeta: Array<[string, string]>;
  identity: FileIdentity;
  /** The file's stored state as stored (decoded here, so it can cross to a reader thread as plain text). */
  prevEncoded?: string;
  /** The stat matched the stored state: only the custom-title sidecar changed. */
  unchanged: boolean;
  /** The conversation's custom-title sidecar changed: its new mtime (undefined: gone) and title. */
  sidecar?: { mtimeMs?: number; title?: string };
  chunkBytes?: number;
  /** Lines longer than this are shrunk as they are read (lineReader.ts; undefined: its default). */
  bigLineBytes?: number;
  checkpointChunks?: number;
}

/**
 * What was read up to a point of the file, to be recorded before `encoded` is stored. Its calls are objects where
 * the file was read, and may stay packed (CallList) on their way from a reader thread to the sink.
 */
export interface ReadPiece<Calls extends CallList = CallInput[]> {
  calls: Calls;
  renames: Array<{ key: string; name: string }>;
  encoded: string;
  known: KnownFile;
  /** An intermediate piece of a large file: record it at once (its calls must not pile up). */
  checkpoint: boolean;
}

export type ReadResult =
  | { kind: 'read'; bytesRead: number; lines: number; bad: number; badSamples: Array<{ line: number; reason: string }>; replaced?: string }
  | { kind: 'unchanged' }
  | { kind: 'gone' }
  | { kind: 'unreadable'; reason: string };

export interface ReadHooks {
  onPiece(piece: ReadPiece): void;
  /** Awaited between chunks (yield to the event loop). */
  pause?: () => Promise<void> | void;
  /** Checked between chunks: stop early (what was handed over stays valid). */
  stopped?: () => boolean;
  /** Agent meta files, cached by the caller for the length of a scan. */
  meta(metaPath: string): AgentMeta | undefined;
}

export async function readTranscriptFile(job: ReadJob, hooks: ReadHooks): Promise<ReadResult> {
  let fd: number;
  try {
    fd = fs.openSync(job.file.path, 'r');
  } catch (e: unknown) {
    const code = errorCode(e);
    return code === 'ENOENT' ? { kind: 'gone' } : { kind: 'unreadable', reason: code ?? (e instanceof Error ? e.message : String(e)) };
  }
  try {
    return await readTranscript(job, hooks, fileReadAt(fd));
  } finally {
    fs.closeSync(fd);
  }
}

/** readTranscriptFile of a file already open, or of bytes that stand for one (`read` reads them). */
export async function readTranscript(job: ReadJob, hooks: ReadHooks, read: ReadAt): Promise<ReadResult> {
  const prev = decodeFileState(job.prevEncoded);
  const plan: ReadPlan =
    prev && job.unchanged ? { action: 'read', from: prev.offset, fresh: false } : planRead(job.identity, prev, (len) => headHash(read, len));
  if (plan.action === 'skip') return { kind: 'unchanged' };
  const lane = plan.fresh
    ? laneFor(job.file, job.identity.size, job.chunkBytes ?? DEFAULT_CHUNK_BYTES, job.checkpointChunks ?? CHECKPOINT_CHUNKS)
    : undefined;
  if (lane) {
    try {
      const laned = await readFrom(job, hooks, read, plan, prev, lane);
      if (laned) return laned;
    } finally {
      lane.release();
    }
  }
  return (await readFrom(job, hooks, read, plan, prev, undefined)) as ReadResult;
}

/** Thrown by a line handler to stop a read through the lane (fileLane.ts) that met a line not its own. */
const LANE_LEFT = new Error('the lane left the file');

/** Reads as planned, through the lane when given one; undefined when the lane left the file (nothing handed over). */
async function readFrom(
  job: ReadJob,
  hooks: ReadHooks,
  read: ReadAt,
  plan: Extract<ReadPlan, { action: 'read' }>,
  prev: FileReadState | undefined,
  lane: FileLane | undefined,
): Promise<ReadResult | undefined> {
  const f = job.file;
  const ctxState = plan.fresh ? restartContext(prev?.ctx) : (prev as FileReadState).ctx;
  const ownMeta = f.kind === 'subagent' && f.metaPath ? hooks.meta(f.metaPath) : undefined;
  const agentMeta = new Map(job.agentMeta);
  const ctx = new TranscriptContext(f, ctxState, ownMeta, (agentId) => {
    const metaPath = agentMeta.get(agentId);
    return metaPath ? hooks.meta(metaPath) : undefined;
  });
  if (job.sidecar) ctx.setSidecarTitle(job.sidecar.mtimeMs, job.sidecar.title);

  const startLine = plan.fresh ? 0 : (prev?.line ?? 0);
  let lineNo = startLine;
  let bad = 0;
  const badSamples: Array<{ line: number; reason: string }> = [];
  const identity = job.identity;
  let headLen = plan.fresh || !prev ? 0 : prev.headLen;
  let head = plan.fresh || !prev ? '' : prev.head;
  // The file's first bytes as this read met them: its head is hashed from them rather than read a second time
  // (one syscall per file, ~17 us apiece here — ~5 % of a reader thread's import).
  let firstBytes: Buffer | undefined;
  /**
   * Hands what was read so far over, with the state that says so. A piece in the middle of the file records the
   * size as the offset reached, so that it never passes for "unchanged" and the rest is read later.
   */
  const handOver = (offset: number, lines: number, final: boolean): void => {
    const drained = ctx.drain();
    if (headLen < HEAD_BYTES && offset > headLen) {
      headLen = Math.min(offset, HEAD_BYTES);
      head = firstBytes && firstBytes.length >= headLen ? hashOfHead(firstBytes, headLen) : headHash(read, headLen);
    }
    const size = final ? identity.size : offset;
    const state: FileReadState = { v: 1, ...identity, size, offset, line: startLine + lines, headLen, head, ctx: ctx.state };
    hooks.onPiece({ calls: drained.calls, renames: drained.renames, encoded: encodeFileState(state), known: knownFileOf(state), checkpoint: !final });
  };
  let sinceCheckpoint = 0;
  const checkpointChunks = job.checkpointChunks ?? CHECKPOINT_CHUNKS;
  const wantsPrompt = (sidechain: boolean): boolean => ctx.wantsPrompt(sidechain);
  const jsLine: LineHandler = (bytes, from, to, complete) => {
    const parsed = bytes === null ? (complete ? badLine('line too large') : null) : parseLineAt(bytes, from, to, complete, wantsPrompt);
    if (parsed === null || parsed.kind === 'pending') return false;
    lineNo++;
    const reason = ctx.handle(parsed);
    if (reason !== undefined) {
      if (badSamples.length < BAD_LINE_SAMPLES) badSamples.push({ line: lineNo, reason });
      bad++;
    }
    return true;
  };
  /** A line through the lane: JavaScript reads only titles, and prompts that can still name the conversation. */
  const laneLine = (l: FileLane): LineHandler => (bytes, from, to, complete) => {
    if (bytes === null || !complete) throw LANE_LEFT;
    lineNo++;
    if (from === to) return true; // an empty line: nothing to read
    const status = l.line(bytes, from, to, ctx.wantsPrompt(false));
    if (status === LaneStatus.Done) return true;
    if (status === LaneStatus.Leave) throw LANE_LEFT;
    const parsed = parseLineAt(bytes, from, to, true, true);
    if (status === LaneStatus.Prompt && parsed.kind === 'user') ctx.notePrompt(parsed.prompt);
    else if (status !== LaneStatus.Title || (parsed.kind !== 'title' && parsed.kind !== 'ignored') || ctx.handle(parsed) !== undefined) throw LANE_LEFT;
    return true;
  };
  const options: LineReaderOptions = {
    chunkBytes: job.chunkBytes,
    bigLineBytes: job.bigLineBytes,
    pause: hooks.pause,
    stopped: hooks.stopped,
    onChunk: headLen < HEAD_BYTES
      ? (bytes, at) => {
          if (at === 0) firstBytes = Buffer.from(bytes.subarray(0, HEAD_BYTES));
        }
      : undefined,
    // A huge transcript is recorded as it is read, so its calls never pile up in memory.
    checkpoint: (offset, lines) => {
      sinceCheckpoint++;
      if (sinceCheckpoint < checkpointChunks) return;
      if (lane) throw LANE_LEFT; // the lane hands nothing over before the file's end (laneFor takes no such file)
      sinceCheckpoint = 0;
      handOver(offset, lines, false);
    },
  };
  let outcome: ReadOutcome;
  try {
    outcome = await readLines(read, plan.from, identity.size, lane ? laneLine(lane) : jsLine, options);
  } catch (e: unknown) {
    if (e === LANE_LEFT) return undefined;
    throw e;
  }
  if (lane && !outcome.stopped) ctx.adoptLane(lane.finish());
  if (!outcome.stopped) handOver(outcome.endOffset, outcome.lines, true);
  return { kind: 'read', bytesRead: outcome.bytesRead, lines: outcome.lines, bad, badSamples, replaced: plan.reason };
}

/** A re-read file starts parsing afresh but keeps what names its consumers already have in the store. */
function restartContext(prev: ContextState | undefined): ContextState {
  const ctx = emptyContext();
  if (!prev) return ctx;
  Object.assign(ctx.named, prev.named);
  if (prev.sidecarMtime !== undefined) ctx.sidecarMtime = prev.sidecarMtime;
  if (prev.titles.sidecar) ctx.titles.sidecar = prev.titles.sidecar;
  return ctx;
}

/** Agent meta files read at most once per scan. */
export class MetaCache {
  private readonly cache = new Map<string, AgentMeta | undefined>();

  get(metaPath: string): AgentMeta | undefined {
    if (!this.cache.has(metaPath)) this.cache.set(metaPath, readAgentMeta(metaPath));
    return this.cache.get(metaPath);
  }
}

export function errorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
