/**
 * The writer lock across real processes: child node processes (test/support/instancesChild.ts) contend for one
 * storage folder's lock while the test kills, closes and freezes them. Every writer logs "epoch instance ms" lines
 * after `confirm()`; the log proves there was never more than one writer at a time.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkWriterLog, startChild, stopAll, waitForAny, type Child } from '../support/instancesHarness';

const HEARTBEAT_MS = '100';
// Kill -9 and close are taken over at once (dead pid, tombstone), so those tests use a long stale time: a contender
// starved of CPU on a busy machine is then never mistaken for a dead one. The freeze test needs the short one.
const STALE_MS = '20000';
const SHORT_STALE_MS = '2500';

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('writer lock across processes', () => {
  let root: string;
  const children: Child[] = [];

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cu-lock-proc-'));
  });
  after(async () => {
    await stopAll(children);
    await rm(root, { recursive: true, force: true });
  });

  function contender(storage: string, log: string, id: string, churn = false, staleMs = STALE_MS): Child {
    const child = startChild(id, ['lock', storage, log, id, HEARTBEAT_MS, staleMs, ...(churn ? ['churn'] : [])]);
    children.push(child);
    return child;
  }

  const writers = (group: readonly Child[]): Child[] =>
    group.filter((c) => c.running && c.count('became') > c.count('lost') + c.count('released'));

  it('keeps exactly one writer through kill -9 and clean closes, handing over each time', async () => {
    const storage = path.join(root, 'handover');
    const log = path.join(root, 'handover.log');
    let group = [contender(storage, log, 'a'), contender(storage, log, 'b'), contender(storage, log, 'c')];
    await Promise.all(group.map((c) => c.waitFor((l) => l.includes('ready'), 'ready')));
    let spawned = 3;
    let kills = 0;
    let closes = 0;
    for (let round = 0; round < 8; round++) {
      const writer = await waitForAny(group, (c) => writers([c]).length === 1, 'writer');
      assert.equal(writers(group).length, 1, 'one writer among the contenders');
      if (round % 2 === 0) {
        writer.signal('SIGKILL');
        kills += 1;
      } else {
        writer.send('close');
        closes += 1;
      }
      await writer.exited;
      group = group.filter((c) => c !== writer);
      // Someone else must take over (pid gone → at once; the deadline is only a safety net).
      await waitForAny(group, (c) => writers([c]).length === 1, `take-over after ${round % 2 === 0 ? 'kill -9' : 'close'}`);
      group.push(contender(storage, log, `n${spawned++}`));
    }
    for (const c of group) c.send('close');
    await Promise.all(group.map((c) => c.exited));
    const check = checkWriterLog(log);
    assert.deepEqual(check.overlaps, []);
    const became = children.reduce((n, c) => n + c.count('became'), 0);
    assert.ok(became >= 9, `${became} instances became the writer`);
    console.log(`handover: ${spawned} processes, ${kills} kill -9, ${closes} closes, ${became} writers in turn, ${check.lines} writer lines, overlaps 0`);
  });

  it('stays single-writer while three processes churn the lock and one is killed now and then', async () => {
    const storage = path.join(root, 'churn');
    const log = path.join(root, 'churn.log');
    let group = [contender(storage, log, 'x', true), contender(storage, log, 'y', true), contender(storage, log, 'z', true)];
    await Promise.all(group.map((c) => c.waitFor((l) => l.includes('ready'), 'ready')));
    let spawned = 3;
    let kills = 0;
    const totalReleases = (): number => children.reduce((n, c) => n + c.count('released'), 0);
    const startReleases = totalReleases();
    for (let k = 0; k < 4; k++) {
      // Let the lock change hands several times, then kill -9 whoever holds it right now (or a random one).
      const target = totalReleases() + 6;
      await waitForAny(group, () => totalReleases() >= target, 'six hand-overs');
      const victim = writers(group)[0] ?? group[Math.floor(Math.random() * group.length)];
      victim.signal('SIGKILL');
      kills += 1;
      await victim.exited;
      group = group.filter((c) => c !== victim);
      group.push(contender(storage, log, `m${spawned++}`, true));
    }
    await waitForAny(group, () => totalReleases() >= startReleases + 24, 'hand-overs after the kills');
    for (const c of group) c.send('close');
    await Promise.all(group.map((c) => c.exited));
    const check = checkWriterLog(log);
    assert.deepEqual(check.overlaps, []);
    console.log(
      `churn: ${spawned} processes, ${kills} kill -9, ${totalReleases() - startReleases} voluntary releases, ${check.epochs} epochs, ${check.lines} writer lines, overlaps 0`,
    );
  });

  it('takes over from a frozen writer once its heartbeat is stale, and the writer learns it lost on waking', async () => {
    const storage = path.join(root, 'freeze');
    const log = path.join(root, 'freeze.log');
    const first = contender(storage, log, 'sleepy', false, SHORT_STALE_MS);
    await first.waitFor((l) => l.includes('became'), 'first writer');
    const second = contender(storage, log, 'awake', false, SHORT_STALE_MS);
    await second.waitFor((l) => l.includes('ready'), 'ready');
    assert.equal(second.count('became'), 0, 'a live writer is not taken over');
    first.send('freeze');
    await first.waitFor((l) => l.includes('freezing'), 'freezing');
    await second.waitFor((l) => l.includes('became'), 'take-over from the frozen writer');
    first.signal('SIGCONT');
    await first.waitFor((l) => l.some((x) => x.startsWith('lost')), 'the woken writer noticing it lost');
    await waitUntil(() => readFileSync(log, 'utf8').includes(' awake '), 'a line from the new writer');
    first.send('close');
    second.send('close');
    await Promise.all([first.exited, second.exited]);
    const check = checkWriterLog(log);
    assert.deepEqual(check.overlaps, []);
    assert.equal(check.epochs, 2);
    console.log(`freeze: 2 processes, 1 SIGSTOP take-over, ${check.lines} writer lines, overlaps 0`);
  });
});
