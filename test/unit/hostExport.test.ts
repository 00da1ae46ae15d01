// Exports without VS Code: every record of the view (period, scope, filter, search, sort) written page by page to a
// file, in exact units (USD decimals from nano-dollars, integer tokens, ISO times), CSV and JSON; cancel and failure
// leave no file; the dashboard's export message reaches the host as the view's query.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CallInput } from '../../src/shared/callRecord';
import type { HostMessage } from '../../src/shared/protocol';
import type { RecordsPage, RecordsQuery } from '../../src/shared/queries';
import { csvText } from '../../src/extension/views/export/exportFormat';
import { exportRecords, fileSink, type ExportMeta } from '../../src/extension/views/export/recordsExport';
import { DashboardController, type ExportJob } from '../../src/extension/views/dashboard/dashboardController';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { fakeCost, FAKE_RATES, makeCall, testStore, tokens, withTempDir } from './storeFixtures';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const ALL = { from: 0, to: Date.UTC(2100, 0, 1) };
const META: ExportMeta = {
  exportedAt: T0,
  period: { id: '7d', title: 'Last 7 days', from: ALL.from, to: ALL.to, timeZone: 'UTC' },
  scope: { kind: 'all', folders: [] },
};

let store: StoreApi;
const calls: CallInput[] = [];

before(async () => {
  store = testStore();
  await store.open({});
  for (let i = 0; i < 1234; i++) {
    calls.push(
      makeCall({
        key: `msg_export_${i}`,
        ts: T0 - i * 61_000,
        source: i % 3 === 0 ? 'agent' : 'chat',
        consumer: i % 7 === 0 ? { key: 'k-odd', name: '=HYPERLINK("x"), "quoted", name' } : { key: `k${i % 5}`, name: `Conversation ${i % 5}` },
        model: i % 50 === 0 ? 'mystery-model' : i % 2 ? 'model-a' : 'model-b',
        tokens: tokens({ input: 1000 + i, cacheRead: 7 * i, output: 333 }),
        durationMs: i % 4 === 0 ? null : 1000 + i,
        project: i % 2 ? '/home/me/shop' : '/home/me/blog',
      }),
    );
  }
  await store.record(calls);
});
after(() => store.close());

function memorySink(): { chunks: string[]; write(chunk: string): Promise<void> } {
  const chunks: string[] = [];
  return { chunks, write: async (c) => void chunks.push(c) };
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows;
}

