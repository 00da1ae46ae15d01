/**
 * Beyond the spec, as a person sees it: the workspace scope, this month and a custom range, cost by model, prompt
 * caching, subscription (API-equivalent) labels, exports of the current view, and the most expensive calls — on the
 * real bundle, the real host controller and a real store, against numbers computed from the fixture calls alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { promptTokens, totalTokens, type TokenCounts } from '../../src/shared/callRecord';
import { formatCount, formatShare, formatTokens } from '../../src/shared/format';
import { formatUsd } from '../../src/shared/money';
import type { WebviewMessage } from '../../src/shared/protocol';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { cardValueId, exportButtonId, modelByButtonId, periodButtonId, scopeButtonId, testSel, TestIds } from '../../src/webview/testIds';
import { eventually } from './harness/eventually';
import { summarize } from './harness/expected';
import { DAY, expectedCostNanos, fixtureCalls, NOW, toInputs, type FixtureCall } from './harness/fixtureCalls';
import { assertClean, BrowserSession, type OpenedDashboard } from './harness/session';
import { openStore } from './harness/store';

/** The fixture spread over three projects: the shop workspace (and a folder below it) and another repository. */
const calls: FixtureCall[] = fixtureCalls().map((c) => {
  if (c.consumer.key === 'agent-review' || c.consumer.key === 'sess-docs') return { ...c, project: '/home/dev/blog' };
  if (c.consumer.key === 'sess-login') return { ...c, project: '/home/dev/shop/api' };
  return c;
});
const inShop = (c: FixtureCall) => c.project === '/home/dev/shop' || c.project?.startsWith('/home/dev/shop/') === true;
const WORKSPACE = { name: 'shop', folders: ['/home/dev/shop'] };
const KOLKATA_MS = 330 * 60_000;

let session: BrowserSession;
let store: StoreApi;

before(async () => {
  store = await openStore(toInputs(calls));
  session = await BrowserSession.start();
});

after(async () => {
  await session?.close();
  await store?.close();
});

const between = (from: number, to: number) => calls.filter((c) => c.ts >= from && c.ts < to);
const last = (ms: number) => between(NOW - ms, NOW + 1);

async function cardsShow(o: OpenedDashboard, expected: FixtureCall[]): Promise<void> {
  const s = summarize(expected);
  await eventually(async () => assert.equal(await o.d.cardValue('apiCalls'), formatCount(s.calls)));
  assert.equal(await o.d.cardValue('totalCost'), formatUsd(s.costNanos));
  assert.equal(await o.d.cardValue('inputTokens'), formatTokens(promptTokens(s.tokens)));
}

describe('this workspace', () => {
  test('the scope toggle narrows every part of the dashboard to the workspace’s calls, and the host remembers it', async () => {
    const o = await session.open(store, { workspace: WORKSPACE });
    await cardsShow(o, last(DAY));
    assert.equal(await o.d.pressed(scopeButtonId('all')), true);

    await o.d.byId(scopeButtonId('workspace')).click();
    const mine = last(DAY).filter(inShop);
    await cardsShow(o, mine);
    assert.equal(o.bridge.scope, 'workspace', 'the host (and with it the status bar) follows');
    assert.equal(await o.d.pressed(scopeButtonId('workspace')), true);
    await eventually(async () => assert.equal(await o.d.pageLabel(), `1–20 of ${mine.length}`));
    const names = new Set(await o.d.rowNames());
    assert.ok(!names.has('code-reviewer'), 'calls of another repository are gone');
    assert.ok(names.has('Fix flaky login test'), 'a folder below the workspace counts');
    assert.ok(!(await o.d.consumerNames()).includes('code-reviewer'));

    await o.d.byId(scopeButtonId('all')).click();
    await cardsShow(o, last(DAY));
    await assertClean(o);
  });

  test('a scope change made elsewhere (the status bar) reaches the page; without folders the toggle is off', async () => {
    const o = await session.open(store, { workspace: WORKSPACE });
    o.bridge.setScopeFromHost('workspace');
    await cardsShow(o, last(DAY).filter(inShop));

    const none = await session.open(store);
    assert.equal(await none.d.byId(scopeButtonId('workspace')).getAttribute('aria-disabled'), 'true');
    await none.d.byId(scopeButtonId('workspace')).click({ force: true });
    assert.equal(await none.d.pressed(scopeButtonId('all')), true, 'nothing to scope to');
    assert.equal(none.bridge.scope, 'all');
  });

  test('a workspace with no calls in the period says so and offers every workspace', async () => {
    const o = await session.open(store, { workspace: { name: 'empty-repo', folders: ['/home/dev/nothing'] }, scope: 'workspace' });
    const empty = o.d.byId(TestIds.empty);
    await empty.waitFor({ state: 'visible' });
    assert.match(await empty.innerText(), /No Claude calls in empty-repo in the last 24 hours/);
    await o.d.byId(TestIds.emptyShowAll).click();
    await cardsShow(o, last(DAY));
    assert.equal(o.bridge.scope, 'all');
    await assertClean(o);
  });
});

