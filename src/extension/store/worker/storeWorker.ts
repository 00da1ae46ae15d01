/**
 * The store's worker thread (bundled to dist/storeWorker.js, beside dist/sql-wasm.wasm). It owns the database and
 * answers the host's requests; the host thread never runs SQL or parses transcripts.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { StoreCore } from '../storeCore';
import {
  isStoreMethod, serializeError, type StoreWorkerData, type WorkerMessage, type WorkerRequest,
} from './messages';

const port = parentPort;
if (!port) throw new Error('storeWorker.ts must run as a worker thread');

const data = (workerData ?? {}) as StoreWorkerData;
const core = new StoreCore({
  wasmPath: data.wasmPath ?? path.join(__dirname, 'sql-wasm.wasm'),
  saveDelayMs: data.saveDelayMs,
  saveRetryMs: data.saveRetryMs,
});

const post = (message: WorkerMessage): void => port.postMessage(message);
core.onEvent((event) => post({ type: 'event', event }));

port.on('message', (message: unknown) => {
  void handle(message);
});

async function handle(message: unknown): Promise<void> {
  if (typeof message !== 'object' || message === null) return;
  const request = message as Partial<WorkerRequest>;
  if (request.type !== 'request' || typeof request.id !== 'number') return;
  const id = request.id;
  try {
    if (!isStoreMethod(request.method)) throw new Error(`Unknown store method: ${String(request.method)}`);
    const result = await dispatch(request as WorkerRequest);
    post({ type: 'response', id, ok: true, result });
  } catch (e: unknown) {
    post({ type: 'response', id, ok: false, error: serializeError(e) });
  }
}

function dispatch(request: WorkerRequest): Promise<unknown> {
  switch (request.method) {
    case 'open': return core.open(request.params);
    case 'record': return core.record(request.params.calls, request.params.options);
    case 'summary': return core.summary(request.params);
    case 'dashboard': return core.dashboard(request.params);
    case 'records': return core.records(request.params);
    case 'setPriceOverrides': return core.setPriceOverrides(request.params);
    case 'reprice': return core.reprice();
    case 'save': return core.save();
    case 'startClaudeCode': return core.startClaudeCode(request.params);
    case 'rescanClaudeCode': return core.rescanClaudeCode();
    case 'cancelImport': return core.cancelImport();
    case 'close': return core.close();
    case 'pruneBefore': return core.pruneBefore(request.params);
    case 'status': return core.status();
  }
}
