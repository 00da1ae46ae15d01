/**
 * The dashboard page: owns the UI state and the data on screen, asks the host for exactly what it shows, and hands
 * results to the views. Views never talk to the host themselves.
 */
import type { Source } from '../shared/callRecord';
import { DEFAULT_PERIOD, defaultGranularity, type Granularity, type Period } from '../shared/period';
import type { ImportStatus, Snapshot, SourcesInfo, WebviewCommand } from '../shared/protocol';
import type { DashboardData, DashboardRequest, RecordSort, RecordsPage, RecordsRequest, TopBy } from '../shared/queries';
import { applyChartDefaults, prefersReducedMotion, setupCharts } from './charts/chartSetup';
import { registerComponents } from './components';
import { h } from './dom';
import { ProtocolClient } from './protocolClient';
import { LatestOnly } from './refresher';
import { UiStateStore } from './state';
import { TestIds } from './testIds';
import { onThemeChange, readTheme } from './theme';
import { localTimeZone } from './timeLabels';
import type { HostChannel } from './vscodeApi';
import { CardsView } from './views/cards';
import { CostChartView } from './views/costChart';
import { EmptyStateView } from './views/emptyState';
import { ErrorBanner } from './views/errorBanner';
import { ImportStatusView } from './views/importStatus';
import { LoadingState } from './views/loadingState';
import { NavbarView } from './views/navbar';
import { RecordsPanel } from './views/recordsPanel';
import { SourceDonutView } from './views/sourceDonut';
import { TopConsumersView } from './views/topConsumers';

/** How often "3 min ago" texts are refreshed. */
export const RELATIVE_TIME_REFRESH_MS = 30_000;

interface DashboardResult {
  data: DashboardData;
  request: DashboardRequest;
}

type ErrorKind = 'dashboard' | 'records';

export class DashboardApp {
  private readonly client: ProtocolClient;
  private readonly ui: UiStateStore;
  private readonly timeZone = localTimeZone();
  private period: Period = DEFAULT_PERIOD;
  /** Host clock minus page clock, so relative times follow the host's notion of now. */
  private clockOffset = 0;
  private sources: SourcesInfo = { claudeDirs: [], proxyEnabled: false };
  private importStatus: ImportStatus = { running: false, filesDone: 0, filesTotal: 0, calls: 0 };
  private totalRecords: number | undefined;
  private dashboard: DashboardData | null = null;
  private consumerName: string | null = null;
  private errorKind: ErrorKind | null = null;
  private costLabel = '';
  private started = false;

  private readonly navbar: NavbarView;
  private readonly importView = new ImportStatusView();
  private readonly banner = new ErrorBanner();
  private readonly loading: LoadingState;
  private readonly content: HTMLElement;
  private readonly body: HTMLElement;
  private readonly empty: EmptyStateView;
  private readonly cards = new CardsView();
  private readonly costChart: CostChartView;
  private readonly donut: SourceDonutView;
  private readonly top: TopConsumersView;
  private readonly recordsPanel: RecordsPanel;
  private readonly dashboardRefresh: LatestOnly<DashboardResult>;
  private readonly recordsRefresh: LatestOnly<RecordsPage>;

