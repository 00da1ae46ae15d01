/** What the store offered beyond the StoreApi contract. Retention moved into StoreApi; kept for existing imports. */
import type { StoreApi } from './storeApi';

export type StoreExtras = Pick<StoreApi, 'pruneBefore'>;
