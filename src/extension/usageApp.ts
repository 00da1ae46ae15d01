/**
 * Everything the extension runs, wired together: the store's worker, the Claude Code collector inside it, the status bar,
 * the dashboard panel and the public API. Activation only constructs this; the database opens in the worker afterwards,
 * so the editor is never held up.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_PERIOD, isPeriod, periodRange, type Period } from '../shared/period';
import type { CallInput } from '../shared/callRecord';
import type { ExportFormat, SourcesInfo } from '../shared/protocol';
import type { Scope } from '../shared/queries';
import { createApi } from './api/createApi';
import type { ClaudeUsageApi } from './api/publicApi';
import { BudgetService } from './budget/budgetService';
import { discoverClaudeConfigDirs } from './collectors/claudeCode/discovery';
import { Commands, PERIOD_STATE_KEY, VIEW_TYPE_DASHBOARD } from './commands';
import { CONFIG_SECTION, readConfig, type ClaudeUsageConfig } from './config';
import { ImportProgressNotifier } from './importProgress';
import { ProxyService } from './proxyService';
import { RetentionScheduler } from './retentionScheduler';
import { createWorkerStore } from './store/storeClient';
import type { OpenResult, StoreApi, StoreEvent } from './store/storeApi';
import { Disposable } from './util/disposable';
import type { ExportJob } from './views/dashboard/dashboardController';
import { DashboardPanel, type PanelDeps } from './views/dashboard/dashboardPanel';
import { runExport } from './views/export/exportCommand';
import { pickPeriod } from './views/periodPicker';
import { CostStatusBar } from './views/statusBar';
import { WorkspaceScope } from './views/workspaceScope';

const DB_FILE = 'usage.sqlite';
/** Live updates to an open dashboard are coalesced: a burst of 500 records is one refresh, not 500. */
const PANEL_NOTIFY_MS = 150;

