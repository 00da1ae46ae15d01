/**
 * The status-bar item: the selected period's cost, in the chosen scope, coloured by the budgets. Refreshes are
 * coalesced (a burst of records costs one query) and repeated every minute, because the period is a window that
 * slides with the clock even when nothing is recorded.
 */
import * as vscode from 'vscode';
import { Commands, STATUS_BAR_ITEM_ID } from '../commands';
import { periodRange, periodShortLabel, type Period } from '../../shared/period';
import type { Summary, SummaryQuery } from '../../shared/queries';
import type { BudgetStatus } from '../budget/budgetMonitor';
import type { StoreApi } from '../store/storeApi';
import { Disposable } from '../util/disposable';
import { statusBarText } from './statusBarText';

const COALESCE_MS = 100;
const SLIDE_MS = 60_000;

export interface StatusBarDeps {
  store: StoreApi;
  period(): Period;
  /** Workspace folders when scoped to "This workspace", null for every call. */
  scopeFolders(): string[] | null;
  workspaceName(): string | null;
  costLabel(): string;
  subscription(): boolean;
  budget(): BudgetStatus | undefined;
  log(message: string): void;
}

export class CostStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private again = false;
  private last: Summary | undefined;

  constructor(private readonly deps: StatusBarDeps) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Claude Usage Cost';
    this.item.command = Commands.openDashboard;
    this.render();
    const timer = setInterval(() => this.refresh(), SLIDE_MS);
    this._register({ dispose: () => clearInterval(timer) });
    this._register({ dispose: () => this.pending && clearTimeout(this.pending) });
  }

  setVisible(visible: boolean): void {
    if (visible) this.item.show();
    else this.item.hide();
  }

  /** Ask for a refresh; several asks within COALESCE_MS make one query. */
  refresh(): void {
    if (this.isDisposed || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.query();
    }, COALESCE_MS);
  }

  /** Re-draws with the totals already read (after a budget check or a label change). */
  render(): void {
    if (this.isDisposed) return;
    const d = this.deps;
    const period = d.period();
    const folders = d.scopeFolders();
    const t = statusBarText(this.last, period, d.costLabel(), {
      periodLabel: periodShortLabel(period, Date.now()),
      workspace: folders === null ? undefined : (d.workspaceName() ?? 'this workspace'),
      subscription: d.subscription(),
      budget: d.budget(),
    });
    this.item.text = t.text;
    const md = new vscode.MarkdownString(t.tooltip);
    md.supportThemeIcons = true;
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: t.accessibilityLabel, role: 'button' };
    this.item.backgroundColor =
      t.background === 'none' ? undefined : new vscode.ThemeColor(t.background === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
  }

  private async query(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      const range = periodRange(this.deps.period(), Date.now());
      // A SummaryQuery (range + projects) travels as the store's summary() argument.
      const query: SummaryQuery = { ...range, projects: this.deps.scopeFolders() };
      this.last = await this.deps.store.summary(query);
      this.render();
    } catch (e: unknown) {
      this.deps.log(`Status bar could not read totals: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.inFlight = false;
      if (this.again && !this.isDisposed) {
        this.again = false;
        void this.query();
      }
    }
  }
}
