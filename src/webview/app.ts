/**
 * The dashboard page: owns the UI state and the data on screen, asks the host for exactly what it shows, and hands
 * results to the views. Views never talk to the host themselves.
 */
import type { Source } from '../shared/callRecord';
import { allowsHourly, DEFAULT_PERIOD, defaultGranularity, type Granularity, type Period } from '../shared/period';
import type { Billing, ExportFormat, ImportStatus, Snapshot, SourcesInfo, WebviewCommand, WorkspaceInfo } from '../shared/protocol';
import type { DashboardData, DashboardRequest, RecordSort, RecordsPage, RecordsRequest, Scope, TopBy } from '../shared/queries';
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
import { DashboardBody } from './views/dashboardBody';
import { EmptyStateView } from './views/emptyState';
import { ErrorBanner } from './views/errorBanner';
import { ImportStatusView } from './views/importStatus';
import { LoadingState } from './views/loadingState';
import { NavbarView } from './views/navbar';

/** How often "3 min ago" texts are refreshed. */
export const RELATIVE_TIME_REFRESH_MS = 30_000;

interface DashboardResult {
  data: DashboardData;
  request: DashboardRequest;
}

type ErrorKind = 'dashboard' | 'records';
type RecordsPatch = Partial<{ source: Source | null; search: string; consumerKey: string | null; page: number; sort: RecordSort }>;

