/**
 * The dashboard over time: loading, first run, live updates that keep the reader's place, import progress, errors,
 * state across a reload, host-side period changes, theme switches and keyboard use.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { formatUsd } from '../../src/shared/money';
import type { WebviewMessage } from '../../src/shared/protocol';
import { sourceFilterId, TestIds, testSel } from '../../src/webview/testIds';
import { eventually } from './harness/eventually';
import { periodCalls, summarize } from './harness/expected';
import { fixtureCalls, MIN, NOW, toInputs, type FixtureCall } from './harness/fixtureCalls';
import { assertClean, BrowserSession, type OpenedDashboard } from './harness/session';
import { openStore, record } from './harness/store';

const calls = fixtureCalls();
let session: BrowserSession;
let shared: StoreApi;

before(async () => {
  shared = await openStore(toInputs(calls));
  session = await BrowserSession.start();
});

after(async () => {
  await session?.close();
  await shared?.close();
});

async function expectLabel(o: OpenedDashboard, label: string): Promise<void> {
  await eventually(async () => assert.equal(await o.d.pageLabel(), label));
}

function billingCall(i: number, ageMin: number): FixtureCall {
  const template = calls.find((c) => c.consumer.key === 'sess-billing');
  assert.ok(template);
  return { ...template, key: `msg_live_${i}`, requestId: `req_live_${i}`, ts: NOW - ageMin * MIN };
}

test('shows a loading state until the first snapshot (offering the log when slow), then the dashboard', async () => {
  const o = await session.open(shared, { hold: true, waitLoaded: false });
  await o.page.clock.install();
  await o.page.reload();
  await o.d.byId(TestIds.loading).waitFor({ state: 'visible' });
  assert.match(await o.d.text(TestIds.loading), /Loading usage/);
  assert.doesNotMatch(await o.d.text(TestIds.loading), /longer than usual/);
  assert.equal(await o.d.byId(TestIds.cards).isVisible(), false);
  await o.page.clock.fastForward('00:13');
  await eventually(async () => assert.match(await o.d.text(TestIds.loading), /longer than usual/));
  await o.d.byId(TestIds.loading).locator('vscode-button').click();
  o.bridge.release();
  await eventually(() => assert.deepEqual(o.bridge.commands, ['showLog']));
  await o.d.waitLoaded();
  assert.equal(await o.d.byId(TestIds.cards).isVisible(), true);
  await assertClean(o);
});

test('first run: explains where data comes from and offers rescan, settings and log; the dashboard appears with the first call', async () => {
  const store = await openStore();
  try {
    const o = await session.open(store, { sources: { claudeDirs: ['/home/dev/.claude', '/mnt/wsl/.claude'], proxyEnabled: false } });
    const empty = o.d.byId(TestIds.empty);
    await empty.waitFor({ state: 'visible' });
    const text = await empty.innerText();
    assert.match(text, /No Claude usage recorded yet/);
    assert.match(text, /Claude Code transcripts/);
    assert.match(text, /Other extensions/);
    assert.match(text, /Recording proxy/);
    assert.deepEqual((await o.d.byId(TestIds.emptyClaudeDirs).locator('li').allInnerTexts()).map((s) => s.trim()), ['/home/dev/.claude', '/mnt/wsl/.claude']);
    assert.equal(await o.d.byId(TestIds.cards).isVisible(), false, 'no blank cards or charts');
    assert.equal(await o.d.byId(TestIds.costChart).isVisible(), false);

    await o.d.byId(TestIds.emptyRescan).click();
    await o.d.byId(TestIds.emptyOpenSettings).click();
    await o.d.byId(TestIds.emptyShowLog).click();
    await eventually(() => assert.deepEqual(o.bridge.commands, ['rescan', 'openSettings', 'showLog']));
    await assertClean(o);

    await record(store, toInputs([billingCall(1, 2)]));
    o.bridge.notifyChanged();
    await eventually(async () => assert.equal(await o.d.byId(TestIds.cards).isVisible(), true));
    assert.equal(await empty.isVisible(), false);
    assert.equal(await o.d.cardValue('apiCalls'), '1');
    assert.equal(await o.d.pageLabel(), '1–1 of 1');
    await assertClean(o);
  } finally {
    await store.close();
  }
});

test('live: new calls update cards and the current records page without losing the page or the search', async () => {
  const store = await openStore(toInputs(calls));
  try {
    const o = await session.open(store);
    await o.d.searchInput().fill('refactor');
    await expectLabel(o, '1–20 of 22');
    await o.d.goToPage('next');
    await expectLabel(o, '21–22 of 22');
    const readyCount = o.bridge.fromPage.filter((m) => (m as WebviewMessage).type === 'ready').length;

    await record(store, toInputs([billingCall(1, 1), billingCall(2, 2), billingCall(3, 4)]));
    o.bridge.notifyChanged();
    await expectLabel(o, '21–25 of 25');
    assert.equal(await o.d.searchInput().inputValue(), 'refactor');
    await eventually(async () => assert.equal(await o.d.cardValue('apiCalls'), '48'));
    const s = summarize([...periodCalls(calls, '24h', NOW), billingCall(1, 1), billingCall(2, 2), billingCall(3, 4)]);
    assert.equal(await o.d.cardValue('totalCost'), formatUsd(s.costNanos));
    assert.equal(o.bridge.fromPage.filter((m) => (m as WebviewMessage).type === 'ready').length, readyCount, 'no reload');
    await assertClean(o);
  } finally {
    await store.close();
  }
});

test('relative times stay fresh: "3 min ago" becomes "5 min ago" two minutes later', async () => {
  const o = await session.open(shared, { waitLoaded: false });
  await o.page.clock.install();
  await o.page.reload();
  await o.d.waitLoaded();
  const cell = o.d.byId('record-cell-time').first();
  assert.equal((await cell.innerText()).trim(), '3 min ago');
  await o.page.clock.fastForward('02:00');
  await eventually(async () => assert.equal((await cell.innerText()).trim(), '5 min ago'));
});

test('shows import progress as a bar and a text, and hides it when done', async () => {
  const o = await session.open(shared);
  assert.equal(await o.d.byId(TestIds.importStatusText).isVisible(), false);
  o.bridge.setImportStatus({ running: true, filesDone: 3, filesTotal: 10, calls: 1234 });
  await eventually(async () => assert.equal(await o.d.text(TestIds.importStatusText), 'Importing Claude Code history… 3 / 10 files · 1,234 calls'));
  assert.equal(await o.d.byId(TestIds.importStatus).getAttribute('aria-valuenow'), '30');
  o.bridge.setImportStatus({ running: false, filesDone: 10, filesTotal: 10, calls: 2000 });
  await eventually(async () => assert.equal(await o.d.byId(TestIds.importStatusText).isVisible(), false));
  assert.equal(await o.d.byId(TestIds.importStatus).isVisible(), false);
  await assertClean(o);
});

test('a failed request shows an inline error, keeps the rows, and clears on the next success', async () => {
  let failing = false;
  const flaky: StoreApi = Object.create(shared) as StoreApi;
  flaky.records = async (q) => {
    if (failing) throw new Error('database is locked');
    return shared.records(q);
  };
  const o = await session.open(flaky);
  failing = true;
  await o.d.searchInput().fill('flaky');
  const banner = o.d.byId(TestIds.errorBanner);
  await banner.waitFor({ state: 'visible' });
  assert.match(await banner.innerText(), /Could not load the records: database is locked/);
  assert.equal(await o.d.pageLabel(), '1–20 of 45', 'the rows on screen stay');

  failing = false;
  await o.d.searchInput().fill('flaky login');
  await expectLabel(o, '1–8 of 8');
  await banner.waitFor({ state: 'hidden' });

  failing = true;
  await o.d.filterSource('chat');
  await banner.waitFor({ state: 'visible' });
  await o.d.byId(TestIds.errorDismiss).click();
  await banner.waitFor({ state: 'hidden' });
});

test('ignores stray or malformed host messages', async () => {
  const o = await session.open(shared);
  await o.bridge.postRaw({ type: 'bogus' });
  await o.bridge.postRaw({ type: 'reply', inReplyTo: 987654, ok: true, kind: 'records', result: null });
  await o.bridge.postRaw('not an object');
  await o.bridge.postRaw(null);
  await o.d.goToPage('next');
  await expectLabel(o, '21–40 of 45');
  await assertClean(o);
});

test('keeps granularity, chart type, ranking and the records view across a reload', async () => {
  const o = await session.open(shared);
  await o.d.byId(TestIds.granularityDay).click();
  await o.d.byId(TestIds.chartTypeLine).click();
  await o.d.rankBy('tokens');
  await eventually(async () => assert.ok((await o.d.consumerValues()).every((v) => v.endsWith('tokens'))));
  await o.d.filterSource('agent');
  await o.d.sortBy('cost');
  await o.d.searchInput().fill('review');
  await expectLabel(o, '1–10 of 10');
  await o.d.byId(TestIds.topConsumerItem).filter({ hasText: 'code-reviewer' }).click();
  await eventually(async () => assert.equal(await o.d.text(TestIds.consumerChip), 'Only code-reviewer'));

  const ready = o.bridge.nextFromPage((m) => (m as WebviewMessage).type === 'ready');
  await o.page.reload();
  const msg = (await ready) as Extract<WebviewMessage, { type: 'ready' }>;
  assert.deepEqual(msg.ui, {
    granularity: 'day',
    chartType: 'line',
    topBy: 'tokens',
    modelBy: 'cost',
    records: { source: 'agent', search: 'review', consumerKey: 'agent-review', page: 1, sort: 'cost' },
  });
  assert.ok(['Asia/Kolkata', 'Asia/Calcutta'].includes(msg.timeZone), `zone ${msg.timeZone}`); // ICU may use the older alias
  await o.d.waitLoaded();
  assert.equal(await o.d.pressed(TestIds.granularityDay), true);
  assert.equal(await o.d.pressed(TestIds.chartTypeLine), true);
  assert.equal(await o.d.pressed('top-by-tokens'), true);
  assert.equal(await o.d.pressed(sourceFilterId('agent')), true);
  assert.equal(await o.d.pressed('sort-cost'), true);
  assert.equal(await o.d.searchInput().inputValue(), 'review');
  assert.equal(await o.d.text(TestIds.consumerChip), 'Only code-reviewer');
  assert.equal(await o.d.pageLabel(), '1–10 of 10');
  assert.equal((await o.d.chartRows()).length, 2, 'daily points for 24h');
  await assertClean(o);
});

test('follows a period change made elsewhere (the status bar)', async () => {
  const o = await session.open(shared);
  o.bridge.setPeriodFromHost('7d');
  const s = summarize(periodCalls(calls, '7d', NOW));
  await eventually(async () => assert.equal(await o.d.cardValue('apiCalls'), String(s.calls)));
  assert.equal(await o.d.pressed('period-7d'), true);
  assert.equal(await o.d.pressed('period-24h'), false);
  await assertClean(o);
});

/** Colour of the donut's Chat slice (it covers 3 o'clock), read from the canvas. */
async function chatSliceColor(o: OpenedDashboard): Promise<number[]> {
  return o.page.evaluate((sel) => {
    type Canvas = { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
    const canvas = (globalThis as unknown as { document: { querySelector(s: string): Canvas } }).document.querySelector(sel);
    const ring = Math.min(canvas.width, canvas.height) / 2;
    const px = canvas.getContext('2d').getImageData(Math.round(canvas.width / 2 + ring * 0.82), Math.round(canvas.height / 2), 1, 1).data;
    return [px[0], px[1], px[2]];
  }, testSel(TestIds.sourceDonutCanvas));
}

function near(actual: number[], expected: number[]): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]) <= 3);
}

