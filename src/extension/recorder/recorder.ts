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
  CALL_COLUMNS, STORED_COPY_COLUMNS, UPDATE_SQL, callTotal, copyOrigin, insertSql, readStoredCopy, replaces,
  type CopyRank, type PreparedRow, type StoredCopy,
} from './callRows';
import { cleanName, validateCall } from './validateCall';
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
const KEY_HASH_COLUMN = CALL_COLUMNS.indexOf('key_hash');
/** SQLite's page cache during a bulk import: 8 MiB (negative: KiB). */
const BULK_CACHE_SIZE = -8192;
/** A store holding at most this many calls when a large import begins gets its first import (DEFERRABLE_INDEXES). */
const FIRST_IMPORT_MAX_ROWS = 10_000;

/** What we know about one key during a batch. */
interface KeyState {
  stored?: StoredCopy;
  /** The copy that will be written (an insert when there is no stored copy, else a replacement). */
  winner?: CallInput;
  current: CopyRank;
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
    const result: RecordResult = { inserted: 0, updated: 0, unchanged: 0, rejected: [] };
    const valid: CallInput[] = [];
    values.forEach((value, index) => {
      const checked = validateCall(value);
      if (checked.ok) valid.push(checked.call);
      else result.rejected.push({ index, key: checked.key, message: checked.message });
    });
    if (valid.length === 0) return result;
    this.guarded(() =>
      this.db.transaction(() => {
        const states = this.storedCopies(valid);
        for (const call of valid) {
          if (options.updateNames && this.interner.rename(call.consumer.key, call.consumer.name)) this.renames++;
          const candidate: CopyRank = { sidechain: call.sidechain === true, total: callTotal(call), origin: copyOrigin(call.collector) };
          const state = states.get(call.key);
          if (!state) {
            states.set(call.key, { winner: call, current: candidate });
            result.inserted++;
          } else if (replaces(candidate, state.current)) {
            state.winner = call;
            state.current = candidate;
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
        states.set(stored.key, { stored, current: { sidechain: stored.sidechain, total: stored.total, origin } });
      },
    );
    return states;
  }

  private write(states: Map<string, KeyState>): void {
    const inserts: PreparedRow[] = [];
    for (const state of states.values()) {
      if (!state.winner) continue;
      const row = this.prepare(state.winner);
      if (state.stored) {
        this.db.run(UPDATE_SQL, [...row.values, state.stored.id]);
        this.deltas.subtract(state.stored.fact);
        this.deltas.add(row.fact);
      } else {
        inserts.push(row);
        this.deltas.add(row.fact);
      }
    }
    const lastIdBefore = this.bulk && inserts.length > 0 ? this.lastId() : 0;
    let i = 0;
    if (inserts.length >= INSERT_CHUNK) {
      const params: SqlValue[] = new Array(INSERT_CHUNK * CALL_COLUMNS.length);
      for (; i + INSERT_CHUNK <= inserts.length; i += INSERT_CHUNK) {
        let k = 0;
        for (let j = i; j < i + INSERT_CHUNK; j++) for (const value of inserts[j].values) params[k++] = value;
        this.db.run(INSERT_CHUNK_SQL, params);
      }
    }
    for (; i < inserts.length; i++) this.db.run(INSERT_ONE_SQL, inserts[i].values);
    if (this.bulk && inserts.length > 0) this.noteInserted(this.bulk, inserts, lastIdBefore);
    this.deltas.flush(this.db);
  }

  private lastId(): number {
    return (this.db.first('SELECT max(id) FROM calls')?.[0] as number | null) ?? 0;
  }

  /**
   * New rows into the bulk map. SQLite gives each new row the largest id plus one, so a batch's rows are numbered in
   * insert order right after the previous largest id; if they are not (never seen), they are read back.
   */
  private noteInserted(bulk: BulkKeys, inserts: readonly PreparedRow[], lastIdBefore: number): void {
    const last = this.lastId();
    if (last - lastIdBefore === inserts.length) {
      inserts.forEach((row, n) => bulk.add(row.values[KEY_HASH_COLUMN] as number, lastIdBefore + 1 + n));
      return;
    }
    this.db.each('SELECT key_hash, id FROM calls WHERE id > ?', [lastIdBefore], (row) => bulk.add(row[0] as number, row[1] as number));
  }

  private prepare(call: CallInput): PreparedRow {
    const intern = this.interner;
    const source = sourceCode(call.source);
    const consumerId = intern.consumer(call.consumer.key, call.consumer.name, call.source).id;
    const modelId = intern.id('models', call.model);
    const projectId = intern.optionalId('projects', call.project);
    const costNanos = this.price(call);
    const values: SqlValue[] = [
      call.key,
      keyHash(call.key),
      call.requestId ?? null,
      call.ts,
      source,
      consumerId,
      modelId,
      call.tokens.input,
      call.tokens.cacheWrite5m,
      call.tokens.cacheWrite1h,
      call.tokens.cacheRead,
      call.tokens.output,
      call.webSearchRequests ?? null,
      call.webFetchRequests ?? null,
      intern.optionalId('labels', call.serviceTier),
      intern.optionalId('labels', call.speed),
      intern.optionalId('labels', call.inferenceGeo),
      call.durationMs ?? null,
      projectId,
      intern.id('collectors', call.collector),
      call.sidechain ? 1 : 0,
      costNanos,
      intern.id('price_versions', this.pricer.version),
    ];
    if (values.length !== CALL_COLUMNS.length) throw new Error('call row does not match the calls columns');
    return {
      values,
      fact: {
        ts: call.ts,
        source,
        consumerId,
        modelId,
        projectId: projectId ?? 0,
        costNanos,
        input: call.tokens.input,
        cacheWrite5m: call.tokens.cacheWrite5m,
        cacheWrite1h: call.tokens.cacheWrite1h,
        cacheRead: call.tokens.cacheRead,
        output: call.tokens.output,
      },
    };
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
