/**
 * Changes to the 15-minute roll-ups, summed in memory while a batch is recorded and written once at its end (inside
 * the batch's transaction), so a thousand calls in one conversation cost one roll-up write, not a thousand.
 */
import { bucketOf } from '../store/buckets';
import type { Db, SqlValue } from '../store/db';
import { COLUMN } from './callRows';
import { ROLLUP_COLUMNS_SQL } from '../store/schema';

/** A stored call's contribution to its roll-up row (read back to be taken out when a better copy replaces it). */
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
  /**
   * Pending rows by bucket, each bucket's few rows found by comparing their fields: a string key made of six numbers
   * per lookup was the recorder's largest cost after binding (number-to-string conversions on every call that did not
   * go to the previous call's row).
   */
  private readonly byBucket = new Map<number, Delta[]>();
  /** The row the previous call went to: calls of one conversation arrive together, mostly into the same row. */
  private last: Delta | undefined;

  /** A row about to be written: its column values in CALL_COLUMNS order, starting at `at` (no object per call). */
  addRow(values: readonly SqlValue[], at: number): void {
    const project = values[at + COLUMN.project_id];
    const cost = values[at + COLUMN.cost_nanos];
    this.apply(
      values[at + COLUMN.ts] as number, values[at + COLUMN.source] as number, values[at + COLUMN.consumer_id] as number,
      values[at + COLUMN.model_id] as number, typeof project === 'number' ? project : 0, typeof cost === 'number' ? cost : null,
      values[at + COLUMN.input] as number, values[at + COLUMN.cache_write_5m] as number, values[at + COLUMN.cache_write_1h] as number,
      values[at + COLUMN.cache_read] as number, values[at + COLUMN.output] as number, 1,
    );
  }

  subtract(fact: RollupFact): void {
    this.apply(
      fact.ts, fact.source, fact.consumerId, fact.modelId, fact.projectId, fact.costNanos,
      fact.input, fact.cacheWrite5m, fact.cacheWrite1h, fact.cacheRead, fact.output, -1,
    );
  }

  /** Writes every pending change and forgets them. Call inside the batch's transaction. */
  flush(db: Db): void {
    for (const rows of this.byBucket.values()) {
      for (const d of rows) {
        if (d.calls === 0 && d.cost === 0 && d.input === 0 && d.cacheWrite5m === 0 && d.cacheWrite1h === 0 &&
            d.cacheRead === 0 && d.output === 0 && d.unpriced === 0) {
          continue;
        }
        const keyParams = [d.bucket, d.source, d.consumerId, d.modelId, d.projectId, d.priced];
        db.run(UPSERT, [...keyParams, d.calls, d.unpriced, d.cost, d.input, d.cacheWrite5m, d.cacheWrite1h, d.cacheRead, d.output]);
        if (d.calls < 0) db.run(DELETE_EMPTY, keyParams);
      }
    }
    this.clear();
  }

  clear(): void {
    this.byBucket.clear();
    this.last = undefined;
  }

  private apply(
    ts: number, source: number, consumerId: number, modelId: number, projectId: number, costNanos: number | null,
    input: number, cacheWrite5m: number, cacheWrite1h: number, cacheRead: number, output: number, sign: 1 | -1,
  ): void {
    const bucket = bucketOf(ts);
    const priced = costNanos === null ? 0 : 1;
    let d = this.last;
    if (
      d === undefined || d.bucket !== bucket || d.source !== source || d.consumerId !== consumerId ||
      d.modelId !== modelId || d.projectId !== projectId || d.priced !== priced
    ) {
      d = this.row(bucket, source, consumerId, modelId, projectId, priced);
      this.last = d;
    }
    d.calls += sign;
    d.unpriced += priced ? 0 : sign;
    d.cost += sign * (costNanos ?? 0);
    d.input += sign * input;
    d.cacheWrite5m += sign * cacheWrite5m;
    d.cacheWrite1h += sign * cacheWrite1h;
    d.cacheRead += sign * cacheRead;
    d.output += sign * output;
  }

  private row(bucket: number, source: number, consumerId: number, modelId: number, projectId: number, priced: number): Delta {
    let rows = this.byBucket.get(bucket);
    if (rows === undefined) {
      rows = [];
      this.byBucket.set(bucket, rows);
    }
    for (let i = 0; i < rows.length; i++) {
      const d = rows[i];
      if (d.source === source && d.consumerId === consumerId && d.modelId === modelId && d.projectId === projectId && d.priced === priced) return d;
    }
    const d: Delta = {
      bucket, source, consumerId, modelId, projectId, priced,
      calls: 0, unpriced: 0, cost: 0, input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0,
    };
    rows.push(d);
    return d;
  }
}
