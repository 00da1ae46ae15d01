/**
 * The sink a collector records through, bound to one open database. A collector can outlive its database (stopped
 * mid-scan while the store closes or reopens): every write checks first, so it fails with a clear error instead of
 * touching a closed one. Large imports switch the recorder's bulk mode on and off (bulkImport.ts).
 */
import type { CallSink } from '../collectors/collector';
import { beginBulkImport, endBulkImport, type BulkParts } from './bulkImport';
import type { StoreEvent } from './storeApi';

export interface SinkHooks {
  /** Whether the target is still the store's open database. */
  isCurrent(): boolean;
  /** Throws when it is not. */
  assertCurrent(): void;
  /** After a write: a save is scheduled and the change noted for the next announcement. */
  afterWrite(inserted: number, updated: number): void;
  emit(event: StoreEvent): void;
}

export function collectorSink(target: BulkParts, hooks: SinkHooks): CallSink {
  const { assertCurrent } = hooks;
  return {
    record: (calls) => {
      assertCurrent();
      const result = target.recorder.recordOwn(calls);
      hooks.afterWrite(result.inserted, result.updated);
      return result;
    },
    transaction: (fn) => {
      assertCurrent();
      return target.recorder.transaction(fn);
    },
    renameConsumer: (key, name) => {
      assertCurrent();
      target.recorder.renameConsumer(key, name);
      hooks.afterWrite(0, 0);
    },
    beginLargeImport: (expectedCalls) => {
      if (hooks.isCurrent()) beginBulkImport(target, expectedCalls, hooks.emit);
    },
    endLargeImport: () => {
      if (hooks.isCurrent()) endBulkImport(target);
    },
  };
}
