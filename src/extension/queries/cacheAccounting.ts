/**
 * Prompt-cache accounting: what cache reads cost, what they would have cost as uncached input, and what cache writes
 * cost — exact integers, per call's own rate card.
 *
 * Stored rows keep only each call's total cost, so the split by category is recomputed. Most calls use their model's
 * standard card with nothing added, and then a group's cost is exactly its token sums × the standard rates. Every
 * other card (long context, fast mode) and surcharge (data residency, web search) only costs more, so a group whose
 * stored cost equals its standard-rate cost is all standard: the roll-ups answer it. Only the groups that differ are
 * read again call by call (through the consumer index) and priced with the pricer's breakdown.
 */
import type { Pricer } from '../pricing';
import { BUCKET_MS } from '../store/buckets';
import { num, numOrNull, strOrNull, type Db, type SqlValue } from '../store/db';
import { indexedBy } from '../store/schema';
import type { CacheStats } from '../../shared/queries';
import { addFilter, type Fact, type FactFilter } from './facts';

/** At most this many calls are re-read per query; groups beyond it count as unsplit rather than slow the dashboard. */
export const MAX_CALLS_REPRICED = 50_000;
/** Remembered call-by-call splits (see SplitMemo); cleared when it grows past this. */
export const MAX_MEMO_ENTRIES = 200_000;

/**
 * Splits of groups that had to be read call by call, kept between queries (a live dashboard asks every few seconds,
 * and closed 15-minute buckets do not change). The key holds the group's calls, cost and token sums and the price
 * version, so a changed group or new prices never hit an old entry.
 */
export type SplitMemo = Map<string, { split: Split; unsplit: number }>;

interface Rates {
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

/** Money per category, summed. */
export interface Split {
  readCost: number;
  readAtInput: number;
  writeCost: number;
  writeAtInput: number;
}

interface Group {
  source: number;
  consumerId: number;
  modelId: number;
  from: number;
  to: number;
  calls: number;
  cost: number;
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

const rowsOfGroup = (db: Db): string => `
SELECT c.ts, c.input, c.cache_write_5m, c.cache_write_1h, c.cache_read, c.output, c.web_search, sp.text, geo.text, c.cost_nanos
FROM calls c ${indexedBy(db, 'calls_consumer_ts')}
LEFT JOIN labels sp ON sp.id = c.speed_id
LEFT JOIN labels geo ON geo.id = c.inference_geo_id
WHERE c.consumer_id = ? AND c.ts >= ? AND c.ts < ? AND c.model_id = ? AND c.source = ? AND c.cost_nanos IS NOT NULL`;

export class CacheAccountant {
  private readonly rates = new Map<number, Rates | null>();
  private readonly perModel = new Map<number, Split>();
  /** Calls of a range's edges: grouped per (source, consumer, model, instant) before they are judged. */
  private readonly rowGroups = new Map<string, Group>();
  /** The row query of a group, its index hint looked up once (the consumer index may be deferred by an import). */
  private readonly rowsSql: string;
  private promptTokens = 0;
  private readTokens = 0;
  private writeTokens = 0;
  private unsplitCalls = 0;
  private repriced = 0;

  constructor(
    private readonly db: Db,
    private readonly pricer: Pricer | null,
    private readonly modelName: (id: number) => string,
    private readonly filter: FactFilter,
    private readonly memo: SplitMemo = new Map(),
  ) {
    this.rowsSql = rowsOfGroup(db);
  }

