/**
 * The recorder: validates calls, prices them, deduplicates by key and stores them with their roll-ups, one
 * transaction per batch. Synchronous: it runs inside the store's worker (or in-process in tests).
 */
import type { CallInput } from '../../shared/callRecord';
import type { Pricer } from '../pricing';
import type { RecordResult } from '../store/storeApi';
import type { Db, SqlValue } from '../store/db';
import { sourceCode } from '../store/sourceCodes';
import { DEFERRABLE_INDEXES, type DeferrableIndex } from '../store/schema';
import { BulkKeys } from './bulkKeys';
import { keyHash } from './keyHash';
import { Interner } from './interning';
import { RollupDeltas } from './rollupDeltas';
import {
  CALL_COLUMNS, COLUMN, STORED_COPY_COLUMNS, UPDATE_SQL, callTotal, copyOrigin, insertSql, readStoredCopy, replaces,
  type CopyRank, type StoredCopy,
} from './callRows';
import { cleanName, validateCall, validateOwnCall, type Validation } from './validateCall';
import { repriceAll } from './reprice';
import { pruneCallsBefore } from './retention';

export interface RecordOptions {
  /**
   * Let the names carried by these calls rename their consumers (last writer wins). The public API does; the
   * Claude Code collector does not (it renames explicitly, when a conversation's title appears).
   */
  updateNames?: boolean;
}

export type RecorderLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Rows per INSERT statement: fewer statement steps, one bind pass. */
const INSERT_CHUNK = 32;
const INSERT_CHUNK_SQL = insertSql(INSERT_CHUNK);
const INSERT_ONE_SQL = insertSql(1);
const WIDTH = CALL_COLUMNS.length;
/** SQLite's page cache during a bulk import: 8 MiB (negative: KiB). */
const BULK_CACHE_SIZE = -8192;
/** A store holding at most this many calls when a large import begins gets its first import (DEFERRABLE_INDEXES). */
const FIRST_IMPORT_MAX_ROWS = 10_000;

/** What we know about one key during a batch: the rank of its best copy so far, and where that copy is. */
interface KeyState extends CopyRank {
  stored: StoredCopy | undefined;
  /** The copy that will be written (an insert when there is no stored copy, else a replacement). */
  winner: CallInput | undefined;
}

export class Recorder {
  private readonly interner: Interner;
  private readonly deltas = new RollupDeltas();
  private renames = 0;
  /**
   * Set from a large import's start until its deferred indexes are built (see beginBulk, buildDeferredIndexes): dedup
   * reads this instead of the key-hash index.
   */
  private bulk: BulkKeys | undefined;
  /** A large import is on (beginBulk … endBulk). */
  private importing = false;
  private cacheBeforeBulk: number | undefined;
  /** Indexes the import dropped and not built yet, in build order (schema.ts DEFERRABLE_INDEXES). */
  private deferred: DeferrableIndex[] = [];
  /** Time spent so far building the current round of deferred indexes. */
  private buildingMs = 0;
  private lastIndexBuildMs: number | null = null;

  constructor(
    private readonly db: Db,
    private pricer: Pricer,
    private readonly log: RecorderLog = () => {},
  ) {
    this.interner = new Interner(db);
  }

  get priceVersion(): string {
    return this.pricer.version;
  }

  setPricer(pricer: Pricer): void {
    this.pricer = pricer;
  }

  record(values: readonly unknown[], options: RecordOptions = {}): RecordResult {
    return this.recordChecked(values, validateCall, options);
  }

  /** record() for a collector's own calls (see validateOwnCall): checked in place rather than copied. */
  recordOwn(calls: readonly CallInput[], options: RecordOptions = {}): RecordResult {
    return this.recordChecked(calls, validateOwnCall, options);
  }

