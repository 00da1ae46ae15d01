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
