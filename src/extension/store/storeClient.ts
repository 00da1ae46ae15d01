/**
 * The host's side of the store: every StoreApi method becomes a request to the store's worker thread, with an id,
 * a timeout, and the worker's error message preserved. Events from the worker reach `onEvent` listeners. If the
 * worker dies, pending and later requests fail with a message saying so.
 */
import { Worker } from 'node:worker_threads';
import type { StoreApi, StoreEvent } from './storeApi';
import type { StoreExtras } from './storeExtras';
import { StoreEvents } from './storeEvents';
import type { StoreMethod, StoreMethods, StoreWorkerData, WorkerMessage, WorkerRequest } from './worker/messages';

export interface WorkerStoreOptions {
  /** The worker script: dist/storeWorker.js in the extension and CLI. */
  workerPath: string;
  /** Passed to the worker (tests: the wasm path, `['--import', 'tsx']` to run the TypeScript worker). */
  workerData?: StoreWorkerData;
  execArgv?: string[];
  /** Per-method timeouts in ms (0 = none), over the defaults below. */
  timeoutsMs?: Partial<Record<StoreMethod, number>>;
  /** Receives the worker thread once started (diagnostics; tests that end it abruptly, as a crash would). */
  onWorker?(worker: Worker): void;
}

/** Imports and opening a large file take long; everything a view waits for must answer quickly or fail clearly. */
export const DEFAULT_TIMEOUTS_MS: Readonly<Record<StoreMethod, number>> = {
  open: 120_000,
  record: 30_000,
  summary: 30_000,
  dashboard: 30_000,
  records: 30_000,
  setPriceOverrides: 300_000,
  reprice: 300_000,
  save: 120_000,
  startClaudeCode: 0,
  rescanClaudeCode: 0,
  cancelImport: 10_000,
  close: 120_000,
  pruneBefore: 300_000,
  status: 30_000,
};

interface Pending {
  method: StoreMethod;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

/**
 * The worker's young generation (V8's default here is 48 MB). Most of what an import allocates dies young;
 * a smaller nursery is collected more often, which measured the same speed and a ~20 MB lower memory peak during a
 * 1 GB import (bench/README.md).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

export function createWorkerStore(options: WorkerStoreOptions): StoreApi & StoreExtras {
  const events = new StoreEvents();
  const pending = new Map<number, Pending>();
  const timeouts = { ...DEFAULT_TIMEOUTS_MS, ...options.timeoutsMs };
  let nextId = 1;
  let stopped: string | null = null;
  let closing: Promise<void> | null = null;

  const worker = new Worker(options.workerPath, {
    workerData: options.workerData ?? {},
    execArgv: options.execArgv,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  options.onWorker?.(worker);

  const emit = (event: StoreEvent): void => events.emit(event);

  const failAll = (reason: string): void => {
    stopped ??= reason;
    for (const [id, p] of pending) {
      if (p.timer) clearTimeout(p.timer);
      pending.delete(id);
      p.reject(new Error(reason));
    }
  };

  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'event') {
      emit(message.event);
      return;
    }
    const p = pending.get(message.id);
    if (!p) return; // Answered after its timeout.
    pending.delete(message.id);
    if (p.timer) clearTimeout(p.timer);
    if (message.ok) p.resolve(message.result);
    else {
      const error = new Error(message.error.message);
      error.name = message.error.name;
      p.reject(error);
    }
  });
  worker.on('error', (e: Error) => {
    const reason = `The store worker failed: ${e.message}`;
    emit({ type: 'log', level: 'error', message: reason });
    failAll(reason);
  });
  worker.on('exit', (code) => {
    failAll(closing ? 'The store is closed' : `The store worker stopped unexpectedly (exit code ${code})`);
  });

  function request<M extends StoreMethod>(method: M, params: StoreMethods[M]['params']): Promise<StoreMethods[M]['result']> {
    if (stopped) return Promise.reject(new Error(stopped));
    const id = nextId++;
    return new Promise<StoreMethods[M]['result']>((resolve, reject) => {
      const entry: Pending = { method, resolve: (v) => resolve(v as StoreMethods[M]['result']), reject };
      const timeout = timeouts[method];
      if (timeout > 0) {
        entry.timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`The store did not answer "${method}" within ${timeout} ms`));
        }, timeout);
      }
      pending.set(id, entry);
      try {
        worker.postMessage({ type: 'request', id, method, params } as WorkerRequest);
      } catch (e: unknown) {
        pending.delete(id);
        if (entry.timer) clearTimeout(entry.timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  async function close(): Promise<void> {
    if (closing) return closing;
    closing = (async () => {
      try {
        if (!stopped) await request('close', null);
      } finally {
        stopped ??= 'The store is closed';
        await worker.terminate();
      }
    })();
    return closing;
  }

  return {
    open: (o) => request('open', o),
    record: (calls, recordOptions) => request('record', recordOptions ? { calls, options: recordOptions } : { calls }),
    summary: (range) => request('summary', range),
    dashboard: (query) => request('dashboard', query),
    records: (query) => request('records', query),
    setPriceOverrides: (overrides) => request('setPriceOverrides', overrides),
    reprice: () => request('reprice', null),
    save: () => request('save', null),
    startClaudeCode: (o) => request('startClaudeCode', o),
    rescanClaudeCode: () => request('rescanClaudeCode', null),
    cancelImport: () => request('cancelImport', null),
    close,
    pruneBefore: (cutoffMs) => request('pruneBefore', cutoffMs),
    status: () => request('status', null),
    onEvent: (listener) => events.on(listener),
  };
}
