/**
 * A child process standing in for one VS Code window's store (StoreCore in-process, with the writer lock and the
 * journal), for the several-windows and crash tests. Started with
 *   node --import tsx test/support/storeInstanceChild.ts <config JSON>
 * Config: { storageDir, instanceId, prefix, count (-1: forever), batch, configDirs?, saveEveryBatch?, sharing? }.
 * It prints one event a line on stdout:
 *   ready <writer 0|1> | imported <calls> | ack <key> ... | writer <0|1> | done | closed | error <message>
 * and takes commands on stdin: `close` (final save, hand the lock over, exit).
 * A key is printed after `record(..., { durable: true })` resolved without a durability error: an acknowledged call.
 */
import path from 'node:path';
import readline from 'node:readline';
import type { SharingOptions } from '../../src/extension/store/storeApi';
import { StoreCore } from '../../src/extension/store/storeCore';
import { testCall } from './instancesCalls';

interface ChildConfig {
  storageDir: string;
  instanceId: string;
  prefix: string;
  count: number;
  batch: number;
  configDirs?: string[];
  /** Ask for a save after every batch (crash tests: kills land inside saves too). */
  saveEveryBatch?: boolean;
  sharing?: SharingOptions;
  saveDelayMs?: number;
}

const WASM_PATH = path.join(__dirname, '..', '..', 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const commands: string[] = [];
readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => commands.push(line.trim()))
  .on('close', () => commands.push('close'));

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as ChildConfig;
  const store = new StoreCore({ wasmPath: WASM_PATH, saveDelayMs: config.saveDelayMs ?? 200, saveRetryMs: 500 });
  store.onEvent((e) => {
    if (e.type === 'saveFailed') say(`log saveFailed ${e.error}`);
  });
  await store.open({ dbPath: path.join(config.storageDir, 'usage.sqlite'), instanceId: config.instanceId, sharing: config.sharing });
  let writer = (await store.status()).writer;
  say(`ready ${writer ? 1 : 0}`);
  if (config.configDirs) {
    const stats = await store.startClaudeCode({ configDirs: config.configDirs, watch: false });
    say(`imported ${stats.calls}`);
  }
  for (let n = 0; config.count < 0 || n < config.count; n += config.batch) {
    if (commands.includes('close')) break;
    const keys: string[] = [];
    const last = config.count < 0 ? n + config.batch : Math.min(config.count, n + config.batch);
    for (let i = n; i < last; i++) keys.push(`${config.prefix}-${i}`);
    const result = await store.record(keys.map((key) => testCall(key)), { durable: true });
    if (result.durable !== true) throw new Error(`not durable: ${result.durabilityError ?? 'no journal'}`);
    if (result.rejected.length > 0) throw new Error(`rejected: ${result.rejected[0].message}`);
    say(`ack ${keys.join(' ')}`);
    if (config.saveEveryBatch) await store.save();
    const now = (await store.status()).writer;
    if (now !== writer) say(`writer ${now ? 1 : 0}`);
    writer = now;
  }
  say('done');
  while (!commands.includes('close')) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = (await store.status()).writer;
    if (now !== writer) say(`writer ${now ? 1 : 0}`);
    writer = now;
  }
  await store.close();
  say('closed');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    say(`error ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(1);
  },
);
