/**
 * Helpers for the store's several-windows tests: child processes running a whole store (storeInstanceChild.ts), the
 * bundled store worker for worker-thread instances, and reading a store's complete record set. Waiting uses generous
 * deadlines only; nothing here asserts a duration.
 */
import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { RecordRow } from '../../src/shared/queries';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { Child } from './instancesHarness';

const ROOT = path.join(__dirname, '..', '..');
const CHILD_SCRIPT = path.join(__dirname, 'storeInstanceChild.ts');
export const WASM = path.join(ROOT, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
/** Every record, whatever its date (calls dated 1970 or 2100 included). */
export const EVERYTHING = { from: -8.64e15, to: 8.64e15 };

export interface StoreChildConfig {
  storageDir: string;
  instanceId: string;
  prefix: string;
  count: number;
  batch: number;
  configDirs?: string[];
  saveEveryBatch?: boolean;
  sharing?: { heartbeatMs?: number; staleMs?: number; journalPollMs?: number; journalRotateBytes?: number; journalPruneGraceMs?: number };
  saveDelayMs?: number;
}

export function startStoreChild(name: string, config: StoreChildConfig, env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  return new Child(name, proc);
}

/** Bundles the store worker like esbuild.mjs does (wasm beside it), so worker threads start fast. */
export async function bundleStoreWorker(dir: string): Promise<string> {
  const outfile = path.join(dir, 'storeWorker.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/extension/store/worker/storeWorker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  await copyFile(WASM, path.join(dir, 'sql-wasm.wasm'));
  return outfile;
}

/** The store's complete record set, by key (throws if a key appears twice: a double count). */
export async function allRecords(store: Pick<StoreApi, 'records'>): Promise<Map<string, RecordRow>> {
  const out = new Map<string, RecordRow>();
  for (let page = 1; ; page++) {
    const answer = await store.records({ range: EVERYTHING, page, pageSize: 500 });
    for (const row of answer.rows) {
      if (out.has(row.key)) throw new Error(`key ${row.key} is stored twice`);
      out.set(row.key, row);
    }
    if (answer.page < page || page * answer.pageSize >= answer.total) return out;
  }
}

/** A comparable fingerprint of a record set: key, tokens, cost, consumer — sorted. */
export function fingerprint(records: Map<string, RecordRow>): string {
  return [...records.values()]
    .map((r) => `${r.key}|${r.ts}|${r.consumerKey}|${r.model}|${r.tokens.input},${r.tokens.cacheWrite5m},${r.tokens.cacheWrite1h},${r.tokens.cacheRead},${r.tokens.output}|${r.costNanos}`)
    .sort()
    .join('\n');
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
