/**
 * The journal across real processes: child node processes (test/support/instancesChild.ts) append calls while this
 * process tails the journal, rotates and prunes it, and kills children with SIGKILL at random moments. A child prints
 * a key only after `appendToJournal` resolved, so every printed key is an acknowledged call that must be in the journal.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JournalReader } from '../../src/extension/store/instances/journalReader';
import { pruneJournal, rotateJournal } from '../../src/extension/store/instances/journalRotation';
import { startChild, stopAll, type Child } from '../support/instancesHarness';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Tallies how often each key was read. */
class Tally {
  readonly seen = new Map<string, number>();
  skipped = 0;
  add(read: { calls: { key: string }[]; skipped: number }): void {
    this.skipped += read.skipped;
    for (const c of read.calls) this.seen.set(c.key, (this.seen.get(c.key) ?? 0) + 1);
  }
  get duplicates(): number {
    let n = 0;
    for (const count of this.seen.values()) n += count - 1;
    return n;
  }
}

describe('journal across processes', () => {
  let root: string;
  const children: Child[] = [];

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cu-journal-proc-'));
  });
  after(async () => {
    await stopAll(children);
    await rm(root, { recursive: true, force: true });
  });

  function appender(storage: string, prefix: string, count: number, batch: number, waitForGo = false): Child {
    const child = startChild(prefix, ['append', storage, prefix, String(count), String(batch)], waitForGo ? { CU_WAIT_FOR_GO: '1' } : {});
    children.push(child);
    return child;
  }

  it('reads every call of 3 concurrent appenders exactly once while tailing (3 × 500 calls)', async () => {
    const storage = path.join(root, 'concurrent');
    const group = ['p', 'q', 'r'].map((prefix) => appender(storage, prefix, 500, 1));
    const reader = new JournalReader(storage);
    const tally = new Tally();
    let reads = 0;
    while (group.some((c) => c.running)) {
      tally.add(await reader.readNew());
      reads += 1;
      await sleep(5);
    }
    for (const c of group) assert.equal((await c.exited).code, 0, `${c.name} finished cleanly`);
    tally.add(await reader.readNew());
    const acked = group.flatMap((c) => c.acknowledged());
    assert.equal(acked.length, 1500);
    assert.equal(tally.skipped, 0, 'no torn or garbage lines');
    assert.equal(tally.duplicates, 0, 'each call read once');
    assert.deepEqual([...tally.seen.keys()].sort(), [...acked].sort());
    console.log(`concurrent: 3 processes, 1500 calls appended, ${tally.seen.size} read once each, ${reads} tailing reads, 0 lost, 0 skipped`);
  });

  it('keeps every acknowledged call when appenders are killed with SIGKILL at random moments', async () => {
    const storage = path.join(root, 'crash');
    const rounds = 2;
    const perRound = 10;
    let crashPoints = 0;
    const acked: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const group = Array.from({ length: perRound }, (_, i) => appender(storage, `k${round}_${i}`, 1_000_000, 1 + ((round + i) % 3), true));
      await Promise.all(group.map((c) => c.waitFor((l) => l.includes('ready'), 'ready')));
      for (const c of group) c.send('go');
      await Promise.all(
        group.map(async (c) => {
          // After a random number of acknowledged appends, plus a random sliver of time: the kill lands anywhere
          // in the open / write / fsync / check / close cycle of the next append.
          const acks = 1 + Math.floor(Math.random() * 40);
          await c.waitFor((l) => l.filter((x) => x.startsWith('ack ')).length >= acks, `${acks} acknowledged appends`);
          await sleep(Math.random() * 3);
          c.signal('SIGKILL');
          const { signal } = await c.exited;
          if (signal === 'SIGKILL') crashPoints += 1;
        }),
      );
      acked.push(...group.flatMap((c) => c.acknowledged()));
    }
    const reader = new JournalReader(storage);
    const tally = new Tally();
    tally.add(await reader.readNew());
    const lost = acked.filter((key) => !tally.seen.has(key));
    assert.deepEqual(lost, [], 'every acknowledged call is in the journal');
    assert.ok(crashPoints >= rounds * perRound - 1, `${crashPoints} processes died by SIGKILL mid-run`);
    console.log(
      `crash: ${crashPoints} SIGKILL crash points (${rounds} rounds × ${perRound} processes), ${acked.length} acknowledged calls, ` +
        `${tally.seen.size} calls in the journal (unacknowledged ones that landed are fine), ${tally.skipped} torn lines skipped, ${lost.length} lost`,
    );
  });

  it('loses nothing while the journal is rotated and pruned under 3 appenders, one of them killed', async () => {
    const storage = path.join(root, 'rotation');
    const group = ['u', 'v', 'w'].map((prefix) => appender(storage, prefix, 400, 1 + (prefix.charCodeAt(0) % 2)));
    const reader = new JournalReader(storage);
    const tally = new Tally();
    let rotations = 0;
    let pruned = 0;
    const victim = group[2];
    void victim.waitFor((l) => l.filter((x) => x.startsWith('ack ')).length >= 150, '150 acks', 60_000).then(
      () => victim.signal('SIGKILL'),
      () => undefined,
    );
    while (group.some((c) => c.running)) {
      const result = await rotateJournal(storage);
      if (result.rotated) rotations += 1;
      tally.add(await reader.readNew());
      // As aggressive as it gets: delete what this reader has finished, with no grace period at all.
      pruned += (await pruneJournal(storage, reader.position, { graceMs: 0 })).length;
      await sleep(3 + Math.random() * 10);
    }
    tally.add(await reader.readNew());
    const acked = group.flatMap((c) => c.acknowledged());
    const lost = acked.filter((key) => !tally.seen.has(key));
    assert.deepEqual(lost, []);
    assert.equal(tally.skipped, 0);
    // A key may be read twice only because its appender wrote it again after a rotation retired the file under it
    // (checked for the two survivors: the killed one may have died between a rewrite and reporting it).
    const survivors = group.slice(0, 2);
    const rewritten = survivors.flatMap((c) => c.lines).filter((l) => l.startsWith('rewrote ')).reduce((sum, l) => sum + Number(l.slice(8)), 0);
    const survivorDuplicates = [...tally.seen].filter(([key]) => /^[uv]-/.test(key)).reduce((sum, [, count]) => sum + count - 1, 0);
    assert.ok(survivorDuplicates <= rewritten, `${survivorDuplicates} duplicates, ${rewritten} rewritten calls`);
    assert.ok(rotations >= 10, `${rotations} rotations`);
    assert.equal((await group[0].exited).code, 0);
    assert.equal((await group[1].exited).code, 0);
    console.log(
      `rotation: 3 processes (1 killed), ${acked.length} acknowledged calls, ${rotations} rotations, ${pruned} generations pruned, ` +
        `${tally.seen.size} distinct calls read, ${tally.duplicates} duplicates (${survivorDuplicates} of the survivors', from ${rewritten} rewritten calls; dedup by key absorbs them), ${lost.length} lost`,
    );
  });
});