  constructor(
    private readonly channel: HostChannel,
    root: HTMLElement,
  ) {
    registerComponents();
    setupCharts();
    const theme = readTheme();
    applyChartDefaults(theme);

    this.ui = new UiStateStore(channel.getState(), (s) => channel.setState(s));
    const ui = this.ui.value;
    this.client = new ProtocolClient((m) => channel.postMessage(m), {
      snapshot: (s) => this.applySnapshot(s),
      dataChanged: (_revision, now) => this.onDataChanged(now),
      periodChanged: (p) => this.onPeriodChanged(p),
      importStatus: (s) => this.onImportStatus(s),
      hostError: (message) => this.banner.show(message),
    });

    this.loading = new LoadingState(() => this.command('showLog'));
    this.navbar = new NavbarView(this.period, (p) => this.choosePeriod(p));
    this.navbar.statusSlot.appendChild(this.importView.text);
    this.empty = new EmptyStateView((c) => this.command(c));
    this.costChart = new CostChartView({
      chartType: ui.chartType,
      granularity: ui.granularity ?? defaultGranularity(this.period),
      theme,
      onChartType: (chartType) => this.ui.update({ chartType }),
      onGranularity: (g) => this.chooseGranularity(g),
    });
    this.donut = new SourceDonutView(theme);
    this.top = new TopConsumersView({
      topBy: ui.topBy,
      onTopBy: (by) => this.chooseTopBy(by),
      onSelect: (c) => this.chooseConsumer(c),
    });
    this.recordsPanel = new RecordsPanel(this.filters(), {
      onSource: (source) => this.updateRecords({ source, page: 1 }),
      onSearch: (search) => this.updateRecords({ search, page: 1 }),
      onSort: (sort: RecordSort) => this.updateRecords({ sort, page: 1 }),
      onPage: (page) => this.updateRecords({ page }),
      onClearConsumer: () => this.chooseConsumer(null),
      onClearAll: () => {
        this.consumerName = null;
        this.updateRecords({ source: null, search: '', consumerKey: null, page: 1 });
      },
    });

    this.body = h(
      'div',
      { class: 'dashboard-body' },
      this.cards.element,
      h('div', { class: 'grid grid-charts' }, this.costChart.element, this.donut.element),
      h('div', { class: 'grid grid-lower' }, this.top.element, this.recordsPanel.element),
    );
    this.content = h('main', { class: 'content', hidden: true }, this.empty.element, this.body);
    root.replaceChildren(
      h('div', { class: 'dashboard', testId: TestIds.dashboard }, this.navbar.element, this.importView.bar, this.banner.element, this.loading.element, this.content),
    );

    this.dashboardRefresh = new LatestOnly(
      async () => {
        const request = this.dashboardRequest();
        return { data: await this.client.request('dashboard', request), request };
      },
      (r) => {
        this.clearError('dashboard');
        this.applyDashboard(r.data, r.request);
      },
      (e) => this.showError('dashboard', e),
    );
    this.recordsRefresh = new LatestOnly(
      () => this.client.request('records', this.recordsRequest()),
      (page) => {
        this.clearError('records');
        this.applyRecords(page);
      },
      (e) => this.showError('records', e),
      (busy) => this.recordsPanel.setBusy(busy),
    );

    onThemeChange((t) => {
      applyChartDefaults(t);
      this.costChart.setTheme(t);
      this.donut.setTheme(t);
    });
  }