export class UsageApp extends Disposable {
  readonly store: StoreApi;
  readonly api: ClaudeUsageApi;
  private readonly ready: Promise<OpenResult | undefined>;
  private readonly statusBar: CostStatusBar;
  private readonly scope: WorkspaceScope;
  private readonly budgets: BudgetService;
  private readonly progress: ImportProgressNotifier;
  private readonly changeListeners = new Set<() => void>();
  private config: ClaudeUsageConfig = readConfig();
  private revision = 0;
  private claudeDirs: string[] = [];
  private panelTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly proxy: ProxyService;
  private readonly retention: RetentionScheduler;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.store = createWorkerStore({ workerPath: context.asAbsolutePath(path.join('dist', 'storeWorker.js')) });
    this._register(this.store.onEvent((e) => this.onStoreEvent(e)));
    this.progress = this._register(new ImportProgressNotifier(() => void this.store.cancelImport()));
    this.scope = this._register(new WorkspaceScope(context.workspaceState, () => this.onScopeChanged()));
    this.budgets = this._register(new BudgetService({
      store: this.store,
      memento: context.globalState,
      settings: () => this.config.alerts,
      subscription: () => this.config.billing === 'subscription',
      onStatus: () => this.statusBar.render(),
      openDashboard: () => void vscode.commands.executeCommand(Commands.openDashboard),
      openSettings: () => void vscode.commands.executeCommand('workbench.action.openSettings', 'claudeUsage.budget'),
      log: (m) => this.log.warn(m),
    }));
    this.statusBar = this._register(new CostStatusBar({
      store: this.store,
      period: () => this.period,
      scopeFolders: () => this.scope.projects(),
      workspaceName: () => this.scope.info().name,
      costLabel: () => this.costLabel(),
      subscription: () => this.config.billing === 'subscription',
      budget: () => this.budgets.status,
      log: (m) => this.log.warn(m),
    }));
    this.statusBar.setVisible(this.config.statusBarEnabled);
    this.ready = this.open();
    this.api = createApi(this.store, { callerId: 'extension', ready: this.ready, onDidChange: (l) => this.addChangeListener(l) });
    this._register({ dispose: () => this.panelTimer && clearTimeout(this.panelTimer) });
    this.retention = this._register(new RetentionScheduler(this.store, (level, m) => this.log[level](m)));
    this.proxy = new ProxyService({
      environment: context.environmentVariableCollection,
      store: this.store,
      ready: this.ready,
      log,
      warn: (m) => void vscode.window.showWarningMessage(m),
    });
    this.registerCommands();
    this._register(vscode.window.registerWebviewPanelSerializer(VIEW_TYPE_DASHBOARD, {
      deserializeWebviewPanel: async (panel) => {
        DashboardPanel.revive(panel, this.context.extensionUri, this.panelDeps());
      },
    }));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(CONFIG_SECTION)) void this.onConfigChanged();
    }));
  }

  get period(): Period {
    const stored = this.context.globalState.get<unknown>(PERIOD_STATE_KEY);
    return isPeriod(stored) ? stored : DEFAULT_PERIOD;
  }

  async setPeriod(period: Period): Promise<void> {
    if (period === this.period) return;
    await this.context.globalState.update(PERIOD_STATE_KEY, period);
    this.statusBar.refresh();
    DashboardPanel.controller?.notifyPeriod(period);
  }

  /** Final save happens in the worker's close; VS Code waits for the returned promise a little while. */
  async shutdown(): Promise<void> {
    this.dispose();
    await this.proxy.dispose();
    await this.store.close().catch((e: unknown) => this.log.error(`Final save failed: ${errorText(e)}`));
  }

  private async open(): Promise<OpenResult | undefined> {
    const storage = this.context.globalStorageUri.fsPath;
    try {
      await vscode.workspace.fs.createDirectory(this.context.globalStorageUri);
      const result = await this.store.open({ dbPath: path.join(storage, DB_FILE), priceOverrides: this.config.priceOverrides });
      this.log.info(`Opened ${path.join(storage, DB_FILE)}: ${result.records} records, prices ${result.priceVersion}.`);
      this.reportPriceProblems(result.priceProblems);
      if (result.recovery) {
        const r = result.recovery;
        const loaded = r.loadedFrom === 'backup' ? 'the last backup was loaded' : 'no usable backup was found, so history is re-read from Claude Code transcripts';
        void vscode.window.showWarningMessage(
          `Claude Usage could not read its usage database (${r.reason}). The unreadable file was kept at ${r.movedTo}, and ${loaded}.`,
        );
        this.log.warn(`Database recovery: ${JSON.stringify(r)}`);
      }
      this.statusBar.refresh();
      this.budgets.schedule();
      void this.proxy.apply(this.config);
      void this.retention.apply(this.config.retentionDays);
      await this.startCollectors();
      return result;
    } catch (e: unknown) {
      this.log.error(`Could not open the usage database: ${errorText(e)}`);
      void vscode.window.showErrorMessage(`Claude Usage could not start its database: ${errorText(e)}`, 'Show Log').then((a) => a && this.log.show());
      return undefined;
    }
  }

  private async startCollectors(): Promise<void> {
    if (!this.config.claudeCodeEnabled) return;
    this.claudeDirs = discoverClaudeConfigDirs(process.env, os.homedir(), this.config.claudeCodeExtraDirectories);
    this.log.info(`Reading Claude Code transcripts from: ${this.claudeDirs.join(', ') || '(none)'}`);
    const stats = await this.store.startClaudeCode({ configDirs: this.claudeDirs, watch: true });
    this.log.info(
      `Claude Code import: ${stats.files} files, ${stats.calls} calls, ${stats.skippedLines} lines skipped, ${Math.round(stats.ms)} ms.`,
    );
  }

  private onStoreEvent(e: StoreEvent): void {
    switch (e.type) {
      case 'changed':
        this.revision = e.revision;
        this.statusBar.refresh();
        this.budgets.schedule();
        this.schedulePanelUpdate();
        for (const l of this.changeListeners) safely(l, this.log);
        return;
      case 'progress':
        this.progress.update(e.progress);
        DashboardPanel.controller?.notifyImportStatus(e.progress);
        return;
      case 'log':
        this.log[e.level](e.message);
        return;
      case 'saveFailed':
        this.log.error(`Saving usage failed: ${e.error}`);
        void vscode.window.showWarningMessage(
          `Claude Usage cannot save its database (${e.error}). Recording continues in memory, nothing saved before is damaged, and saving resumes when it can.`,
        );
        return;
      case 'saveRecovered':
        this.log.info('Saving works again; everything recorded in the meantime is saved.');
        return;
    }
  }

  private schedulePanelUpdate(): void {
    if (this.panelTimer) return;
    this.panelTimer = setTimeout(() => {
      this.panelTimer = undefined;
      DashboardPanel.controller?.notifyChanged(this.revision);
    }, PANEL_NOTIFY_MS);
  }

  private addChangeListener(listener: () => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  private panelDeps(): PanelDeps {
    return {
      store: this.store,
      period: { get: () => this.period, set: (p) => void this.setPeriod(p) },
      now: () => Date.now(),
      sources: (): SourcesInfo => ({ claudeDirs: this.claudeDirs, proxyEnabled: this.proxy.url !== undefined }),
      costLabel: () => this.costLabel(),
      billing: () => this.config.billing,
      scope: {
        get: () => this.scope.scope,
        set: (s) => void this.scope.set(s),
        folders: () => this.scope.folders(),
        workspace: () => this.scope.info(),
      },
      exportRecords: (job) => void this.export(job),
      importStatus: () => this.progress.status,
      revision: () => this.revision,
      onCommand: (command) => {
        const id = { showLog: Commands.showLog, openSettings: 'workbench.action.openSettings', rescan: Commands.rescan }[command];
        void vscode.commands.executeCommand(id, command === 'openSettings' ? `@ext:${this.context.extension.id}` : undefined);
      },
      log: (m) => this.log.warn(m),
    };
  }

  private costLabel(): string {
    return this.config.billing === 'subscription' ? 'API-equivalent (Pro/Max subscription)' : 'API prices';
  }

  private onScopeChanged(): void {
    this.statusBar.refresh();
    DashboardPanel.controller?.notifyScope();
  }

  private async export(job: ExportJob): Promise<void> {
    await this.ready;
    await runExport(job, { store: this.store, billing: () => this.config.billing, folders: () => this.scope.folders(), log: (m) => this.log.warn(m) });
  }

  private registerCommands(): void {
    const register = (id: string, fn: () => unknown) => this._register(vscode.commands.registerCommand(id, fn));
    register(Commands.openDashboard, () => DashboardPanel.createOrShow(this.context.extensionUri, this.panelDeps()));
    register(Commands.showLog, () => this.log.show());
    register(Commands.rescan, async () => {
      await this.ready;
      const s = await this.store.rescanClaudeCode();
      void vscode.window.setStatusBarMessage(`Claude Usage: re-scanned ${s.files} transcript files, ${s.calls} new calls.`, 4000);
    });
    register(Commands.reprice, async () => {
      await this.ready;
      const { repriced } = await this.store.reprice();
      void vscode.window.showInformationMessage(`Claude Usage re-priced ${repriced} calls with the current price table.`);
    });
    register(Commands.selectPeriod, async () => {
      const period = await pickPeriod(this.period);
      if (period && isPeriod(period)) await this.setPeriod(period);
    });
    register(Commands.selectScope, async () => {
      const info = this.scope.info();
      const items: Array<vscode.QuickPickItem & { value: Scope }> = [
        { label: 'All', description: 'every recorded call', value: 'all', picked: this.scope.scope === 'all' },
        {
          label: 'This workspace',
          description: info.folders > 0 ? `calls made in ${info.name ?? 'its folders'}` : 'no folder is open',
          value: 'workspace',
          picked: this.scope.scope === 'workspace',
        },
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'Claude Usage: whose calls' });
      if (pick) await this.scope.set(pick.value);
    });
    register(Commands.exportRecords, async () => {
      const pick = await vscode.window.showQuickPick(
        [{ label: 'CSV', value: 'csv' as ExportFormat }, { label: 'JSON', value: 'json' as ExportFormat }],
        { title: 'Export the period’s records as' },
      );
      if (!pick) return;
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
      const scope = this.scope.scope;
      await this.export({
        format: pick.value,
        query: { range: periodRange(this.period, Date.now(), timeZone), sort: 'time', projects: this.scope.projects() },
        period: this.period,
        scope,
        timeZone,
      });
    });
  }

  private async onConfigChanged(): Promise<void> {
    const before = this.config;
    this.config = readConfig();
    this.statusBar.setVisible(this.config.statusBarEnabled);
    if (before.billing !== this.config.billing) DashboardPanel.controller?.notifyBilling();
    this.statusBar.render();
    this.budgets.schedule();
    await this.ready;
    if (JSON.stringify(before.priceOverrides) !== JSON.stringify(this.config.priceOverrides)) {
      const { problems } = await this.store.setPriceOverrides(this.config.priceOverrides);
      this.reportPriceProblems(problems);
      this.statusBar.refresh();
    }
    const dirsChanged =
      before.claudeCodeEnabled !== this.config.claudeCodeEnabled ||
      JSON.stringify(before.claudeCodeExtraDirectories) !== JSON.stringify(this.config.claudeCodeExtraDirectories);
    if (dirsChanged) await this.startCollectors();
    await this.retention.apply(this.config.retentionDays);
    await this.proxy.apply(this.config);
  }

  private reportPriceProblems(problems: string[]): void {
    if (problems.length === 0) return;
    for (const p of problems) this.log.warn(`Price override ignored: ${p}`);
    void vscode.window.showWarningMessage(`Claude Usage ignored ${problems.length} price override(s): ${problems[0]}`, 'Show Log').then((a) => a && this.log.show());
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function safely(fn: () => void, log: vscode.LogOutputChannel): void {
  try {
    fn();
  } catch (e: unknown) {
    log.warn(`A Claude Usage API listener threw: ${errorText(e)}`);
  }
}
