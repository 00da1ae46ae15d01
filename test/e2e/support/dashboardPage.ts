/** What a person reads and clicks in the dashboard webview, by the webview's own test ids. */
import type { Frame, Page } from 'playwright-core';
import type { Period } from '../../../src/shared/period';
import {
  CARD_IDS,
  cardValueId,
  pageButtonId,
  periodButtonId,
  recordCellId,
  sourceFilterId,
  testSel,
  TestIds,
  type CardId,
  type PageButton,
  type SourceFilter,
} from '../../../src/webview/testIds';
import { collapse, dashboardFrame } from './workbench';

export type CardTexts = Record<CardId, string>;

export interface RowTexts {
  source: string;
  name: string;
  input: string;
  output: string;
  cost: string;
}

export class DashboardPage {
  constructor(
    private readonly page: Page,
    private frame: Frame,
  ) {}

  static async find(page: Page, timeoutMs?: number): Promise<DashboardPage> {
    return new DashboardPage(page, await dashboardFrame(page, timeoutMs));
  }

  /** The webview frame is replaced when the panel is restored or re-rendered: look it up again. */
  async refind(timeoutMs?: number): Promise<void> {
    this.frame = await dashboardFrame(this.page, timeoutMs);
  }

  private sel(id: string) {
    return this.frame.locator(testSel(id));
  }

  async cards(): Promise<CardTexts> {
    const entries = await Promise.all(CARD_IDS.map(async (id) => [id, collapse(await this.sel(cardValueId(id)).innerText())] as const));
    return Object.fromEntries(entries) as CardTexts;
  }

  async inputBreakdown(): Promise<string> {
    return collapse(await this.sel(TestIds.inputBreakdown).innerText());
  }

  async selectedPeriod(): Promise<Period | null> {
    for (const period of ['24h', '7d', '30d'] as const) {
      if ((await this.sel(periodButtonId(period)).getAttribute('aria-pressed')) === 'true') return period;
    }
    return null;
  }

  async choosePeriod(period: Period): Promise<void> {
    await this.sel(periodButtonId(period)).click();
  }

  /** The chart's accessible table: one text per plotted bucket. */
  async chartRows(): Promise<string[]> {
    return (await this.sel(TestIds.costChartRow).allInnerTexts()).map(collapse);
  }

  async chooseSource(filter: SourceFilter): Promise<void> {
    await this.sel(sourceFilterId(filter)).click();
  }

  /** Every visible row, read in one round trip (the table is polled while typing). */
  async rows(): Promise<RowTexts[]> {
    const cells = { source: recordCellId('source'), name: recordCellId('name'), input: recordCellId('input'), output: recordCellId('output'), cost: recordCellId('cost') };
    // Runs in the webview: no DOM types in the root tsconfig, and no named inner functions (tsx's __name helper
    // does not exist in the page).
    const raw = await this.sel(TestIds.recordRow).evaluateAll(
      (rows, ids) =>
        rows.map((row) => {
          const out: Record<string, string> = {};
          for (const [column, id] of Object.entries(ids)) {
            out[column] = (row.querySelector(`[data-testid="${id}"]`) as { innerText: string } | null)?.innerText ?? '';
          }
          return out as Record<keyof typeof ids, string>;
        }),
      cells,
    );
    return raw.map((r) => ({ source: collapse(r.source), name: collapse(r.name), input: collapse(r.input), output: collapse(r.output), cost: collapse(r.cost) }));
  }

  async pageLabel(): Promise<string> {
    return collapse(await this.sel(TestIds.pageLabel).innerText());
  }

  async clickPage(button: PageButton): Promise<void> {
    await this.sel(pageButtonId(button)).click();
  }

  /** Focuses the search field and types one key at a time, as a person does; `afterEach` sees every step. */
  async typeSearch(text: string, afterEach?: (typed: string) => Promise<void>): Promise<void> {
    await this.sel(TestIds.search).click();
    for (let i = 0; i < text.length; i++) {
      await this.page.keyboard.type(text[i]);
      if (afterEach) await afterEach(text.slice(0, i + 1));
    }
  }

  async clearSearch(): Promise<void> {
    await this.sel(TestIds.search).click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Backspace');
  }

  /** Scrolls the records table into view, so a screenshot shows it. */
  async scrollToRecords(): Promise<void> {
    await this.sel(TestIds.records).scrollIntoViewIfNeeded();
  }

  async scrollToTop(): Promise<void> {
    await this.sel(TestIds.dashboard).evaluate((el) => el.ownerDocument.defaultView?.scrollTo(0, 0));
  }
}
