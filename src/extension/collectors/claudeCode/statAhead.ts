/**
 * Full re-scans with a second thread stat'ing. A re-scan with nothing new is almost all `stat` calls (one per folder
 * and per transcript: ~9,400 for a year of heavy use), and on a slow machine a stat costs 5–12 µs, mostly the path
 * walk in the kernel: 50–120 ms of the store's thread every poll. Two threads stat'ing half the paths each take ~55 %
 * of the time one takes; promises on libuv's pool do not help (each completion costs the store's thread about what
 * the syscall saved).
 *
 * A full scan stats the same paths in the same order as the one before it unless folders changed. So a small helper
 * thread is handed the previous full scan's paths and stats them from the end while the scan stats from the front;
 * where the helper got first, the scan takes its figures from shared memory, and the two meet in the middle (the scan
 * marks how far it got; the helper stops there). Every figure was taken after the scan began, which is all a scan
 * needs: a change after it is the next scan's, as with a stat of its own. Paths the last scan did not stat are
 * stat'ed directly, and their order becomes the next scan's list.
 *
 * The helper starts on the first full scan that has a list of at least `minPaths` (below that a scan takes a few ms),
 * is small (~10 MB), never keeps the process alive, and when anything goes wrong with it the scan simply stats
 * everything itself.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/** What a scan reads of a stat (fs.Stats has these, and the helper's figures are these). */