describe('this month and custom ranges', () => {
  test('Month shows the local calendar month so far', async () => {
    const o = await session.open(store);
    await o.d.byId(periodButtonId('month')).click();
    // 1 Nov 2026, 00:00 in Asia/Kolkata.
    const monthStart = Date.UTC(2026, 10, 1) - KOLKATA_MS;
    await cardsShow(o, between(monthStart, NOW + 1));
    assert.equal(o.bridge.period, 'month');
    assert.equal(await o.d.pressed(periodButtonId('month')), true);
    // One point per day, Nov 1 to Nov 20.
    await eventually(async () => assert.equal((await o.d.chartRows()).length, 20));
    await assertClean(o);
  });

  test('a custom range of whole local days, chosen in the popover, persisted by the host and labelled', async () => {
    const o = await session.open(store);
    await o.d.byId(TestIds.periodCustom).click();
    await o.d.byId(TestIds.customRange).waitFor({ state: 'visible' });
    await o.d.byId(TestIds.customFrom).fill('2026-11-16');
    await o.d.byId(TestIds.customTo).fill('2026-11-14');
    await o.d.byId(TestIds.customApply).click();
    assert.match(await o.d.text(TestIds.customError), /must not be after/);

    await o.d.byId(TestIds.customTo).fill('2026-11-18');
    await o.d.byId(TestIds.customTo).press('Enter');
    await o.d.byId(TestIds.customRange).waitFor({ state: 'hidden' });
    const from = Date.UTC(2026, 10, 16) - KOLKATA_MS;
    await cardsShow(o, between(from, from + 3 * DAY));
    assert.equal(o.bridge.period, 'custom:2026-11-16..2026-11-18');
    assert.equal(await o.d.text(TestIds.periodCustom), 'Nov 16–18');
    assert.equal(await o.d.pressed(TestIds.periodCustom), true);
    assert.equal(await o.d.pressed(periodButtonId('24h')), false);
    await eventually(async () => assert.equal((await o.d.chartRows()).length, 3));

    // Reopened, it shows the range; Escape closes it without a change.
    await o.d.byId(TestIds.periodCustom).click();
    assert.equal(await o.d.byId(TestIds.customFrom).inputValue(), '2026-11-16');
    await o.page.keyboard.press('Escape');
    await o.d.byId(TestIds.customRange).waitFor({ state: 'hidden' });
    assert.equal(o.bridge.period, 'custom:2026-11-16..2026-11-18');
    await assertClean(o);
  });

  test('a long range charts by day; hourly is offered only for ranges it suits', async () => {
    const o = await session.open(store, { period: 'custom:2026-01-01..2026-11-20' });
    await eventually(async () => assert.equal((await o.d.chartRows()).length, 324));
    assert.equal(await o.d.byId(TestIds.granularityHour).getAttribute('aria-disabled'), 'true');
    await cardsShow(o, between(Date.UTC(2026, 0, 1) - KOLKATA_MS, Date.UTC(2026, 10, 21) - KOLKATA_MS));
  });
});

