/**
 * Changes to the 15-minute roll-ups, summed in memory while a batch is recorded and written once at its end (inside
 * the batch's transaction), so a thousand calls in one conversation cost one roll-up write, not a thousand.
 */
import { bucketOf } from '../store/buckets';
import type { Db } from '../store/db';
import { ROLLUP_COLUMNS_SQL } from '../store/schema';

/** One call's contribution to its roll-up row. */
export interface RollupFact {
  ts: number;
  source: number;
  consumerId: number;
  modelId: number;
  /** 0 for a call without a project. */
  projectId: number;
  costNanos: number | null;
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

interface Delta {
  bucket: number;
  source: number;
  consumerId: number;
  modelId: number;
  projectId: number;
  priced: number;
  calls: number;
  unpriced: number;
  cost: number;
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

const UPSERT = `
INSERT INTO rollup_15m (${ROLLUP_COLUMNS_SQL})
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (bucket, source, consumer_id, model_id, project_id, priced) DO UPDATE SET
  calls = calls + excluded.calls,
  unpriced_calls = unpriced_calls + excluded.unpriced_calls,
  cost_nanos = cost_nanos + excluded.cost_nanos,
  input = input + excluded.input,
  cache_write_5m = cache_write_5m + excluded.cache_write_5m,
  cache_write_1h = cache_write_1h + excluded.cache_write_1h,
  cache_read = cache_read + excluded.cache_read,
  output = output + excluded.output`;

const DELETE_EMPTY = `
DELETE FROM rollup_15m
WHERE bucket = ? AND source = ? AND consumer_id = ? AND model_id = ? AND project_id = ? AND priced = ? AND calls <= 0`;

export class RollupDeltas {
  private readonly deltas = new Map<string, Delta>();
  /** The row the previous call went to: calls of one conversation arrive together, mostly into the same row. */
  private last: Delta | undefined;

  add(fact: RollupFact): void {
    this.apply(fact, 1);
  }

  subtract(fact: RollupFact): void {
    this.apply(fact, -1);
  }

  get size(): number {
    return this.deltas.size;
  }

  /** Writes every pending change and forgets them. Call inside the batch's transaction. */
  flush(db: Db): void {
    for (const d of this.deltas.values()) {
      if (d.calls === 0 && d.cost === 0 && d.input === 0 && d.cacheWrite5m === 0 && d.cacheWrite1h === 0 &&
          d.cacheRead === 0 && d.output === 0 && d.unpriced === 0) {
        continue;
      }
      const keyParams = [d.bucket, d.source, d.consumerId, d.modelId, d.projectId, d.priced];
      db.run(UPSERT, [...keyParams, d.calls, d.unpriced, d.cost, d.input, d.cacheWrite5m, d.cacheWrite1h, d.cacheRead, d.output]);
      if (d.calls < 0) db.run(DELETE_EMPTY, keyParams);
    }
    this.clear();
  }

  clear(): void {
    this.deltas.clear();
    this.last = undefined;
  }

  private apply(fact: RollupFact, sign: 1 | -1): void {
    const bucket = bucketOf(fact.ts);
    const priced = fact.costNanos === null ? 0 : 1;
    let d = this.last;
    if (
      d === undefined || d.bucket !== bucket || d.source !== fact.source || d.consumerId !== fact.consumerId ||
      d.modelId !== fact.modelId || d.projectId !== fact.projectId || d.priced !== priced
    ) {
      d = this.row(bucket, fact, priced);
      this.last = d;
    }
    d.calls += sign;
    d.unpriced += priced ? 0 : sign;
    d.cost += sign * (fact.costNanos ?? 0);
    d.input += sign * fact.input;
    d.cacheWrite5m += sign * fact.cacheWrite5m;
    d.cacheWrite1h += sign * fact.cacheWrite1h;
    d.cacheRead += sign * fact.cacheRead;
    d.output += sign * fact.output;
  }

  private row(bucket: number, fact: RollupFact, priced: number): Delta {
    const id = `${bucket}|${fact.source}|${fact.consumerId}|${fact.modelId}|${fact.projectId}|${priced}`;
    let d = this.deltas.get(id);
    if (!d) {
      d = {
        bucket, source: fact.source, consumerId: fact.consumerId, modelId: fact.modelId, projectId: fact.projectId, priced,
        calls: 0, unpriced: 0, cost: 0, input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0,
      };
      this.deltas.set(id, d);
    }
    return d;
  }
}
