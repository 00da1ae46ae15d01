/**
 * What the views ask the store for, and what they get back. The store answers these in its worker with SQL over
 * indexed rows (or roll-ups); the webview never receives a full dump of records.
 */
import type { Source, TokenCounts } from './callRecord';
import type { Nanos } from './money';
import type { Granularity, Period, TimeRange } from './period';

export type TopBy = 'cost' | 'tokens';
export type RecordSort = 'time' | 'cost';
export const RECORDS_PAGE_SIZE = 20;

/** Whose calls: all of them, or those made in the open workspace's folders (and below them). */
export type Scope = 'all' | 'workspace';
export const SCOPES: readonly Scope[] = ['all', 'workspace'];

export function isScope(value: unknown): value is Scope {
  return value === 'all' || value === 'workspace';
}

/**
 * Which projects count: absent or null = every call; a list = calls whose stored project (the cwd of the Claude Code
 * session, or the project an API/proxy caller gave) is one of these folders or below one. An empty list matches
 * nothing (a workspace with no folder open).
 */
export interface ProjectFilter {
  projects?: string[] | null;
}

/** The status bar's and CLI's totals query: a range, optionally scoped to projects. */
export interface SummaryQuery extends TimeRange, ProjectFilter {}

/** Totals for a range: the five cards and the status bar. */
export interface Summary {
  calls: number;
  pricedCalls: number;
  /** Calls whose model has no price: counted, never costed as $0. */
  unpricedCalls: number;
  /** Sum over priced calls. */
  costNanos: Nanos;
  /** Summed token counts; "Input Tokens" is input + both cache writes + cache reads. */
  tokens: TokenCounts;
  /** costNanos / pricedCalls, or null when nothing is priced. */
  avgCostNanos: Nanos | null;
  /** Models seen in the range that have no price. */
  unpricedModels: string[];
  /** Time of the first and last call in the range (null when there is none). */
  firstTs?: number | null;
  lastTs?: number | null;
}

/** Cost and tokens of one model in a range. */
export interface ModelStat {
  model: string;
  costNanos: Nanos;
  calls: number;
  unpricedCalls: number;
  tokens: TokenCounts;
  /** What this model's cache reads saved against uncached input (see CacheStats.savedNanos); null when unpriced. */
  cacheSavedNanos?: Nanos | null;
}

/**
 * Prompt-cache accounting for a range. Money is split per billing category from each call's own rate card (long
 * context, fast mode), before the data-residency surcharge; token counts include unpriced calls.
 */
export interface CacheStats {
  /** Cache-read tokens over all prompt tokens (uncached input + cache writes + cache reads); null when none were sent. */
  hitRatio: number | null;
  promptTokens: number;
  readTokens: number;
  writeTokens: number;
  /** What the cache reads cost. */
  readCostNanos: Nanos;
  /** What the same tokens would have cost as uncached input. */
  readAtInputRateNanos: Nanos;
  /** readAtInputRateNanos − readCostNanos: the money reading from the cache saved. */
  savedNanos: Nanos;
  /** What the cache writes (5-minute and 1-hour) cost. */
  writeCostNanos: Nanos;
  /** What the written tokens cost beyond uncached input (the write premium); savedNanos − this is the net gain. */
  writePremiumNanos: Nanos;
  /** Priced calls whose cost could not be split by category (a price the accounting does not know): left out above. */
  unsplitCalls: number;
}

/** One bucket of the cost-over-time chart; `start` is the bucket's first instant (UTC ms) of a local day or hour. */
export interface SeriesPoint {
  start: number;
  costNanos: Nanos;
  calls: number;
  unpricedCalls: number;
  /** Prompt + output tokens. */
  tokens: number;
}

export interface SourceSlice {
  source: Source;
  costNanos: Nanos;
  calls: number;
  unpricedCalls: number;
  tokens: number;
}

export interface ConsumerStat {
  key: string;
  name: string;
  /** The source that carries most of this consumer's cost (its badge). */
  source: Source;
  costNanos: Nanos;
  tokens: number;
  calls: number;
  unpricedCalls: number;
}

/** Dashboard query with the range already resolved (by the host, from a period). */
export interface DashboardQuery extends ProjectFilter {
  range: TimeRange;
  /** IANA zone the buckets follow, e.g. `Europe/Berlin`, `Asia/Kathmandu`. */
  timeZone: string;
  granularity: Granularity;
  topBy: TopBy;
  /** How many top consumers; default 10. */
  topLimit?: number;
}

export interface DashboardData {
  summary: Summary;
  /** Every bucket from the range's first local day/hour to its last, empty ones as zero. */
  series: SeriesPoint[];
  /** Always all three sources, in SOURCES order, zero ones included. */
  bySource: SourceSlice[];
  topConsumers: ConsumerStat[];
  /** By model, most expensive first (then most tokens). */
  byModel?: ModelStat[];
  /** Prompt-cache hit ratio, savings and write costs. */
  cache?: CacheStats;
}

/** Where the previous page ended, for reading every page in turn (exports) without OFFSET: the last row read. */
export interface RecordCursor {
  id: number;
  ts: number;
  costNanos: Nanos | null;
}

export interface RecordsQuery extends ProjectFilter {
  range: TimeRange;
  source?: Source | null;
  /** Case-insensitive substring of the consumer's name; plain text, never a pattern. */
  search?: string;
  consumerKey?: string | null;
  /** 1-based. A page past the end answers the last page. */
  page: number;
  pageSize?: number;
  sort?: RecordSort;
  /**
   * Keyset paging: the rows after this one in the sort order (then `page` is ignored, and `total` is answered as -1 —
   * not counted — to keep each step cheap).
   */
  after?: RecordCursor | null;
}

export interface RecordRow {
  /** Row id: stable while the record exists. */
  id: number;
  key: string;
  ts: number;
  source: Source;
  name: string;
  consumerKey: string;
  model: string;
  tokens: TokenCounts;
  costNanos: Nanos | null;
  durationMs: number | null;
  project: string | null;
}

export interface RecordsPage {
  rows: RecordRow[];
  /** Matching rows in all; -1 when not counted (a query with `after`). */
  total: number;
  /** The page actually answered (clamped to 1…pageCount). */
  page: number;
  pageSize: number;
}

/** The view's query knobs before the host resolves the period to a range. */
export interface DashboardRequest {
  period: Period;
  timeZone: string;
  granularity: Granularity;
  topBy: TopBy;
  /** Absent = all. */
  scope?: Scope;
}

export interface RecordsRequest {
  period: Period;
  /** Absent = all. */
  scope?: Scope;
  source: Source | null;
  search: string;
  consumerKey: string | null;
  page: number;
  sort: RecordSort;
}
