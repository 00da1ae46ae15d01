/**
 * Primes a thread's JIT for a large import: the made-up transcripts of warmUpTranscripts.ts go through the real parse
 * path a few times before the first real file. V8 optimizes the parse path from what it has seen so far; a branch it
 * has not seen (a bad line, a subagent line, a line across two chunks…) is compiled as "deoptimize here", and the
 * first real line to take it throws the optimized code away and sends the whole inlined path back to be compiled
 * again. A cold import of the bench's 1 GB corpus deoptimized 65 times (both threads), 31 times with the warm-up;
 * recompiles fell from ~0.9 to ~0.5 s of compile jobs. It costs a thread ~60–80 ms, most of it what its first real
 * file would pay anyway (instantiating the walk, first compiles). Nothing read here is recorded.
 */
import { packCalls, unpackCalls } from './callPacking';
import { readTranscript, type ReadHooks, type ReadJob } from './fileReader';
import { memoryReadAt } from './lineReader';
import { warmUpTranscripts, type WarmUpTranscript } from './warmUpTranscripts';

/** Rounds over the transcripts: V8 keeps type feedback for a function only after its first several calls. */
const ROUNDS = 4;

let warmedUp: Promise<void> | undefined;

/**
 * Once per thread; never fails (a thread that could not warm up parses as it would have without). `received`: this
 * thread's jobs arrive as messages, so the warm-up's jobs are copied the same way — V8 gives an object copied from a
 * message other hidden classes than the same object written as a literal, and code optimized for one kind of object
 * would be thrown away at the first of the other.
 */
export function warmUpParser(received: boolean): Promise<void> {
  warmedUp ??= warmUp(received).catch(() => undefined);
  return warmedUp;
}

async function warmUp(received: boolean): Promise<void> {
  const transcripts = warmUpTranscripts();
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of transcripts) {
      const job = warmUpJob(t);
      const hooks: ReadHooks = { onPiece: (piece) => void unpackCalls(packCalls(piece.calls)), meta: () => ({ agentType: 'Explore' }) };
      await readTranscript(received ? structuredClone(job) : job, hooks, memoryReadAt(t.bytes));
    }
  }
}

/** The job that reads one of the transcripts afresh, as a file that holds its bytes would be read. */
export function warmUpJob(t: WarmUpTranscript): ReadJob {
  return {
    file: t.file,
    agentMeta: [],
    identity: { size: t.bytes.length, mtimeMs: 0, ino: 0 },
    unchanged: false,
    chunkBytes: t.chunkBytes,
    bigLineBytes: t.bigLineBytes,
    checkpointChunks: t.checkpointChunks,
  };
}
