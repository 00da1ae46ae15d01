/**
 * Screenshots of the dashboard in light, dark and high-contrast themes (and of the first-run view) for reviewers, in
 * test-output/screenshots/browser/, plus a check that the text on them is readable (WCAG contrast).
 */
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { cardValueId, recordCellId, TestIds, testSel } from '../../src/webview/testIds';
import { measureContrast } from './harness/contrast';
import { eventually } from './harness/eventually';
import { fixtureCalls, toInputs } from './harness/fixtureCalls';
import type { ThemeName } from './harness/pageServer';
import { assertClean, BrowserSession } from './harness/session';
import { openStore } from './harness/store';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'test-output', 'screenshots', 'browser');
const THEMES: ThemeName[] = ['dark', 'light', 'high-contrast'];
const VIEWPORT = { width: 1280, height: 1000 };

let session: BrowserSession;
let store: StoreApi;
let emptyStore: StoreApi;

before(async () => {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  store = await openStore(toInputs(fixtureCalls()));
  emptyStore = await openStore();
  session = await BrowserSession.start();
});

after(async () => {
  await session?.close();
  await store?.close();
  await emptyStore?.close();
});

/** Top of the page, pointer away from the content (no hover highlight), focus cleared. */
async function settleForPicture(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    const g = globalThis as unknown as { scrollTo(x: number, y: number): void; document: { activeElement: { blur?(): void } | null } };
    g.document.activeElement?.blur?.();
    g.scrollTo(0, 0);
  });
  await page.waitForFunction(() => (globalThis as unknown as { scrollY: number }).scrollY === 0);
}

async function assertPng(file: string): Promise<void> {
  const s = await stat(file);
  assert.ok(s.size > 10_000, `${file} looks empty (${s.size} bytes)`);
}

/** Body text (not large) needs 4.5:1; the checked elements cover values, labels, muted text, badges and buttons. */
const READABLE = [
  `${testSel(cardValueId('totalCost'))}`,
  `${testSel(cardValueId('inputTokens'))}`,
  '.card-label',
  '.card-sub',
  '.panel-title',
  '.legend-label',
  '.legend-share',
  '.consumer-name',
  '.consumer-meta',
  '.source-badge',
  '.records-table th',
  `${testSel(recordCellId('name'))}`,
  `${testSel(recordCellId('time'))}`,
  '.segment[aria-pressed="true"]',
  '.segment[aria-pressed="false"]',
  testSel(TestIds.pageLabel),
  '.tag-warning',
  '.consumer-value.is-unpriced',
  `${testSel(recordCellId('cost'))} .tag-warning`,
  '.link-button',
  '.models-table th',
  '.models-table td',
  '.cache-hit-label',
  '.cache-row dt',
  '.cache-row dd',
  '.cache-tokens',
  '.export-label',
  '.segment-custom',
];

for (const theme of THEMES) {
  test(`dashboard in the ${theme} theme: screenshot, readable text`, async () => {
    const o = await session.open(store, { theme, viewport: VIEWPORT });
    // Let the charts lay out at their final size before the picture.
    await o.page.waitForFunction(() => (globalThis as unknown as { document: { fonts: { status: string } } }).document.fonts.status === 'loaded');
    await settleForPicture(o.page);
    const file = path.join(SCREENSHOT_DIR, `dashboard-${theme}.png`);
    await o.page.screenshot({ path: file, fullPage: true });
    await assertPng(file);

    const low = (await measureContrast(o.page, READABLE)).filter((s) => s.ratio < 4.5);
    assert.deepEqual(low, [], `text below 4.5:1 in ${theme}`);
    await assertClean(o);
  });
}

