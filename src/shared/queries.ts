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
export interface DashboardQuery {
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
  /** By model, most expensive first. */
  byModel?: ModelStat[];
}

export interface RecordsQuery {
  range: TimeRange;
  source?: Source | null;
  /** Case-insensitive substring of the consumer's name; plain text, never a pattern. */
  search?: string;
  consumerKey?: string | null;
  /** 1-based. A page past the end answers the last page. */
  page: number;
  pageSize?: number;
  sort?: RecordSort;
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
}

export interface RecordsRequest {
  period: Period;
  source: Source | null;
  search: string;
  consumerKey: string | null;
  page: number;
  sort: RecordSort;
}
