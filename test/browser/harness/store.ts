/** A REAL store (in-process: same SQL, recorder and pricing as the worker) filled with the given calls. */
import type { CallInput } from '../../../src/shared/callRecord';
import type { StoreApi } from '../../../src/extension/store/storeApi';
import { createInProcessStore } from '../../../src/extension/store/inProcessStore';

export async function openStore(calls: CallInput[] = []): Promise<StoreApi> {
  const store = createInProcessStore();
  await store.open({});
  if (calls.length > 0) await record(store, calls);
  return store;
}

/** Records and fails loudly if the recorder rejected anything (a fixture mistake, not a UI bug). */
export async function record(store: StoreApi, calls: CallInput[]): Promise<void> {
  const result = await store.record(calls);
  if (result.rejected.length > 0) throw new Error(`fixture calls rejected: ${JSON.stringify(result.rejected)}`);
}