  add(fact: Fact): void {
    const writes = fact.cacheWrite5m + fact.cacheWrite1h;
    this.promptTokens += fact.input + writes + fact.cacheRead;
    this.readTokens += fact.cacheRead;
    this.writeTokens += writes;
    // Roll-up rows are either all priced or all unpriced; a row fact is one call.
    if (fact.unpricedCalls > 0 || fact.cacheRead + writes === 0) return;
    const group: Group = {
      source: fact.source,
      consumerId: fact.consumerId,
      modelId: fact.modelId,
      from: fact.time,
      to: fact.rollup ? fact.time + BUCKET_MS : fact.time + 1,
      calls: fact.calls,
      cost: fact.costNanos,
      input: fact.input,
      cacheWrite5m: fact.cacheWrite5m,
      cacheWrite1h: fact.cacheWrite1h,
      cacheRead: fact.cacheRead,
      output: fact.output,
    };
    if (fact.rollup) {
      this.judge(group);
      return;
    }
    const key = `${group.source}|${group.consumerId}|${group.modelId}|${group.from}`;
    const same = this.rowGroups.get(key);
    if (!same) this.rowGroups.set(key, group);
    else {
      same.calls += group.calls;
      same.cost += group.cost;
      same.input += group.input;
      same.cacheWrite5m += group.cacheWrite5m;
      same.cacheWrite1h += group.cacheWrite1h;
      same.cacheRead += group.cacheRead;
      same.output += group.output;
    }
  }

  /** Totals, and the savings per model id. */
  finish(): { stats: CacheStats; savedByModel: Map<number, number> } {
    for (const group of this.rowGroups.values()) this.judge(group);
    this.rowGroups.clear();
    const total: Split = { readCost: 0, readAtInput: 0, writeCost: 0, writeAtInput: 0 };
    const savedByModel = new Map<number, number>();
    for (const [modelId, s] of this.perModel) {
      total.readCost += s.readCost;
      total.readAtInput += s.readAtInput;
      total.writeCost += s.writeCost;
      total.writeAtInput += s.writeAtInput;
      savedByModel.set(modelId, s.readAtInput - s.readCost);
    }
    return {
      stats: {
        hitRatio: this.promptTokens > 0 ? this.readTokens / this.promptTokens : null,
        promptTokens: this.promptTokens,
        readTokens: this.readTokens,
        writeTokens: this.writeTokens,
        readCostNanos: total.readCost,
        readAtInputRateNanos: total.readAtInput,
        savedNanos: total.readAtInput - total.readCost,
        writeCostNanos: total.writeCost,
        writePremiumNanos: total.writeCost - total.writeAtInput,
        unsplitCalls: this.unsplitCalls,
      },
      savedByModel,
    };
  }

  private judge(g: Group): void {
    const r = this.standardRates(g.modelId);
    if (!r) {
      this.unsplitCalls += g.calls;
      return;
    }
    const standardCost =
      g.input * r.input + g.cacheWrite5m * r.cacheWrite5m + g.cacheWrite1h * r.cacheWrite1h + g.cacheRead * r.cacheRead + g.output * r.output;
    if (standardCost === g.cost) {
      this.addSplit(g.modelId, {
        readCost: g.cacheRead * r.cacheRead,
        readAtInput: g.cacheRead * r.input,
        writeCost: g.cacheWrite5m * r.cacheWrite5m + g.cacheWrite1h * r.cacheWrite1h,
        writeAtInput: (g.cacheWrite5m + g.cacheWrite1h) * r.input,
      });
      return;
    }
    this.splitCallByCall(g);
  }

