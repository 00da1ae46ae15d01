/**
 * A child process for the several-instances tests, standing in for one VS Code window's store. Started with
 * `node --import tsx test/support/instancesChild.ts <mode> ...`. It reports on stdout, one event a line:
 *   ready | became | lost <reason> | released <epoch> | freezing | thawed | rewrote <calls> | ack <key> ... | done |
 *   error <message>
 * and takes commands on stdin, one a line: close | freeze | go.
 *
 * Modes:
 *   lock <storageDir> <logFile> <instanceId> <heartbeatMs> <staleMs> [churn]
 *     Contends for the writer lock. While it is the writer it appends "<epoch> <instanceId> <ms>" to logFile every
 *     ~10 ms, each time only after `confirm()` said yes. With `churn` it hands the lock back after a random short
 *     while and contends again under a new instance id, so hand-overs happen all the time.
 *   append <storageDir> <prefix> <count> <batch>
 *     Appends <count> calls (keys <prefix>-<n>), <batch> per append, and prints each key after its append resolved.
 *     With CU_WAIT_FOR_GO=1 in its environment it starts appending only after the "go" command.
 */
import { appendFile } from 'node:fs/promises';
import readline from 'node:readline';
import { appendToJournal } from '../../src/extension/store/instances/journalAppend';
import { WriterLock } from '../../src/extension/store/instances/writerLock';
import { testCall } from './instancesCalls';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const commands: string[] = [];
readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => commands.push(line.trim()))
  // The test runner went away: hand the lock back and leave rather than linger.
  .on('close', () => commands.push('close'));

async function runLock(args: string[]): Promise<void> {
  const [storageDir, logFile, baseId, heartbeat, stale, churn] = args;
  let generation = 0;
  let lock: WriterLock | undefined;
  let writerSince = 0;
  let instanceId = baseId;
  const open = async (): Promise<WriterLock> => {
    instanceId = generation === 0 ? baseId : `${baseId}.${generation}`;
    generation += 1;
    return WriterLock.acquireOrWatch(storageDir, {
      instanceId,
      heartbeatMs: Number(heartbeat),
      staleMs: Number(stale),
      onBecameWriter: () => {
        writerSince = Date.now();
        say('became');
      },
      onLostWriter: (reason) => say(`lost ${reason}`),
      log: (level, message) => {
        if (level !== 'info') say(`log ${level} ${message}`);
      },
    });
  };
  lock = await open();
  say('ready');
  let holdMs = 30 + Math.random() * 150;
  for (;;) {
    const command = commands.shift();
    if (command === 'close') {
      await lock.close();
      say('done');
      process.exit(0);
    }
    if (command === 'freeze') {
      // Stops itself at a known point (between two writes), as a laptop lid closing would; the test sends SIGCONT.
      say('freezing');
      process.kill(process.pid, 'SIGSTOP');
      say('thawed');
    }
    if (lock.isWriter() && (await lock.confirm())) {
      const epoch = lock.epoch;
      await appendFile(logFile, `${epoch} ${instanceId} ${Date.now()}\n`);
      if (churn === 'churn' && Date.now() - writerSince > holdMs) {
        await lock.close();
        say(`released ${epoch}`);
        holdMs = 30 + Math.random() * 150;
        await sleep(Math.random() * 30);
        lock = await open();
      }
    }
    await sleep(10);
  }
}

async function runAppend(args: string[]): Promise<void> {
  const [storageDir, prefix, countText, batchText] = args;
  const count = Number(countText);
  const batch = Math.max(1, Number(batchText));
  say('ready');
  // Optionally wait for "go", so that a test can start several appenders first and crash them all mid-run.
  if (process.env.CU_WAIT_FOR_GO === '1') {
    while (!commands.includes('go')) await sleep(2);
  }
  for (let n = 0; n < count; n += batch) {
    const keys: string[] = [];
    for (let i = n; i < Math.min(count, n + batch); i++) keys.push(`${prefix}-${i}`);
    const result = await appendToJournal(storageDir, keys.map((key) => testCall(key)));
    if (result.appended !== keys.length) throw new Error(`appended ${result.appended} of ${keys.length}`);
    if (result.rewrites > 0) say(`rewrote ${result.rewrites * keys.length}`);
    say(`ack ${keys.join(' ')}`);
  }
  say('done');
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'lock') await runLock(args);
  else if (mode === 'append') await runAppend(args);
  else throw new Error(`unknown mode ${mode}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    say(`error ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(1);
  },
);
