/**
 * Stored costs always follow the current price table: the price version the rows were priced with is kept in the
 * database, and a new table version or new overrides re-price the whole history.
 */
import type { Recorder } from '../recorder/recorder';
import type { ChangeAnnouncer } from './changeAnnouncer';
import type { Db } from './db';
import { readMetaValue, writeMetaValue } from './metaTable';
import type { StoreEvent } from './storeApi';

const PRICE_VERSION_META = 'price_version';

export interface PricedStore {
  db: Db;
  recorder: Recorder;
  file: { markDirty(): void } | null;
}

/** Re-prices the stored calls when the recorder's prices are not the ones they follow. */
export function repriceIfPricesChanged(store: PricedStore, announcer: ChangeAnnouncer, emit: (event: StoreEvent) => void): void {
  const version = store.recorder.priceVersion;
  if (readMetaValue(store.db, PRICE_VERSION_META) === version) return;
  const repriced = repriceStored(store, announcer);
  if (repriced > 0) emit({ type: 'log', level: 'info', message: `Prices changed (${version}): re-priced ${repriced} stored calls.` });
}

/** Every stored call priced again with the recorder's prices, and the price version they follow kept. */
export function repriceStored(store: PricedStore, announcer: ChangeAnnouncer): number {
  const repriced = store.recorder.count() > 0 ? store.recorder.reprice() : 0;
  writeMetaValue(store.db, PRICE_VERSION_META, store.recorder.priceVersion);
  store.file?.markDirty();
  if (repriced > 0) {
    announcer.note(0, repriced);
    announcer.flush();
  }
  return repriced;
}
