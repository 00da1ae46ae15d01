/**
 * Exports the records of a view to CSV or JSON, page by page from the store (keyset paging: each step reads the rows
 * after the last one), so memory stays flat for any number of records and the webview never holds them. Written to
 * a temporary file beside the target and renamed over it at the end: a cancelled or failed export leaves no half
 * file behind. No `vscode` here; the command wraps it in a save dialog and a progress notification.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { RecordsPage, RecordsQuery } from '../../../shared/queries';
import type { ExportFormat } from '../../../shared/protocol';
import { csvHeader, csvRow, jsonRecord, type CostBasis } from './exportFormat';

export const EXPORT_PAGE_SIZE = 500;

export interface ExportSink {
  write(chunk: string): Promise<void>;
}

/** What the JSON header says about the export (the CSV has only rows). */
export interface ExportMeta {
  exportedAt: number;
  period: { id: string; title: string; from: number; to: number; timeZone: string };
  scope: { kind: 'all' | 'workspace'; folders: string[] };
}

export interface ExportOptions {
  store: { records(query: RecordsQuery): Promise<RecordsPage> };
  query: Omit<RecordsQuery, 'page' | 'pageSize' | 'after'>;
  format: ExportFormat;
  basis: CostBasis;
  meta: ExportMeta;
  sink: ExportSink;
  pageSize?: number;
  cancelled?(): boolean;
  /** Records written so far and the total (known after the first page). */
  progress?(written: number, total: number): void;
}

export async function exportRecords(o: ExportOptions): Promise<{ records: number; cancelled: boolean }> {
  const pageSize = o.pageSize ?? EXPORT_PAGE_SIZE;
  const first = await o.store.records({ ...o.query, page: 1, pageSize });
  const total = first.total;
  let written = 0;
  await o.sink.write(o.format === 'csv' ? csvHeader(o.basis) : jsonHead(o));
  let page = first;
  for (;;) {
    if (o.cancelled?.()) return { records: written, cancelled: true };
    if (page.rows.length > 0) {
      const chunk =
        o.format === 'csv'
          ? page.rows.map(csvRow).join('')
          : page.rows.map((r) => `${written === 0 && r === page.rows[0] ? '' : ',\n'}    ${JSON.stringify(jsonRecord(r, o.basis))}`).join('');
      await o.sink.write(chunk);
      written += page.rows.length;
      o.progress?.(written, total);
    }
    const last = page.rows.at(-1);
    if (!last || page.rows.length < pageSize) break;
    page = await o.store.records({ ...o.query, page: 1, pageSize, after: { id: last.id, ts: last.ts, costNanos: last.costNanos } });
  }
  if (o.format === 'json') await o.sink.write(`\n  ],\n  "count": ${written}\n}\n`);
  return { records: written, cancelled: false };
}

function jsonHead(o: ExportOptions): string {
  const q = o.query;
  const head = {
    exportedAt: new Date(o.meta.exportedAt).toISOString(),
    costBasis: o.basis,
    period: {
      id: o.meta.period.id,
      title: o.meta.period.title,
      from: new Date(o.meta.period.from).toISOString(),
      to: new Date(o.meta.period.to).toISOString(),
      timeZone: o.meta.period.timeZone,
    },
    scope: o.meta.scope,
    filters: { source: q.source ?? null, search: q.search ?? '', consumerKey: q.consumerKey ?? null, sort: q.sort ?? 'time' },
  };
  const text = JSON.stringify(head, null, 2);
  return `${text.slice(0, text.lastIndexOf('}')).trimEnd()},\n  "records": [\n`;
}

/** A file written through a temporary sibling; `commit()` renames it into place, `abort()` removes it. */
export interface FileSink extends ExportSink {
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export function fileSink(target: string): FileSink {
  const temp = `${target}.partial-${process.pid}-${Date.now()}`;
  const stream: WriteStream = createWriteStream(temp, { flags: 'wx' });
  let failure: Error | null = null;
  stream.on('error', (e) => {
    failure = e;
  });
  const ended = () =>
    new Promise<void>((resolve, reject) => {
      stream.end(() => (failure ? reject(failure) : resolve()));
    });
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        const ok = stream.write(chunk, 'utf8', (e) => {
          if (e) reject(e);
          else if (ok) resolve();
        });
        if (!ok) stream.once('drain', () => (failure ? reject(failure) : resolve()));
      }),
    commit: async () => {
      await ended();
      await rename(temp, target);
    },
    abort: async () => {
      await ended().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}