  private recordChecked<T>(values: readonly T[], check: (value: T) => Validation, options: RecordOptions): RecordResult {
    const result: RecordResult = { inserted: 0, updated: 0, unchanged: 0, rejected: [] };
    const valid: CallInput[] = [];
    for (let index = 0; index < values.length; index++) {
      const checked = check(values[index]);
      if (checked.ok) valid.push(checked.call);
      else result.rejected.push({ index, key: checked.key, message: checked.message });
    }
    if (valid.length === 0) return result;
    this.guarded(() =>
      this.db.transaction(() => {
        const states = this.storedCopies(valid);
        for (const call of valid) {
          if (options.updateNames && this.interner.rename(call.consumer.key, call.consumer.name)) this.renames++;
          const sidechain = call.sidechain === true;
          const total = callTotal(call);
          const origin = copyOrigin(call.collector);
          const state = states.get(call.key);
          if (!state) {
            states.set(call.key, { stored: undefined, winner: call, sidechain, total, origin });
            result.inserted++;
          } else if (replaces({ sidechain, total, origin }, state)) {
            state.winner = call;
            state.sidechain = sidechain;
            state.total = total;
            state.origin = origin;
            result.updated++;
          } else {
            result.unchanged++;
          }
        }
        this.write(states);
      }),
    );
    return result;
  }

  /**
   * Runs `fn` (record calls, renames) as one transaction. On a throw everything in it is undone, and so are the
   * caches that may point at undone rows.
   */
  transaction<T>(fn: () => T): T {
    return this.guarded(() => this.db.transaction(fn));
  }

  /**
   * A large import of about `expectedCalls` calls begins: until the import's indexes are built again
   * (buildDeferredIndexes, after endBulk), the indexes schema.ts DEFERRABLE_INDEXES lists are dropped — the key-hash
   * and cost indexes always, the consumer index too when the store held almost nothing before — and
   * dedup finds stored copies through an in-memory map of every row's hash, which is cheaper than keeping the indexes
   * up to date row by row. Worth it only when the import is large next to what is stored (the map and the rebuilt
   * indexes cost in proportion to the whole table); returns whether bulk mode is on.
   */
  beginBulk(expectedCalls: number): boolean {
    if (this.importing) return true;
    if (!this.bulk) {
      const stored = this.count();
      if (!(expectedCalls > 0) || stored > expectedCalls) return false;
      const keys = new BulkKeys();
      this.db.each('SELECT key_hash, id FROM calls', [], (row) => keys.add(row[0] as number, row[1] as number));
      const drop = DEFERRABLE_INDEXES.filter((index) => !index.firstImportOnly || stored <= FIRST_IMPORT_MAX_ROWS);
      this.db.exec(drop.map((index) => `DROP INDEX IF EXISTS ${index.name};`).join(' '));
      this.deferred = drop;
      this.buildingMs = 0;
      this.bulk = keys;
    }
    // Without the random-access key index, appends and the other indexes do as well with a small page cache (the
    // import's memory peak is a target too); the usual cache comes back with endBulk.
    this.cacheBeforeBulk = this.db.first('PRAGMA cache_size')?.[0] as number | undefined;
    this.db.exec(`PRAGMA cache_size = ${BULK_CACHE_SIZE}`);
    this.interner.loadConsumers();
    this.importing = true;
    return true;
  }

  /**
   * The large import ended. Its indexes are not built yet: that is one sort per index on the whole table (~0.2 s
   * each at 176k calls) and nothing the import's results need — the dashboard reads roll-ups and the time index, dedup
   * keeps using the map, records by cost sort without the cost index — so the store
   * builds them a moment later, when it is idle (buildDeferredIndexes), and the import is done that much sooner.
   */
  endBulk(): void {
    if (!this.importing) return;
    this.importing = false;
    this.interner.forgetConsumers();
    if (typeof this.cacheBeforeBulk === 'number') this.db.exec(`PRAGMA cache_size = ${this.cacheBeforeBulk}`);
  }

  /** A large import is on (beginBulk … endBulk). */
  get inBulk(): boolean {
    return this.importing;
  }

  /** A large import ended and some of its indexes are still to build. */
  get indexesDeferred(): boolean {
    return this.deferred.length > 0 && !this.importing;
  }

  /** How long the last complete build of deferred indexes took (ms, all of them); null before any. */
  get indexBuildMs(): number | null {
    return this.lastIndexBuildMs;
  }

  /**
   * Builds up to `count` of the indexes a large import left out, one pass each, in DEFERRABLE_INDEXES order; once
   * the key-hash index is back, dedup goes through it again. Does nothing during an import or when nothing is
   * deferred; returns whether it built any.
   */
  buildDeferredIndexes(count = Infinity): boolean {
    if (!this.indexesDeferred) return false;
    for (let built = 0; built < count && this.deferred.length > 0; built++) {
      const index = this.deferred[0];
      const started = performance.now();
      this.db.exec(index.sql);
      this.buildingMs += performance.now() - started;
      this.deferred.shift();
      if (index.name === 'calls_key_hash') this.bulk = undefined;
    }
    if (this.deferred.length === 0) this.lastIndexBuildMs = this.buildingMs;
    return true;
  }

