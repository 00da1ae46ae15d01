/**
 * What the collector remembers per transcript file (stored as JSON through the store's FileStateStore, in the same
 * database as the records): how far it has read, enough identity to notice truncation or replacement, and the
 * conversation context needed to continue parsing from the middle of the file.
 *
 * Identity: size + mtime + inode decide "unchanged" with one stat. When they differ, a hash of the file's first bytes
 * (up to HEAD_BYTES, the part already read) tells an append apart from a replaced file of the same or larger size.
 */
import type { ReadAt } from './lineReader';
import { asObject, type JsonObject } from './narrow';
import { normalizeContext, type ContextState } from './contextState';

export const HEAD_BYTES = 4096;

export interface FileReadState {
  v: 1;
  size: number;
  mtimeMs: number;
  ino: number;
  /** Just after the last line taken. */
  offset: number;
  /** Lines taken so far (for file:line in messages). */
  line: number;
  headLen: number;
  head: string;
  ctx: ContextState;
}

export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
}

export type ReadPlan =
  | { action: 'skip' }
  | { action: 'read'; from: number; fresh: boolean; reason?: 'truncated' | 'replaced' };

export function decodeFileState(json: string | undefined): FileReadState | undefined {
  if (json === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  const o = asObject(raw);
  if (!o || o.v !== 1) return undefined;
  const size = whole(o, 'size');
  const offset = whole(o, 'offset');
  const line = whole(o, 'line');
  const headLen = whole(o, 'headLen');
  const ino = typeof o.ino === 'number' && Number.isFinite(o.ino) ? o.ino : undefined;
  const mtimeMs = typeof o.mtimeMs === 'number' && Number.isFinite(o.mtimeMs) ? o.mtimeMs : undefined;
  if (size === undefined || offset === undefined || line === undefined || headLen === undefined) return undefined;
  if (ino === undefined || mtimeMs === undefined || typeof o.head !== 'string' || offset > size || headLen > offset) {
    return undefined;
  }
  return { v: 1, size, mtimeMs, ino, offset, line, headLen, head: o.head, ctx: normalizeContext(o.ctx) };
}

export function encodeFileState(state: FileReadState): string {
  return JSON.stringify(state);
}

/** What a re-scan compares with one stat: the file's identity and its conversation's custom-title sidecar mtime. */
export interface KnownFile extends FileIdentity {
  sidecarMtime?: number;
}

export function knownFileOf(state: FileReadState): KnownFile {
  const known: KnownFile = { size: state.size, mtimeMs: state.mtimeMs, ino: state.ino };
  if (state.ctx.sidecarMtime !== undefined) known.sidecarMtime = state.ctx.sidecarMtime;
  return known;
}

function whole(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

export function isUnchanged(now: FileIdentity, state: FileIdentity): boolean {
  return now.size === state.size && now.mtimeMs === state.mtimeMs && now.ino === state.ino;
}

/** Decides where to read from. `readHead(len)` returns the hash of the file's first `len` bytes now. */
export function planRead(now: FileIdentity, state: FileReadState | undefined, readHead: (len: number) => string): ReadPlan {
  if (!state) return { action: 'read', from: 0, fresh: true };
  if (isUnchanged(now, state)) return { action: 'skip' };
  // Inode 0 means the platform does not report one; compare only real inodes.
  if (now.ino !== 0 && state.ino !== 0 && now.ino !== state.ino) return { action: 'read', from: 0, fresh: true, reason: 'replaced' };
  if (now.size < state.offset) return { action: 'read', from: 0, fresh: true, reason: 'truncated' };
  if (state.headLen > 0 && readHead(state.headLen) !== state.head) {
    return { action: 'read', from: 0, fresh: true, reason: 'replaced' };
  }
  return { action: 'read', from: state.offset, fresh: false };
}

/** FNV-1a over the source's first `len` bytes; '' when it is shorter. */
export function headHash(read: ReadAt, len: number): string {
  if (len <= 0) return '';
  const buf = Buffer.allocUnsafe(len);
  const n = read(buf, 0, len, 0);
  return n < len ? '' : hashOfHead(buf, len);
}

/** headHash of bytes already read from the file's start (`head` holds at least `len` of them). */
export function hashOfHead(head: Uint8Array, len: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    h ^= head[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${len}:${h.toString(16)}`;
}
