// Summary, dashboard and record pages equal a brute-force computation over the same random calls — whatever mix of
// roll-ups and rows the store reads — in several zones, periods and filters.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallInput } from '../../src/shared/callRecord';
import { SOURCES } from '../../src/shared/callRecord';
import { periodRange, PERIODS } from '../../src/shared/period';
import type { RecordRow, RecordsQuery } from '../../src/shared/queries';
import type { StoreApi } from '../../src/extension/store/storeApi';
import {
  inRange, priced, referenceBySource, referenceConsumers, referenceSeries, referenceSummary, total, type RefCall,
} from './queriesReference';
import { CONSUMER_NAMES, dedupReference, random, randomCalls, testStore } from './storeFixtures';

const FROM = Date.UTC(2026, 9, 10);
const TO = Date.UTC(2026, 10, 25);
const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu'];

let store: StoreApi;
let calls: RefCall[];

before(async () => {
  const input: CallInput[] = randomCalls(42, 2500, FROM, TO);
  store = testStore();
  await store.open({});
  for (let i = 0; i < input.length; i += 333) await store.record(input.slice(i, i + 333));
  calls = priced(dedupReference(input).values());
});
after(() => store.close());

/** Ends of periods: on and off the 15-minute grid, around both DST changes. */
const NOWS = [
  Date.UTC(2026, 10, 20, 14, 37, 12, 345),
  Date.UTC(2026, 10, 1, 6, 30, 0, 0),
  Date.UTC(2026, 10, 2, 5, 0, 0, 0),
  Date.UTC(2026, 9, 31, 23, 59, 59, 999),
];

describe('summary', () => {
  it('equals the brute-force totals for many ranges, aligned and not', async () => {
    const rnd = random(7);
    const ranges = [
      { from: FROM, to: TO },
      { from: FROM - 1, to: TO + 1 },
      ...Array.from({ length: 25 }, () => {
        const a = FROM + Math.floor(rnd() * (TO - FROM));
        return { from: a, to: a + Math.floor(rnd() * 5 * 86_400_000) };
      }),
      { from: Date.UTC(2026, 10, 3, 10, 0), to: Date.UTC(2026, 10, 3, 10, 15) },
      { from: Date.UTC(2026, 10, 3, 10, 1), to: Date.UTC(2026, 10, 3, 10, 14) },
      { from: Date.UTC(2026, 10, 3, 10, 5), to: Date.UTC(2026, 10, 3, 10, 5) },
    ];
    for (const range of ranges) assert.deepEqual(await store.summary(range), referenceSummary(calls, range), JSON.stringify(range));
  });
});

describe('dashboard', () => {
  for (const timeZone of ZONES) {
    it(`${timeZone}: cards, series, sources and top consumers for every period`, async () => {
      for (const now of NOWS) {
        for (const period of PERIODS) {
          const range = periodRange(period, now);
          for (const granularity of ['hour', 'day'] as const) {
            const data = await store.dashboard({ range, timeZone, granularity, topBy: 'cost' });
            const where = `${period} ${granularity} ending ${new Date(now).toISOString()}`;
            assert.deepEqual(data.summary, referenceSummary(calls, range), where);
            assert.deepEqual(data.series, referenceSeries(calls, range, timeZone, granularity), where);
            assert.deepEqual(data.bySource, referenceBySource(calls, range), where);
            assert.equal(data.series.reduce((s, p) => s + p.costNanos, 0), data.summary.costNanos, 'series adds up to the cards');
          }
        }
      }
    });
  }

  it('top consumers by cost and by tokens, with names, badges and the limit', async () => {
    for (const now of NOWS) {
      const range = periodRange('30d', now);
      const reference = referenceConsumers(calls, range);
      for (const topBy of ['cost', 'tokens'] as const) {
        for (const topLimit of [undefined, 3]) {
          const data = await store.dashboard({ range, timeZone: 'UTC', granularity: 'day', topBy, topLimit });
          const metric = (c: { costNanos: number; tokens: number }) => (topBy === 'cost' ? c.costNanos : c.tokens);
          assert.equal(data.topConsumers.length, Math.min(topLimit ?? 10, reference.length));
          for (let i = 1; i < data.topConsumers.length; i++) assert.ok(metric(data.topConsumers[i - 1]) >= metric(data.topConsumers[i]));
          for (const consumer of data.topConsumers) {
            assert.deepEqual(consumer, reference.find((r) => r.key === consumer.key));
          }
          const shownMin = Math.min(...data.topConsumers.map(metric));
          const left = reference.filter((r) => !data.topConsumers.some((c) => c.key === r.key));
          assert.ok(left.every((r) => metric(r) <= shownMin), 'no bigger consumer left out');
        }
      }
    }
  });

  it('an empty range answers zeros, all three sources, and no NaN', async () => {
    const empty = await store.dashboard({ range: { from: Date.UTC(2020, 0, 1), to: Date.UTC(2020, 0, 2) }, timeZone: 'UTC', granularity: 'hour', topBy: 'cost' });
    assert.equal(empty.series.length, 24);
    assert.ok(empty.series.every((p) => p.calls === 0 && p.costNanos === 0));
    assert.deepEqual(empty.bySource.map((s) => s.source), [...SOURCES]);
    assert.equal(empty.summary.avgCostNanos, null);
    assert.deepEqual(empty.topConsumers, []);
  });
});

