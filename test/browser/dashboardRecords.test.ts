/**
 * The usage records table as a person uses it: rows and their cells, pagination, the source filter, search as you
 * type, a top consumer as a filter, and sorting by cost — on the real bundle and a real store.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { promptTokens, SOURCE_LABELS } from '../../src/shared/callRecord';
import { formatDuration, formatRelativeTime, formatTokens } from '../../src/shared/format';
import { formatUsd } from '../../src/shared/money';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { pageButtonId, TestIds } from '../../src/webview/testIds';
import type { RowText } from './harness/dashboardPage';
import { eventually } from './harness/eventually';
import { newestFirst, periodCalls } from './harness/expected';
import { fixtureCalls, NOW, toInputs, type FixtureCall } from './harness/fixtureCalls';
import { assertClean, BrowserSession, type OpenedDashboard } from './harness/session';
import { openStore } from './harness/store';

const calls = fixtureCalls();
const day = periodCalls(calls, '24h', NOW);
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

function rowOf(c: FixtureCall): RowText {
  return {
    source: SOURCE_LABELS[c.source],
    name: c.consumer.name,
    input: formatTokens(promptTokens(c.tokens)),
    output: formatTokens(c.tokens.output),
    cost: c.expectedCostNanos === null ? 'unpriced' : formatUsd(c.expectedCostNanos),
    duration: formatDuration(c.durationMs),
    time: formatRelativeTime(c.ts, NOW),
  };
}

async function expectLabel(o: OpenedDashboard, label: string): Promise<void> {
  await eventually(async () => assert.equal(await o.d.pageLabel(), label));
}

async function isDisabled(o: OpenedDashboard, id: string): Promise<boolean> {
  return (await o.d.byId(id).getAttribute('disabled')) !== null;
}

test('shows 20 rows a page, newest first, with every column as a person reads it', async () => {
  const o = await session.open(store);
  assert.equal(day.length, 45);
  assert.equal(await o.d.pageLabel(), '1–20 of 45');
  const expected = newestFirst(day);
  assert.deepEqual(await o.d.rows(), expected.slice(0, 20).map(rowOf));
  const first = await o.d.rows();
  assert.equal(first[0].time, '3 min ago');
  assert.ok(first.some((r) => r.cost === 'unpriced'), 'the unpriced call is marked, not $0');
  assert.ok(expected.some((c) => c.durationMs === null));

  // Exact local time on hover; the count badge.
  const title = await o.d.byId('record-cell-time').first().getAttribute('title');
  assert.match(title ?? '', /2026/);
  assert.equal((await o.d.byId(TestIds.records).locator('.count-badge').innerText()).trim(), '45');
  await assertClean(o);
});

test('pages with first / previous / next / last', async () => {
  const o = await session.open(store);
  const expected = newestFirst(day);
  assert.equal(await isDisabled(o, pageButtonId('first')), true);
  assert.equal(await isDisabled(o, pageButtonId('prev')), true);

  await o.d.goToPage('next');
  await expectLabel(o, '21–40 of 45');
  assert.deepEqual(await o.d.rowNames(), expected.slice(20, 40).map((c) => c.consumer.name));

  await o.d.goToPage('last');
  await expectLabel(o, '41–45 of 45');
  assert.deepEqual(await o.d.rows(), expected.slice(40).map(rowOf));
  assert.equal(await isDisabled(o, pageButtonId('next')), true);
  assert.equal(await isDisabled(o, pageButtonId('last')), true);

  await o.d.goToPage('prev');
  await expectLabel(o, '21–40 of 45');
  await o.d.goToPage('first');
  await expectLabel(o, '1–20 of 45');
  await assertClean(o);
});

test('the source filter shows only that source and goes back to page 1', async () => {
  const o = await session.open(store);
  await o.d.goToPage('next');
  await expectLabel(o, '21–40 of 45');

  await o.d.filterSource('agent');
  const agents = newestFirst(day.filter((c) => c.source === 'agent'));
  await expectLabel(o, `1–${agents.length} of ${agents.length}`);
  assert.deepEqual(await o.d.rows(), agents.map(rowOf));
  assert.equal(await o.d.pressed('source-filter-agent'), true);
  assert.equal(await o.d.pressed('source-filter-all'), false);
  // Pagination buttons appear only with more than one page.
  assert.equal(await o.d.byId(pageButtonId('next')).isVisible(), false);

  await o.d.filterSource('memory');
  await expectLabel(o, '1–2 of 2');
  assert.deepEqual(new Set((await o.d.rows()).map((r) => r.source)), new Set(['Memory']));

  await o.d.filterSource('all');
  await expectLabel(o, '1–20 of 45');
  await assertClean(o);
});

test('search narrows the rows as you type, case-insensitively, without flicker', async () => {
  const o = await session.open(store);
  await o.d.goToPage('last');
  await expectLabel(o, '41–45 of 45');
  // Watch the table while typing: old rows must stay until the new page arrives (never an empty table in between).
  await o.page.evaluate(() => {
    const g = globalThis as unknown as {
      document: { querySelector(s: string): { rows: { length: number } } | null };
      MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void };
      __minRows: number;
    };
    const body = g.document.querySelector('[data-testid="records-table"] tbody');
    g.__minRows = body?.rows.length ?? 0;
    new g.MutationObserver(() => {
      g.__minRows = Math.min(g.__minRows, body?.rows.length ?? 0);
    }).observe(body, { childList: true });
  });

  const input = o.d.searchInput();
  const steps: [string, (name: string) => boolean][] = [
    ['re', (n) => n.toLowerCase().includes('re')],
    ['REF', (n) => n.toLowerCase().includes('ref')],
    ['REFACTOR THE', (n) => n.toLowerCase().includes('refactor the')],
  ];
  for (const [text, matches] of steps) {
    await input.fill(text);
    const want = day.filter((c) => matches(c.consumer.name));
    assert.ok(want.length > 0 && want.length < 45);
    await expectLabel(o, `1–${Math.min(20, want.length)} of ${want.length}`);
    assert.ok((await o.d.rowNames()).every(matches), `rows match "${text}"`);
  }
  assert.equal(await o.page.evaluate(() => (globalThis as unknown as { __minRows: number }).__minRows > 0), true, 'the table never emptied while typing');

  // Typing quickly: only the final text counts.
  await input.pressSequentially('x', { delay: 10 });
  await input.fill('');
  await input.pressSequentially('flaky', { delay: 20 });
  await expectLabel(o, '1–8 of 8');
  assert.deepEqual(new Set(await o.d.rowNames()), new Set(['Fix flaky login test']));

  await input.fill('no such conversation');
  await eventually(async () => assert.equal(await o.d.byId(TestIds.recordsEmpty).isVisible(), true));
  assert.match(await o.d.text(TestIds.recordsEmpty), /no such conversation/);
  // A search that looks like SQL is just text.
  await input.fill("%' OR 1=1 --");
  await eventually(async () => assert.match(await o.d.text(TestIds.recordsEmpty), /OR 1=1/));
  await o.d.byId(TestIds.recordsEmpty).locator('vscode-button').click();
  await expectLabel(o, '1–20 of 45');
  assert.equal(await input.inputValue(), '');
  await assertClean(o);
});

test('choosing a top consumer filters the records to it; the chip clears it', async () => {
  const o = await session.open(store);
  const item = o.d.byId(TestIds.topConsumerItem).filter({ hasText: 'Fix flaky login test' });
  await item.click();
  await expectLabel(o, '1–8 of 8');
  assert.equal(await o.d.text(TestIds.consumerChip), 'Only Fix flaky login test');
  assert.deepEqual(new Set(await o.d.rowNames()), new Set(['Fix flaky login test']));
  assert.equal(await item.getAttribute('aria-pressed'), 'true');

  await o.d.byId(TestIds.consumerChipClear).click();
  await expectLabel(o, '1–20 of 45');
  assert.equal(await o.d.byId(TestIds.consumerChip).count(), 0);
  assert.equal(await item.getAttribute('aria-pressed'), 'false');

  // Choosing it twice toggles it off too.
  await item.click();
  await expectLabel(o, '1–8 of 8');
  await item.click();
  await expectLabel(o, '1–20 of 45');
  await assertClean(o);
});

test('sorting by cost lists the most expensive calls first and unpriced ones last', async () => {
  const o = await session.open(store);
  await o.d.sortBy('cost');
  const priced = day.filter((c) => c.expectedCostNanos !== null).map((c) => c.expectedCostNanos ?? 0);
  const max = Math.max(...priced);
  await eventually(async () => assert.equal((await o.d.rows())[0].cost, formatUsd(max)));
  const costs = (await o.d.rows()).map((r) => r.cost);
  assert.equal(costs[0], '$0.07');
  assert.equal(costs.filter((c) => c === '$0.07').length, 2);
  await o.d.goToPage('last');
  await expectLabel(o, '41–45 of 45');
  const last = await o.d.rows();
  assert.equal(last[last.length - 1].cost, 'unpriced');
  await assertClean(o);
});