describe('cost by model and prompt caching', () => {
  function byModel(list: FixtureCall[]) {
    const m = new Map<string, { calls: number; cost: number; unpriced: number; tokens: TokenCounts }>();
    for (const c of list) {
      const e = m.get(c.model) ?? { calls: 0, cost: 0, unpriced: 0, tokens: { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 } };
      e.calls++;
      e.cost += c.expectedCostNanos ?? 0;
      e.unpriced += c.expectedCostNanos === null ? 1 : 0;
      for (const k of Object.keys(e.tokens) as (keyof TokenCounts)[]) e.tokens[k] += c.tokens[k];
      m.set(c.model, e);
    }
    return [...m].sort((a, b) => b[1].cost - a[1].cost);
  }

  test('a table row per model, most expensive first, with calls, tokens, cost and share', async () => {
    const o = await session.open(store);
    const expected = byModel(last(DAY));
    const total = expected.reduce((a, [, e]) => a + e.cost, 0);
    const rows = o.d.byId(TestIds.modelRow);
    await eventually(async () => assert.equal(await rows.count(), expected.length));
    for (let i = 0; i < expected.length; i++) {
      const [model, e] = expected[i];
      const cells = (await rows.nth(i).locator('th, td').allInnerTexts()).map((t) => t.trim());
      assert.deepEqual(cells, [
        model,
        formatCount(e.calls),
        formatTokens(promptTokens(e.tokens)),
        formatTokens(e.tokens.output),
        formatTokens(e.tokens.cacheRead),
        e.unpriced === e.calls ? 'unpriced' : formatUsd(e.cost),
        e.unpriced === e.calls ? '—' : formatShare(e.cost, total),
      ]);
      assert.equal(Number(await rows.nth(i).getAttribute('data-tokens')), totalTokens(e.tokens));
    }
    assert.equal(await o.d.byId(TestIds.models).locator('[data-bars]').getAttribute('data-bars'), String(expected.length));
    await o.d.byId(modelByButtonId('tokens')).click();
    assert.equal(await o.d.pressed(modelByButtonId('tokens')), true);
    await assertClean(o);
  });

  test('cache hit ratio, what cache reads saved and what cache writes cost', async () => {
    const o = await session.open(store);
    const day = last(DAY);
    const zero: TokenCounts = { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 };
    let saved = 0;
    let writes = 0;
    for (const c of day) {
      const asInput = expectedCostNanos(c.model, { ...zero, input: c.tokens.cacheRead });
      const asRead = expectedCostNanos(c.model, { ...zero, cacheRead: c.tokens.cacheRead });
      if (asInput !== null && asRead !== null) saved += asInput - asRead;
      writes += expectedCostNanos(c.model, { ...zero, cacheWrite5m: c.tokens.cacheWrite5m, cacheWrite1h: c.tokens.cacheWrite1h }) ?? 0;
    }
    const t = summarize(day).tokens;
    const ratio = Math.round((t.cacheRead / promptTokens(t)) * 100);
    await eventually(async () => assert.equal(await o.d.text(TestIds.cacheHitRatio), `${ratio}%`));
    assert.equal(await o.d.text(TestIds.cacheSaved), formatUsd(saved));
    assert.equal(await o.d.text(TestIds.cacheWriteCost), formatUsd(writes));
    assert.ok(saved > 0 && writes > 0);
    assert.equal(await o.d.byId(TestIds.cacheNote).isVisible(), false, 'every call split');
    await assertClean(o);
  });
});

