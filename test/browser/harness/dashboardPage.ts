/**
 * What a person sees on the dashboard, read through the shared test ids. Works on a Page or a Frame (the e2e suite
 * finds the webview's frame inside VS Code and can reuse this).
 */
import type { Frame, Locator, Page } from 'playwright-core';
import type { Source } from '../../../src/shared/callRecord';
import type { Period } from '../../../src/shared/period';
import type { RecordSort, TopBy } from '../../../src/shared/queries';
import {
  cardValueId,
  legendItemId,
  pageButtonId,
  periodButtonId,
  RECORD_COLUMNS,
  recordCellId,
  SEARCH_INPUT_SELECTOR,
  sortButtonId,
  sourceFilterId,
  testSel,
  TestIds,
  topByButtonId,
  type CardId,
  type PageButton,
  type RecordColumn,
  type SourceFilter,
} from '../../../src/webview/testIds';

export type RowText = Record<RecordColumn, string>;

export class DashboardPage {
  constructor(readonly frame: Page | Frame) {}

  byId(id: string): Locator {
    return this.frame.locator(testSel(id));
  }

  /** Waits until the first snapshot is on screen (dashboard body or empty state). */
  async waitLoaded(): Promise<void> {
    await this.byId(TestIds.loading).waitFor({ state: 'hidden' });
  }

  async cardValue(card: CardId): Promise<string> {
    return (await this.byId(cardValueId(card)).innerText()).trim();
  }

  async text(id: string): Promise<string> {
    return (await this.byId(id).innerText()).trim();
  }

  async chartRows(): Promise<{ label: string; cost: string; calls: string; costNanos: number; start: number }[]> {
    // No DOM types on the Node side: the row is described by the little it is used for.
    type RowEl = { children: ArrayLike<{ textContent: string | null }>; getAttribute(name: string): string | null };
    return this.byId(TestIds.costChartRow).evaluateAll((els) =>
      (els as unknown as RowEl[]).map((r) => {
        const cells = Array.from(r.children).map((c) => (c.textContent ?? '').trim());
        return {
          label: cells[0] ?? '',
          cost: cells[1] ?? '',
          calls: cells[2] ?? '',
          costNanos: Number(r.getAttribute('data-cost-nanos')),
          start: Number(r.getAttribute('data-start')),
        };
      }),
    );
  }

  async legend(source: Source): Promise<{ text: string; share: number; amount: string; percent: string }> {
    const item = this.byId(legendItemId(source));
    return {
      text: (await item.innerText()).replace(/\s+/g, ' ').trim(),
      share: Number(await item.getAttribute('data-share')),
      amount: (await item.locator('.legend-amount').innerText()).trim(),
      percent: (await item.locator('.legend-share').innerText()).trim(),
    };
  }

  async consumerNames(): Promise<string[]> {
    return (await this.byId(TestIds.topConsumerName).allInnerTexts()).map((s) => s.trim());
  }

  async consumerValues(): Promise<string[]> {
    return (await this.byId(TestIds.topConsumerValue).allInnerTexts()).map((s) => s.trim());
  }

  async rows(): Promise<RowText[]> {
    const rows = this.byId(TestIds.recordRow);
    const count = await rows.count();
    const out: RowText[] = [];
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      const entry = {} as RowText;
      for (const col of RECORD_COLUMNS) entry[col] = (await row.locator(testSel(recordCellId(col))).innerText()).trim();
      out.push(entry);
    }
    return out;
  }

  async rowNames(): Promise<string[]> {
    return (await this.byId(recordCellId('name')).allInnerTexts()).map((s) => s.trim());
  }

  async pageLabel(): Promise<string> {
    return (await this.byId(TestIds.pageLabel).innerText()).trim();
  }

  async waitPageLabel(label: string): Promise<void> {
    await this.frame.waitForFunction(
      ([sel, want]) => {
        const el = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector(sel);
        return el?.textContent?.trim() === want;
      },
      [testSel(TestIds.pageLabel), label] as const,
    );
  }

  async choosePeriod(period: Period): Promise<void> {
    await this.byId(periodButtonId(period)).click();
  }

  async pressed(id: string): Promise<boolean> {
    return (await this.byId(id).getAttribute('aria-pressed')) === 'true';
  }

  async filterSource(filter: SourceFilter): Promise<void> {
    await this.byId(sourceFilterId(filter)).click();
  }

  async sortBy(sort: RecordSort): Promise<void> {
    await this.byId(sortButtonId(sort)).click();
  }

  async rankBy(by: TopBy): Promise<void> {
    await this.byId(topByButtonId(by)).click();
  }

  async goToPage(button: PageButton): Promise<void> {
    await this.byId(pageButtonId(button)).click();
  }

  /** The search field is a toolkit element; its real input sits in an open shadow root (Playwright's CSS pierces it). */
  searchInput(): Locator {
    return this.frame.locator(SEARCH_INPUT_SELECTOR);
  }

  async bodyText(): Promise<string> {
    return this.frame.locator('body').innerText();
  }
}
