/**
 * Deduplication during a large import without the key-hash index: every stored row's key hash → its row id(s), in
 * memory. Keeping the SQL index up to date row by row costs more than the rest of an insert; building it once at the
 * end is one sort. Entries may go stale (rows pruned, a transaction undone) and two keys may share a slot — callers
 * compare full keys, as with the index — but a stored row is never missing: every insert adds its row here.
 *
 * An open-addressing table in typed arrays, keyed by the low 32 bits of the hash: 12 bytes a slot, at most half of
 * them used, where a Map of 53-bit numbers costs ~50 bytes a row and a heap object per key (a 1M-call import would
 * hold ~50 MB of them until its end).
 */
const EMPTY = 0;
const INITIAL_CAPACITY = 1 << 12;

export class BulkKeys {
  /** Each slot's key (see slotKey), or EMPTY. */
  private hashes = new Uint32Array(INITIAL_CAPACITY);
  private ids = new Float64Array(INITIAL_CAPACITY);
  private count = 0;

  add(hash: number, id: number): void {
    if ((this.count + 1) * 2 > this.hashes.length) this.grow();
    this.place(slotKey(hash), id);
    this.count++;
  }

  /** Row ids that may hold one of these hashes (and a few that hold another key with the same low bits). */
  idsFor(hashes: Iterable<number>): number[] {
    const out: number[] = [];
    const mask = this.hashes.length - 1;
    for (const hash of hashes) {
      const key = slotKey(hash);
      for (let i = key & mask; this.hashes[i] !== EMPTY; i = (i + 1) & mask) {
        if (this.hashes[i] === key) out.push(this.ids[i]);
      }
    }
    return out;
  }

  get size(): number {
    return this.count;
  }

  private place(key: number, id: number): void {
    const mask = this.hashes.length - 1;
    let i = key & mask;
    while (this.hashes[i] !== EMPTY) i = (i + 1) & mask;
    this.hashes[i] = key;
    this.ids[i] = id;
  }

  private grow(): void {
    const oldHashes = this.hashes;
    const oldIds = this.ids;
    this.hashes = new Uint32Array(oldHashes.length * 2);
    this.ids = new Float64Array(oldHashes.length * 2);
    for (let i = 0; i < oldHashes.length; i++) if (oldHashes[i] !== EMPTY) this.place(oldHashes[i], oldIds[i]);
  }
}

/** The table's key for a hash: its low 32 bits, never EMPTY (0 becomes 1; a shared slot is harmless). */
function slotKey(hash: number): number {
  return (hash >>> 0) || 1;
}
