/**
 * Deduplication during a large import without the key-hash index: every stored row's key hash → its row id(s), in
 * memory. Keeping the SQL index up to date row by row costs more than the rest of an insert; building it once at the
 * end is one sort. Entries may go stale (rows pruned, a transaction undone) — callers compare full keys, as with the
 * index — but a stored row is never missing: every insert adds its row here.
 */
export class BulkKeys {
  private readonly ids = new Map<number, number | number[]>();

  add(hash: number, id: number): void {
    const known = this.ids.get(hash);
    if (known === undefined) this.ids.set(hash, id);
    else if (typeof known === 'number') this.ids.set(hash, [known, id]);
    else known.push(id);
  }

  /** Row ids that may hold one of these hashes. */
  idsFor(hashes: Iterable<number>): number[] {
    const out: number[] = [];
    for (const hash of hashes) {
      const known = this.ids.get(hash);
      if (known === undefined) continue;
      if (typeof known === 'number') out.push(known);
      else out.push(...known);
    }
    return out;
  }
}
