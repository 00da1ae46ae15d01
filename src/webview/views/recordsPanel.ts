/**
 * The usage records section: source filter, search (debounced; old rows stay until the new page arrives), sort,
 * the chip of a chosen consumer, the table and its pagination.
 */
import { SOURCE_LABELS, type Source } from '../../shared/callRecord';
import { formatCount } from '../../shared/format';
import type { RecordSort, RecordsPage } from '../../shared/queries';
import type { ExportFormat } from '../../shared/protocol';
import {
  createButton, createCountBadge, createSegmented, createTextField, type ButtonHandle, type SegmentedHandle, type TextFieldHandle,
} from '../components';
import { h, iconOf, replaceChildren, setText } from '../dom';
import { MAX_SEARCH_LENGTH } from '../state';
import { exportButtonId, sortButtonId, sourceFilterId, TestIds, type SourceFilter } from '../testIds';
import { createPanel } from './panel';
import { PaginationView } from './pagination';
import { RecordsTable } from './recordsTable';

export const SEARCH_DEBOUNCE_MS = 200;

export interface RecordsFilters {
  source: Source | null;
  search: string;
  consumerKey: string | null;
  consumerName: string | null;
  sort: RecordSort;
}

export interface RecordsPanelCallbacks {
  onSource(source: Source | null): void;
  onSearch(search: string): void;
  onSort(sort: RecordSort): void;
  onPage(page: number): void;
  onClearConsumer(): void;
  onClearAll(): void;
  onExport(format: ExportFormat): void;
}

export class RecordsPanel {
  readonly element: HTMLElement;
  private readonly sourceFilter: SegmentedHandle<SourceFilter>;
  private readonly sortToggle: SegmentedHandle<RecordSort>;
  private readonly search: TextFieldHandle;
  private readonly chipSlot: HTMLElement;
  private readonly table = new RecordsTable();
  private readonly tableWrap: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly pagination: PaginationView;
  private readonly totalBadge: HTMLElement;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private filters: RecordsFilters;
  private readonly exportButtons: ButtonHandle[] = [];

