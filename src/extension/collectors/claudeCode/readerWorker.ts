/**
 * The reader thread: parses transcript files (fileReader.ts) for the store's worker, so a large import uses a second
 * core for parsing while the store's worker records. It holds no database and writes nothing: it reads files and
 * posts calls back.
 *
 * The thread runs the bundle that contains this module (the store's worker bundle) with `workerData` marking it as a
 * reader; this module's top-level check below then starts the loop. Messages are typed in ReaderRequest/ReaderReply.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { packCalls, transferablesOf, type PackedCalls } from './callPacking';
import { MetaCache, readTranscriptFile, type ReadJob, type ReadPiece, type ReadResult } from './fileReader';
import { warmUpParser } from './parserWarmUp';

/** The `workerData` key that turns a thread into a reader. */
export const READER_FLAG = 'claudeCodeReader';

export type ReaderRequest =
  | { type: 'job'; id: number; job: ReadJob }
  /** Stop a job at its next chunk (its reply still comes, as a result with `stopped`). */
  | { type: 'stop'; id: number };

/** A piece with its calls packed (callPacking.ts). */
export type PackedPiece = Omit<ReadPiece, 'calls'> & { packed: PackedCalls };

export type ReaderReply =
  | { type: 'piece'; id: number; piece: PackedPiece }
  | { type: 'result'; id: number; result: ReadResult; stopped: boolean }
  | { type: 'failed'; id: number; message: string };

/** Yield to the thread's message loop this often while parsing, so a stop request is seen. */
const YIELD_MS = 20;

export function isReaderThread(): boolean {
  if (isMainThread || parentPort === null) return false;
  const data: unknown = workerData;
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>)[READER_FLAG] === true;
}

function runReader(port: MessagePort): void {
  const queue: Array<{ id: number; job: ReadJob }> = [];
  const stops = new Set<number>();
  // A pool lives for one scan, so agent meta files are read at most once per scan.
  const meta = new MetaCache();
  let running = false;
  let lastYield = performance.now();
  const post = (reply: ReaderReply): void => port.postMessage(reply);
  const postPiece = (id: number, piece: PackedPiece): void =>
    port.postMessage({ type: 'piece', id, piece } satisfies ReaderReply, transferablesOf(piece.packed));

  const pause = async (): Promise<void> => {
    if (performance.now() - lastYield < YIELD_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastYield = performance.now();
  };

  const drain = async (): Promise<void> => {
    running = true;
    try {
      await warmUpParser(true);
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { id, job } = next;
        if (stops.delete(id)) {
          post({ type: 'result', id, result: { kind: 'unchanged' }, stopped: true });
          continue;
        }
        try {
          const result = await readTranscriptFile(job, {
            onPiece: ({ calls, ...rest }) => postPiece(id, { ...rest, packed: packCalls(calls) }),
            pause,
            stopped: () => stops.has(id),
            meta: (metaPath) => meta.get(metaPath),
          });
          post({ type: 'result', id, result, stopped: stops.delete(id) });
        } catch (e: unknown) {
          stops.delete(id);
          post({ type: 'failed', id, message: e instanceof Error ? e.message : String(e) });
        }
      }
    } finally {
      running = false;
    }
  };

  port.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Partial<ReaderRequest>;
    if (m.type === 'job' && typeof m.id === 'number' && m.job) {
      queue.push({ id: m.id, job: m.job });
      if (!running) void drain();
    } else if (m.type === 'stop' && typeof m.id === 'number') {
      stops.add(m.id);
    }
  });
}

if (isReaderThread() && parentPort) runReader(parentPort);