test('re-reads chart colours when the theme changes; badges and donut share the source colour', async () => {
  const o = await session.open(shared, { theme: 'dark' });
  await eventually(async () => assert.ok(near(await chatSliceColor(o), [0x37, 0x94, 0xff]), 'dark theme blue'));
  const badgeDark = await o.page.locator('.source-badge.source-chat .source-dot').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
  assert.equal(badgeDark, 'rgb(55, 148, 255)');

  await o.page.evaluate(() => {
    (globalThis as unknown as { document: { body: { className: string } } }).document.body.className = 'vscode-light';
  });
  await eventually(async () => assert.ok(near(await chatSliceColor(o), [0x1a, 0x85, 0xff]), 'light theme blue'));
  await assertClean(o);
});

test('is usable from the keyboard with a visible focus ring', async () => {
  const o = await session.open(shared);
  // Tab order: the scope (All, This workspace), then the periods (24h, 7d, …).
  const order: (string | null)[] = [];
  for (let i = 0; i < 4; i++) {
    await o.page.keyboard.press('Tab');
    order.push(await o.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') ?? null));
  }
  assert.deepEqual(order, ['scope-all', 'scope-workspace', 'period-24h', 'period-7d']);
  const focused = await o.page.evaluate(() => {
    const g = globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null }; getComputedStyle(e: unknown): { outlineStyle: string; outlineColor: string } };
    const el = g.document.activeElement;
    const style = g.getComputedStyle(el);
    return { id: el?.getAttribute('data-testid') ?? null, outline: style.outlineStyle, color: style.outlineColor };
  });
  assert.equal(focused.id, 'period-7d');
  assert.notEqual(focused.outline, 'none');
  assert.equal(focused.color, 'rgb(0, 120, 212)', '--vscode-focusBorder');
  await o.page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await o.d.pressed('period-7d'), true));
  assert.equal(o.bridge.period, '7d');

  // A top consumer is reachable and selectable with the keyboard as well.
  await o.d.byId(TestIds.topConsumerItem).first().focus();
  await o.page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await o.d.byId(TestIds.consumerChip).isVisible(), true));
});
