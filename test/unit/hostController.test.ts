// The dashboard's host side with scope, new periods and billing: what the page asks is resolved to the right store
// query (folders, local calendar ranges, a granularity the range allows), and changes made elsewhere reach the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HostMessage } from '../../src/shared/protocol';
import type { Scope } from '../../src/shared/queries';
import { DashboardController } from '../../src/extension/views/dashboard/dashboardController';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { makeCall, testStore, tokens } from './storeFixtures';

const NOW = Date.UTC(2026, 10, 20, 15, 10);
let store: StoreApi;

before(async () => {
  store = testStore();
  await store.open({});
  await store.record([
    makeCall({ key: 'a', ts: NOW - 3_600_000, project: '/w/shop', tokens: tokens({ input: 100 }) }),
    makeCall({ key: 'b', ts: NOW - 7_200_000, project: '/w/shop/api', tokens: tokens({ input: 200 }) }),
    makeCall({ key: 'c', ts: NOW - 7_200_000, project: '/w/blog', tokens: tokens({ input: 400 }) }),
    makeCall({ key: 'd', ts: Date.UTC(2026, 10, 1, 1), tokens: tokens({ input: 800 }) }),
  ]);
});
after(() => store.close());

function controller(o: { scope?: Scope; folders?: string[]; billing?: 'api' | 'subscription' } = {}) {
  const posted: HostMessage[] = [];
  let scope: Scope = o.scope ?? 'all';
  let billing = o.billing ?? 'api';
  const c = new DashboardController({
    store,
    post: (m) => posted.push(m),
    period: { get: () => '24h', set: () => undefined },
    now: () => NOW,
    sources: () => ({ claudeDirs: [], proxyEnabled: false }),
    costLabel: () => (billing === 'subscription' ? 'API-equivalent' : 'API prices'),
    importStatus: () => ({ running: false, filesDone: 0, filesTotal: 0, calls: 0 }),
    revision: () => 1,
    billing: () => billing,
    scope: { get: () => scope, set: (s) => (scope = s), folders: () => o.folders ?? ['/w/shop'], workspace: () => ({ name: 'shop', folders: (o.folders ?? ['/w/shop']).length }) },
  });
  const reply = async (kind: 'dashboard' | 'records', params: Record<string, unknown>) => {
    const id = posted.length + 1000;
    await c.handle({ type: 'request', id, request: { kind, params } });
    const r = posted.find((m) => m.type === 'reply' && m.inReplyTo === id);
    assert.ok(r && r.type === 'reply' && r.ok, JSON.stringify(r));
    return r;
  };
  return { c, posted, reply, scope: () => scope, setBilling: (b: 'api' | 'subscription') => (billing = b) };
}

const dash = { timeZone: 'UTC', granularity: 'hour', topBy: 'cost' };
const recs = { source: null, search: '', consumerKey: null, page: 1, sort: 'time' };

describe('dashboard controller', () => {
  it('"This workspace" asks the store for the workspace folders only; "All" for everything', async () => {
    const t = controller();
    const scoped = await t.reply('dashboard', { ...dash, period: '24h', scope: 'workspace' });
    assert.ok(scoped.kind === 'dashboard' && scoped.result.summary.calls === 2 && scoped.result.summary.tokens.input === 300);
    const all = await t.reply('dashboard', { ...dash, period: '24h', scope: 'all' });
    assert.ok(all.kind === 'dashboard' && all.result.summary.calls === 3);
    const rows = await t.reply('records', { ...recs, period: '24h', scope: 'workspace' });
    assert.ok(rows.kind === 'records');
    assert.deepEqual(rows.result.rows.map((r) => r.key).sort(), ['a', 'b']);
    const none = controller({ folders: [] });
    const empty = await none.reply('dashboard', { ...dash, period: '24h', scope: 'workspace' });
    assert.ok(empty.kind === 'dashboard' && empty.result.summary.calls === 0, 'no folder open: nothing matches');
  });

  it('this month and custom ranges resolve in the page’s zone; a long range is answered by day', async () => {
    const t = controller();
    await t.c.handle({ type: 'ready', timeZone: 'Asia/Tokyo', ui: {} });
    const month = await t.reply('dashboard', { ...dash, timeZone: 'Asia/Tokyo', granularity: 'day', period: 'month' });
    assert.ok(month.kind === 'dashboard');
    assert.equal(month.result.summary.calls, 4);
    assert.equal(month.result.series[0].start, Date.UTC(2026, 9, 31, 15), 'Nov 1, 00:00 in Tokyo');
    const long = await t.reply('dashboard', { ...dash, period: 'custom:2026-01-01..2026-11-30' });
    assert.ok(long.kind === 'dashboard');
    assert.equal(long.result.series.length, 334, 'one point a day, though hourly was asked');
    const records = await t.reply('records', { ...recs, period: 'custom:2026-11-01..2026-11-01' });
    assert.ok(records.kind === 'records');
    assert.deepEqual(records.result.rows.map((r) => r.key), ['d'], 'records use the page’s zone too');
  });

  it('the snapshot carries scope, workspace and billing; scope and billing changes are posted', async () => {
    const t = controller({ scope: 'workspace', billing: 'subscription' });
    await t.c.handle({ type: 'ready', timeZone: 'UTC', ui: {} });
    const snap = t.posted.find((m) => m.type === 'snapshot');
    assert.ok(snap && snap.type === 'snapshot');
    assert.deepEqual([snap.snapshot.scope, snap.snapshot.workspace, snap.snapshot.billing], ['workspace', { name: 'shop', folders: 1 }, 'subscription']);
    assert.equal(snap.snapshot.dashboard.summary.calls, 2, 'the snapshot is scoped too');
    assert.equal(snap.snapshot.totalRecords, 4, 'but "anything recorded at all" is not');

    await t.c.handle({ type: 'setScope', scope: 'all' });
    assert.equal(t.scope(), 'all');
    assert.deepEqual(t.posted.at(-1), { type: 'scopeChanged', scope: 'all', workspace: { name: 'shop', folders: 1 } });
    t.setBilling('api');
    t.c.notifyBilling();
    assert.deepEqual(t.posted.at(-1), { type: 'billingChanged', billing: 'api', costLabel: 'API prices' });
  });
});