function referenceRecords(query: RecordsQuery): RefCall[] {
  const term = (query.search ?? '').trim().toLowerCase();
  const rows = inRange(calls, query.range).filter(
    (c) =>
      (!query.source || c.source === query.source) &&
      (!query.consumerKey || c.consumer.key === query.consumerKey) &&
      (term === '' || c.consumer.name.toLowerCase().includes(term)),
  );
  return rows;
}

async function allPages(query: Omit<RecordsQuery, 'page'>): Promise<{ rows: RecordRow[]; total: number }> {
  const rows: RecordRow[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const result = await store.records({ ...query, page });
    assert.equal(result.page, page);
    total = result.total;
    rows.push(...result.rows);
    if (page * result.pageSize >= result.total) break;
  }
  return { rows, total };
}

function assertRowsMatch(rows: RecordRow[], expected: RefCall[]): void {
  const byKey = new Map(expected.map((c) => [c.key, c]));
  assert.equal(new Set(rows.map((r) => r.key)).size, rows.length, 'no row twice');
  for (const row of rows) {
    const c = byKey.get(row.key);
    assert.ok(c, `unexpected row ${row.key}`);
    assert.equal(row.ts, c.ts);
    assert.equal(row.source, c.source);
    assert.equal(row.name, c.consumer.name);
    assert.equal(row.consumerKey, c.consumer.key);
    assert.equal(row.model, c.model);
    assert.deepEqual(row.tokens, c.tokens);
    assert.equal(row.costNanos, c.cost);
    assert.equal(row.durationMs, c.durationMs ?? null);
    assert.equal(row.project, c.project ?? null);
  }
}

