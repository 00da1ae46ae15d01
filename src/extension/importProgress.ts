/**
 * Shows a long import (the first read of a big Claude Code history) as cancellable VS Code progress. Short imports stay
 * silent: a notification that flashes for 200 ms is noise.
 */
import * as vscode from 'vscode';
import { formatCount } from '../shared/format';
import type { ImportStatus } from '../shared/protocol';
import { Disposable } from './util/disposable';

const SHOW_AFTER_MS = 1500;

export class ImportProgressNotifier extends Disposable {
  private latest: ImportStatus = { running: false, filesDone: 0, filesTotal: 0, calls: 0 };
  private showTimer: ReturnType<typeof setTimeout> | undefined;
  private finish: (() => void) | undefined;
  private report: ((status: ImportStatus) => void) | undefined;

  constructor(private readonly cancel: () => void) {
    super();
    this._register({ dispose: () => this.close() });
  }

  get status(): ImportStatus {
    return this.latest;
  }

  update(status: ImportStatus): void {
    this.latest = status;
    if (!status.running) {
      this.close();
      return;
    }
    if (this.report) this.report(status);
    else if (!this.showTimer) this.showTimer = setTimeout(() => this.show(), SHOW_AFTER_MS);
  }

  private show(): void {
    this.showTimer = undefined;
    if (!this.latest.running || this.isDisposed) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Claude Usage: importing Claude Code history', cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let lastDone = 0;
          this.finish = resolve;
          this.report = (s) => {
            const increment = s.filesTotal > 0 ? ((s.filesDone - lastDone) / s.filesTotal) * 100 : undefined;
            lastDone = s.filesDone;
            progress.report({ message: `${formatCount(s.filesDone)} of ${formatCount(s.filesTotal)} files, ${formatCount(s.calls)} calls`, increment });
          };
          this.report(this.latest);
          token.onCancellationRequested(() => {
            this.cancel();
            this.close();
          });
        }),
    );
  }

  private close(): void {
    if (this.showTimer) clearTimeout(this.showTimer);
    this.showTimer = undefined;
    this.report = undefined;
    const finish = this.finish;
    this.finish = undefined;
    finish?.();
  }
}
