/**
 * `data-testid` values of the dashboard, shared by the browser tests and the e2e helper. Plain strings only (no DOM
 * imports) so Node-side tests can import this file.
 *
 * Parameterised ids are built by the small functions below so both sides spell them the same way.
 */
import type { Period } from '../shared/period';
import type { Source } from '../shared/callRecord';
import type { RecordSort, Scope, TopBy } from '../shared/queries';
import type { ExportFormat } from '../shared/protocol';

export type SourceFilter = Source | 'all';
export type CardId = 'totalCost' | 'inputTokens' | 'outputTokens' | 'apiCalls' | 'avgPerCall';
export type RecordColumn = 'source' | 'name' | 'input' | 'output' | 'cost' | 'duration' | 'time';
export type PageButton = 'first' | 'prev' | 'next' | 'last';

export const CARD_IDS: readonly CardId[] = ['totalCost', 'inputTokens', 'outputTokens', 'apiCalls', 'avgPerCall'];
export const RECORD_COLUMNS: readonly RecordColumn[] = ['source', 'name', 'input', 'output', 'cost', 'duration', 'time'];

export const TestIds = {
  /** The whole dashboard root (present once the first snapshot arrived). */
  dashboard: 'dashboard',
  loading: 'loading-state',
  empty: 'empty-state',
  /** Empty-state buttons: post command 'rescan' / 'openSettings' / 'showLog'. */
  emptyRescan: 'empty-rescan',
  emptyOpenSettings: 'empty-open-settings',
  emptyShowLog: 'empty-show-log',
  /** List of Claude Code config directories in the empty state. */
  emptyClaudeDirs: 'empty-claude-dirs',
  /** Inline error banner (request failures, timeouts). */
  errorBanner: 'error-banner',
  errorDismiss: 'error-dismiss',
  /** Import progress: the thin bar and its text. */
  importStatus: 'import-status',
  importStatusText: 'import-status-text',
  costLabel: 'cost-label',

  // ---- navbar ----
  periodBar: 'period-bar',
  /** The "Custom" period button (its text is the range when one is chosen) and its from–to popover. */
  periodCustom: 'period-custom',
  customRange: 'custom-range',
  customFrom: 'custom-from',
  customTo: 'custom-to',
  customApply: 'custom-apply',
  customCancel: 'custom-cancel',
  customError: 'custom-error',
  /** All / This workspace. */
  scopeBar: 'scope-bar',
  /** Empty state while scoped to the workspace: back to every call. */
  emptyShowAll: 'empty-show-all',

  // ---- cards ----
  cards: 'cards',
  /** Sub-line under Input Tokens: uncached / cache write / cache read. */
  inputBreakdown: 'card-input-breakdown',
  /** "N unpriced" note on the API Calls card (absent when none). */
  unpricedNote: 'card-unpriced-note',

  /** On the Total Cost card: sorts the records by cost and scrolls to them. */
  mostExpensiveLink: 'most-expensive-link',

  // ---- cost by model ----
  models: 'models',
  modelsCanvas: 'models-canvas',
  modelsTable: 'models-table',
  /** Each model's table row; carries data-model, data-cost-nanos and data-tokens. */
  modelRow: 'model-row',

  // ---- prompt caching ----
  cache: 'cache',
  cacheHitRatio: 'cache-hit-ratio',
  cacheSaved: 'cache-saved',
  cacheNet: 'cache-net',
  cacheWriteCost: 'cache-write-cost',
  cacheReadCost: 'cache-read-cost',
  cacheTokens: 'cache-tokens',
  /** "N calls left out" when some costs could not be split. */
  cacheNote: 'cache-note',

  // ---- cost over time ----
  costChart: 'cost-chart',
  costChartCanvas: 'cost-chart-canvas',
  /** The accessible table of the plotted numbers; rows carry `costChartRow`. */
  costChartTable: 'cost-chart-table',
  costChartRow: 'cost-chart-row',
  /** Toggle buttons: chart type and granularity. */
  chartTypeLine: 'chart-type-line',
  chartTypeBar: 'chart-type-bar',
  granularityHour: 'granularity-hour',
  granularityDay: 'granularity-day',
  /** "No cost in this period" note drawn instead of an all-zero chart. */
  costChartEmpty: 'cost-chart-empty',

  // ---- cost by source ----
  sourceDonut: 'source-donut',
  sourceDonutCanvas: 'source-donut-canvas',
  sourceLegend: 'source-legend',

  // ---- top consumers ----
  topConsumers: 'top-consumers',
  /** Each ranked item; carries data-key with the consumer key. */
  topConsumerItem: 'top-consumer-item',
  topConsumerName: 'top-consumer-name',
  topConsumerValue: 'top-consumer-value',
  topConsumersEmpty: 'top-consumers-empty',

  // ---- records table ----
  records: 'records',
  recordsTable: 'records-table',
  /** Each table body row; carries data-id with the record id. */
  recordRow: 'record-row',
  search: 'records-search',
  /** The chip shown while the table is filtered to one consumer, and its clear button. */
  consumerChip: 'consumer-chip',
  consumerChipClear: 'consumer-chip-clear',
  recordsEmpty: 'records-empty',
  pageLabel: 'page-label',
  pagination: 'pagination',
} as const;

/** Preset period button in the navbar (24h, 7d, 30d, month); a custom range has TestIds.periodCustom. */
export function periodButtonId(period: Period): string {
  return `period-${period}`;
}

/** The big value text of a card. */
export function cardValueId(card: CardId): string {
  return `card-${card}-value`;
}

/** The card element itself (label + value + sub-line). */
export function cardId(card: CardId): string {
  return `card-${card}`;
}

/** Legend entry of the source donut; contains the label, amount and share. */
export function legendItemId(source: Source): string {
  return `source-legend-${source}`;
}

/** All / This workspace buttons. */
export function scopeButtonId(scope: Scope): string {
  return `scope-${scope}`;
}

/** Cost by model: by-cost / by-tokens toggle buttons. */
export function modelByButtonId(by: TopBy): string {
  return `model-by-${by}`;
}

/** Records export buttons: CSV / JSON. */
export function exportButtonId(format: ExportFormat): string {
  return `export-${format}`;
}

/** Top consumers by-cost / by-tokens toggle buttons. */
export function topByButtonId(by: TopBy): string {
  return `top-by-${by}`;
}

/** Records source filter buttons: all / chat / agent / memory. */
export function sourceFilterId(filter: SourceFilter): string {
  return `source-filter-${filter}`;
}

/** Records sort toggle: time / cost. */
export function sortButtonId(sort: RecordSort): string {
  return `sort-${sort}`;
}

/** A cell of a record row by column, e.g. `record-cell-cost`. */
export function recordCellId(column: RecordColumn): string {
  return `record-cell-${column}`;
}

/** Pagination buttons. */
export function pageButtonId(button: PageButton): string {
  return `page-${button}`;
}

/** CSS selector for a test id, e.g. `testSel(TestIds.loading)` → `[data-testid="loading-state"]`. */
export function testSel(id: string): string {
  return `[data-testid="${id}"]`;
}

/**
 * The search box's real <input>: the field is a toolkit element and its input sits in an open shadow root, which
 * Playwright's CSS selectors pierce (`page.locator(SEARCH_INPUT_SELECTOR).fill('text')`).
 */
export const SEARCH_INPUT_SELECTOR = `${testSel(TestIds.search)} input`;
