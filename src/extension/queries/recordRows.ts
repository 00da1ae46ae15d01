/** The columns of a records-table row, and how a result row becomes a RecordRow. */
import type { RecordRow } from '../../shared/queries';
import { num, numOrNull, str, strOrNull, type Row } from '../store/db';
import { sourceFromCode } from '../store/sourceCodes';

export const ROW_SELECT = `
SELECT c.id, c.key, c.ts, c.source, k.name, k.key, m.name, c.input, c.cache_write_5m, c.cache_write_1h, c.cache_read,
       c.output, c.cost_nanos, c.duration_ms, p.path`;
export const ROW_JOINS = `
JOIN consumers k ON k.id = c.consumer_id
JOIN models m ON m.id = c.model_id
LEFT JOIN projects p ON p.id = c.project_id`;

export function readRecordRow(row: Row): RecordRow {
  return {
    id: num(row[0]),
    key: str(row[1]),
    ts: num(row[2]),
    source: sourceFromCode(row[3]),
    name: str(row[4]),
    consumerKey: str(row[5]),
    model: str(row[6]),
    tokens: {
      input: num(row[7]),
      cacheWrite5m: num(row[8]),
      cacheWrite1h: num(row[9]),
      cacheRead: num(row[10]),
      output: num(row[11]),
    },
    costNanos: numOrNull(row[12]),
    durationMs: numOrNull(row[13]),
    project: strOrNull(row[14]),
  };
}
