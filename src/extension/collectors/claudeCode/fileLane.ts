/**
 * The lane (wasm/transcriptLane.ts) for one file read from its start: each line is walked and applied to a context in
 * the WebAssembly module's memory, and the file's merged calls and context state are read back once at its end, so
 * the common lines never become parser objects, strings or context work in JavaScript (about a third of the parse
 * path's CPU). What the lane does not apply exactly as lineParser.ts and transcriptContext.ts would, it leaves: the
 * reader then reads the whole file again its own way (fileReader.ts). Titles and the prompts that can name a
 * conversation are read by JavaScript as the lane meets them.
 */
import { SOURCES, type CallInput } from '../../../shared/callRecord';
import { emptyChain, type ChainState, type ContextState } from './contextState';
import type { Field, Schema } from './lineSchema';
import { exportedNumber, isWalkTrap, lineAddress, lineWalk, schemaTable, type LineWalk } from './lineWalker';
import type { TranscriptFile } from './transcriptFiles';
import { LINE } from './transcriptSchema';

interface LaneExports {
  laneBegin(subagent: number): void;
  laneLine(from: number, to: number, schema: number, wantPrompt: number): number;
  laneCopies(): number;
  laneState(): void;
  laneCopiesAddress(): number;
  laneCopyStringsAddress(): number;
  laneStateAddress(): number;
  laneKeyTable(): number;
  laneStringCount(): number;
  laneStringsAddress(): number;
}

/** What the lane did with a line (the module's LANE_* constants). */
export const enum LaneStatus {
  Done = 0,
  /** A title line: JavaScript reads it. */
  Title = 1,
  /** A user line applied; JavaScript reads its prompt, which may name the conversation. */
  Prompt = 2,
  /** Not the lane's: read the file again without it. */
  Leave = 3,
}

export type LaneConsumer = 'chat' | 'run' | 'agent';

export interface LaneCall {
  /** The call as transcriptContext.ts makes it, but for its consumer's key (the context's). */
  input: CallInput;
  consumer: LaneConsumer;
}

/** The file as the lane read it: its calls (best copies, in the order their keys first came) and context state. */
export interface LaneOutcome {
  calls: LaneCall[];
  /** The file's one chain (when a line made it): its key in ContextState.chains and its state. */
  chain: { key: string; state: ChainState } | undefined;
  cwd: string | undefined;
  kind: ContextState['kind'];
  compact: true | undefined;
}

const CONSTANT_NAMES = [
  'LANE_DONE', 'LANE_TITLE', 'LANE_PROMPT', 'LANE_LEAVE', 'COPY_F64', 'COPY_I32', 'STATE_F64', 'CONSUMER_SHIFT', 'SIDECHAIN_BIT',
  'LANE_KEY_IDS',
] as const;
type Constants = Record<(typeof CONSTANT_NAMES)[number], number>;
const CONSUMERS: readonly LaneConsumer[] = ['chat', 'run', 'agent'];
const NO_TAGS: ReadonlySet<string> = new Set();

/** The line schema with nothing remembered between lines: the lane compares its strings itself. */
function valuesOnly(schema: Schema): Schema {
  const field = (f: Field): Field => (typeof f === 'object' ? valuesOnly(f) : f === 'shared' || f === 'tag' ? 'value' : f);
  return Object.fromEntries(Object.entries(schema).map(([name, f]) => [name, field(f)]));
}
const LANE_SCHEMA = valuesOnly(LINE);

interface Lane {
  walk: LineWalk;
  x: LaneExports;
  k: Constants;
  table: number;
  /** Walk keys whose field numbers are written to the module's key table. */
  keysWritten: number;
}

let lane: Lane | null | undefined;
let enabled = true;
/** The file the lane is reading: its context is the module's, so a thread reads one file at a time through it. */
let busy = false;

/** Files this thread read through the lane to their end (tests check that the lane took a file). */
export const laneTally = { finished: 0 };

/** Turns the lane off or on (tests compare what files give with and without it). */
export function setLaneEnabled(on: boolean): void {
  enabled = on;
}

function loadLane(): Lane | null {
  const walk = lineWalk();
  if (!walk) return null;
  const raw = walk.exports as unknown as LaneExports & Record<string, unknown>;
  const k = {} as Constants;
  for (const name of CONSTANT_NAMES) {
    const v = exportedNumber(raw, name);
    if (v === undefined) return null; // an older build of the module: no lane
    k[name] = v;
  }
  if (k.LANE_DONE !== LaneStatus.Done || k.LANE_TITLE !== LaneStatus.Title || k.LANE_PROMPT !== LaneStatus.Prompt || k.LANE_LEAVE !== LaneStatus.Leave) {
    throw new Error('the lane module and fileLane.ts disagree on line statuses');
  }
  const table = schemaTable(walk, LANE_SCHEMA, NO_TAGS);
  // Every key on the lane's tapes must have a place in the module's key table (ids are given as keys are placed).
  return table === null || walk.keys.length > k.LANE_KEY_IDS ? null : { walk, x: raw, k, table, keysWritten: 0 };
}

