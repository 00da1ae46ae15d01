/**
 * The database schema as a list of migrations; `PRAGMA user_version` records the last one applied. A migration runs
 * in one transaction with the version bump, so a file is always at exactly one version.
 *
 * v1 (first release): calls keyed by a unique text key, interned names, file state, meta.
 * v2: keys looked up by a 53-bit hash (a much smaller index), case-folded consumer names for search, indexes for
 *     record pages, and the 15-minute roll-up table the dashboard reads instead of rows.
 * v3: roll-ups also keyed by project (0: none), so a dashboard scoped to the workspace reads roll-ups too, not every
 *     row of its range.
 */
import { BUCKET_MS } from './buckets';
import type { Db } from './db';
import { keyHash } from '../recorder/keyHash';

export interface Migration {
  version: number;
  description: string;
  up(db: Db): void;
}

const V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE consumers (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, source INTEGER NOT NULL);
CREATE TABLE models (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE projects (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE collectors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE labels (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE price_versions (id INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE);
CREATE TABLE calls (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  request_id TEXT,
  ts INTEGER NOT NULL,
  source INTEGER NOT NULL,
  consumer_id INTEGER NOT NULL,
  model_id INTEGER NOT NULL,
  input INTEGER NOT NULL,
  cache_write_5m INTEGER NOT NULL,
  cache_write_1h INTEGER NOT NULL,
  cache_read INTEGER NOT NULL,
  output INTEGER NOT NULL,
  web_search INTEGER,
  web_fetch INTEGER,
  service_tier_id INTEGER,
  speed_id INTEGER,
  inference_geo_id INTEGER,
  duration_ms INTEGER,
  project_id INTEGER,
  collector_id INTEGER NOT NULL,
  sidechain INTEGER NOT NULL,
  cost_nanos INTEGER,
  price_version_id INTEGER NOT NULL
);
CREATE INDEX calls_ts ON calls(ts);
CREATE TABLE file_state (path TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID;
`;

/** Columns of `calls` from v2 on, in table order (v2 adds `key_hash` after `key`). */
const CALL_COLUMNS_AFTER_KEY = [
  'request_id', 'ts', 'source', 'consumer_id', 'model_id', 'input', 'cache_write_5m', 'cache_write_1h', 'cache_read',
  'output', 'web_search', 'web_fetch', 'service_tier_id', 'speed_id', 'inference_geo_id', 'duration_ms', 'project_id',
  'collector_id', 'sidechain', 'cost_nanos', 'price_version_id',
].join(', ');

const BUCKET_SQL = `((ts - (((ts % ${BUCKET_MS}) + ${BUCKET_MS}) % ${BUCKET_MS})) / ${BUCKET_MS})`;

/** v2's roll-ups rebuilt from rows: migration history, frozen (v3 replaces the table). */
const V2_REBUILD_ROLLUPS_SQL = `
DELETE FROM rollup_15m;
INSERT INTO rollup_15m (bucket, source, consumer_id, model_id, priced, calls, unpriced_calls, cost_nanos,
                        input, cache_write_5m, cache_write_1h, cache_read, output)
SELECT ${BUCKET_SQL}, source, consumer_id, model_id, cost_nanos IS NOT NULL, COUNT(*), SUM(cost_nanos IS NULL),
       COALESCE(SUM(cost_nanos), 0), SUM(input), SUM(cache_write_5m), SUM(cache_write_1h), SUM(cache_read), SUM(output)
FROM calls
GROUP BY 1, 2, 3, 4, 5;
`;

/** The roll-up columns of one group of calls (the SELECT list over `calls` that REBUILD and retention share). */
export const ROLLUP_OF_CALLS_SQL = `${BUCKET_SQL}, source, consumer_id, model_id, COALESCE(project_id, 0), cost_nanos IS NOT NULL,
       COUNT(*), SUM(cost_nanos IS NULL), COALESCE(SUM(cost_nanos), 0), SUM(input), SUM(cache_write_5m), SUM(cache_write_1h),
       SUM(cache_read), SUM(output)`;

/** The roll-up table's columns, in the order of ROLLUP_OF_CALLS_SQL. */
export const ROLLUP_COLUMNS_SQL = `bucket, source, consumer_id, model_id, project_id, priced, calls, unpriced_calls, cost_nanos,
                        input, cache_write_5m, cache_write_1h, cache_read, output`;

/** Recomputes the roll-ups from rows (migration, re-pricing); the recorder keeps them current afterwards. */
export const REBUILD_ROLLUPS_SQL = `
DELETE FROM rollup_15m;
INSERT INTO rollup_15m (${ROLLUP_COLUMNS_SQL})
SELECT ${ROLLUP_OF_CALLS_SQL}
FROM calls
GROUP BY 1, 2, 3, 4, 5, 6;
`;

/** The indexes of `calls` beyond its keys: dedup's, the records pages' and records by cost. */
export type CallIndex = 'calls_ts' | 'calls_consumer_ts' | 'calls_key_hash' | 'calls_cost';

/**
 * Indexes a large import drops and the store builds again once it is over, one sort each, in this order: the consumer
 * index when the store held almost nothing before the import (a first import: the few queries that name it read
 * through the time index meanwhile, see indexedBy), then dedup's key-hash index and the cost index always — their
 * random-order inserts cost SQLite more than the rows themselves (the cost index alone: ~0.9 s of a 176k-call import
 * row by row, ~0.2 s built afterwards). The time index stays: every dashboard and status-bar query of a period reads
 * the rows at the period's edges through it, once per recorded batch while an import runs, and without it each read
 * the whole table (at 176k calls, 40–90 ms a query instead of 0.4–10 ms). A file saved in between lacks the deferred
 * ones, so every open makes sure all are there (ALL_CALL_INDEXES_SQL).
 */
export interface DeferrableIndex {
  name: CallIndex;
  sql: string;
  /** Dropped only when the store held almost nothing before the import. */
  firstImportOnly: boolean;
}

export const DEFERRABLE_INDEXES: readonly DeferrableIndex[] = [
  { name: 'calls_consumer_ts', sql: 'CREATE INDEX IF NOT EXISTS calls_consumer_ts ON calls(consumer_id, ts)', firstImportOnly: true },
  { name: 'calls_key_hash', sql: 'CREATE INDEX IF NOT EXISTS calls_key_hash ON calls(key_hash)', firstImportOnly: false },
  { name: 'calls_cost', sql: 'CREATE INDEX IF NOT EXISTS calls_cost ON calls(cost_nanos)', firstImportOnly: false },
];

const ALL_CALL_INDEXES_SQL = ['CREATE INDEX IF NOT EXISTS calls_ts ON calls(ts)', ...DEFERRABLE_INDEXES.map((index) => index.sql)]
  .map((sql) => `${sql};`)
  .join(' ');

/** Whether the index is there (a large import may have deferred it). */
export function hasIndex(db: Db, name: CallIndex): boolean {
  return db.first("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [name]) !== undefined;
}

/** `INDEXED BY name` for a query's FROM clause; '' while a large import defers the index (SQLite then plans alone). */
export function indexedBy(db: Db, name: CallIndex): string {
  return hasIndex(db, name) ? `INDEXED BY ${name}` : '';
}

const V2 = `
ALTER TABLE consumers ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
UPDATE consumers SET search_name = js_fold(name);

CREATE TABLE calls_v2 (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  key_hash INTEGER NOT NULL,
  request_id TEXT,
  ts INTEGER NOT NULL,
  source INTEGER NOT NULL,
  consumer_id INTEGER NOT NULL,
  model_id INTEGER NOT NULL,
  input INTEGER NOT NULL,
  cache_write_5m INTEGER NOT NULL,
  cache_write_1h INTEGER NOT NULL,
  cache_read INTEGER NOT NULL,
  output INTEGER NOT NULL,
  web_search INTEGER,
  web_fetch INTEGER,
  service_tier_id INTEGER,
  speed_id INTEGER,
  inference_geo_id INTEGER,
  duration_ms INTEGER,
  project_id INTEGER,
  collector_id INTEGER NOT NULL,
  sidechain INTEGER NOT NULL,
  cost_nanos INTEGER,
  price_version_id INTEGER NOT NULL
);
INSERT INTO calls_v2 (id, key, key_hash, ${CALL_COLUMNS_AFTER_KEY})
  SELECT id, key, js_key_hash(key), ${CALL_COLUMNS_AFTER_KEY} FROM calls ORDER BY id;
DROP TABLE calls;
ALTER TABLE calls_v2 RENAME TO calls;
CREATE INDEX calls_key_hash ON calls(key_hash);
CREATE INDEX calls_ts ON calls(ts);
CREATE INDEX calls_consumer_ts ON calls(consumer_id, ts);
CREATE INDEX calls_cost ON calls(cost_nanos);

CREATE TABLE rollup_15m (
  bucket INTEGER NOT NULL,
  source INTEGER NOT NULL,
  consumer_id INTEGER NOT NULL,
  model_id INTEGER NOT NULL,
  priced INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  unpriced_calls INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  input INTEGER NOT NULL,
  cache_write_5m INTEGER NOT NULL,
  cache_write_1h INTEGER NOT NULL,
  cache_read INTEGER NOT NULL,
  output INTEGER NOT NULL,
  PRIMARY KEY (bucket, source, consumer_id, model_id, priced)
) WITHOUT ROWID;
CREATE INDEX rollup_unpriced ON rollup_15m(bucket, model_id) WHERE priced = 0;
${V2_REBUILD_ROLLUPS_SQL}
`;

const V3 = `
DROP TABLE rollup_15m;
CREATE TABLE rollup_15m (
  bucket INTEGER NOT NULL,
  source INTEGER NOT NULL,
  consumer_id INTEGER NOT NULL,
  model_id INTEGER NOT NULL,
  project_id INTEGER NOT NULL,
  priced INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  unpriced_calls INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  input INTEGER NOT NULL,
  cache_write_5m INTEGER NOT NULL,
  cache_write_1h INTEGER NOT NULL,
  cache_read INTEGER NOT NULL,
  output INTEGER NOT NULL,
  PRIMARY KEY (bucket, source, consumer_id, model_id, project_id, priced)
) WITHOUT ROWID;
CREATE INDEX rollup_unpriced ON rollup_15m(bucket, model_id) WHERE priced = 0;
${REBUILD_ROLLUPS_SQL}
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'calls, interned names, file state, meta', up: (db) => db.exec(V1) },
  {
    version: 2,
    description: 'hashed keys, searchable names, record-page indexes, 15-minute roll-ups',
    up: (db) => {
      db.raw.create_function('js_fold', (name: unknown) => foldName(typeof name === 'string' ? name : ''));
      db.raw.create_function('js_key_hash', (key: unknown) => keyHash(typeof key === 'string' ? key : ''));
      db.exec(V2);
    },
  },
  { version: 3, description: 'roll-ups keyed by project too', up: (db) => db.exec(V3) },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The form names are searched in: case-folded, locale-independent. */
export function foldName(name: string): string {
  return name.toLowerCase();
}

export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(
      `The usage database was written by a newer version of Claude Usage (schema ${found}; this version reads up to ` +
        `${SCHEMA_VERSION}). Update the extension; the file was left untouched.`,
    );
    this.name = 'NewerSchemaError';
  }
}

export function schemaVersion(db: Db): number {
  const row = db.first('PRAGMA user_version');
  return typeof row?.[0] === 'number' ? row[0] : 0;
}

/** Brings a database to the current schema. Returns the version it started from. */
export function migrate(db: Db): number {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) throw new NewerSchemaError(from);
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      migration.up(db);
      db.exec(`PRAGMA user_version = ${migration.version}`);
    });
  }
  db.exec(ALL_CALL_INDEXES_SQL);
  return from;
}
