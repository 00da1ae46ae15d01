/**
 * The messages between the host (storeClient.ts) and the store's worker (storeWorker.ts). Every StoreApi method is a
 * request with an id, answered by exactly one response with the same id; events flow from the worker unasked.
 */
import type { CallInput } from '../../../shared/callRecord';
import type { TimeRange } from '../../../shared/period';
import type { DashboardData, DashboardQuery, RecordsPage, RecordsQuery, Summary } from '../../../shared/queries';
import type {
  ClaudeCodeOptions, OpenOptions, OpenResult, RecordCallOptions, RecordResult, SaveResult, ScanStats, StoreEvent, StoreStatus,
} from '../storeApi';

/** Each method's parameters and result. Methods without parameters take `null`. */
export interface StoreMethods {
  open: { params: OpenOptions; result: OpenResult };
  record: { params: { calls: CallInput[]; options?: RecordCallOptions }; result: RecordResult };
  summary: { params: TimeRange; result: Summary };
  dashboard: { params: DashboardQuery; result: DashboardData };
  records: { params: RecordsQuery; result: RecordsPage };
  setPriceOverrides: { params: unknown; result: { problems: string[]; priceVersion: string } };
  reprice: { params: null; result: { repriced: number } };
  save: { params: null; result: SaveResult };
  startClaudeCode: { params: ClaudeCodeOptions; result: ScanStats };
  rescanClaudeCode: { params: null; result: ScanStats };
  cancelImport: { params: null; result: void };
  close: { params: null; result: void };
  pruneBefore: { params: number; result: { removed: number } };
  status: { params: null; result: StoreStatus };
}

export type StoreMethod = keyof StoreMethods;

export const STORE_METHODS: readonly StoreMethod[] = [
  'open', 'record', 'summary', 'dashboard', 'records', 'setPriceOverrides', 'reprice', 'save', 'startClaudeCode',
  'rescanClaudeCode', 'cancelImport', 'close', 'pruneBefore', 'status',
];

export function isStoreMethod(value: unknown): value is StoreMethod {
  return typeof value === 'string' && (STORE_METHODS as readonly string[]).includes(value);
}

// ---- host → worker ----
export type WorkerRequest = {
  [M in StoreMethod]: { type: 'request'; id: number; method: M; params: StoreMethods[M]['params'] };
}[StoreMethod];

// ---- worker → host ----
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type WorkerResponse =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: SerializedError };

export type WorkerMessage = WorkerResponse | { type: 'event'; event: StoreEvent };

/** What the host passes as `workerData`. */
export interface StoreWorkerData {
  wasmPath?: string;
  saveDelayMs?: number;
  saveRetryMs?: number;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}