  /** Listens for host messages and says `ready`; the host answers with a snapshot. */
  start(): void {
    if (this.started) return;
    this.started = true;
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.client.handleMessage(e.data));
    setInterval(() => this.recordsPanel.tick(this.hostNow()), RELATIVE_TIME_REFRESH_MS);
    this.channel.postMessage({ type: 'ready', timeZone: this.timeZone, ui: this.ui.value });
  }

  // ---- host → page ----

  private applySnapshot(s: Snapshot): void {
    this.period = s.period;
    this.clockOffset = s.now - Date.now();
    this.sources = s.sources;
    this.totalRecords = s.totalRecords;
    this.navbar.setPeriod(s.period);
    this.navbar.setCostLabel(s.costLabel);
    this.costLabel = s.costLabel;
    this.onImportStatus(s.importStatus);
    this.loading.done();
    this.content.hidden = false;
    this.applyDashboard(s.dashboard, this.dashboardRequest());
    this.applyRecords(s.records);
  }

  /**
   * Always re-asks, whatever the revision: even one the snapshot carried may have landed just after the snapshot's
   * queries ran. Bursts are coalesced by the refreshers.
   */
  private onDataChanged(now: number): void {
    this.clockOffset = now - Date.now();
    // Something was stored: "nothing recorded yet" may no longer hold, even if none of it falls in this period.
    if (this.totalRecords === 0) this.totalRecords = undefined;
    if (!this.dashboard) return;
    this.dashboardRefresh.trigger();
    this.recordsRefresh.trigger();
  }

  private onPeriodChanged(period: Period): void {
    if (period === this.period) return;
    this.setPeriod(period);
  }

  private onImportStatus(s: ImportStatus): void {
    this.importStatus = s;
    this.importView.update(s);
    if (this.dashboard && this.dashboard.summary.calls === 0) this.renderEmpty();
  }

  // ---- user → page ----

  private choosePeriod(period: Period): void {
    if (period === this.period) return;
    this.channel.postMessage({ type: 'setPeriod', period });
    this.setPeriod(period);
  }

  private setPeriod(period: Period): void {
    this.period = period;
    this.navbar.setPeriod(period);
    this.ui.update({ records: { page: 1 } });
    this.dashboardRefresh.trigger();
    this.recordsRefresh.trigger();
  }

  private chooseGranularity(granularity: Granularity): void {
    this.ui.update({ granularity });
    this.dashboardRefresh.trigger();
  }

  private chooseTopBy(topBy: TopBy): void {
    this.ui.update({ topBy });
    this.dashboardRefresh.trigger();
  }

  private chooseConsumer(c: { key: string; name: string } | null): void {
    this.consumerName = c?.name ?? null;
    this.top.setSelected(c?.key ?? null);
    this.updateRecords({ consumerKey: c?.key ?? null, page: 1 });
    if (c) this.recordsPanel.element.scrollIntoView({ block: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }

  private updateRecords(patch: Partial<{ source: Source | null; search: string; consumerKey: string | null; page: number; sort: RecordSort }>): void {
    this.ui.update({ records: patch });
    this.recordsPanel.setFilters(this.filters());
    this.recordsRefresh.trigger();
  }

  private command(command: WebviewCommand): void {
    this.channel.postMessage({ type: 'command', command });
  }

  // ---- rendering ----

  private applyDashboard(data: DashboardData, request: DashboardRequest): void {
    this.dashboard = data;
    const hasCalls = data.summary.calls > 0;
    this.body.hidden = !hasCalls;
    this.empty.element.hidden = hasCalls;
    if (!hasCalls) {
      this.renderEmpty();
      return;
    }
    // Views are updated only while visible, so the charts measure a laid-out canvas.
    this.cards.update(data.summary, this.costLabel);
    this.costChart.update(data.series, request.granularity, request.period);
    this.donut.update(data.bySource);
    this.top.update(data.topConsumers, request.topBy, this.ui.value.records.consumerKey);
  }

  private applyRecords(page: RecordsPage): void {
    if (page.page !== this.ui.value.records.page) this.ui.update({ records: { page: page.page } });
    const key = this.ui.value.records.consumerKey;
    if (key !== null && this.consumerName === null) {
      this.consumerName = this.dashboard?.topConsumers.find((c) => c.key === key)?.name ?? page.rows.find((r) => r.consumerKey === key)?.name ?? null;
    }
    this.recordsPanel.setFilters(this.filters());
    this.recordsPanel.render(page, this.hostNow());
  }

  private renderEmpty(): void {
    this.empty.update({ period: this.period, sources: this.sources, importStatus: this.importStatus, totalRecords: this.totalRecords });
  }

  private filters() {
    const r = this.ui.value.records;
    return { source: r.source, search: r.search, consumerKey: r.consumerKey, consumerName: this.consumerName, sort: r.sort };
  }

  private dashboardRequest(): DashboardRequest {
    const ui = this.ui.value;
    return { period: this.period, timeZone: this.timeZone, granularity: ui.granularity ?? defaultGranularity(this.period), topBy: ui.topBy };
  }

  private recordsRequest(): RecordsRequest {
    return { period: this.period, ...this.ui.value.records };
  }

  private hostNow(): number {
    return Date.now() + this.clockOffset;
  }

  private showError(kind: ErrorKind, e: unknown): void {
    this.errorKind = kind;
    const what = kind === 'dashboard' ? 'the charts' : 'the records';
    this.banner.show(`Could not load ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }

  private clearError(kind: ErrorKind): void {
    if (this.errorKind !== kind) return;
    this.errorKind = null;
    this.banner.clear();
  }
}
