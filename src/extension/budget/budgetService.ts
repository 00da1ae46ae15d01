/**
 * The budget monitor wired into VS Code: checks after new records (at most every few seconds) and every minute,
 * remembers what it announced in globalState, and shows each alert once as a notification.
 */
import * as vscode from 'vscode';
import { hostTimeZone } from '../../shared/period';
import type { StoreApi } from '../store/storeApi';
import { Disposable } from '../util/disposable';
import { alertMessage } from './alertText';
import { BudgetMonitor, type Alert, type AlertSettings, type BudgetStatus } from './budgetMonitor';

export const ALERT_STATE_KEY = 'claudeUsage.alerts';
const MIN_INTERVAL_MS = 5_000;
const PERIODIC_MS = 60_000;

export interface BudgetServiceDeps {
  store: StoreApi;
  memento: vscode.Memento;
  settings(): AlertSettings;
  subscription(): boolean;
  /** After each check (the status bar re-draws its colour). */
  onStatus(status: BudgetStatus): void;
  openDashboard(): void;
  openSettings(): void;
  log(message: string): void;
}

export class BudgetService extends Disposable {
  private readonly monitor: BudgetMonitor;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRun = 0;
  private running = false;
  private rerun = false;

  constructor(private readonly deps: BudgetServiceDeps) {
    super();
    this.monitor = new BudgetMonitor({
      store: deps.store,
      memory: { get: () => deps.memento.get<unknown>(ALERT_STATE_KEY), set: (v) => deps.memento.update(ALERT_STATE_KEY, v) },
      settings: deps.settings,
      now: () => Date.now(),
      timeZone: hostTimeZone,
      notify: (alert) => this.show(alert),
    });
    const periodic = setInterval(() => this.schedule(), PERIODIC_MS);
    this._register({ dispose: () => clearInterval(periodic) });
    this._register({ dispose: () => this.timer && clearTimeout(this.timer) });
  }

  get status(): BudgetStatus {
    return this.monitor.status;
  }

  /** Asks for a check; bursts of records make one check every MIN_INTERVAL_MS at most. */
  schedule(): void {
    if (this.isDisposed || this.timer) return;
    const wait = Math.max(0, this.lastRun + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    this.lastRun = Date.now();
    try {
      this.deps.onStatus(await this.monitor.check());
    } catch (e: unknown) {
      this.deps.log(`Budget check failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.running = false;
      if (this.rerun && !this.isDisposed) {
        this.rerun = false;
        this.schedule();
      }
    }
  }

  private show(alert: Alert): void {
    const text = alertMessage(alert, this.deps.subscription());
    const over = alert.type === 'budget' && alert.alert.level === 'over';
    const shown = over
      ? vscode.window.showErrorMessage(text, 'Open Dashboard', 'Budget Settings')
      : vscode.window.showWarningMessage(text, 'Open Dashboard', 'Budget Settings');
    void shown.then((choice) => {
      if (choice === 'Open Dashboard') this.deps.openDashboard();
      else if (choice === 'Budget Settings') this.deps.openSettings();
    });
  }
}
