// "This workspace": summary, dashboard and record pages scoped to folders equal a brute-force computation over the
// calls whose project is in one of the folders (or below one), and paths match the way each platform writes them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SOURCES, type CallInput } from '../../src/shared/callRecord';
import { periodRange, PERIODS } from '../../src/shared/period';
import type { RecordRow } from '../../src/shared/queries';
import { isInFolder, normalizeProjectPath } from '../../src/extension/queries/projectScope';
import { inRange, priced, referenceBySource, referenceConsumers, referenceSeries, referenceSummary, type RefCall } from './queriesReference';
import { benchWith, seeded, type QueryBench } from './queriesSetup';
import { CONSUMER_NAMES, fakePricer, tokens } from './storeFixtures';

describe('folder matching', () => {
  it('a project is in a folder when it is the folder or below it, never a sibling with the same prefix', () => {
    assert.equal(isInFolder('/home/me/shop', '/home/me/shop'), true);
    assert.equal(isInFolder('/home/me/shop/api/src', '/home/me/shop'), true);
    assert.equal(isInFolder('/home/me/shop/', '/home/me/shop'), true);
    assert.equal(isInFolder('/home/me/shop', '/home/me/shop/'), true);
    assert.equal(isInFolder('/home/me/shopping', '/home/me/shop'), false);
    assert.equal(isInFolder('/home/me', '/home/me/shop'), false);
    assert.equal(isInFolder('/home/me/Shop', '/home/me/shop'), false, 'POSIX paths are case-sensitive');
    assert.equal(isInFolder('/anything', '/'), true);
  });

  it('Windows paths: either separator, any case, drive roots and UNC shares', () => {
    assert.equal(isInFolder('C:\\Users\\Me\\Repo\\src', 'c:/users/me/repo'), true);
    assert.equal(isInFolder('c:/users/me/repo', 'C:\\Users\\Me\\Repo\\'), true);
    assert.equal(isInFolder('C:\\Users\\Me\\Repo2', 'C:\\Users\\Me\\Repo'), false);
    assert.equal(isInFolder('D:\\work', 'C:\\'), false);
    assert.equal(isInFolder('C:\\work', 'C:\\'), true);
    assert.equal(isInFolder('\\\\server\\share\\proj\\x', '//SERVER/share/proj'), true);
    assert.equal(normalizeProjectPath('C:\\Users\\Me\\'), 'c:/users/me');
    assert.equal(normalizeProjectPath('C:\\'), 'c:/');
  });
});

const FROM = Date.UTC(2026, 9, 20);
const TO = Date.UTC(2026, 10, 22);
const NOW = Date.UTC(2026, 10, 20, 14, 37, 12, 345);
const PROJECTS = ['/home/me/shop', '/home/me/shop/api', '/home/me/shopping', '/home/me/blog', 'C:\\Users\\Me\\Repo', undefined];

function scopedCalls(seed: number, count: number): CallInput[] {
  const rnd = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  return Array.from({ length: count }, (_, i) => {
    const consumer = Math.floor(rnd() * CONSUMER_NAMES.length);
    const project = pick(PROJECTS);
    return {
      key: `msg_scope_${i}`,
      ts: FROM + Math.floor(rnd() * (TO - FROM)),
      source: pick(SOURCES),
      consumer: { key: `consumer-${consumer}`, name: CONSUMER_NAMES[consumer] },
      model: pick(['model-a', 'model-b', 'mystery-model']),
      tokens: tokens({ input: Math.floor(rnd() * 5000), cacheRead: rnd() < 0.5 ? Math.floor(rnd() * 90000) : 0, output: Math.floor(rnd() * 3000) }),
      collector: 'test',
      durationMs: rnd() < 0.8 ? Math.floor(rnd() * 30000) : null,
      ...(project === undefined ? {} : { project }),
    };
  });
}

const SCOPES: Array<{ folders: string[]; inScope: (p: string | undefined) => boolean }> = [
  { folders: ['/home/me/shop'], inScope: (p) => p === '/home/me/shop' || p === '/home/me/shop/api' },
  { folders: ['/home/me/shop/api/'], inScope: (p) => p === '/home/me/shop/api' },
  { folders: ['/home/me/blog', 'c:/users/me/repo'], inScope: (p) => p === '/home/me/blog' || p === 'C:\\Users\\Me\\Repo' },
  { folders: ['/home/me/nothing-here'], inScope: () => false },
  { folders: [], inScope: () => false },
];

let bench: QueryBench;
let all: RefCall[];

before(async () => {
  const calls = scopedCalls(11, 1500);
  bench = await benchWith(calls, fakePricer());
  all = priced(calls);
});

