/**
 * End to end, as a user sees it: the packaged extension in a real VS Code extension host (code-server 4.100.3 on
 * 127.0.0.1), driven through headless Chromium, reading Claude Code transcripts of known totals from a fixture HOME.
 * The whole story runs once per theme (light and dark), writing README-grade screenshots of every step to
 * test-output/screenshots/e2e/ and the extension host's log to test-output/e2e-logs/.
 *
 * Needs: code-server (bash scripts/e2e/install-code-server.sh), claude-usage.vsix (npm run package), /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Period } from '../../src/shared/period';
import { formatCount } from '../../src/shared/format';
import { RECORDS_PAGE_SIZE } from '../../src/shared/queries';
import { DashboardPage } from './support/dashboardPage';
import { assertPrerequisites, createRunFolders, DEFAULT_VSIX, startSession, type E2ESession, type RunFolders, type Theme } from './support/e2eSession';
import {
  assertClearOfEdges,
  cardsExpected,
  cardsMatch,
  inPeriod,
  newestFirst,
  pageLabelExpected,
  rowExpected,
  sourceText,
  statusBarExpected,
  tooltipExpected,
  totals,
} from './support/expectations';
import { writeE2EFixture, type E2EFixture } from './support/fixtureHome';
import { dismissHover, eventually, runCommand, statusBarText, statusBarTooltip } from './support/workbench';

const OPEN_DASHBOARD = 'Claude Usage: Open Usage Dashboard';
/** Generous: the first import, a webview load or a live update on a busy 2-core machine; no assertion on speed. */
const DEADLINE_MS = 45_000;
/** Both themes by default; CLAUDE_USAGE_E2E_THEMES=dark runs one while developing. */
const THEMES: readonly Theme[] = (process.env.CLAUDE_USAGE_E2E_THEMES ?? 'dark,light')
  .split(',')
  .filter((t): t is Theme => t === 'dark' || t === 'light');