describe('subscription billing', () => {
  test('costs are labelled API-equivalent on the cards, the navbar and the caching panel', async () => {
    const o = await session.open(store, { billing: 'subscription' });
    assert.equal((await o.d.byId('card-totalCost').locator('.card-label').innerText()).trim().toLowerCase(), 'api-equivalent cost');
    assert.match(await o.d.text(TestIds.costLabel), /API-equivalent/);
    assert.match(await o.d.text(TestIds.cache), /API-equivalent/);
    assert.match((await o.d.byId(cardValueId('totalCost')).getAttribute('title')) ?? '', /not billed/);
    for (const panel of [TestIds.costChart, TestIds.sourceDonut, TestIds.models, TestIds.topConsumers]) {
      assert.equal((await o.d.byId(panel).locator('.panel-subtitle').innerText()).trim(), 'API-equivalent', panel);
    }
    assert.equal((await o.d.byId(TestIds.recordsTable).locator('th.col-cost').innerText()).trim().toLowerCase(), 'api-eq. cost');

    const api = await session.open(store);
    assert.equal((await api.d.byId('card-totalCost').locator('.card-label').innerText()).trim().toLowerCase(), 'total cost');
    assert.equal(await api.d.byId(TestIds.costChart).locator('.panel-subtitle').isVisible(), false);
    await assertClean(o);
  });
});

describe('export and the most expensive calls', () => {
  test('Export sends the current view (period, scope, source, search, sort) to the host, never the rows', async () => {
    const o = await session.open(store, { workspace: WORKSPACE });
    await o.d.byId(scopeButtonId('workspace')).click();
    await o.d.choosePeriod('7d');
    await o.d.filterSource('chat');
    await o.d.searchInput().fill('billing');
    await o.d.sortBy('cost');
    // Chat calls of the shop workspace in 7 days whose name contains "billing": the 20 of "Refactor the billing module".
    await eventually(async () => assert.equal(await o.d.pageLabel(), '1–20 of 20'));
    const sent = o.bridge.nextFromPage((m) => (m as WebviewMessage).type === 'export');
    await o.d.byId(exportButtonId('csv')).click();
    const msg = (await sent) as Extract<WebviewMessage, { type: 'export' }>;
    assert.equal(msg.format, 'csv');
    assert.equal(JSON.stringify(msg).includes('rows'), false, 'only the query crosses');
    await eventually(() => assert.equal(o.bridge.exports.length, 1));
    const job = o.bridge.exports[0];
    assert.deepEqual(
      { period: job.period, scope: job.scope, source: job.query.source, search: job.query.search, sort: job.query.sort, projects: job.query.projects },
      { period: '7d', scope: 'workspace', source: 'chat', search: 'billing', sort: 'cost', projects: ['/home/dev/shop'] },
    );
    assert.deepEqual(job.query.range, { from: NOW - 7 * DAY, to: NOW + 1 });
    await o.d.byId(exportButtonId('json')).click();
    await eventually(() => assert.equal(o.bridge.exports.at(-1)?.format, 'json'));
    await assertClean(o);
  });

  test('"Most expensive calls" sorts the records by cost and marks the outliers', async () => {
    const o = await session.open(store, { period: '30d' });
    await o.d.byId(TestIds.mostExpensiveLink).click();
    await eventually(async () => assert.equal(await o.d.pressed('sort-cost'), true));
    const month = last(30 * DAY);
    const priced = month.filter((c) => c.expectedCostNanos !== null);
    const avg = Math.round(priced.reduce((a, c) => a + (c.expectedCostNanos ?? 0), 0) / priced.length);
    const top = [...priced].sort((a, b) => (b.expectedCostNanos ?? 0) - (a.expectedCostNanos ?? 0)).slice(0, 20);
    await eventually(async () => assert.deepEqual((await o.d.rows()).map((r) => r.cost), top.map((c) => formatUsd(c.expectedCostNanos))));
    const marks = await o.d.byId('record-cell-cost').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-outlier')));
    const expected = top.map((c) => {
      const times = (c.expectedCostNanos ?? 0) / avg;
      return times >= 3 ? `${times >= 10 ? Math.round(times) : times.toFixed(1)}×` : null;
    });
    assert.deepEqual(marks, expected);
    assert.ok(expected.some((m) => m !== null), 'the fixture has outliers');
    assert.equal(await o.page.locator(`${testSel('record-row')}.is-outlier`).count(), expected.filter(Boolean).length);
    await assertClean(o);
  });
});
