// The fixture through the real pipeline (collector → recorder → pricing → queries, in-process): the totals the
// dashboard and status bar would show equal the fixture's independently computed ones.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { StoreCore } from '../../src/extension/store/storeCore';
import { periodRange } from '../../src/shared/period';
import { appendCall, writeClaudeCodeFixture, type ClaudeCodeFixture } from '../support/claudeCodeFixtures';
import { tempDir } from './claudeCodeHelpers';
import { WASM_PATH } from './storeFixtures';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('the fixture through the store', () => {
  let tmp: ReturnType<typeof tempDir>;
  let fx: ClaudeCodeFixture;
  let store: StoreCore;
  before(async () => {
    tmp = tempDir('cc-store-');
    fx = writeClaudeCodeFixture(tmp.dir, { now: NOW });
    store = new StoreCore({ wasmPath: WASM_PATH, saveDelayMs: 60_000 });
    await store.open({});
  });
  after(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('shows the expected calls, unpriced calls, cost and tokens for every period', async () => {
    const stats = await store.startClaudeCode({ configDirs: fx.configDirs, watch: false });
    assert.equal(stats.skippedLines, fx.skippedLines);
    for (const period of ['24h', '7d', '30d'] as const) {
      const s = await store.summary(periodRange(period, NOW));
      const want = fx.totals[period];
      assert.deepEqual(
        { calls: s.calls, unpricedCalls: s.unpricedCalls, costNanos: s.costNanos, tokens: s.tokens },
        { calls: want.calls, unpricedCalls: want.unpricedCalls, costNanos: want.costNanos, tokens: want.tokens },
        period,
      );
    }
    const all = await store.summary({ from: 0, to: NOW + 1 });
    assert.equal(all.calls, fx.totals.all.calls);
    assert.deepEqual(all.unpricedModels, ['claude-opus-6']);
  });

  it('names consumers by their final titles, and a later title renames the stored consumer', async () => {
    const range = periodRange('30d', NOW);
    const names = async () => {
      const d = await store.dashboard({ range, timeZone: 'UTC', granularity: 'day', topBy: 'cost', topLimit: 50 });
      return new Map(d.topConsumers.map((c) => [c.key, c.name]));
    };
    const before = await names();
    for (const s of [fx.sessions.cli, fx.sessions.vscode, fx.sessions.headless, fx.sessions.legacy, fx.sessions.alt]) {
      assert.equal(before.get(s.consumerKey), s.name, s.consumerKey);
    }
    assert.equal(before.get('claude-code:agent:a1b2c3'), 'general-purpose: Explore auth flow');

    fs.appendFileSync(fx.sessions.cli.file, `${JSON.stringify({ type: 'custom-title', customTitle: 'Renamed later', sessionId: fx.sessions.cli.sessionId })}\n`);
    const added = appendCall(fx.sessions.cli, { ts: NOW - 30_000 });
    await store.rescanClaudeCode();
    assert.equal((await names()).get(fx.sessions.cli.consumerKey), 'Renamed later');
    const s = await store.summary(periodRange('24h', NOW));
    assert.equal(s.calls, fx.totals['24h'].calls + 1);
    assert.equal(s.costNanos, fx.totals['24h'].costNanos + (added.costNanos ?? 0));
  });
});