  /** A consumer's display name changed. Unknown keys are ignored. Returns whether anything changed. */
  renameConsumer(key: string, name: string): boolean {
    if (typeof key !== 'string' || typeof name !== 'string' || key === '') return false;
    const renamed = this.guarded(() => this.interner.rename(key, cleanName(name, key)));
    if (renamed) this.renames++;
    return renamed;
  }

  /** How many consumers were renamed since the last call (so the store can announce a change). */
  takeRenames(): number {
    const n = this.renames;
    this.renames = 0;
    return n;
  }

  /** Recomputes every stored cost with the current pricer. Returns how many costs changed. */
  reprice(): number {
    return this.guarded(() =>
      this.db.transaction(() =>
        repriceAll(this.db, this.pricer, this.interner.id('price_versions', this.pricer.version), this.log),
      ),
    );
  }

  /** Removes every call before `cutoff` (UTC ms) with its roll-ups. Returns how many calls went. */
  pruneBefore(cutoff: number): number {
    if (!Number.isFinite(cutoff)) throw new Error(`The retention cutoff must be a finite time (got ${cutoff})`);
    const removed = this.guarded(() => this.db.transaction(() => pruneCallsBefore(this.db, cutoff)));
    // Consumers may have been deleted: cached ids must not outlive them.
    if (removed > 0) this.interner.forget();
    return removed;
  }

  count(): number {
    return (this.db.first('SELECT COUNT(*) FROM calls')?.[0] as number) ?? 0;
  }