describe('records', () => {
  const filters: Array<Partial<RecordsQuery>> = [
    {},
    { source: 'agent' },
    { source: 'memory', search: 'a' },
    { search: '%' },
    { search: '_' },
    { search: "o'brien" },
    { search: '"retry"' },
    { search: "%' OR 1=1 --" },
    { search: 'écran' },
    { search: '\\' },
    { search: '  PARSER ' },
    { consumerKey: 'consumer-3' },
    { consumerKey: 'consumer-3', search: 'nothing like it' },
    { source: 'chat', search: 'e', consumerKey: 'consumer-7' },
  ];

  it('every page by time, newest first, for filters and searches; totals exact', async () => {
    for (const now of NOWS.slice(0, 2)) {
      for (const period of PERIODS) {
        for (const filter of filters) {
          const query = { range: periodRange(period, now), ...filter };
          const { rows, total } = await allPages({ ...query, sort: 'time' });
          const expected = referenceRecords({ ...query, page: 1 });
          assert.equal(total, expected.length, JSON.stringify(filter));
          assert.equal(rows.length, expected.length);
          assertRowsMatch(rows, expected);
          for (let i = 1; i < rows.length; i++) {
            assert.ok(rows[i - 1].ts > rows[i].ts || (rows[i - 1].ts === rows[i].ts && rows[i - 1].id > rows[i].id), 'newest first');
          }
        }
      }
    }
  });

  it('every page by cost, highest first, unpriced last', async () => {
    for (const filter of filters) {
      for (const pageSize of [20, 7]) {
        const query = { range: periodRange('30d', NOWS[0]), ...filter, pageSize };
        const { rows } = await allPages({ ...query, sort: 'cost' });
        const expected = referenceRecords({ ...query, page: 1 });
        assert.equal(rows.length, expected.length);
        assertRowsMatch(rows, expected);
        const costs = rows.map((r) => r.costNanos);
        const expectedCosts = expected.map((c) => c.cost).sort((a, b) => (a === null ? 1 : b === null ? -1 : b - a));
        assert.deepEqual(costs, expectedCosts);
      }
    }
  });

  it('a search matches inside names, case-insensitively, and treats wildcards and quotes as text', async () => {
    const range = { from: FROM, to: TO };
    const count = async (search: string) => (await store.records({ range, page: 1, search })).total;
    const namesWith = (text: string) => calls.filter((c) => c.consumer.name.toLowerCase().includes(text.toLowerCase())).length;
    assert.equal(await count('%'), namesWith('%'));
    assert.ok(namesWith('%') > 0 && namesWith('%') < calls.length, 'the fixture has names with and without %');
    assert.equal(await count('_'), namesWith('_'));
    assert.equal(await count("%' OR 1=1 --"), namesWith("%' OR 1=1 --"));
    assert.equal(await count('RATE LIMITING'), namesWith('rate limiting'));
    assert.equal(await count('résumé'), namesWith('Résumé'));
    assert.equal(await count('zzz-no-such-name'), 0);
    assert.ok(CONSUMER_NAMES.length > 5);
  });

  it('clamps the page to 1…pageCount and answers the page it used', async () => {
    const range = periodRange('7d', NOWS[0]);
    const first = await store.records({ range, page: 1 });
    const pageCount = Math.ceil(first.total / 20);
    assert.ok(pageCount > 2);
    const last = await store.records({ range, page: 10_000 });
    assert.equal(last.page, pageCount);
    assert.equal(last.rows.length, first.total - (pageCount - 1) * 20);
    assert.equal((await store.records({ range, page: 0 })).page, 1);
    assert.equal((await store.records({ range, page: -3 })).page, 1);
    assert.equal((await store.records({ range, page: Number.NaN })).page, 1);
    assert.equal((await store.records({ range, page: 2.7 })).page, 2);
    const none = await store.records({ range, page: 5, search: 'zzz-no-such-name' });
    assert.deepEqual(none, { rows: [], total: 0, page: 1, pageSize: 20 });
  });

  it('refuses malformed queries with clear messages', async () => {
    const range = periodRange('24h', NOWS[0]);
    await assert.rejects(store.records({ range, page: 1, source: 'email' as never }), /source must be one of chat, agent, memory/);
    await assert.rejects(store.records({ range, page: 1, sort: 'random' as never }), /sort must be "time" or "cost"/);
    await assert.rejects(store.records({ range, page: 1, search: 42 as never }), /search must be text/);
    await assert.rejects(store.records({ range: { from: Number.NaN, to: 1 }, page: 1 }), /range\.from must be a finite number/);
    await assert.rejects(store.dashboard({ range, timeZone: 'Nowhere/Land', granularity: 'hour', topBy: 'cost' }), /Unknown time zone/);
    await assert.rejects(store.dashboard({ range, timeZone: 'UTC', granularity: 'week' as never, topBy: 'cost' }), /granularity must be/);
  });

  it('token totals in the records equal the dashboard tokens', async () => {
    const range = periodRange('30d', NOWS[0]);
    const { rows } = await allPages({ range, pageSize: 500 });
    const data = await store.dashboard({ range, timeZone: 'UTC', granularity: 'day', topBy: 'tokens' });
    assert.equal(rows.reduce((s, r) => s + total({ tokens: r.tokens } as CallInput), 0), data.series.reduce((s, p) => s + p.tokens, 0));
  });
});
