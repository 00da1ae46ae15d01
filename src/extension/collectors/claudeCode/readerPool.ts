/**
 * Reader threads for large imports (see readerWorker.ts): jobs go to the least busy thread; each job's pieces and
 * result come back through its own callbacks. A thread that fails or exits rejects its jobs and the pool stops taking
 * new ones (`broken`): the scanner then reads those files itself. Nothing here touches the store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMainThread, Worker } from 'node:worker_threads';
import { checkPacked, type CallList } from './callPacking';
import type { ReadJob, ReadPiece, ReadResult } from './fileReader';
import { READER_FLAG, type ReaderReply, type ReaderRequest } from './readerWorker';

/** A job's end: its result, and whether it was stopped early. */
export interface RemoteOutcome {
  result: ReadResult;
  stopped: boolean;
}

interface PendingJob {
  onPiece(piece: ReadPiece<CallList>): void;
  resolve(outcome: RemoteOutcome): void;
  reject(error: Error): void;
  thread: Thread;
}

interface Thread {
  worker: Worker;
  jobs: number;
}

export class ReaderPool {
  private readonly threads: Thread[] = [];
  private readonly pending = new Map<number, PendingJob>();
  private nextId = 1;
  private failure: Error | undefined;
  private closed = false;

  /** Starts `size` reader threads running `entry` (a bundle that includes readerWorker.ts). */
  constructor(entry: string, size: number) {
    for (let i = 0; i < size; i++) {
      // A small young generation: the thread's garbage is short-lived, and the import must not cost more memory
      // than the tools it replaces.
      const worker = new Worker(entry, { workerData: { [READER_FLAG]: true }, resourceLimits: { maxYoungGenerationSizeMb: 12 } });
      const thread: Thread = { worker, jobs: 0 };
      worker.on('message', (m: ReaderReply) => this.onReply(m));
      worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`a transcript reader thread exited (code ${code})`));
      });
      this.threads.push(thread);
    }
  }

  /** Something went wrong in a thread: no more jobs should be sent (the scanner reads the rest itself). */
  get broken(): boolean {
    return this.failure !== undefined || this.closed;
  }

  /** Jobs sent and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  get size(): number {
    return this.threads.length;
  }

  /** Reads one file in a reader thread; rejects when the thread fails. `stop()` ends it early (then `stopped`). */
  run(job: ReadJob, onPiece: (piece: ReadPiece<CallList>) => void): { done: Promise<RemoteOutcome>; stop(): void } {
    if (this.broken) {
      const error = this.failure ?? new Error('the transcript reader threads were closed');
      return { done: Promise.reject(error), stop: () => {} };
    }
    const id = this.nextId++;
    const thread = this.threads.reduce((a, b) => (b.jobs < a.jobs ? b : a));
    thread.jobs++;
    const done = new Promise<RemoteOutcome>((resolve, reject) => {
      this.pending.set(id, { onPiece, resolve, reject, thread });
    });
    this.post(thread, { type: 'job', id, job });
    return { done, stop: () => this.post(thread, { type: 'stop', id }) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('the transcript reader threads were closed');
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(error);
    }
    for (const t of this.threads) void t.worker.terminate();
  }

  private post(thread: Thread, request: ReaderRequest): void {
    try {
      thread.worker.postMessage(request);
    } catch (e: unknown) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private onReply(m: ReaderReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'piece') {
      const { packed, ...rest } = m.piece;
      try {
        checkPacked(packed);
      } catch (e: unknown) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      // Unpacked only when recorded (see CallList).
      p.onPiece({ ...rest, calls: packed });
      return;
    }
    this.pending.delete(m.id);
    p.thread.jobs--;
    if (m.type === 'result') p.resolve({ result: m.result, stopped: m.stopped });
    else p.reject(new Error(m.message));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(error);
    }
  }
}

/** A bundle of readerWorker.ts alone, when the build makes one (esbuild entry → dist/claudeCodeReader.js). */
export const READER_BUNDLE = 'claudeCodeReader.js';

/** The store's worker bundle, which holds readerWorker.ts. */
const STORE_WORKER_BUNDLE = 'storeWorker.js';

/**
 * The file to start reader threads from, when this code runs in the store's worker thread from its bundle:
 * dist/claudeCodeReader.js beside it when the build made one, else the store's worker bundle itself (it holds
 * readerWorker.ts, whose top-level check turns the thread into a reader). Undefined anywhere else (an in-process
 * store, tests under tsx, another bundle): the scanner then reads in its own thread.
 */
export function bundledReaderEntry(): string | undefined {
  if (isMainThread || path.basename(__filename) !== STORE_WORKER_BUNDLE) return undefined;
  const dedicated = path.join(__dirname, READER_BUNDLE);
  return fs.existsSync(dedicated) ? dedicated : __filename;
}
