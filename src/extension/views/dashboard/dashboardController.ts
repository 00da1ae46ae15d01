/**
 * The host side of the dashboard, without `vscode`: it answers the webview's protocol from the store. The panel
 * (VS Code glue) and the browser tests both drive this class, so what the tests exercise is what users run.
 *
 * Periods are resolved to ranges here, in the page's time zone (this month and custom ranges are local calendar
 * days); the scope is resolved to the workspace's folders, which the store matches against each call's project.
 */
import { allowsHourly, defaultGranularity, hostTimeZone, isPeriod, periodRange, type Period } from '../../../shared/period';
import type {
  Billing,
  ExportFormat,
  HostMessage,
  HostRequest,
  ImportStatus,
  Reply,
  Snapshot,
  SourcesInfo,
  WebviewCommand,
  WebviewMessage,
  WebviewUiState,
  WorkspaceInfo,
} from '../../../shared/protocol';
import {
  RECORDS_PAGE_SIZE, type DashboardData, type DashboardRequest, type RecordsPage, type RecordsQuery, type RecordsRequest, type Scope,
  type SummaryQuery,
} from '../../../shared/queries';
import type { StoreApi } from '../../store/storeApi';
import { parseWebviewMessage } from './validateMessage';

/** What an export asks the host to write: the records query of the current view, without paging. */
export interface ExportJob {
  format: ExportFormat;
  query: Omit<RecordsQuery, 'page' | 'pageSize' | 'after'>;
  period: Period;
  scope: Scope;
  timeZone: string;
}

export interface ScopeOptions {
  get(): Scope;
  set(scope: Scope): void;
  /** The open workspace folders (paths); empty when none is open. */
  folders(): string[];
  workspace(): WorkspaceInfo;
}

export interface DashboardControllerOptions {
  store: StoreApi;
  post(message: HostMessage): void;
  period: { get(): Period; set(period: Period): void };
  now(): number;
  sources(): SourcesInfo;
  costLabel(): string;
  importStatus(): ImportStatus;
  revision(): number;
  /** Absent: every call, no scope toggle. */
  scope?: ScopeOptions;
  /** Absent: api. */
  billing?(): Billing;
  onCommand?(command: WebviewCommand): void;
  /** Writes an export (save dialog, file); absent when exports are not offered. */
  exportRecords?(job: ExportJob): void;
  /** Where a rejected message is reported (the output channel). */
  log?(message: string): void;
}

export class DashboardController {
  private timeZone = hostTimeZone();

  constructor(private readonly options: DashboardControllerOptions) {}

