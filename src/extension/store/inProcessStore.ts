/**
 * The same store without a worker thread: SQL runs on the caller's thread. For tests, the browser-test harness and
 * small tools only — the extension uses createWorkerStore.
 */
import type { StoreApi } from './storeApi';
import type { StoreExtras } from './storeExtras';
import { StoreCore, type StoreCoreOptions } from './storeCore';

export type InProcessStoreOptions = StoreCoreOptions;

export function createInProcessStore(options: InProcessStoreOptions = {}): StoreApi & StoreExtras {
  return new StoreCore(options);
}
