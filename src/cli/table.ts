/** Plain-text tables for the readable report. */
import type { Report } from './report';

function table(title: string, header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^(\$?[\d.,-]+|unpriced)$/.test(String(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const money = (usd: string) => `$${usd}`;
/** A row whose every call is unpriced has no cost, not a cost of $0. */
const cost = (r: { costUsd: string; calls: number; unpricedCalls: number }) => (r.calls > 0 && r.unpricedCalls === r.calls ? 'unpriced' : money(r.costUsd));

export function formatReportTables(r: Report): string {
  const t = r.totals;
  const parts = [
    `Claude usage ${r.range.since === new Date(0).toISOString() ? 'from the first call' : r.range.since} to ${r.range.until} (${r.range.timeZone})`,
    `Imported ${r.import.files} transcript files: ${r.import.calls} calls, ${r.import.skippedLines} lines skipped.`,
    '',
    table('Totals', ['calls', 'unpriced', 'cost', 'input', 'cache write', 'cache read', 'output'], [
      [t.calls, t.unpricedCalls, money(t.costUsd), t.inputTokens, t.cacheWriteTokens, t.cacheReadTokens, t.outputTokens],
    ]),
    '',
    table('By day', ['date', 'calls', 'unpriced', 'cost', 'tokens'], r.byDay.map((d) => [d.date, d.calls, d.unpricedCalls, cost(d), d.tokens])),
    '',
    table('By source', ['source', 'calls', 'unpriced', 'cost', 'tokens'], r.bySource.map((s) => [s.source, s.calls, s.unpricedCalls, cost(s), s.tokens])),
    '',
    table('By model', ['model', 'calls', 'unpriced', 'cost', 'input', 'output'], r.byModel.map((m) => [m.model, m.calls, m.unpricedCalls, cost(m), m.inputTokens, m.outputTokens])),
    '',
    table('By conversation or agent', ['name', 'source', 'calls', 'cost', 'tokens'], r.byConsumer.map((c) => [c.name, c.source, c.calls, cost(c), c.tokens])),
  ];
  if (t.unpricedCalls > 0) parts.push('', `${t.unpricedCalls} calls use models with no known price: they are counted, not costed.`);
  return parts.join('\n');
}
