// `claude-usage report` on the Claude Code fixture, through the same collector, recorder, store and queries the extension
// uses: its numbers equal the fixture's independently computed ones, and its breakdowns add up to its totals.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildReport, type Report } from '../../src/cli/report';
import { formatReportTables } from '../../src/cli/table';
import { createInProcessStore } from '../../src/extension/store/inProcessStore';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { nanosToDecimalString } from '../../src/shared/money';
import { periodRange } from '../../src/shared/period';
import { writeClaudeCodeFixture, type ClaudeCodeFixture } from '../support/claudeCodeFixtures';
import { WASM_PATH } from './storeFixtures';

const NOW = Date.UTC(2026, 11 - 1, 26, 12, 0, 0);

function decimalSum(values: string[]): string {
  // Exact: the strings are decimal USD with at most 9 fractional digits.
  const nanos = values.reduce((sum, v) => {
    const [whole, frac = ''] = v.split('.');
    return sum + BigInt(whole) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
  }, 0n);
  return nanosToDecimalString(Number(nanos));
}

describe('claude-usage report', () => {
  let dir: string;
  let fx: ClaudeCodeFixture;
  let store: StoreApi;
  let report: Report;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-report-'));
    fx = writeClaudeCodeFixture(dir, { now: NOW });
    store = createInProcessStore({ wasmPath: WASM_PATH, saveDelayMs: 60_000 });
    await store.open({});
    const scan = await store.startClaudeCode({ configDirs: fx.configDirs, watch: false });
    const range = periodRange('30d', NOW);
    report = await buildReport(store, { configDirs: fx.configDirs, db: undefined, from: range.from, to: range.to, timeZone: 'Asia/Kolkata', json: true }, scan);
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the fixture totals exactly', () => {
    const want = fx.totals['30d'];
    assert.deepEqual(report.totals, {
      calls: want.calls,
      unpricedCalls: want.unpricedCalls,
      costUsd: nanosToDecimalString(want.costNanos),
      inputTokens: want.tokens.input,
      cacheWriteTokens: want.tokens.cacheWrite5m + want.tokens.cacheWrite1h,
      cacheReadTokens: want.tokens.cacheRead,
      outputTokens: want.tokens.output,
    });
    assert.equal(report.import.skippedLines, fx.skippedLines);
  });

  it('breaks the totals down by local day, source and consumer without losing or adding a call', () => {
    for (const rows of [report.byDay, report.bySource, report.byConsumer]) {
      assert.equal(rows.reduce((n, r) => n + r.calls, 0), report.totals.calls);
      assert.equal(decimalSum(rows.map((r) => r.costUsd)), report.totals.costUsd);
    }
    assert.ok(report.byDay.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.date)));
    assert.deepEqual(report.bySource.map((s) => s.source), ['chat', 'agent', 'memory']);
    const names = new Map(report.byConsumer.map((c) => [c.key, c.name]));
    assert.equal(names.get(fx.sessions.cli.consumerKey), fx.sessions.cli.name);
  });

  it('reads as tables, with unpriced calls called out', () => {
    const text = formatReportTables(report);
    assert.match(text, /^Totals$/m);
    assert.match(text, /^By day$/m);
    assert.ok(text.includes(`$${report.totals.costUsd}`));
    assert.ok(text.includes(fx.sessions.cli.name.slice(0, 20)));
    if (report.totals.unpricedCalls > 0) assert.match(text, /no known price/);
  });
});