/** Writes the field number (LF_*, 0: none) of every walk key placed since the last call (ids are shared by schemas). */
function syncKeys(l: Lane): void {
  const { walk, x, k } = l;
  const raw = walk.exports as unknown as Record<string, unknown>;
  const at = x.laneKeyTable();
  const upTo = Math.min(walk.keys.length, k.LANE_KEY_IDS);
  for (let id = l.keysWritten; id < upTo; id++) walk.mem.writeInt32LE(exportedNumber(raw, `LF_${walk.keys[id].name}`) ?? 0, at + id * 4);
  l.keysWritten = upTo;
}

/**
 * The lane for a file read from its start, when it can take it: the module is there, the file is a session's or a
 * subagent's with its id, and it is read in one piece (fewer chunks than a checkpoint), so nothing is handed over
 * before the lane has read it all. Undefined as well while another file of this thread is in the lane (a read that
 * yields between chunks can meet another one): release() frees it.
 */
export function laneFor(file: TranscriptFile, size: number, chunkBytes: number, checkpointChunks: number): FileLane | undefined {
  if (!enabled || busy || (file.kind === 'subagent' && !file.agentId)) return undefined;
  if (Math.ceil(size / chunkBytes) >= checkpointChunks) return undefined;
  if (lane === undefined) lane = loadLane();
  if (!lane) return undefined;
  syncKeys(lane);
  lane.x.laneBegin(file.kind === 'subagent' ? 1 : 0);
  busy = true;
  return new FileLane(lane, file);
}

export class FileLane {
  constructor(
    private readonly l: Lane,
    private readonly file: TranscriptFile,
  ) {}

  /** Applies the line [from, to) of `buf`. */
  line(buf: Buffer, from: number, to: number, wantPrompt: boolean): LaneStatus {
    const { walk, x, table } = this.l;
    const at = lineAddress(walk, buf, from, to);
    if (at < 0) return LaneStatus.Leave;
    try {
      return x.laneLine(at, at + to - from, table, wantPrompt ? 1 : 0) as LaneStatus;
    } catch (e: unknown) {
      if (isWalkTrap(e)) return LaneStatus.Leave;
      throw e;
    }
  }

  /** The read is over, however it ended: another file may take the lane. */
  release(): void {
    busy = false;
  }

  /** The file's calls and state (read once, after its last line). */
  finish(): LaneOutcome {
    laneTally.finished++;
    const { walk, x, k } = this.l;
    const buffer = walk.mem.buffer;
    const strings = new Int32Array(buffer, x.laneStringsAddress(), x.laneStringCount() * 3);
    const decoded: Array<string | undefined> = [];
    // Strings without bytes above 0x7f are ASCII, which latin1 decodes exactly and fastest; the rest are well-formed
    // UTF-8 (laneTape.ts leaves on any other).
    const text = (n: number): string | undefined => {
      if (n < 0) return undefined;
      const at = strings[n * 3];
      return (decoded[n] ??= walk.mem.toString(strings[n * 3 + 2] === 0 ? 'latin1' : 'utf8', at, at + strings[n * 3 + 1]));
    };
    const count = x.laneCopies();
    const v = new Float64Array(buffer, x.laneCopiesAddress(), count * k.COPY_F64);
    const refs = new Int32Array(buffer, x.laneCopyStringsAddress(), count * k.COPY_I32);
    const calls: LaneCall[] = new Array<LaneCall>(count);
    for (let c = 0, n = 0, r = 0; c < count; c++, n += k.COPY_F64, r += k.COPY_I32) {
      const codes = refs[r + 7];
      const duration = v[n + 8];
      const input: CallInput = {
        key: text(refs[r]) as string,
        requestId: text(refs[r + 1]),
        ts: v[n],
        source: SOURCES[codes & 15],
        consumer: { key: '', name: '' },
        model: text(refs[r + 2]) as string,
        tokens: { input: v[n + 1], cacheWrite5m: v[n + 2], cacheWrite1h: v[n + 3], cacheRead: v[n + 4], output: v[n + 5] },
        webSearchRequests: v[n + 6],
        webFetchRequests: v[n + 7],
        serviceTier: text(refs[r + 3]),
        speed: text(refs[r + 4]),
        inferenceGeo: text(refs[r + 5]),
        durationMs: duration < 0 ? null : duration,
        project: text(refs[r + 6]),
        collector: 'claude-code',
        sidechain: (codes & k.SIDECHAIN_BIT) !== 0,
      };
      calls[c] = { input, consumer: CONSUMERS[(codes >> k.CONSUMER_SHIFT) & 15] };
    }
    x.laneState();
    const s = new Float64Array(buffer, x.laneStateAddress(), k.STATE_F64);
    let chain: LaneOutcome['chain'];
    if (s[0] === 1) {
      const state = emptyChain();
      state.p = s[2] === 0 ? undefined : s[2] === 1 ? null : s[3];
      state.o = s[4] === 1 ? { id: text(s[5]) as string, f: s[6], l: s[7], s: Number.isNaN(s[8]) ? null : s[8] } : undefined;
      chain = { key: this.file.kind === 'subagent' ? `a:${text(s[1]) ?? ''}` : 'main', state };
    }
    return { calls, chain, cwd: text(s[9]), kind: s[10] === 2 ? 'headless' : s[10] === 1 ? 'interactive' : undefined, compact: s[11] === 1 ? true : undefined };
  }
}
