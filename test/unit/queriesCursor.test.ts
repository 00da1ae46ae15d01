// Keyset paging (what exports read): following `after` from page 1 visits exactly the rows of the numbered pages, in
// the same order, for both sorts, with filters, searches and a project scope, whatever the page size.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SOURCES, type CallInput } from '../../src/shared/callRecord';
import type { RecordRow, RecordsQuery } from '../../src/shared/queries';
import { cursorOf } from '../../src/extension/queries/recordCursor';
import { ALL_TIME, benchWith, seeded, type QueryBench } from './queriesSetup';
import { CONSUMER_NAMES, fakePricer, tokens } from './storeFixtures';

const FROM = Date.UTC(2026, 10, 1);
const TO = Date.UTC(2026, 10, 10);

function manyCalls(count: number): CallInput[] {
  const rnd = seeded(3);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  return Array.from({ length: count }, (_, i) => ({
    key: `msg_cursor_${i}`,
    // Coarse times and costs, so many rows tie on ts or cost and the id must break the tie.
    ts: FROM + Math.floor(rnd() * 400) * 1_800_000,
    source: pick(SOURCES),
    consumer: { key: `k${i % CONSUMER_NAMES.length}`, name: CONSUMER_NAMES[i % CONSUMER_NAMES.length] },
    model: pick(['model-a', 'model-b', 'mystery-model']),
    tokens: tokens({ input: 10 * Math.floor(rnd() * 5), output: 10 * Math.floor(rnd() * 3) }),
    collector: 'test',
    ...(rnd() < 0.5 ? { project: '/p/one' } : { project: '/p/two' }),
  }));
}

let bench: QueryBench;

before(async () => {
  bench = await benchWith(manyCalls(1400), fakePricer());
});

function numbered(query: Omit<RecordsQuery, 'page'>): RecordRow[] {
  const rows: RecordRow[] = [];
  for (let page = 1; ; page++) {
    const r = bench.queries.records({ ...query, page, pageSize: 50 });
    rows.push(...r.rows);
    if (page * r.pageSize >= r.total) return rows;
  }
}

function followed(query: Omit<RecordsQuery, 'page'>, pageSize: number): RecordRow[] {
  const first = bench.queries.records({ ...query, page: 1, pageSize });
  const rows = [...first.rows];
  let last = first.rows.at(-1);
  while (last) {
    const next = bench.queries.records({ ...query, page: 1, pageSize, after: cursorOf(last) });
    assert.equal(next.total, -1, 'not counted');
    rows.push(...next.rows);
    last = next.rows.length === pageSize ? next.rows.at(-1) : undefined;
  }
  return rows;
}

describe('records after a cursor', () => {
  const cases: Array<Omit<RecordsQuery, 'page'>> = [
    { range: ALL_TIME },
    { range: { from: FROM + 86_400_000 + 17, to: TO - 86_400_000 } },
    { range: ALL_TIME, source: 'chat' },
    { range: ALL_TIME, search: 'the' },
    { range: ALL_TIME, consumerKey: 'k3' },
    { range: ALL_TIME, projects: ['/p/one'] },
    { range: ALL_TIME, projects: ['/p/none'] },
  ];
  for (const sort of ['time', 'cost'] as const) {
    it(`by ${sort}: the same rows in the same order as the numbered pages`, () => {
      for (const c of cases) {
        const query = { ...c, sort };
        const expected = numbered(query).map((r) => r.id);
        for (const pageSize of [1, 7, 500]) {
          if (pageSize === 1 && expected.length > 300) continue;
          assert.deepEqual(followed(query, pageSize).map((r) => r.id), expected, `${JSON.stringify(c)} pageSize ${pageSize}`);
        }
      }
    });
  }

  it('during a first import (every index but the time index dropped until the store builds them after): the same pages and dashboards', () => {
    const dashboards = (): string =>
      JSON.stringify([{ from: FROM - 86_400_000, to: TO + 86_400_000 }, { from: FROM + 86_400_000 + 17, to: TO - 3_600_000 - 5 }].flatMap((range) =>
        [[], ['/p/one']].map((projects) =>
          bench.queries.dashboard({ range, projects, timeZone: 'Asia/Kathmandu', granularity: 'hour', topBy: 'cost' }))));
    const pages = (sort: 'time' | 'cost'): number[][] => cases.map((c) => numbered({ ...c, sort }).map((r) => r.id));
    const withIndexes = { time: pages('time'), cost: pages('cost'), dashboards: dashboards() };
    assert.equal(bench.recorder.beginBulk(1_000_000), true);
    try {
      const left = bench.db.all("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls'").map((r) => String(r[0]));
      assert.deepEqual(left.filter((name) => !name.startsWith('sqlite_autoindex')), ['calls_ts'], 'a first import keeps only the time index');
      for (const sort of ['time', 'cost'] as const) {
        cases.forEach((c, i) => {
          const query = { ...c, sort };
          assert.deepEqual(numbered(query).map((r) => r.id), withIndexes[sort][i], `${sort} ${JSON.stringify(c)}`);
          assert.deepEqual(followed(query, 7).map((r) => r.id), withIndexes[sort][i], `${sort} ${JSON.stringify(c)} followed`);
        });
      }
      assert.equal(dashboards(), withIndexes.dashboards);
    } finally {
      bench.recorder.endBulk();
    }
    assert.equal(bench.recorder.buildDeferredIndexes(1), true, 'one index at a time');
    assert.equal(bench.recorder.indexesDeferred, true);
    assert.equal(bench.recorder.buildDeferredIndexes(), true);
    assert.equal(bench.recorder.indexesDeferred, false);
    for (const name of ['calls_ts', 'calls_consumer_ts', 'calls_key_hash', 'calls_cost']) {
      assert.notEqual(bench.db.first('SELECT 1 FROM sqlite_master WHERE name = ?', [name]), undefined, `${name} built after`);
    }
    assert.equal(dashboards(), withIndexes.dashboards);
  });

  it('checks the cursor', () => {
    assert.throws(() => bench.queries.records({ range: ALL_TIME, page: 1, after: { id: 1.5, ts: 0, costNanos: null } }), /after\.id/);
    assert.throws(() => bench.queries.records({ range: ALL_TIME, page: 1, after: { id: 1, ts: 0, costNanos: 0.5 } }), /after\.costNanos/);
  });
});