  constructor(initial: RecordsFilters, private readonly cb: RecordsPanelCallbacks) {
    this.filters = initial;
    this.totalBadge = createCountBadge('0');
    const panel = createPanel({ title: 'Usage records', testId: TestIds.records, className: 'panel-records', titleExtra: this.totalBadge });
    for (const format of ['csv', 'json'] as const) {
      const name = format.toUpperCase();
      this.exportButtons.push(
        createButton({
          label: name,
          start: iconOf('download'),
          appearance: 'secondary',
          ariaLabel: `Export these records as ${name}`,
          title: `Save the records of this view (period, scope, source, search and order) as ${name}`,
          testId: exportButtonId(format),
          className: 'export-button',
          onClick: () => cb.onExport(format),
        }),
      );
    }
    panel.actions.append(h('span', { class: 'export-label', 'aria-hidden': 'true' }, 'Export'), ...this.exportButtons.map((b) => b.element));

    this.sourceFilter = createSegmented<SourceFilter>({
      label: 'Source',
      value: initial.source ?? 'all',
      options: [
        { value: 'all', label: 'All', testId: sourceFilterId('all') },
        { value: 'chat', label: SOURCE_LABELS.chat, testId: sourceFilterId('chat') },
        { value: 'agent', label: SOURCE_LABELS.agent, testId: sourceFilterId('agent') },
        { value: 'memory', label: SOURCE_LABELS.memory, testId: sourceFilterId('memory') },
      ],
      onChange: (v) => cb.onSource(v === 'all' ? null : v),
    });
    this.search = createTextField({
      placeholder: 'Search by name',
      ariaLabel: 'Search records by name',
      value: initial.search,
      maxLength: MAX_SEARCH_LENGTH,
      start: iconOf('search'),
      testId: TestIds.search,
      className: 'records-search',
      onInput: (v) => this.scheduleSearch(v),
    });
    this.search.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.search.value !== '') {
        e.stopPropagation();
        this.search.setValue('');
        this.scheduleSearch('', 0);
      }
    });
    this.sortToggle = createSegmented<RecordSort>({
      label: 'Sort',
      value: initial.sort,
      options: [
        { value: 'time', label: 'Newest', testId: sortButtonId('time'), title: 'Newest calls first' },
        { value: 'cost', label: 'Most expensive', testId: sortButtonId('cost'), title: 'Most expensive calls first' },
      ],
      onChange: (v) => cb.onSort(v),
    });
    this.chipSlot = h('div', { class: 'chip-slot' });
    const toolbar = h('div', { class: 'records-toolbar' }, this.sourceFilter.element, this.search.element, h('div', { class: 'toolbar-spacer' }), this.sortToggle.element);

    this.tableWrap = h('div', { class: 'table-wrap' }, this.table.element);
    this.empty = h('div', { class: 'records-empty', testId: TestIds.recordsEmpty, hidden: true });
    this.pagination = new PaginationView((p) => cb.onPage(p));
    panel.body.append(toolbar, this.chipSlot, this.tableWrap, this.empty, this.pagination.element);
    this.element = panel.element;
    this.renderChip();
  }

  /** Filters as the app holds them (after a restore, a consumer pick or a period change). */
  setFilters(f: RecordsFilters): void {
    this.filters = f;
    this.sourceFilter.setValue(f.source ?? 'all');
    this.sortToggle.setValue(f.sort);
    if (this.search.value !== f.search && this.searchTimer === undefined) this.search.setValue(f.search);
    this.renderChip();
  }

  /** `avgCostNanos`: the period's average cost per call, to mark outliers when sorted by cost. */
  render(page: RecordsPage, now: number, avgCostNanos: number | null = null): void {
    this.table.render(page.rows, now, this.filters.sort === 'cost' ? avgCostNanos : null);
    for (const b of this.exportButtons) b.setDisabled(page.total === 0);
    setText(this.totalBadge, formatCount(page.total));
    this.totalBadge.setAttribute('aria-label', `${formatCount(page.total)} records`);
    const none = page.rows.length === 0;
    this.tableWrap.hidden = none;
    this.empty.hidden = !none;
    if (none) this.renderEmpty();
    this.pagination.update(page.page, page.pageSize, page.total);
    this.pagination.element.hidden = none;
  }

  setCostHeader(label: string): void {
    this.table.setCostHeader(label);
  }

  setBusy(busy: boolean): void {
    this.element.classList.toggle('is-busy', busy);
    this.tableWrap.setAttribute('aria-busy', String(busy));
  }

  tick(now: number): void {
    this.table.tick(now);
  }

  private scheduleSearch(value: string, delay = SEARCH_DEBOUNCE_MS): void {
    if (this.searchTimer !== undefined) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.searchTimer = undefined;
      this.cb.onSearch(value.trim());
    }, delay);
  }

  private renderChip(): void {
    const key = this.filters.consumerKey;
    if (key === null) {
      replaceChildren(this.chipSlot);
      this.chipSlot.hidden = true;
      return;
    }
    const name = this.filters.consumerName ?? 'the selected conversation';
    const clear = h('button', { type: 'button', class: 'chip-clear', testId: TestIds.consumerChipClear, 'aria-label': `Show all calls, not only ${name}`, title: 'Clear' }, iconOf('close'));
    clear.addEventListener('click', () => this.cb.onClearConsumer());
    replaceChildren(
      this.chipSlot,
      h('span', { class: 'chip', testId: TestIds.consumerChip }, h('span', { class: 'chip-text', title: name }, 'Only ', h('strong', {}, name)), clear),
    );
    this.chipSlot.hidden = false;
  }

  private renderEmpty(): void {
    const f = this.filters;
    const parts: string[] = [];
    if (f.source) parts.push(`${SOURCE_LABELS[f.source]} calls`);
    if (f.consumerKey) parts.push(`calls of ${f.consumerName ?? 'the selected conversation'}`);
    if (f.search) parts.push(`names containing “${f.search}”`);
    const filtered = parts.length > 0;
    const text = filtered ? `No ${parts.join(', ')} in this period.` : 'No calls in this period.';
    replaceChildren(
      this.empty,
      h('p', {}, text),
      filtered ? createButton({ label: 'Clear filters', appearance: 'secondary', onClick: () => this.cb.onClearAll() }).element : null,
    );
  }
}
