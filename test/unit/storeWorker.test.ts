// The store behind its worker thread: typed requests and responses, errors with their messages, per-request
// timeouts, events forwarded, close() ending the worker — with the TypeScript worker (through tsx) and the bundle.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { createWorkerStore } from '../../src/extension/store/storeClient';
import type { StoreApi, StoreEvent } from '../../src/extension/store/storeApi';
import { WASM_PATH, makeCall, nextEvent, tokens, withTempDir } from './storeFixtures';

const WORKER_TS = path.resolve(__dirname, '../../src/extension/store/worker/storeWorker.ts');

let bootstrap: string | undefined;

/**
 * Node 20 refuses a `.ts` worker entry before `--import tsx` can help, so a one-line CommonJS entry registers tsx
 * and then loads the TypeScript worker.
 */
async function tsWorkerPath(): Promise<string> {
  if (!bootstrap) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'claude-usage-worker-'));
    bootstrap = path.join(dir, 'storeWorker.cjs');
    await writeFile(bootstrap, `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();\nrequire(${JSON.stringify(WORKER_TS)});\n`);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return bootstrap;
}

async function tsWorkerStore(): Promise<StoreApi> {
  return createWorkerStore({ workerPath: await tsWorkerPath(), workerData: { wasmPath: WASM_PATH } });
}

describe('worker store', () => {
  it('round trip: open, record (with a changed event), queries, save, close', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const store = await tsWorkerStore();
      try {
        const opened = await store.open({ dbPath });
        assert.equal(opened.records, 0);
        assert.equal(typeof opened.priceVersion, 'string');
        const changed = nextEvent(store, 'changed');
        const ts = Date.UTC(2026, 10, 20, 12, 0);
        const result = await store.record([
          makeCall({ key: 'w1', ts, model: 'claude-opus-5-5', tokens: tokens({ input: 4, cacheWrite1h: 1830, cacheRead: 48211, output: 412 }) }),
          makeCall({ key: 'w2', ts: ts + 1, model: 'claude-unknown-99' }),
          { ...makeCall(), tokens: tokens({ input: -1 }) },
        ]);
        assert.equal(result.inserted, 2);
        assert.equal(result.rejected.length, 1);
        assert.deepEqual(await changed, { type: 'changed', revision: 1, inserted: 2, updated: 0 });
        const range = { from: ts - 3_600_000, to: ts + 3_600_000 };
        const summary = await store.summary(range);
        assert.equal(summary.calls, 2);
        assert.equal(summary.costNanos, 32_538_200, 'the real price table: $0.032538 for the facts example');
        assert.deepEqual(summary.unpricedModels, ['claude-unknown-99']);
        const dash = await store.dashboard({ range, timeZone: 'Asia/Kathmandu', granularity: 'hour', topBy: 'cost' });
        assert.equal(dash.series.reduce((s, p) => s + p.calls, 0), 2);
        const page = await store.records({ range, page: 1, sort: 'cost' });
        assert.deepEqual(page.rows.map((r) => r.key), ['w1', 'w2']);
        const saved = await store.save();
        assert.equal(saved.saved, true);
        assert.ok(saved.bytes > 0);
      } finally {
        await store.close();
      }
      await assert.rejects(store.summary({ from: 0, to: 1 }), /The store is closed/);
      const again = await tsWorkerStore();
      try {
        assert.equal((await again.open({ dbPath })).records, 2);
      } finally {
        await again.close();
      }
    });
  });

  it('passes errors back with their messages', async () => {
    const store = await tsWorkerStore();
    try {
      await assert.rejects(store.summary({ from: 0, to: 1 }), { message: 'The store is not open: call open() first' });
      await store.open({});
      await assert.rejects(
        store.dashboard({ range: { from: 0, to: 3_600_000 }, timeZone: 'Nowhere/Land', granularity: 'hour', topBy: 'cost' }),
        { message: 'Unknown time zone "Nowhere/Land"' },
      );
      await assert.rejects(store.rescanClaudeCode(), /has not been started/);
      assert.equal((await store.summary({ from: 0, to: 1 })).calls, 0, 'still usable after errors');
    } finally {
      await store.close();
    }
  });

  it('the bundled worker (esbuild, wasm beside it) works without being told where the wasm is', async () => {
    await withTempDir(async (dir) => {
      const outfile = path.join(dir, 'storeWorker.js');
      await esbuild.build({
        entryPoints: [WORKER_TS],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        logLevel: 'silent',
      });
      await copyFile(WASM_PATH, path.join(dir, 'sql-wasm.wasm'));
      const store = createWorkerStore({ workerPath: outfile });
      try {
        await store.open({ dbPath: path.join(dir, 'usage.sqlite') });
        await store.record([makeCall({ key: 'bundled' })]);
        assert.equal((await store.summary({ from: 0, to: Date.UTC(2100, 0, 1) })).calls, 1);
      } finally {
        await store.close();
      }
    });
  });
});

describe('worker failures', () => {
  it('a request the worker never answers times out with a message naming it', async () => {
    await withTempDir(async (dir) => {
      const silent = path.join(dir, 'silent.cjs');
      await writeFile(silent, "require('node:worker_threads').parentPort.on('message', () => {});\n");
      const store = createWorkerStore({ workerPath: silent, timeoutsMs: { summary: 50, close: 50 } });
      await assert.rejects(store.summary({ from: 0, to: 1 }), { message: 'The store did not answer "summary" within 50 ms' });
      await store.close().catch(() => undefined);
    });
  });

  it('a crashing worker fails pending and later requests, and says so through a log event', async () => {
    await withTempDir(async (dir) => {
      const crashing = path.join(dir, 'crash.cjs');
      await writeFile(crashing, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom in worker'); });\n");
      const store = createWorkerStore({ workerPath: crashing });
      const events: StoreEvent[] = [];
      store.onEvent((e) => events.push(e));
      await assert.rejects(store.summary({ from: 0, to: 1 }), /The store worker failed: boom in worker/);
      await assert.rejects(store.records({ range: { from: 0, to: 1 }, page: 1 }), /The store worker failed: boom in worker/);
      assert.ok(events.some((e) => e.type === 'log' && e.level === 'error' && /boom in worker/.test(e.message)));
      await store.close();
    });
  });
});
