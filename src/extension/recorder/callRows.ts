/** How a call maps to a row of `calls`: the column list, and the two shapes the recorder reads back. */
import { totalTokens, type CallInput } from '../../shared/callRecord';
import type { Row } from '../store/db';
import type { RollupFact } from './rollupDeltas';

export const CALL_COLUMNS = [
  'key', 'key_hash', 'request_id', 'ts', 'source', 'consumer_id', 'model_id', 'input', 'cache_write_5m',
  'cache_write_1h', 'cache_read', 'output', 'web_search', 'web_fetch', 'service_tier_id', 'speed_id',
  'inference_geo_id', 'duration_ms', 'project_id', 'collector_id', 'sidechain', 'cost_nanos', 'price_version_id',
] as const;

/** Each column's position in CALL_COLUMNS (and in a row's values). */
export const COLUMN = Object.fromEntries(CALL_COLUMNS.map((name, i) => [name, i])) as { readonly [K in (typeof CALL_COLUMNS)[number]]: number };

const ROW_PLACEHOLDERS = `(${CALL_COLUMNS.map(() => '?').join(', ')})`;

export function insertSql(rows: number): string {
  return `INSERT INTO calls (${CALL_COLUMNS.join(', ')}) VALUES ${Array(rows).fill(ROW_PLACEHOLDERS).join(', ')}`;
}

export const UPDATE_SQL = `UPDATE calls SET ${CALL_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;

/**
 * Where a copy came from, as far as deduplication cares: Claude Code's transcripts carry the conversation, project
 * and subagent attribution, so their copy of a call always wins over the recording proxy's or the public API's copy
 * of the same call (the same message id), whichever arrives first.
 */
export type CopyOrigin = 'claude-code' | 'relay' | 'other';

export function copyOrigin(collector: string): CopyOrigin {
  if (collector === 'claude-code') return 'claude-code';
  return collector === 'proxy' || collector.startsWith('api:') ? 'relay' : 'other';
}

/** What decides between two copies of one key. */
export interface CopyRank {
  sidechain: boolean;
  total: number;
  origin: CopyOrigin;
}

/** The stored copy of a key, as far as deduplication and roll-ups need it. */
export interface StoredCopy {
  id: number;
  key: string;
  sidechain: boolean;
  total: number;
  collectorId: number;
  fact: RollupFact;
}

export const STORED_COPY_COLUMNS =
  'id, key, sidechain, ts, source, consumer_id, model_id, cost_nanos, input, cache_write_5m, cache_write_1h, cache_read, output, collector_id, project_id';

export function readStoredCopy(row: Row): StoredCopy {
  const fact: RollupFact = {
    ts: row[3] as number,
    source: row[4] as number,
    consumerId: row[5] as number,
    modelId: row[6] as number,
    projectId: typeof row[14] === 'number' ? row[14] : 0,
    costNanos: typeof row[7] === 'number' ? row[7] : null,
    input: row[8] as number,
    cacheWrite5m: row[9] as number,
    cacheWrite1h: row[10] as number,
    cacheRead: row[11] as number,
    output: row[12] as number,
  };
  const total = fact.input + fact.cacheWrite5m + fact.cacheWrite1h + fact.cacheRead + fact.output;
  return { id: row[0] as number, key: row[1] as string, sidechain: row[2] === 1, total, collectorId: row[13] as number, fact };
}

/**
 * Whether a new copy of a key replaces the one we have: a Claude Code copy wins over a proxy / public API copy (and
 * is never replaced by one); then a main-chain copy wins over a side-chain copy; otherwise the copy with more tokens
 * wins (streaming writers report partial usage first). Equal copies change nothing.
 */
export function replaces(candidate: CopyRank, current: CopyRank): boolean {
  if (candidate.origin !== current.origin) {
    if (candidate.origin === 'claude-code' && current.origin === 'relay') return true;
    if (current.origin === 'claude-code' && candidate.origin === 'relay') return false;
  }
  if (candidate.sidechain !== current.sidechain) return !candidate.sidechain;
  return candidate.total > current.total;
}

export function callTotal(call: CallInput): number {
  return totalTokens(call.tokens);
}
