/**
 * The host side of the dashboard, without `vscode`: it answers the webview's protocol from the store. The panel
 * (VS Code glue) and the browser tests both drive this class, so what the tests exercise is what users run.
 */
import { defaultGranularity, isPeriod, periodRange, type Period } from '../../../shared/period';
import type {
  HostMessage,
  HostRequest,
  ImportStatus,
  Reply,
  Snapshot,
  SourcesInfo,
  WebviewCommand,
  WebviewMessage,
  WebviewUiState,
} from '../../../shared/protocol';
import { RECORDS_PAGE_SIZE, type DashboardData, type DashboardRequest, type RecordsPage, type RecordsRequest } from '../../../shared/queries';
import type { StoreApi } from '../../store/storeApi';
import { hostTimeZone, parseWebviewMessage } from './validateMessage';

export interface DashboardControllerOptions {
  store: StoreApi;
  post(message: HostMessage): void;
  period: { get(): Period; set(period: Period): void };
  now(): number;
  sources(): SourcesInfo;
  costLabel(): string;
  importStatus(): ImportStatus;
  revision(): number;
  onCommand?(command: WebviewCommand): void;
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

  notifyImportStatus(status: ImportStatus): void {
    this.post({ type: 'importStatus', status });
  }

  private async sendSnapshot(ui: WebviewUiState): Promise<void> {
    const period = this.options.period.get();
    const [dashboard, records, allTime] = await Promise.all([
      this.dashboard({ period, timeZone: this.timeZone, granularity: ui.granularity ?? defaultGranularity(period), topBy: ui.topBy }),
      this.records({ ...ui.records, period }),
      this.options.store.summary({ from: 0, to: Number.MAX_SAFE_INTEGER }),
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

  private dashboard(req: DashboardRequest): Promise<DashboardData> {
    return this.options.store.dashboard({
      range: periodRange(req.period, this.options.now()),
      timeZone: req.timeZone,
      granularity: req.granularity,
      topBy: req.topBy,
    });
  }

  private records(req: RecordsRequest): Promise<RecordsPage> {
    return this.options.store.records({
      range: periodRange(req.period, this.options.now()),
      source: req.source,
      search: req.search,
      consumerKey: req.consumerKey,
      page: req.page,
      pageSize: RECORDS_PAGE_SIZE,
      sort: req.sort,
    });
  }

  private post(message: HostMessage): void {
    this.options.post(message);
  }
}