export class DashboardApp {
  private readonly client: ProtocolClient;
  private readonly ui: UiStateStore;
  private readonly timeZone = localTimeZone();
  private period: Period = DEFAULT_PERIOD;
  private scope: Scope = 'all';
  private workspace: WorkspaceInfo = { name: null, folders: 0 };
  private billing: Billing = 'api';
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
  private readonly body: DashboardBody;
  private readonly empty: EmptyStateView;
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
      scopeChanged: (scope, workspace) => this.onScopeChanged(scope, workspace),
      billingChanged: (billing, costLabel) => this.onBillingChanged(billing, costLabel),
      importStatus: (s) => this.onImportStatus(s),
      hostError: (message) => this.banner.show(message),
    });

    this.loading = new LoadingState(() => this.command('showLog'));
    this.navbar = new NavbarView(this.period, { onPeriod: (p) => this.choosePeriod(p), onScope: (s) => this.chooseScope(s), now: () => this.hostNow() });
    this.navbar.statusSlot.appendChild(this.importView.text);
    this.empty = new EmptyStateView((c) => this.command(c), () => this.chooseScope('all'));
    this.body = new DashboardBody({
      theme,
      chartType: ui.chartType,
      granularity: ui.granularity ?? defaultGranularity(this.period),
      topBy: ui.topBy,
      modelBy: ui.modelBy ?? 'cost',
      filters: this.filters(),
      onChartType: (chartType) => this.ui.update({ chartType }),
      onGranularity: (g) => this.chooseGranularity(g),
      onTopBy: (by) => this.chooseTopBy(by),
      onModelBy: (modelBy) => this.ui.update({ modelBy }),
      onSelectConsumer: (c) => this.chooseConsumer(c),
      onMostExpensive: () => this.showMostExpensive(),
      records: {
        onSource: (source) => this.updateRecords({ source, page: 1 }),
        onSearch: (search) => this.updateRecords({ search, page: 1 }),
        onSort: (sort: RecordSort) => this.updateRecords({ sort, page: 1 }),
        onPage: (page) => this.updateRecords({ page }),
        onClearConsumer: () => this.chooseConsumer(null),
        onClearAll: () => {
          this.consumerName = null;
          this.updateRecords({ source: null, search: '', consumerKey: null, page: 1 });
        },
        onExport: (format) => this.exportRecords(format),
      },
    });

    this.content = h('main', { class: 'content', hidden: true }, this.empty.element, this.body.element);
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
      (busy) => this.body.records.setBusy(busy),
    );

    onThemeChange((t) => {
      applyChartDefaults(t);
      this.body.setTheme(t);
    });
  }

  /** Listens for host messages and says `ready`; the host answers with a snapshot. */
  start(): void {
    if (this.started) return;
    this.started = true;
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.client.handleMessage(e.data));
    setInterval(() => this.body.records.tick(this.hostNow()), RELATIVE_TIME_REFRESH_MS);
    this.channel.postMessage({ type: 'ready', timeZone: this.timeZone, ui: this.ui.value });
  }

  // ---- host → page ----

  private applySnapshot(s: Snapshot): void {
    this.period = s.period;
    this.scope = s.scope ?? 'all';
    this.workspace = s.workspace ?? { name: null, folders: 0 };
    this.billing = s.billing ?? 'api';
    this.clockOffset = s.now - Date.now();
    this.sources = s.sources;
    this.totalRecords = s.totalRecords;
    this.navbar.setPeriod(s.period);
    this.navbar.setScope(this.scope, this.workspace);
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
    this.refreshAll();
  }

  private onPeriodChanged(period: Period): void {
    if (period === this.period) return;
    this.setPeriod(period);
  }

  private onScopeChanged(scope: Scope, workspace: WorkspaceInfo): void {
    const changed = scope !== this.scope || workspace.folders !== this.workspace.folders;
    this.scope = scope;
    this.workspace = workspace;
    this.navbar.setScope(scope, workspace);
    if (!changed) return;
    this.ui.update({ records: { page: 1 } });
    this.refreshAll();
  }

  private onBillingChanged(billing: Billing, costLabel: string): void {
    this.billing = billing;
    this.costLabel = costLabel;
    this.navbar.setCostLabel(costLabel);
    this.dashboardRefresh.trigger();
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
    this.refreshAll();
  }

  private chooseScope(scope: Scope): void {
    if (scope === this.scope) return;
    this.channel.postMessage({ type: 'setScope', scope });
    this.onScopeChanged(scope, this.workspace);
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
    this.body.top.setSelected(c?.key ?? null);
    this.updateRecords({ consumerKey: c?.key ?? null, page: 1 });
    if (c) this.scrollToRecords();
  }

  /** The anomaly view: the records sorted by cost, most expensive first, with outliers marked. */
  private showMostExpensive(): void {
    if (this.ui.value.records.sort !== 'cost' || this.ui.value.records.page !== 1) this.updateRecords({ sort: 'cost', page: 1 });
    this.scrollToRecords();
  }

  private scrollToRecords(): void {
    this.body.records.element.scrollIntoView({ block: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }

  private updateRecords(patch: RecordsPatch): void {
    this.ui.update({ records: patch });
    this.body.records.setFilters(this.filters());
    this.recordsRefresh.trigger();
  }

  private exportRecords(format: ExportFormat): void {
    this.channel.postMessage({ type: 'export', format, request: this.recordsRequest() });
  }

  private command(command: WebviewCommand): void {
    this.channel.postMessage({ type: 'command', command });
  }

  // ---- rendering ----

  private refreshAll(): void {
    if (!this.dashboard) return;
    this.dashboardRefresh.trigger();
    this.recordsRefresh.trigger();
  }

  private applyDashboard(data: DashboardData, request: DashboardRequest): void {
    this.dashboard = data;
    const hasCalls = data.summary.calls > 0;
    this.body.element.hidden = !hasCalls;
    this.empty.element.hidden = hasCalls;
    if (!hasCalls) {
      this.renderEmpty();
      return;
    }
    this.body.show(data, {
      granularity: request.granularity,
      period: request.period,
      topBy: request.topBy,
      selectedKey: this.ui.value.records.consumerKey,
      costLabel: this.costLabel,
      subscription: this.billing === 'subscription',
      allowsHourly: allowsHourly(request.period),
    });
  }

  private applyRecords(page: RecordsPage): void {
    if (page.page !== this.ui.value.records.page) this.ui.update({ records: { page: page.page } });
    const key = this.ui.value.records.consumerKey;
    if (key !== null && this.consumerName === null) {
      this.consumerName = this.dashboard?.topConsumers.find((c) => c.key === key)?.name ?? page.rows.find((r) => r.consumerKey === key)?.name ?? null;
    }
    this.body.records.setFilters(this.filters());
    this.body.showRecords(page, this.hostNow(), this.dashboard?.summary.avgCostNanos ?? null);
  }

  private renderEmpty(): void {
    this.empty.update({
      period: this.period,
      sources: this.sources,
      importStatus: this.importStatus,
      totalRecords: this.totalRecords,
      workspace: this.scope === 'workspace' ? this.workspace.name : undefined,
      now: this.hostNow(),
      timeZone: this.timeZone,
    });
  }

  private filters() {
    const r = this.ui.value.records;
    return { source: r.source, search: r.search, consumerKey: r.consumerKey, consumerName: this.consumerName, sort: r.sort };
  }

  private dashboardRequest(): DashboardRequest {
    const ui = this.ui.value;
    const granularity = allowsHourly(this.period) ? (ui.granularity ?? defaultGranularity(this.period)) : 'day';
    return { period: this.period, scope: this.scope, timeZone: this.timeZone, granularity, topBy: ui.topBy };
  }

  private recordsRequest(): RecordsRequest {
    return { period: this.period, scope: this.scope, ...this.ui.value.records };
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