test('interaction views: filtered records, 7-day line chart, by-tokens ranking (dark and light)', async () => {
  for (const theme of ['dark', 'light'] as const) {
    const o = await session.open(store, { theme, viewport: VIEWPORT });
    await o.d.choosePeriod('7d');
    await o.d.byId(TestIds.chartTypeLine).click();
    await o.d.rankBy('tokens');
    // Click only once the list shows the new ranking (it re-renders when the answer arrives).
    await eventually(async () => assert.ok((await o.d.consumerValues()).every((v) => v.endsWith('tokens'))));
    await o.d.byId(TestIds.topConsumerItem).filter({ hasText: 'Refactor the billing module' }).first().click();
    await o.d.searchInput().fill('billing');
    await eventually(async () => assert.match(await o.d.pageLabel(), /of 20$/));
    await settleForPicture(o.page);
    const file = path.join(SCREENSHOT_DIR, `dashboard-7d-filtered-${theme}.png`);
    await o.page.screenshot({ path: file, fullPage: true });
    await assertPng(file);
    await assertClean(o);
  }
});

test('beyond the spec: this month in the workspace, the custom range popover, most expensive calls, subscription (dark, light, high contrast)', async () => {
  for (const theme of THEMES) {
    const o = await session.open(store, {
      theme,
      viewport: VIEWPORT,
      workspace: { name: 'shop', folders: ['/home/dev/shop'] },
      scope: 'workspace',
      period: 'month',
      billing: theme === 'light' ? 'subscription' : 'api',
    });
    await o.d.byId(TestIds.mostExpensiveLink).click();
    await eventually(async () => assert.equal(await o.d.pressed('sort-cost'), true));
    await o.d.byId(TestIds.periodCustom).click();
    await o.d.byId(TestIds.customRange).waitFor({ state: 'visible' });
    await o.d.byId(TestIds.customFrom).fill('2026-11-14');
    await o.d.byId(TestIds.customTo).fill('2026-11-20');
    await settleForPicture(o.page);
    await o.d.byId(TestIds.customRange).waitFor({ state: 'visible' });
    const file = path.join(SCREENSHOT_DIR, `features-${theme}.png`);
    await o.page.screenshot({ path: file, fullPage: true });
    await assertPng(file);
    // Sorted by cost, no unpriced call reaches the first page: its tags are not on this screen.
    const here = READABLE.filter((sel) => !sel.includes('tag-warning') && !sel.includes('is-unpriced'));
    const low = (await measureContrast(o.page, [...here, '.custom-field-label', '.date-input'])).filter((x) => x.ratio < 4.5);
    assert.deepEqual(low, [], `text below 4.5:1 in ${theme}`);
    await assertClean(o);
  }
});

test('narrow panel (640 px): one column, nothing wider than the panel', async () => {
  const o = await session.open(store, { theme: 'dark', viewport: { width: 640, height: 900 } });
  o.bridge.setImportStatus({ running: true, filesDone: 42, filesTotal: 130, calls: 5120 });
  await eventually(async () => assert.equal(await o.d.byId(TestIds.importStatusText).isVisible(), true));
  await settleForPicture(o.page);
  const file = path.join(SCREENSHOT_DIR, 'dashboard-narrow-dark.png');
  await o.page.screenshot({ path: file, fullPage: true });
  await assertPng(file);
  const overflow = await o.page.evaluate(() => {
    const g = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
    return g.document.documentElement.scrollWidth - g.innerWidth;
  });
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
  await assertClean(o);
});

for (const theme of THEMES) {
  test(`first-run view in the ${theme} theme`, async () => {
    const o = await session.open(emptyStore, { theme, viewport: { width: 1100, height: 720 } });
    await o.d.byId(TestIds.empty).waitFor({ state: 'visible' });
    const file = path.join(SCREENSHOT_DIR, `empty-${theme}.png`);
    await o.page.screenshot({ path: file });
    await assertPng(file);
    const low = (await measureContrast(o.page, ['.empty-title', '.empty-lead', '.source-item h3', '.source-item p', `${testSel(TestIds.emptyClaudeDirs)} code`])).filter((s) => s.ratio < 4.5);
    assert.deepEqual(low, [], `text below 4.5:1 in ${theme}`);
    await assertClean(o);
  });
}
