/** The export as a user meets it: a save dialog, a cancellable progress notification, and a note when it is done. */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { localDate, periodRange, periodTitle } from '../../../shared/period';
import type { Billing } from '../../../shared/protocol';
import type { StoreApi } from '../../store/storeApi';
import type { ExportJob } from '../dashboard/dashboardController';
import { exportRecords, fileSink } from './recordsExport';

export interface ExportDeps {
  store: StoreApi;
  billing(): Billing;
  /** Folders of the workspace scope (also where the dialog opens). */
  folders(): string[];
  log(message: string): void;
}

export async function runExport(job: ExportJob, deps: ExportDeps): Promise<void> {
  const now = Date.now();
  const slug = job.period.startsWith('custom:') ? job.period.slice(7).replace('..', '_to_') : job.period;
  const name = `claude-usage-${slug}${job.scope === 'workspace' ? '-workspace' : ''}-${localDate(now, job.timeZone)}.${job.format}`;
  const folder = deps.folders()[0] ?? os.homedir();
  const uri = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(folder, name)),
    filters: job.format === 'csv' ? { 'CSV (comma-separated)': ['csv'] } : { JSON: ['json'] },
    saveLabel: 'Export',
    title: `Export Claude usage records (${job.format.toUpperCase()})`,
  });
  if (!uri) return;
  const target = uri.fsPath;
  const range = job.query.range ?? periodRange(job.period, now, job.timeZone);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Exporting Claude usage records', cancellable: true },
    async (progress, token) => {
      const sink = fileSink(target);
      let reported = 0;
      try {
        const result = await exportRecords({
          store: deps.store,
          query: job.query,
          format: job.format,
          basis: deps.billing() === 'subscription' ? 'api-equivalent' : 'api',
          meta: {
            exportedAt: now,
            period: { id: job.period, title: periodTitle(job.period, now, job.timeZone), from: range.from, to: range.to, timeZone: job.timeZone },
            scope: { kind: job.scope, folders: job.scope === 'workspace' ? deps.folders() : [] },
          },
          sink,
          cancelled: () => token.isCancellationRequested,
          progress: (written, total) => {
            const increment = total > 0 ? ((written - reported) / total) * 100 : undefined;
            reported = written;
            progress.report({ message: `${written.toLocaleString('en-US')} of ${Math.max(total, written).toLocaleString('en-US')} records`, increment });
          },
        });
        if (result.cancelled) {
          await sink.abort();
          return;
        }
        await sink.commit();
        void vscode.window.showInformationMessage(`Exported ${result.records.toLocaleString('en-US')} records to ${path.basename(target)}.`, 'Open').then((a) => {
          if (a) void vscode.commands.executeCommand('vscode.open', uri);
        });
      } catch (e: unknown) {
        await sink.abort();
        const message = e instanceof Error ? e.message : String(e);
        deps.log(`Export to ${target} failed: ${message}`);
        void vscode.window.showErrorMessage(`Claude Usage could not export the records: ${message}`);
      }
    },
  );
}
