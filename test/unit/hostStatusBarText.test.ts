import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusBarText } from '../../src/extension/views/statusBarText';
import type { Summary } from '../../src/shared/queries';

const summary: Summary = {
  calls: 1234,
  pricedCalls: 1234,
  unpricedCalls: 0,
  costNanos: 4_270_000_000,
  tokens: { input: 12_000, cacheWrite5m: 40_000, cacheWrite1h: 5_000, cacheRead: 1_500_000, output: 45_000 },
  avgCostNanos: 3_460_291,
  unpricedModels: [],
};

test('shows the cost and the period, and the breakdown in the tooltip', () => {
  const t = statusBarText(summary, '24h', 'API prices');
  assert.equal(t.text, '$(graph) $4.27 · 24h');
  assert.match(t.tooltip, /\| Cost \| \$4\.27 \|/);
  assert.match(t.tooltip, /\| API calls \| 1,234 \|/);
  assert.match(t.tooltip, /\| Cache reads \| 1\.5M \|/);
  assert.match(t.tooltip, /\| Cache writes \| 45\.0K \|/);
  assert.match(t.tooltip, /\| Output \| 45\.0K \|/);
  assert.match(t.accessibilityLabel, /\$4\.27 in the last 24h, 1,234 calls/);
});

test('unpriced calls are flagged, never folded into $0', () => {
  const t = statusBarText({ ...summary, costNanos: 0, pricedCalls: 0, unpricedCalls: 3, unpricedModels: ['claude-opus-6'] }, '7d', 'API prices');
  assert.equal(t.text, '$(graph) $0.00+ · 7d');
  assert.match(t.tooltip, /\$0\.00 \+ 3 unpriced/);
  assert.match(t.tooltip, /claude-opus-6/);
});

test('before the first query it says loading, not $0', () => {
  const t = statusBarText(undefined, '30d', 'API prices');
  assert.equal(t.text, '$(graph) … · 30d');
});

test('custom periods and this month show their label; the workspace scope swaps the icon and names the workspace', () => {
  const month = statusBarText(summary, 'month', 'API prices', { periodLabel: 'Nov' });
  assert.equal(month.text, '$(graph) $4.27 · Nov');
  assert.match(month.tooltip, /\*\*Claude usage, Nov\*\*/);
  const ws = statusBarText(summary, 'custom:2026-11-01..2026-11-15', 'API prices', { periodLabel: 'Nov 1–15', workspace: 'shop' });
  assert.equal(ws.text, '$(root-folder) $4.27 · Nov 1–15');
  assert.match(ws.tooltip, /Claude usage in shop, Nov 1–15/);
  assert.match(ws.accessibilityLabel, /Claude usage in shop: \$4\.27 in Nov 1–15/);
  assert.equal(ws.background, 'none');
});

test('with a subscription, costs are labelled API-equivalent in the text, tooltip and accessible label', () => {
  const t = statusBarText(summary, '24h', 'API-equivalent (Pro/Max subscription)', { subscription: true });
  assert.equal(t.text, '$(graph) $4.27 (API-eq.) · 24h');
  assert.match(t.tooltip, /\| API-equivalent cost \| \$4\.27 \|/);
  assert.match(t.tooltip, /not what you are billed/);
  assert.match(t.accessibilityLabel, /\$4\.27 API-equivalent/);
});

test('budgets colour the item and add their rows to the tooltip', () => {
  const line = (kind: 'daily' | 'monthly', spent: number, limit: number, level: 'ok' | 'warning' | 'over') =>
    ({ kind, windowKey: 'k', windowLabel: 'today', spentNanos: spent, limitNanos: limit, level });
  const warn = statusBarText(summary, '24h', 'API prices', { budget: { level: 'warning', lines: [line('daily', 4_270_000_000, 5_000_000_000, 'warning')], spike: null } });
  assert.equal(warn.background, 'warning');
  assert.match(warn.tooltip, /\| Daily budget \$\(warning\) \| \$4\.27 of \$5\.00 \(85%\) \|/);
  assert.match(warn.accessibilityLabel, /daily budget nearly used/);
  const over = statusBarText(summary, '24h', 'API prices', {
    budget: { level: 'over', lines: [line('daily', 4_270_000_000, 5_000_000_000, 'warning'), line('monthly', 90_000_000_000, 80_000_000_000, 'over')], spike: null },
  });
  assert.equal(over.background, 'error');
  assert.match(over.tooltip, /Monthly budget \$\(error\) \| \$90\.00 of \$80\.00 \(113%\)/);
  assert.equal(statusBarText(summary, '24h', 'API prices', { budget: { level: 'ok', lines: [], spike: null } }).background, 'none');
});