const costOf = (c: CallInput): number | null => (c.model in FAKE_RATES ? fakeCost(c.tokens, FAKE_RATES[c.model]) : null);
const decimal = (n: number): string => {
  const whole = Math.floor(n / 1e9);
  const frac = String(n % 1e9).padStart(9, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
};

describe('CSV', () => {
  it('every record of the view, newest first, exact units, page by page', async () => {
    const sink = memorySink();
    const asked: RecordsQuery[] = [];
    const spy = { records: (q: RecordsQuery): Promise<RecordsPage> => (asked.push(q), store.records(q)) };
    const result = await exportRecords({ store: spy, query: { range: ALL, sort: 'time' }, format: 'csv', basis: 'api', meta: META, sink, pageSize: 100 });
    assert.equal(result.records, calls.length);
    assert.equal(asked.length, 13, 'thirteen pages of 100');
    assert.ok(asked.slice(1).every((q) => q.after), 'after the first page, each step continues from a cursor');
    const rows = parseCsv(sink.chunks.join(''));
    assert.equal(rows[0].join(','), 'time,source,name,consumer_key,model,project,input_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,output_tokens,cost_usd,priced,duration_ms,message_key,id');
    assert.equal(rows.length, calls.length + 1);
    const byKey = new Map(calls.map((c) => [c.key, c]));
    rows.slice(1).forEach((r, i) => {
      const c = byKey.get(r[14]);
      assert.ok(c, r[14]);
      assert.equal(c, calls[i], 'newest first');
      assert.equal(r[0], new Date(c.ts).toISOString());
      assert.equal(r[2], c.consumer.name.startsWith('=') ? `'${c.consumer.name}` : c.consumer.name);
      assert.deepEqual(r.slice(6, 11).map(Number), [c.tokens.input, 0, 0, c.tokens.cacheRead, c.tokens.output]);
      const cost = costOf(c);
      assert.equal(r[11], cost === null ? '' : decimal(cost));
      assert.equal(r[12], cost === null ? 'false' : 'true');
      assert.equal(r[13], c.durationMs === null || c.durationMs === undefined ? '' : String(c.durationMs));
    });
  });

  it('the view’s filter, search, scope and cost order; subscription costs are labelled API-equivalent', async () => {
    const sink = memorySink();
    const query = { range: ALL, sort: 'cost' as const, source: 'chat' as const, search: 'conversation', projects: ['/home/me/shop'] };
    await exportRecords({ store, query, format: 'csv', basis: 'api-equivalent', meta: META, sink, pageSize: 37 });
    const rows = parseCsv(sink.chunks.join(''));
    assert.ok(rows[0].includes('api_equivalent_cost_usd') && !rows[0].includes('cost_usd'));
    const expected = calls.filter((c) => c.source === 'chat' && c.consumer.name.startsWith('Conversation') && c.project === '/home/me/shop');
    assert.equal(rows.length - 1, expected.length);
    const costs = rows.slice(1).map((r) => (r[11] === '' ? null : Number(r[11])));
    for (let i = 1; i < costs.length; i++) assert.ok(costs[i] === null || (costs[i - 1] !== null && (costs[i - 1] ?? 0) >= (costs[i] ?? 0)));
  });

  it('text fields are quoted and guarded against spreadsheet formulas', () => {
    assert.equal(csvText('plain'), 'plain');
    assert.equal(csvText('a, b'), '"a, b"');
    assert.equal(csvText('say "hi"'), '"say ""hi"""');
    assert.equal(csvText('=SUM(A1)'), "'=SUM(A1)");
    assert.equal(csvText('-1+2'), "'-1+2");
    assert.equal(csvText(null), '');
  });
});

describe('JSON', () => {
  it('a valid document with the view, exact decimal costs and integer tokens', async () => {
    const sink = memorySink();
    const result = await exportRecords({ store, query: { range: ALL, sort: 'time', consumerKey: 'k-odd' }, format: 'json', basis: 'api', meta: META, sink, pageSize: 50 });
    const doc = JSON.parse(sink.chunks.join('')) as {
      costBasis: string; period: { id: string; from: string }; filters: { consumerKey: string }; count: number;
      records: Array<{ key: string; costUsd: string | null; tokens: Record<string, number>; time: string }>;
    };
    const expected = calls.filter((c) => c.consumer.key === 'k-odd');
    assert.equal(doc.count, expected.length);
    assert.equal(result.records, expected.length);
    assert.equal(doc.costBasis, 'api');
    assert.equal(doc.period.id, '7d');
    assert.equal(doc.filters.consumerKey, 'k-odd');
    doc.records.forEach((r, i) => {
      const c = expected[i];
      assert.equal(r.key, c.key);
      assert.equal(r.time, new Date(c.ts).toISOString());
      const cost = costOf(c);
      assert.equal(r.costUsd, cost === null ? null : decimal(cost));
      assert.deepEqual(r.tokens, c.tokens);
    });
  });

  it('an empty view is an empty list, still valid JSON', async () => {
    const sink = memorySink();
    await exportRecords({ store, query: { range: { from: 0, to: 1 } }, format: 'json', basis: 'api-equivalent', meta: META, sink });
    const doc = JSON.parse(sink.chunks.join('')) as { records: unknown[]; count: number; costBasis: string };
    assert.deepEqual([doc.records, doc.count, doc.costBasis], [[], 0, 'api-equivalent']);
  });
});

describe('files', () => {
  it('written through a temporary file, renamed into place; a cancelled export leaves nothing', async () => {
    await withTempDir(async (dir) => {
      const target = path.join(dir, 'usage.csv');
      const sink = fileSink(target);
      const r = await exportRecords({ store, query: { range: ALL }, format: 'csv', basis: 'api', meta: META, sink, pageSize: 500 });
      await sink.commit();
      assert.equal(parseCsv(await readFile(target, 'utf8')).length, r.records + 1);
      assert.deepEqual(await readdir(dir), ['usage.csv']);

      const second = path.join(dir, 'cancelled.json');
      const s2 = fileSink(second);
      let pages = 0;
      const c = await exportRecords({ store, query: { range: ALL }, format: 'json', basis: 'api', meta: META, sink: s2, pageSize: 100, cancelled: () => ++pages > 2 });
      assert.equal(c.cancelled, true);
      await s2.abort();
      assert.deepEqual(await readdir(dir), ['usage.csv']);
    });
  });
});

describe('from the dashboard', () => {
  it('the export message becomes the view’s records query, resolved by the host', async () => {
    const jobs: ExportJob[] = [];
    const posted: HostMessage[] = [];
    const controller = new DashboardController({
      store,
      post: (m) => posted.push(m),
      period: { get: () => '7d', set: () => undefined },
      now: () => T0,
      sources: () => ({ claudeDirs: [], proxyEnabled: false }),
      costLabel: () => 'API prices',
      importStatus: () => ({ running: false, filesDone: 0, filesTotal: 0, calls: 0 }),
      revision: () => 1,
      scope: { get: () => 'workspace', set: () => undefined, folders: () => ['/home/me/shop'], workspace: () => ({ name: 'shop', folders: 1 }) },
      exportRecords: (job) => jobs.push(job),
    });
    await controller.handle({ type: 'ready', timeZone: 'UTC', ui: {} });
    await controller.handle({
      type: 'export',
      format: 'json',
      request: { period: 'custom:2026-11-19..2026-11-20', scope: 'workspace', source: 'chat', search: 'conv', consumerKey: null, page: 4, sort: 'cost' },
    });
    assert.equal(jobs.length, 1);
    assert.deepEqual(jobs[0], {
      format: 'json',
      query: {
        range: { from: Date.UTC(2026, 10, 19), to: Date.UTC(2026, 10, 21) },
        source: 'chat', search: 'conv', consumerKey: null, sort: 'cost', projects: ['/home/me/shop'],
      },
      period: 'custom:2026-11-19..2026-11-20',
      scope: 'workspace',
      timeZone: 'UTC',
    });
    assert.ok(posted.some((m) => m.type === 'snapshot' && m.snapshot.scope === 'workspace' && m.snapshot.workspace?.name === 'shop'));
  });
});