  /** Takes a raw message from the webview: validated here, never trusted. */
  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.options.log?.(`Ignored a message from the dashboard: ${parsed.error}.`);
      const id = typeof raw === 'object' && raw !== null && 'id' in raw ? (raw as { id: unknown }).id : undefined;
      if (typeof id === 'number') this.post({ type: 'reply', inReplyTo: id, ok: false, error: parsed.error });
      return;
    }
    await this.dispatch(parsed.value);
  }

  private async dispatch(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.timeZone = msg.timeZone;
        try {
          await this.sendSnapshot(msg.ui);
        } catch (e: unknown) {
          // The page would otherwise wait on "Loading" forever: tell it, and let it ask again on the next change.
          this.options.log?.(`Could not read usage for the dashboard: ${e instanceof Error ? e.message : String(e)}`);
          this.post({ type: 'error', message: `Could not read usage: ${e instanceof Error ? e.message : String(e)}` });
        }
        return;
      case 'request':
        this.post(await this.answer(msg.id, msg.request));
        return;
      case 'setPeriod':
        if (msg.period !== this.options.period.get()) this.options.period.set(msg.period);
        this.post({ type: 'periodChanged', period: msg.period });
        return;
      case 'setScope':
        if (this.options.scope && msg.scope !== this.options.scope.get()) this.options.scope.set(msg.scope);
        this.notifyScope();
        return;
      case 'export': {
        const { page: _page, pageSize: _pageSize, ...query } = this.recordsQuery(msg.request);
        this.options.exportRecords?.({
          format: msg.format,
          query,
          period: msg.request.period,
          scope: msg.request.scope ?? 'all',
          timeZone: this.timeZone,
        });
        return;
      }
      case 'command':
        this.options.onCommand?.(msg.command);
        return;
    }
  }

  /** Stored data changed: the page re-asks for what it shows, so its place (page, search) is kept. */
  notifyChanged(revision: number): void {
    this.post({ type: 'dataChanged', revision, now: this.options.now() });
  }

  notifyPeriod(period: Period): void {
    if (isPeriod(period)) this.post({ type: 'periodChanged', period });
  }

  /** The scope or the workspace's folders changed (the status bar's command, a folder added). */
  notifyScope(): void {
    const s = this.options.scope;
    this.post({ type: 'scopeChanged', scope: s?.get() ?? 'all', workspace: s?.workspace() ?? { name: null, folders: 0 } });
  }

  notifyBilling(): void {
    this.post({ type: 'billingChanged', billing: this.options.billing?.() ?? 'api', costLabel: this.options.costLabel() });
  }

  notifyImportStatus(status: ImportStatus): void {
    this.post({ type: 'importStatus', status });
  }

  private async sendSnapshot(ui: WebviewUiState): Promise<void> {
    const period = this.options.period.get();
    const scope = this.options.scope?.get() ?? 'all';
    const everything: SummaryQuery = { from: 0, to: Number.MAX_SAFE_INTEGER };
    const [dashboard, records, allTime] = await Promise.all([
      this.dashboard({ period, scope, timeZone: this.timeZone, granularity: ui.granularity ?? defaultGranularity(period), topBy: ui.topBy }),
      this.records({ ...ui.records, period, scope }),
      this.options.store.summary(everything),
    ]);
    const snapshot: Snapshot = {
      period,
      now: this.options.now(),
      revision: this.options.revision(),
      dashboard,
      records,
      totalRecords: allTime.calls,
      importStatus: this.options.importStatus(),
      sources: this.options.sources(),
      costLabel: this.options.costLabel(),
      scope,
      workspace: this.options.scope?.workspace() ?? { name: null, folders: 0 },
      billing: this.options.billing?.() ?? 'api',
    };
    this.post({ type: 'snapshot', snapshot });
  }

  private async answer(id: number, request: HostRequest): Promise<Reply> {
    try {
      switch (request.kind) {
        case 'dashboard':
          return { type: 'reply', inReplyTo: id, ok: true, kind: 'dashboard', result: await this.dashboard(request.params) };
        case 'records':
          return { type: 'reply', inReplyTo: id, ok: true, kind: 'records', result: await this.records(request.params) };
      }
    } catch (e: unknown) {
      return { type: 'reply', inReplyTo: id, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** The folders a scope stands for: null for every call. */
  private projects(scope: Scope | undefined): string[] | null {
    return scope === 'workspace' && this.options.scope ? this.options.scope.folders() : null;
  }

  private dashboard(req: DashboardRequest): Promise<DashboardData> {
    return this.options.store.dashboard({
      range: periodRange(req.period, this.options.now(), req.timeZone),
      timeZone: req.timeZone,
      // A long custom range cannot be charted by the hour (the store refuses thousands of buckets).
      granularity: allowsHourly(req.period) ? req.granularity : 'day',
      topBy: req.topBy,
      projects: this.projects(req.scope),
    });
  }

  private recordsQuery(req: RecordsRequest): RecordsQuery {
    return {
      range: periodRange(req.period, this.options.now(), this.timeZone),
      source: req.source,
      search: req.search,
      consumerKey: req.consumerKey,
      page: req.page,
      pageSize: RECORDS_PAGE_SIZE,
      sort: req.sort,
      projects: this.projects(req.scope),
    };
  }

  private records(req: RecordsRequest): Promise<RecordsPage> {
    return this.options.store.records(this.recordsQuery(req));
  }

  private post(message: HostMessage): void {
    this.options.post(message);
  }
}