export interface StatFacts {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** Undefined when nothing is there; throws what statSync throws otherwise. */
export type StatFn = (p: string) => StatFacts | undefined;

export const statNow: StatFn = (p) => fs.statSync(p, { throwIfNoEntry: false });

/** Below this many paths a scan's stats take a few ms: not worth a thread. */
export const MIN_PATHS = 2_000;
const FACTS = 4;
/** control[GEN]: the scan the helper works for; control[FRONT]: paths below this index are the scan's own. */
const GEN = 0;
const FRONT = 1;

/**
 * The helper's whole program (a Worker run from this text: no bundle of its own). It stats paths[i] from the end down
 * and publishes each figure with an atomic store of the scan's number (the minus of it when nothing is there).
 */
const HELPER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
let paths = [], facts, stamps, control;
parentPort.on('message', (m) => {
  if (m.type === 'list') {
    paths = m.paths; facts = new Float64Array(m.facts); stamps = new Int32Array(m.stamps); control = new Int32Array(m.control);
    return;
  }
  const gen = m.gen;
  for (let i = paths.length - 1; i >= 0; i--) {
    if (Atomics.load(control, ${GEN}) !== gen || i < Atomics.load(control, ${FRONT})) break;
    let st;
    try { st = fs.statSync(paths[i], { throwIfNoEntry: false }); } catch { continue; }
    if (st) {
      const at = i * ${FACTS};
      facts[at] = st.size; facts[at + 1] = st.mtimeMs; facts[at + 2] = st.ctimeMs; facts[at + 3] = st.ino;
      Atomics.store(stamps, i, gen);
    } else {
      Atomics.store(stamps, i, -gen);
    }
  }
  parentPort.postMessage(gen);
});
`;

interface Shared {
  paths: readonly string[];
  index: Map<string, number>;
  facts: Float64Array;
  stamps: Int32Array;
}

export class StatAhead {
  private worker: Worker | undefined;
  private broken = false;
  private readonly control = new Int32Array(shareable(8));
  private shared: Shared | undefined;
  private gen = 0;
  /** The running full scan's stats, in order: the next scan's list. */
  private order: string[] | undefined;
  /** Where the running scan is in the list. */
  private cursor = 0;
  private helpedCount = 0;
  private passWaiters: Array<{ gen: number; resolve(done: boolean): void }> = [];

  constructor(private readonly minPaths = MIN_PATHS) {}

  /**
   * Starts the helper thread ahead of the next full scan when the last one's list is long enough (after a scan, so
   * its start-up is not the next scan's).
   */
  prepare(): void {
    if (this.wanted()) this.helper(this.shared as Shared);
  }

  /** A full scan begins: the helper starts on the previous full scan's paths, from the end. */
  begin(): void {
    this.order = [];
    this.cursor = 0;
    this.helpedCount = 0;
    const shared = this.shared;
    Atomics.store(this.control, FRONT, 0);
    if (!shared || !this.wanted()) {
      Atomics.store(this.control, GEN, 0);
      return;
    }
    const worker = this.helper(shared);
    if (!worker) return;
    this.gen = this.gen >= 0x3fff_ffff ? 1 : this.gen + 1;
    if (this.gen === 1) shared.stamps.fill(0);
    Atomics.store(this.control, GEN, this.gen);
    this.post({ type: 'go', gen: this.gen });
  }

  /** The stat a scan needs: the helper's figures when it got there first, else a stat now. */
  readonly stat: StatFn = (p) => {
    const i = this.indexOf(p);
    this.order?.push(p);
    const shared = this.shared;
    if (i < 0 || !shared || this.gen === 0 || Atomics.load(this.control, GEN) !== this.gen) return statNow(p);
    const stamp = Atomics.load(shared.stamps, i);
    if (stamp === -this.gen) {
      this.helpedCount++;
      return undefined;
    }
    if (stamp === this.gen) {
      this.helpedCount++;
      const at = i * FACTS;
      const f = shared.facts;
      return { size: f[at], mtimeMs: f[at + 1], ctimeMs: f[at + 2], ino: f[at + 3] };
    }
    // Ours from here on: the helper stops when it reaches this index.
    if (i >= Atomics.load(this.control, FRONT)) Atomics.store(this.control, FRONT, i + 1);
    return statNow(p);
  };

  /** The full scan ended; a completed one's order is the next scan's list. */
  end(completed: boolean): void {
    Atomics.store(this.control, GEN, 0);
    const order = this.order;
    this.order = undefined;
    if (!completed || !order) return;
    const prev = this.shared?.paths;
    if (prev && prev.length === order.length && order.every((p, i) => p === prev[i])) return;
    this.replaceList(order);
  }

  /** Ends the helper thread (the scanner is shutting down); scans stat everything themselves from now on. */
  close(): void {
    this.broken = true;
    Atomics.store(this.control, GEN, 0);
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
  }

  /** Whether the helper thread is running. */
  get hasThread(): boolean {
    return this.worker !== undefined;
  }

  /** Figures the running (or last) scan took from the helper. */
  get helped(): number {
    return this.helpedCount;
  }

  /** Resolves when the helper has finished its pass of the running scan (tests: so its figures are all there). */
  helperPass(): Promise<boolean> {
    if (!this.worker || this.gen === 0 || Atomics.load(this.control, GEN) !== this.gen) return Promise.resolve(false);
    const gen = this.gen;
    return new Promise((resolve) => this.passWaiters.push({ gen, resolve }));
  }

  private wanted(): boolean {
    return this.shared !== undefined && this.shared.paths.length >= this.minPaths && !this.broken && CAN_SHARE;
  }

  /** Where a path is in the list: the scan usually asks in list order, so the next index is tried first. */
  private indexOf(p: string): number {
    const shared = this.shared;
    if (!shared) return -1;
    if (shared.paths[this.cursor] === p) return this.cursor++;
    const i = shared.index.get(p);
    if (i === undefined) return -1;
    this.cursor = i + 1;
    return i;
  }

  private replaceList(paths: string[]): void {
    const index = new Map<string, number>();
    paths.forEach((p, i) => index.set(p, i));
    const facts = new Float64Array(shareable(paths.length * FACTS * 8));
    const stamps = new Int32Array(shareable(paths.length * 4));
    this.shared = { paths, index, facts, stamps };
    this.gen = 0;
    if (this.worker) this.sendList(this.worker, this.shared);
  }

  private helper(shared: Shared): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(HELPER_SOURCE, {
        eval: true,
        // Its garbage is a Stats object per path: a small young generation is plenty. The old one holds the list
        // (~100 bytes a path; a limit, not a reservation: room for a few hundred thousand paths).
        resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
        stdout: true,
        stderr: true,
      });
      worker.unref();
      worker.on('message', (gen: number) => {
        // A pass of an earlier scan can end late: only its own scan's waiters hear of it.
        const done = this.passWaiters.filter((w) => w.gen === gen);
        this.passWaiters = this.passWaiters.filter((w) => w.gen !== gen);
        for (const w of done) w.resolve(true);
      });
      worker.on('error', () => this.fail());
      worker.on('exit', () => this.fail());
      this.worker = worker;
      this.sendList(worker, shared);
      return worker;
    } catch {
      this.fail();
      return undefined;
    }
  }

  private sendList(worker: Worker, shared: Shared): void {
    this.post({ type: 'list', paths: shared.paths, facts: shared.facts.buffer, stamps: shared.stamps.buffer, control: this.control.buffer }, worker);
  }

  private post(message: unknown, worker = this.worker): void {
    try {
      worker?.postMessage(message);
    } catch {
      this.fail();
    }
  }

  /** The helper failed or exited: scans stat everything themselves from now on. */
  private fail(): void {
    this.broken = true;
    this.worker = undefined;
    Atomics.store(this.control, GEN, 0);
    for (const w of this.passWaiters.splice(0)) w.resolve(false);
  }
}

/** Node always has shared memory; a runtime without it gets plain memory and no helper. */
const CAN_SHARE = typeof SharedArrayBuffer === 'function';

function shareable(bytes: number): ArrayBufferLike {
  return CAN_SHARE ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}
