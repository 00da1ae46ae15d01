/** The rows of the usage records table; relative times are refreshed in place by `tick`. */
import { promptTokens } from '../../shared/callRecord';
import { formatCount, formatDuration, formatRelativeTime, formatTokens } from '../../shared/format';
import { formatUsd, nanosToDecimalString } from '../../shared/money';
import type { RecordRow } from '../../shared/queries';
import { createSourceBadge, createTag } from '../components';
import { h, replaceChildren, setText } from '../dom';
import { recordCellId, TestIds, type RecordColumn } from '../testIds';
import { exactLocalTime } from '../timeLabels';

/** Sorted by cost, calls costing at least this many times the period's average are marked. */
export const OUTLIER_FACTOR = 3;

const HEADERS: readonly { col: RecordColumn; label: string; numeric: boolean }[] = [
  { col: 'source', label: 'Source', numeric: false },
  { col: 'name', label: 'Name', numeric: false },
  { col: 'input', label: 'Input', numeric: true },
  { col: 'output', label: 'Output', numeric: true },
  { col: 'cost', label: 'Cost', numeric: true },
  { col: 'duration', label: 'Duration', numeric: true },
  { col: 'time', label: 'Time', numeric: true },
];

export class RecordsTable {
  readonly element: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;

  constructor() {
    this.body = h('tbody');
    this.element = h(
      'table',
      { class: 'records-table', testId: TestIds.recordsTable },
      h('caption', { class: 'visually-hidden' }, 'Usage records'),
      h('thead', {}, h('tr', {}, ...HEADERS.map((c) => h('th', { scope: 'col', class: `col-${c.col}${c.numeric ? ' num' : ''}` }, c.label)))),
      this.body,
    );
  }

  /** With `avgCostNanos` (sorted by cost), calls costing several times the average are marked as outliers. */
  render(rows: RecordRow[], now: number, avgCostNanos: number | null = null): void {
    replaceChildren(this.body, ...rows.map((r) => this.row(r, now, avgCostNanos)));
  }

  setCostHeader(label: string): void {
    const th = this.element.querySelector('th.col-cost');
    if (th) setText(th, label);
  }

  /** Refreshes the "3 min ago" texts against a new clock reading. */
  tick(now: number): void {
    for (const cell of this.body.querySelectorAll<HTMLElement>('[data-ts]')) {
      setText(cell, formatRelativeTime(Number(cell.dataset.ts), now));
    }
  }

  private row(r: RecordRow, now: number, avgCostNanos: number | null): HTMLTableRowElement {
    const t = r.tokens;
    const sent = promptTokens(t);
    const cell = (col: RecordColumn, attrs: Record<string, string | number | undefined>, ...children: (Node | string)[]) =>
      h('td', { class: `col-${col}${col === 'source' || col === 'name' ? '' : ' num'}`, testId: recordCellId(col), ...attrs }, ...children);
    const nameTitle = [r.name, `Model: ${r.model}`, r.project ? `Project: ${r.project}` : ''].filter(Boolean).join('\n');
    const times = avgCostNanos !== null && avgCostNanos > 0 && r.costNanos !== null ? r.costNanos / avgCostNanos : 0;
    const outlier = times >= OUTLIER_FACTOR ? `${times >= 10 ? Math.round(times) : times.toFixed(1)}×` : null;
    return h(
      'tr',
      { testId: TestIds.recordRow, 'data-id': r.id, 'data-key': r.consumerKey, class: outlier ? 'is-outlier' : undefined },
      cell('source', {}, createSourceBadge(r.source)),
      cell('name', { title: nameTitle }, h('span', { class: 'record-name' }, r.name || '(unnamed)')),
      cell(
        'input',
        {
          title: `${formatCount(sent)} tokens sent\nUncached: ${formatCount(t.input)}\nCache write: ${formatCount(t.cacheWrite5m + t.cacheWrite1h)}\nCache read: ${formatCount(t.cacheRead)}`,
        },
        formatTokens(sent),
      ),
      cell('output', { title: `${formatCount(t.output)} tokens` }, formatTokens(t.output)),
      r.costNanos === null
        ? cell('cost', { title: `No price known for ${r.model}` }, createTag('unpriced', 'warning'))
        : cell(
            'cost',
            {
              title: `$${nanosToDecimalString(r.costNanos)}${outlier ? `\n${outlier} the period's average cost per call` : ''}`,
              // Drawn by CSS (::before), so the cell's text stays the amount alone.
              'data-outlier': outlier ?? undefined,
            },
            formatUsd(r.costNanos),
          ),
      cell('duration', {}, formatDuration(r.durationMs)),
      cell('time', { title: exactLocalTime(r.ts), 'data-ts': r.ts }, formatRelativeTime(r.ts, now)),
    );
  }
}