  /** Stored copies of the batch's keys, found through the key-hash index (in bulk mode: through the map of ids). */
  private storedCopies(calls: readonly CallInput[]): Map<string, KeyState> {
    const keys = new Set(calls.map((c) => c.key));
    const states = new Map<string, KeyState>();
    const hashes = new Set<number>();
    for (const key of keys) hashes.add(keyHash(key));
    const ids = this.bulk?.idsFor(hashes);
    if (ids?.length === 0) return states;
    // Sorted, so the index is probed in order.
    const probe = (ids ?? [...hashes]).sort((a, b) => a - b);
    this.db.each(
      `SELECT ${STORED_COPY_COLUMNS} FROM calls WHERE ${ids ? 'id' : 'key_hash'} IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(probe)],
      (row) => {
        const stored = readStoredCopy(row);
        if (!keys.has(stored.key)) return;
        const origin = copyOrigin(this.interner.name('collectors', stored.collectorId) ?? '');
        states.set(stored.key, { stored, winner: undefined, sidechain: stored.sidechain, total: stored.total, origin });
      },
    );
    return states;
  }

  /**
   * Writes the batch's winners. Rows are built straight into the statement's parameters (and the roll-ups read
   * from there): no array or object per call, as a large import writes a couple of hundred thousand.
   */
  private write(states: Map<string, KeyState>): void {
    const inserts: CallInput[] = [];
    for (const state of states.values()) {
      if (!state.winner) continue;
      if (!state.stored) {
        inserts.push(state.winner);
        continue;
      }
      const values: SqlValue[] = new Array(WIDTH + 1);
      this.fillRow(values, 0, state.winner);
      values[WIDTH] = state.stored.id;
      this.db.run(UPDATE_SQL, values);
      this.deltas.subtract(state.stored.fact);
      this.deltas.addRow(values, 0);
    }
    const lastIdBefore = this.bulk && inserts.length > 0 ? this.lastId() : 0;
    const hashes = this.bulk ? new Float64Array(inserts.length) : undefined;
    let i = 0;
    if (inserts.length >= INSERT_CHUNK) {
      const params: SqlValue[] = new Array(INSERT_CHUNK * WIDTH);
      for (; i + INSERT_CHUNK <= inserts.length; i += INSERT_CHUNK) {
        for (let j = 0; j < INSERT_CHUNK; j++) this.addRow(params, j * WIDTH, inserts[i + j], hashes, i + j);
        this.db.run(INSERT_CHUNK_SQL, params);
      }
    }
    const one: SqlValue[] = new Array(WIDTH);
    for (; i < inserts.length; i++) {
      this.addRow(one, 0, inserts[i], hashes, i);
      this.db.run(INSERT_ONE_SQL, one);
    }
    if (this.bulk && hashes) this.noteInserted(this.bulk, hashes, lastIdBefore);
    this.deltas.flush(this.db);
  }

  /** One new row into `params` at `at`: its values, its roll-up contribution, its key's hash for the bulk map. */
  private addRow(params: SqlValue[], at: number, call: CallInput, hashes: Float64Array | undefined, n: number): void {
    this.fillRow(params, at, call);
    this.deltas.addRow(params, at);
    if (hashes) hashes[n] = params[at + COLUMN.key_hash] as number;
  }

  private lastId(): number {
    return (this.db.first('SELECT max(id) FROM calls')?.[0] as number | null) ?? 0;
  }

  /**
   * New rows into the bulk map. SQLite gives each new row the largest id plus one, so a batch's rows are numbered in
   * insert order right after the previous largest id; if they are not (never seen), they are read back.
   */
  private noteInserted(bulk: BulkKeys, hashes: Float64Array, lastIdBefore: number): void {
    if (hashes.length === 0) return;
    const last = this.lastId();
    if (last - lastIdBefore === hashes.length) {
      for (let n = 0; n < hashes.length; n++) bulk.add(hashes[n], lastIdBefore + 1 + n);
      return;
    }
    this.db.each('SELECT key_hash, id FROM calls WHERE id > ?', [lastIdBefore], (row) => bulk.add(row[0] as number, row[1] as number));
  }

  /** The call's column values, in CALL_COLUMNS order, into `out` from `at`. */
  private fillRow(out: SqlValue[], at: number, call: CallInput): void {
    const intern = this.interner;
    const tokens = call.tokens;
    out[at + COLUMN.key] = call.key;
    out[at + COLUMN.key_hash] = keyHash(call.key);
    out[at + COLUMN.request_id] = call.requestId ?? null;
    out[at + COLUMN.ts] = call.ts;
    out[at + COLUMN.source] = sourceCode(call.source);
    out[at + COLUMN.consumer_id] = intern.consumer(call.consumer.key, call.consumer.name, call.source).id;
    out[at + COLUMN.model_id] = intern.id('models', call.model);
    out[at + COLUMN.input] = tokens.input;
    out[at + COLUMN.cache_write_5m] = tokens.cacheWrite5m;
    out[at + COLUMN.cache_write_1h] = tokens.cacheWrite1h;
    out[at + COLUMN.cache_read] = tokens.cacheRead;
    out[at + COLUMN.output] = tokens.output;
    out[at + COLUMN.web_search] = call.webSearchRequests ?? null;
    out[at + COLUMN.web_fetch] = call.webFetchRequests ?? null;
    out[at + COLUMN.service_tier_id] = intern.optionalId('labels', call.serviceTier);
    out[at + COLUMN.speed_id] = intern.optionalId('labels', call.speed);
    out[at + COLUMN.inference_geo_id] = intern.optionalId('labels', call.inferenceGeo);
    out[at + COLUMN.duration_ms] = call.durationMs ?? null;
    out[at + COLUMN.project_id] = intern.optionalId('projects', call.project);
    out[at + COLUMN.collector_id] = intern.id('collectors', call.collector);
    out[at + COLUMN.sidechain] = call.sidechain ? 1 : 0;
    out[at + COLUMN.cost_nanos] = this.price(call);
    out[at + COLUMN.price_version_id] = intern.id('price_versions', this.pricer.version);
  }

  private price(call: CallInput): number | null {
    try {
      const cost = this.pricer.price(call);
      if (cost === null) return null;
      if (!Number.isSafeInteger(cost) || cost < 0) {
        this.log('error', `Pricing returned an invalid cost (${cost}) for model ${call.model}; the call is stored unpriced.`);
        return null;
      }
      return cost;
    } catch (e: unknown) {
      this.log('error', `Pricing failed for model ${call.model} (${e instanceof Error ? e.message : String(e)}); the call is stored unpriced.`);
      return null;
    }
  }

  /** Any failure undoes the transaction; the in-memory caches that may now point at undone rows are dropped too. */
  private guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e: unknown) {
      this.interner.forget();
      this.deltas.clear();
      throw e;
    }
  }
}
