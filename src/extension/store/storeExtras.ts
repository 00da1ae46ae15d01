/** What the store offers beyond the StoreApi contract (candidates to move into it). */
export interface StoreExtras {
  /** Retention: removes calls before `cutoffMs` (UTC) with their roll-ups and compacts the database. */
  pruneBefore(cutoffMs: number): Promise<{ removed: number }>;
}
