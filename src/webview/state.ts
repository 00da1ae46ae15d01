/**
 * The page's own UI state (granularity, chart type, top-by, records filter/search/page), kept with the webview's
 * getState/setState so it survives the panel being hidden and a window reload.
 */
import { isSource } from '../shared/callRecord';
import type { WebviewUiState } from '../shared/protocol';

/** The host rejects longer searches; the field enforces the same limit. */
export const MAX_SEARCH_LENGTH = 200;

export function defaultUiState(): WebviewUiState {
  return {
    granularity: null,
    chartType: 'bar',
    topBy: 'cost',
    modelBy: 'cost',
    records: { source: null, search: '', consumerKey: null, page: 1, sort: 'time' },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A damaged or older saved state falls back to defaults field by field. */
export function parseUiState(raw: unknown): WebviewUiState {
  const d = defaultUiState();
  if (!isObject(raw)) return d;
  const r = isObject(raw.records) ? raw.records : {};
  return {
    granularity: raw.granularity === 'hour' || raw.granularity === 'day' ? raw.granularity : null,
    chartType: raw.chartType === 'line' || raw.chartType === 'bar' ? raw.chartType : d.chartType,
    topBy: raw.topBy === 'tokens' ? 'tokens' : 'cost',
    modelBy: raw.modelBy === 'tokens' ? 'tokens' : 'cost',
    records: {
      source: isSource(r.source) ? r.source : null,
      search: typeof r.search === 'string' ? r.search.slice(0, MAX_SEARCH_LENGTH) : '',
      consumerKey: typeof r.consumerKey === 'string' && r.consumerKey.length <= 1000 ? r.consumerKey : null,
      page: typeof r.page === 'number' && Number.isInteger(r.page) && r.page >= 1 ? r.page : 1,
      sort: r.sort === 'cost' ? 'cost' : 'time',
    },
  };
}

export class UiStateStore {
  private state: WebviewUiState;

  constructor(
    initial: unknown,
    private readonly persist: (state: WebviewUiState) => void,
  ) {
    this.state = parseUiState(initial);
  }

  get value(): WebviewUiState {
    return this.state;
  }

  update(patch: Partial<Omit<WebviewUiState, 'records'>> & { records?: Partial<WebviewUiState['records']> }): void {
    const { records, ...rest } = patch;
    this.state = { ...this.state, ...rest, records: { ...this.state.records, ...records } };
    this.persist(this.state);
  }
}
