/**
 * The Node side of the test page: the REAL DashboardController answering the page's protocol from a REAL store.
 * Page → host goes through a Playwright binding (the stand-in's postMessage), host → page through window.postMessage,
 * like the webview bridge in VS Code. Every message both ways is kept for assertions.
 */
import type { Page } from 'playwright-core';
import type { Period } from '../../../src/shared/period';
import type { Billing, HostMessage, ImportStatus, SourcesInfo, WebviewCommand } from '../../../src/shared/protocol';
import type { Scope } from '../../../src/shared/queries';
import type { StoreApi } from '../../../src/extension/store/storeApi';
import { DashboardController, type ExportJob } from '../../../src/extension/views/dashboard/dashboardController';

export const HOST_BINDING = '__claudeUsageHostPost';

export interface HostBridgeOptions {
  store: StoreApi;
  /** The host's clock (fixed, so relative times and ranges are exact). */
  now: number;
  period?: Period;
  sources?: SourcesInfo;
  costLabel?: string;
  importStatus?: ImportStatus;
  /** Keep the page's messages unanswered until `release()` (to see the loading state). */
  hold?: boolean;
  /** The open workspace's folders (default none) and its name; the scope starts as `scope` (default all). */
  workspace?: { name: string; folders: string[] };
  scope?: Scope;
  billing?: Billing;
}

export class HostBridge {
  readonly fromPage: unknown[] = [];
  readonly toPage: HostMessage[] = [];
  readonly commands: WebviewCommand[] = [];
  /** Exports the page asked for (the host would show a save dialog and write the file). */
  readonly exports: ExportJob[] = [];
  scope: Scope;
  /** Errors the controller threw while handling a page message (it should not throw; kept for assertions). */
  readonly hostErrors: unknown[] = [];
  readonly controller: DashboardController;
  period: Period;
  now: number;
  revision = 0;
  importStatus: ImportStatus;
  private page: Page | null = null;
  private held: unknown[] | null;
  private readonly waiters: { predicate: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];
  private readonly subscription: { dispose(): void };

  constructor(private readonly o: HostBridgeOptions) {
    this.period = o.period ?? '24h';
    this.scope = o.scope ?? 'all';
    this.now = o.now;
    this.importStatus = o.importStatus ?? { running: false, filesDone: 0, filesTotal: 0, calls: 0 };
    this.held = o.hold ? [] : null;
    this.subscription = o.store.onEvent((e) => {
      if (e.type === 'changed') this.revision = Math.max(this.revision, e.revision);
    });
    this.controller = new DashboardController({
      store: o.store,
      post: (m) => this.post(m),
      period: { get: () => this.period, set: (p) => (this.period = p) },
      now: () => this.now,
      sources: () => o.sources ?? { claudeDirs: ['/home/dev/.claude'], proxyEnabled: false },
      costLabel: () => o.costLabel ?? (o.billing === 'subscription' ? 'API-equivalent (Pro/Max subscription)' : 'API prices'),
      billing: () => o.billing ?? 'api',
      scope: {
        get: () => this.scope,
        set: (scope) => (this.scope = scope),
        folders: () => o.workspace?.folders ?? [],
        workspace: () => ({ name: o.workspace?.name ?? null, folders: o.workspace?.folders.length ?? 0 }),
      },
      exportRecords: (job) => this.exports.push(job),
      importStatus: () => this.importStatus,
      revision: () => this.revision,
      onCommand: (c) => this.commands.push(c),
    });
  }

  /** Call before `page.goto`: the page says `ready` as soon as its script runs. */
  async attach(page: Page): Promise<void> {
    this.page = page;
    await page.exposeBinding(HOST_BINDING, (_source, message: unknown) => {
      this.fromPage.push(message);
      for (const w of [...this.waiters]) {
        if (w.predicate(message)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(message);
        }
      }
      if (this.held) this.held.push(message);
      else this.handle(message);
    });
  }

  /** Answers the messages held so far, and the following ones as they come. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const m of held) this.handle(m);
  }

  private handle(message: unknown): void {
    this.controller.handle(message).catch((e: unknown) => this.hostErrors.push(e));
  }

  /** Resolves with the next page message matching `predicate` (already received ones do not count). */
  nextFromPage(predicate: (m: unknown) => boolean): Promise<unknown> {
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Tells the page that stored data changed, as the extension does after a record or an import batch. */
  notifyChanged(): void {
    this.controller.notifyChanged(this.revision);
  }

  setImportStatus(status: ImportStatus): void {
    this.importStatus = status;
    this.controller.notifyImportStatus(status);
  }

  /** The scope changed elsewhere (the status bar's command). */
  setScopeFromHost(scope: Scope): void {
    this.scope = scope;
    this.controller.notifyScope();
  }

  /** The period changed elsewhere (the status bar's command). */
  setPeriodFromHost(period: Period): void {
    this.period = period;
    this.controller.notifyPeriod(period);
  }

  /** Sends any host message, e.g. a malformed or stray reply. */
  postRaw(message: unknown): Promise<void> {
    return this.deliver(message);
  }

  dispose(): void {
    this.subscription.dispose();
    this.page = null;
  }

  private post(message: HostMessage): void {
    this.toPage.push(message);
    void this.deliver(message);
  }

  private async deliver(message: unknown): Promise<void> {
    const page = this.page;
    if (!page || page.isClosed()) return;
    try {
      await page.evaluate((m) => {
        (globalThis as unknown as { postMessage(data: unknown, origin: string): void }).postMessage(m, '*');
      }, message);
    } catch {
      // The page navigated or closed mid-delivery; like a disposed webview, the message is dropped.
    }
  }
}
