/**
 * How an exported record is written. Exact units: USD as exact decimal strings (integer nano-dollars converted, never
 * through a float), token counts as integers, times as ISO 8601 in UTC. Unpriced calls have no cost (empty / null),
 * never $0. With a subscription the cost column says it is API-equivalent.
 */
import { nanosToDecimalString } from '../../../shared/money';
import type { RecordRow } from '../../../shared/queries';

export type CostBasis = 'api' | 'api-equivalent';

export const CSV_COLUMNS = [
  'time', 'source', 'name', 'consumer_key', 'model', 'project', 'input_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens',
  'cache_read_tokens', 'output_tokens', 'cost_usd', 'priced', 'duration_ms', 'message_key', 'id',
] as const;

export function csvHeader(basis: CostBasis): string {
  return `${CSV_COLUMNS.map((c) => (c === 'cost_usd' && basis === 'api-equivalent' ? 'api_equivalent_cost_usd' : c)).join(',')}\r\n`;
}

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
 * leading apostrophe, the common guard against CSV injection; names come from transcripts, so they are untrusted.
 */
export function csvText(value: string | null): string {
  if (value === null) return '';
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function csvRow(r: RecordRow): string {
  const t = r.tokens;
  const fields = [
    new Date(r.ts).toISOString(),
    r.source,
    csvText(r.name),
    csvText(r.consumerKey),
    csvText(r.model),
    csvText(r.project),
    String(t.input),
    String(t.cacheWrite5m),
    String(t.cacheWrite1h),
    String(t.cacheRead),
    String(t.output),
    r.costNanos === null ? '' : nanosToDecimalString(r.costNanos),
    r.costNanos === null ? 'false' : 'true',
    r.durationMs === null ? '' : String(Math.round(r.durationMs)),
    csvText(r.key),
    String(r.id),
  ];
  return `${fields.join(',')}\r\n`;
}

export interface JsonRecord {
  id: number;
  time: string;
  source: RecordRow['source'];
  name: string;
  consumerKey: string;
  model: string;
  project: string | null;
  tokens: RecordRow['tokens'];
  /** `costUsd` (API billing) or `apiEquivalentCostUsd` (subscription): exact decimal USD, null when unpriced. */
  [cost: string]: unknown;
  durationMs: number | null;
  key: string;
}

export function jsonRecord(r: RecordRow, basis: CostBasis): JsonRecord {
  const cost = r.costNanos === null ? null : nanosToDecimalString(r.costNanos);
  return {
    id: r.id,
    time: new Date(r.ts).toISOString(),
    source: r.source,
    name: r.name,
    consumerKey: r.consumerKey,
    model: r.model,
    project: r.project,
    tokens: { ...r.tokens },
    [basis === 'api' ? 'costUsd' : 'apiEquivalentCostUsd']: cost,
    durationMs: r.durationMs === null ? null : Math.round(r.durationMs),
    key: r.key,
  };
}