  private splitCallByCall(g: Group): void {
    const key = [
      this.pricer?.version, this.filter.projectIdsJson, g.source, g.consumerId, g.modelId, g.from, g.to, g.calls, g.cost,
      g.input, g.cacheWrite5m, g.cacheWrite1h, g.cacheRead, g.output,
    ].join('|');
    const known = this.memo.get(key);
    if (known) {
      this.addSplit(g.modelId, known.split);
      this.unsplitCalls += known.unsplit;
      return;
    }
    const breakdown = this.pricer?.priceBreakdown?.bind(this.pricer);
    if (!breakdown || this.repriced + g.calls > MAX_CALLS_REPRICED) {
      this.unsplitCalls += g.calls;
      return;
    }
    this.repriced += g.calls;
    const split: Split = { readCost: 0, readAtInput: 0, writeCost: 0, writeAtInput: 0 };
    const unsplitBefore = this.unsplitCalls;
    const model = this.modelName(g.modelId);
    const where = [this.rowsSql];
    const params: SqlValue[] = [g.consumerId, g.from, g.to, g.modelId, g.source];
    const extra: string[] = [];
    addFilter('c', { projectIdsJson: this.filter.projectIdsJson }, extra, params);
    for (const condition of extra) where.push(`AND ${condition}`);
    let seen = 0;
    this.db.each(where.join(' '), params, (row) => {
      seen++;
      const b = breakdown({
        model,
        ts: num(row[0]),
        tokens: { input: num(row[1]), cacheWrite5m: num(row[2]), cacheWrite1h: num(row[3]), cacheRead: num(row[4]), output: num(row[5]) },
        webSearchRequests: numOrNull(row[6]) ?? undefined,
        speed: strOrNull(row[7]) ?? undefined,
        inferenceGeo: strOrNull(row[8]) ?? undefined,
      });
      // The stored cost came from another price (an override this pricer does not know): no exact split.
      if (!b || b.totalNanos !== num(row[9])) {
        this.unsplitCalls++;
        return;
      }
      const writes = num(row[2]) + num(row[3]);
      const inputRate = num(row[1]) > 0 ? b.inputNanos / num(row[1]) : null;
      split.readCost += b.cacheReadNanos;
      split.readAtInput += b.cacheReadAtInputRateNanos;
      split.writeCost += b.cacheWrite5mNanos + b.cacheWrite1hNanos;
      // The card's input rate, read back from the read-at-input figure when the call had no uncached input.
      split.writeAtInput += writes * (inputRate ?? (num(row[4]) > 0 ? b.cacheReadAtInputRateNanos / num(row[4]) : this.cardInputRate(model, row)));
    });
    if (seen < g.calls) this.unsplitCalls += g.calls - seen;
    this.addSplit(g.modelId, split);
    if (this.memo.size >= MAX_MEMO_ENTRIES) this.memo.clear();
    this.memo.set(key, { split, unsplit: this.unsplitCalls - unsplitBefore });
  }

  /** Input rate of the call's card when the call had neither uncached input nor cache reads (rare: writes only). */
  private cardInputRate(model: string, row: SqlValue[]): number {
    const probe = this.pricer?.priceBreakdown?.({
      model,
      ts: num(row[0]),
      tokens: { input: 1, cacheWrite5m: num(row[2]), cacheWrite1h: num(row[3]), cacheRead: 0, output: num(row[5]) },
      speed: strOrNull(row[7]) ?? undefined,
    });
    return probe ? probe.inputNanos : 0;
  }

  private addSplit(modelId: number, s: Split): void {
    const into = this.perModel.get(modelId);
    if (!into) {
      this.perModel.set(modelId, { ...s });
      return;
    }
    into.readCost += s.readCost;
    into.readAtInput += s.readAtInput;
    into.writeCost += s.writeCost;
    into.writeAtInput += s.writeAtInput;
  }

  /** The model's standard card (what a small call without extras pays), from one probe of the pricer. */
  private standardRates(modelId: number): Rates | null {
    if (this.rates.has(modelId)) return this.rates.get(modelId) ?? null;
    let rates: Rates | null = null;
    const b = this.pricer?.priceBreakdown?.({
      model: this.modelName(modelId),
      ts: 0,
      tokens: { input: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1, output: 1 },
    });
    if (b) {
      rates = { input: b.inputNanos, cacheWrite5m: b.cacheWrite5mNanos, cacheWrite1h: b.cacheWrite1hNanos, cacheRead: b.cacheReadNanos, output: b.outputNanos };
    }
    this.rates.set(modelId, rates);
    return rates;
  }
}
