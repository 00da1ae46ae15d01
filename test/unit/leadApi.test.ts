// The public API other extensions call, on a real store with a database file (so records are journaled): recorded
// calls are priced exactly, de-duplicated by id, counted in totals, announced, and bad calls are refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApi } from '../../src/extension/api/createApi';
import type { ClaudeUsageApi } from '../../src/extension/api/publicApi';
import { createInProcessStore } from '../../src/extension/store/inProcessStore';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { WASM_PATH } from './storeFixtures';

const NOW = Date.UTC(2026, 10, 26, 12);

describe('the public API', () => {
  let dir: string;
  let store: StoreApi;
  let api: ClaudeUsageApi;
  let changes = 0;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-'));
    store = createInProcessStore({ wasmPath: WASM_PATH, saveDelayMs: 60_000 });
    const ready = store.open({ dbPath: path.join(dir, 'usage.sqlite') });
    const listeners = new Set<() => void>();
    store.onEvent((e) => {
      if (e.type === 'changed') for (const l of listeners) l();
    });
    api = createApi(store, {
      callerId: 'test.extension',
      ready,
      now: () => NOW,
      onDidChange: (l) => {
        listeners.add(l);
        return { dispose: () => listeners.delete(l) };
      },
    });
    api.onDidChange(() => changes++);
    await ready;
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prices a recorded call exactly and counts it in the totals', async () => {
    const r = await api.recordCall({
      id: 'msg_api_1',
      model: 'claude-sonnet-4-5',
      usage: { input_tokens: 1000, output_tokens: 100, cache_read_input_tokens: 10_000 },
      name: 'Release-notes agent',
      source: 'agent',
      timestamp: NOW - 60_000,
    });
    // 1,000 × $3 + 100 × $15 + 10,000 × $0.30 per million tokens.
    assert.deepEqual(r, { stored: true, costUsd: '0.0075' });
    const totals = await api.getTotals('24h');
    assert.deepEqual(totals, {
      calls: 1,
      unpricedCalls: 0,
      costUsd: '0.0075',
      inputTokens: 1000,
      cacheWriteTokens: 0,
      cacheReadTokens: 10_000,
      outputTokens: 100,
    });
    assert.ok(changes >= 1, 'onDidChange fired');
  });

  it('stores a repeated id once, keeping the fuller usage', async () => {
    const again = await api.recordCall({
      id: 'msg_api_1',
      model: 'claude-sonnet-4-5',
      usage: { input_tokens: 1000, output_tokens: 400, cache_read_input_tokens: 10_000 },
      name: 'Release-notes agent',
      source: 'agent',
      timestamp: NOW - 60_000,
    });
    assert.equal(again.stored, true);
    const totals = await api.getTotals({ from: 0, to: NOW + 1 });
    assert.equal(totals.calls, 1);
    assert.equal(totals.outputTokens, 400);
    const same = await api.recordCall({ id: 'msg_api_1', model: 'claude-sonnet-4-5', usage: { input_tokens: 1, output_tokens: 1 }, name: 'x', timestamp: NOW - 60_000 });
    assert.equal(same.stored, false);
  });

  it('an unknown model is unpriced, not $0', async () => {
    const r = await api.recordCall({ id: 'msg_api_2', model: 'claude-opus-6', usage: { input_tokens: 5, output_tokens: 5 }, name: 'Chat' });
    assert.equal(r.costUsd, null);
    const totals = await api.getTotals('24h');
    assert.equal(totals.unpricedCalls, 1);
    assert.equal(totals.costUsd, '0.012');
  });

  it('refuses bad calls and bad ranges with a message', async () => {
    await assert.rejects(api.recordCall({ id: '', model: 'm', usage: {}, name: 'n' }), /`id`/);
    await assert.rejects(api.getTotals('1y' as never), /getTotals/);
    assert.equal((await api.getTotals('24h')).calls, 2);
  });
});
