/**
 * The status-bar item: the selected period's cost. Refreshes are coalesced (a burst of records costs one query) and
 * repeated every minute, because the period is a window that slides with the clock even when nothing is recorded.
 */
import * as vscode from 'vscode';
import { Commands, STATUS_BAR_ITEM_ID } from '../commands';
import { periodRange, type Period } from '../../shared/period';
import type { Summary } from '../../shared/queries';
import type { StoreApi } from '../store/storeApi';
import { Disposable } from '../util/disposable';
import { statusBarText } from './statusBarText';

const COALESCE_MS = 100;
const SLIDE_MS = 60_000;

export class CostStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private again = false;
  private last: Summary | undefined;

  constructor(
    private readonly store: StoreApi,
    private readonly period: () => Period,
    private readonly costLabel: () => string,
    private readonly log: (message: string) => void,
  ) {
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

  private async query(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      this.last = await this.store.summary(periodRange(this.period(), Date.now()));
      this.render();
    } catch (e: unknown) {
      this.log(`Status bar could not read totals: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.inFlight = false;
      if (this.again && !this.isDisposed) {
        this.again = false;
        void this.query();
      }
    }
  }

  private render(): void {
    if (this.isDisposed) return;
    const t = statusBarText(this.last, this.period(), this.costLabel());
    this.item.text = t.text;
    const md = new vscode.MarkdownString(t.tooltip);
    md.supportThemeIcons = true;
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: t.accessibilityLabel, role: 'button' };
  }
}