describe('scoped queries', () => {
  it('summary: totals, unpriced models, first and last call of the scope', () => {
    for (const scope of SCOPES) {
      const mine = all.filter((c) => scope.inScope(c.project));
      for (const range of [{ from: FROM, to: TO }, { from: FROM + 3_600_123, to: TO - 86_400_000 - 7 }]) {
        assert.deepEqual(bench.queries.summary({ ...range, projects: scope.folders }), referenceSummary(mine, range), JSON.stringify(scope.folders));
      }
    }
    assert.deepEqual(bench.queries.summary({ from: FROM, to: TO, projects: null }), referenceSummary(all, { from: FROM, to: TO }), 'null = every call');
  });

  it('dashboard: cards, local series, sources, top consumers and models', () => {
    for (const scope of SCOPES) {
      const mine = all.filter((c) => scope.inScope(c.project));
      for (const period of PERIODS) {
        const range = periodRange(period, NOW);
        for (const [timeZone, granularity] of [['Asia/Kathmandu', 'hour'], ['America/New_York', 'day']] as const) {
          const data = bench.queries.dashboard({ range, timeZone, granularity, topBy: 'cost', topLimit: 1000, projects: scope.folders });
          const where = `${JSON.stringify(scope.folders)} ${period} ${timeZone}`;
          assert.deepEqual(data.summary, referenceSummary(mine, range), where);
          assert.deepEqual(data.series, referenceSeries(mine, range, timeZone, granularity), where);
          assert.deepEqual(data.bySource, referenceBySource(mine, range), where);
          const consumers = referenceConsumers(mine, range);
          assert.equal(data.topConsumers.length, consumers.length, where);
          for (const c of data.topConsumers) assert.deepEqual(c, consumers.find((r) => r.key === c.key), where);
          const models = new Map<string, { calls: number; cost: number }>();
          for (const c of inRange(mine, range)) {
            const m = models.get(c.model) ?? { calls: 0, cost: 0 };
            m.calls++;
            m.cost += c.cost ?? 0;
            models.set(c.model, m);
          }
          assert.deepEqual(
            (data.byModel ?? []).map((m) => [m.model, m.calls, m.costNanos]).sort(),
            [...models].map(([model, m]) => [model, m.calls, m.cost]).sort(),
            where,
          );
        }
      }
    }
  });

  it('record pages by time and by cost hold exactly the calls in scope, with filters and search', () => {
    for (const scope of SCOPES.slice(0, 4)) {
      const mine = all.filter((c) => scope.inScope(c.project));
      const filters: Array<{ source?: 'agent'; search?: string }> = [{}, { source: 'agent' }, { search: 'the' }];
      for (const filter of filters) {
        const range = periodRange('30d', NOW);
        const expected = inRange(mine, range).filter(
          (c) => (!filter.source || c.source === filter.source) && (!filter.search || c.consumer.name.toLowerCase().includes(filter.search)),
        );
        for (const sort of ['time', 'cost'] as const) {
          const rows: RecordRow[] = [];
          let total = 0;
          for (let page = 1; ; page++) {
            const result = bench.queries.records({ range, page, pageSize: 37, sort, projects: scope.folders, ...filter });
            total = result.total;
            rows.push(...result.rows);
            if (page * result.pageSize >= result.total) break;
          }
          if (scope.folders[0] !== '/home/me/nothing-here') assert.ok(expected.length > 0, 'the fixture has calls to find');
          assert.equal(total, expected.length);
          assert.deepEqual(rows.map((r) => r.key).sort(), expected.map((c) => c.key).sort());
          for (const row of rows) assert.ok(scope.inScope(row.project ?? undefined), `${row.project} is in scope`);
          for (let i = 1; i < rows.length; i++) {
            const [a, b] = [rows[i - 1], rows[i]];
            if (sort === 'time') assert.ok(a.ts > b.ts || (a.ts === b.ts && a.id > b.id), 'newest first');
            else assert.ok(b.costNanos === null || (a.costNanos !== null && a.costNanos >= b.costNanos), 'most expensive first');
          }
        }
      }
    }
  });

  it('a better copy of a call recorded under another project moves it there, in rows and roll-ups alike', async () => {
    const first = scopedCalls(23, 400);
    const moved = first.slice(0, 120).map((c, i) => ({
      ...c,
      tokens: { ...c.tokens, output: c.tokens.output + 100 },
      ...(i % 4 === 0 ? { project: undefined } : { project: i % 2 === 0 ? '/home/me/blog' : '/home/me/shop/api' }),
    }));
    const b = await benchWith(first, fakePricer());
    b.recorder.record(moved);
    const final = priced([...moved, ...first.slice(120)]);
    for (const scope of SCOPES) {
      const mine = final.filter((c) => scope.inScope(c.project));
      // Whole days: every bucket is read from the roll-ups.
      assert.deepEqual(b.queries.summary({ from: FROM, to: TO, projects: scope.folders }), referenceSummary(mine, { from: FROM, to: TO }), JSON.stringify(scope.folders));
    }
  });

  it('rejects a projects value that is not a list of paths', () => {
    const range = { from: FROM, to: TO };
    assert.throws(() => bench.queries.summary({ ...range, projects: 'shop' as unknown as string[] }), /projects must be a list/);
    assert.throws(() => bench.queries.records({ range, page: 1, projects: [''] }), /projects\[0\] must be a folder path/);
  });
});