for (const theme of THEMES) {
  describe(`Claude Usage in a real VS Code (${theme} theme)`, { timeout: 300_000 }, () => {
    let session: E2ESession | undefined;
    let fixture: E2EFixture;
    let dashboard: DashboardPage;
    let folders: RunFolders | undefined;
    let failed = false;

    before(async () => {
      assertPrerequisites(DEFAULT_VSIX);
      folders = createRunFolders();
      fixture = await writeE2EFixture(folders.root, Date.now());
      assert.equal(fixture.homeDir, folders.home, 'the fixture writes its HOME where code-server looks');
      assertClearOfEdges(fixture.calls(), Date.now(), 15 * 60_000);
      session = await startSession({ folders, theme });
    });

    after(async () => {
      if (session) {
        session.saveLogs();
        await session.dispose();
      } else if (folders && !process.env.CLAUDE_USAGE_E2E_KEEP) {
        rmSync(folders.root, { recursive: true, force: true });
      }
    });

    /** One step of the story: skipped after an earlier failure; a failure carries the logs. */
    function step(name: string, body: (s: E2ESession) => Promise<void>): void {
      test(name, async (t: TestContext) => {
        if (failed || !session) {
          t.skip('an earlier step failed');
          return;
        }
        try {
          await body(session);
        } catch (e: unknown) {
          failed = true;
          const report = await session.failureReport().catch((r: unknown) => `(could not gather logs: ${String(r)})`);
          const message = e instanceof Error ? e.message : String(e);
          const wrapped = new Error(`${message}\n\n===== diagnostics (${theme}) =====\n${report}`);
          if (e instanceof Error && e.stack) wrapped.stack = `${wrapped.message}\n${e.stack.split('\n').slice(1).join('\n')}`;
          throw wrapped;
        }
      });
    }

    const expectedTotals = (period: Period) => totals(inPeriod(fixture.calls(), period));

    async function expectStatusBar(s: E2ESession, period: Period): Promise<void> {
      const seen = await eventually(
        `the status bar to show ${statusBarExpected(expectedTotals(period), period)}`,
        () => statusBarText(s.page),
        (text) => text === statusBarExpected(expectedTotals(period), period),
        DEADLINE_MS,
      );
      assert.equal(seen, statusBarExpected(expectedTotals(period), period));
    }

    async function expectCards(period: Period): Promise<void> {
      const seen = await eventually(
        `the ${period} cards to read ${JSON.stringify(cardsExpected(expectedTotals(period)))}`,
        () => dashboard.cards(),
        (cards) => cardsMatch(cards, expectedTotals(period)),
        DEADLINE_MS,
      );
      assert.ok(cardsMatch(seen, expectedTotals(period)));
    }

    step('1. the status bar shows the cost of the persisted period (24h) and its tooltip the breakdown', async (s) => {
      await expectStatusBar(s, '24h');
      const tooltip = await statusBarTooltip(s.page, 'Claude usage');
      const flat = tooltip.replace(/\s+/g, ' ');
      for (const line of tooltipExpected(expectedTotals('24h'))) {
        assert.ok(flat.includes(line), `tooltip should contain "${line}"; it reads:\n${tooltip}`);
      }
      await s.screenshot('01-status-bar-tooltip');
      await dismissHover(s.page);
    });

    step('2. "Claude Usage: Open Usage Dashboard" opens the panel with the five cards', async (s) => {
      await runCommand(s.page, OPEN_DASHBOARD);
      dashboard = await DashboardPage.find(s.page, DEADLINE_MS);
      await expectCards('24h');
      assert.equal(await dashboard.selectedPeriod(), '24h');
      await s.screenshot('02-dashboard-24h');
    });

    step('3. switching to 7d changes the cards, the chart and the status bar', async (s) => {
      const chartBefore = await dashboard.chartRows();
      assert.ok(chartBefore.length > 0, 'the 24h chart should plot hourly buckets');
      await dashboard.choosePeriod('7d');
      await expectCards('7d');
      assert.notDeepEqual(cardsExpected(expectedTotals('7d')), cardsExpected(expectedTotals('24h')), 'the fixture must differ between 24h and 7d');
      const chartAfter = await eventually('the chart to re-plot for 7d', () => dashboard.chartRows(), (rows) => rows.length > 0 && rows.join() !== chartBefore.join(), DEADLINE_MS);
      // Daily buckets over 7 days touch 7 or 8 local days; hourly buckets over 24 hours are 24 or 25.
      assert.ok(chartAfter.length >= 7 && chartAfter.length <= 8, `7d should plot daily buckets, got ${chartAfter.length}`);
      await expectStatusBar(s, '7d');
      assert.equal(await dashboard.selectedPeriod(), '7d');
      await s.screenshot('03-dashboard-7d');
    });

    step('4. records: the Agent filter, search as you type, pagination and the first row', async (s) => {
      const all7d = newestFirst(inPeriod(fixture.calls(), '7d'));
      assert.ok(all7d.length > RECORDS_PAGE_SIZE, `the fixture needs more than ${RECORDS_PAGE_SIZE} calls in 7d to page`);
      await dashboard.scrollToRecords();

      // The expected first row: the newest call of the period.
      const firstRows = await eventually('the records table to fill', () => dashboard.rows(), (rows) => rows.length > 0, DEADLINE_MS);
      assert.deepEqual(firstRows[0], rowExpected(all7d[0]));
      assert.equal(firstRows.length, RECORDS_PAGE_SIZE);
      assert.equal(await dashboard.pageLabel(), pageLabelExpected(1, all7d.length));

      // Pagination: next, then previous.
      await dashboard.clickPage('next');
      const second = await eventually('page 2', () => dashboard.pageLabel(), (l) => l === pageLabelExpected(2, all7d.length), DEADLINE_MS);
      assert.equal(second, pageLabelExpected(2, all7d.length));
      const page2 = await dashboard.rows();
      assert.deepEqual(page2[0], rowExpected(all7d[RECORDS_PAGE_SIZE]));
      await s.screenshot('04a-records-page-2');
      await dashboard.clickPage('prev');
      await eventually('page 1 again', () => dashboard.pageLabel(), (l) => l === pageLabelExpected(1, all7d.length), DEADLINE_MS);

      // Source filter: Agent rows only.
      const agents = all7d.filter((c) => c.source === 'agent');
      assert.ok(agents.length > 0 && agents.length < all7d.length, 'the fixture needs some, but not only, Agent calls in 7d');
      await dashboard.chooseSource('agent');
      const agentRows = await eventually(
        'the table to show Agent rows only',
        () => dashboard.rows(),
        (rows) => rows.length === Math.min(RECORDS_PAGE_SIZE, agents.length) && rows.every((r) => r.source === sourceText('agent')),
        DEADLINE_MS,
      );
      assert.deepEqual(agentRows[0], rowExpected(agents[0]));
      assert.equal(await dashboard.pageLabel(), pageLabelExpected(1, agents.length));
      await s.screenshot('04b-records-agent-filter');
      await dashboard.chooseSource('all');
      await eventually('all sources again', () => dashboard.pageLabel(), (l) => l === pageLabelExpected(1, all7d.length), DEADLINE_MS);

      // Search: typing part of a conversation title narrows the rows while typing.
      const needle = fixture.searchText;
      const matching = (typed: string) => all7d.filter((c) => c.name.toLowerCase().includes(typed.toLowerCase()));
      assert.ok(matching(needle).length > 0 && matching(needle).length < all7d.length, `"${needle}" should match some, not all, calls`);
      const seenCounts: number[] = [];
      await dashboard.typeSearch(needle, async (typed) => {
        if (typed.length < 2) return;
        const want = matching(typed);
        const rows = await eventually(
          `rows matching "${typed}"`,
          () => dashboard.rows(),
          (r) => r.length === Math.min(RECORDS_PAGE_SIZE, want.length) && r.every((row) => row.name.toLowerCase().includes(typed.toLowerCase())),
          DEADLINE_MS,
        );
        seenCounts.push(want.length);
        assert.deepEqual(rows[0], rowExpected(want[0]));
      });
      assert.equal(await dashboard.pageLabel(), pageLabelExpected(1, matching(needle).length));
      assert.ok(seenCounts[seenCounts.length - 1] < all7d.length, 'the search narrowed the rows');
      await s.screenshot('04c-records-search');
      await dashboard.clearSearch();
      await eventually('the search cleared', () => dashboard.pageLabel(), (l) => l === pageLabelExpected(1, all7d.length), DEADLINE_MS);
      await dashboard.scrollToTop();
    });

    step('5. a call appended to a transcript reaches the status bar and the open dashboard', async (s) => {
      const before7d = expectedTotals('7d');
      const added = await fixture.appendCall();
      const after7d = expectedTotals('7d');
      assert.equal(after7d.calls, before7d.calls + 1, `the appended call (${added.name}) is in the 7d window`);
      await expectStatusBar(s, '7d');
      await expectCards('7d');
      assert.equal((await dashboard.cards()).apiCalls, formatCount(after7d.calls));
      await s.screenshot('05-live-update');
    });

    step('6. reloading the window restores the panel and its period', async (s) => {
      await s.reloadWindow();
      await expectStatusBar(s, '7d');
      await dashboard.refind(DEADLINE_MS);
      await eventually('the restored panel to select 7d', () => dashboard.selectedPeriod(), (p) => p === '7d', DEADLINE_MS);
      await expectCards('7d');
      await s.screenshot('06-after-reload');
    });
  });
}
