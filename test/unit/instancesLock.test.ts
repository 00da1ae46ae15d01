/**
 * The writer lock inside one process: election, hand-over on close, take-over from a dead pid or a silent heartbeat
 * (with a hand-driven clock), noticing a successor, and broken lock files. The multi-process proofs are in
 * instancesLockProcesses.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { entryName, lockDirOf, type LockOwner } from '../../src/extension/store/instances/lockFiles';
import { WriterLock, type WriterLockOptions } from '../../src/extension/store/instances/writerLock';

function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error(`no ${what} within ${timeoutMs} ms`));
      else setTimeout(check, 10);
    };
    check();
  });
}

async function writeOwner(storage: string, owner: LockOwner, kind: 'held' | 'released' = 'held'): Promise<string> {
  const file = path.join(lockDirOf(storage), entryName(owner.epoch, kind));
  await writeFile(file, JSON.stringify(owner));
  return file;
}

/** A pid that certainly belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid ?? 999_999;
}

describe('writer lock', () => {
  let root: string;
  let n = 0;
  const open: WriterLock[] = [];
  const storage = async (): Promise<string> => {
    const dir = path.join(root, `s${n++}`);
    await mkdir(lockDirOf(dir), { recursive: true });
    return dir;
  };
  const acquire = async (dir: string, options: Partial<WriterLockOptions> & { instanceId: string }): Promise<WriterLock> => {
    const lock = await WriterLock.acquireOrWatch(dir, { heartbeatMs: 50, staleMs: 1000, ...options });
    open.push(lock);
    return lock;
  };

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cu-lock-'));
  });
  after(async () => {
    for (const lock of open) await lock.close();
    await rm(root, { recursive: true, force: true });
  });

  it('elects the first instance, lets the second follow, and hands over at once on close', async () => {
    const dir = await storage();
    const events: string[] = [];
    const a = await acquire(dir, { instanceId: 'a', onBecameWriter: () => void events.push('a+'), onLostWriter: () => void events.push('a-') });
    const b = await acquire(dir, { instanceId: 'b', staleMs: 60_000, onBecameWriter: () => void events.push('b+') });
    assert.equal(a.isWriter(), true);
    assert.equal(a.epoch, 1);
    assert.equal(b.isWriter(), false);
    assert.equal(await b.confirm(), false, 'a live writer is not taken over');
    assert.equal(b.currentWriter?.instanceId, 'a');
    assert.equal(await a.confirm(), true);
    await a.close();
    assert.equal(a.isWriter(), false);
    // The watch (or the 50 ms poll) notices the tombstone; staleMs is a minute, so only the release can explain it.
    await until(() => b.isWriter(), 'hand-over');
    assert.equal(b.epoch, 2);
    assert.deepEqual(events, ['a+', 'b+'], 'closing is not "losing"');
    assert.deepEqual(await readdir(lockDirOf(dir)), [entryName(2, 'held')], 'older epochs are swept by the new writer');
  });

  it('takes over at once from a holder on this host whose process is gone (kill -9)', async () => {
    const dir = await storage();
    const pid = await deadPid();
    await writeOwner(dir, { instanceId: 'crashed', pid, hostname: os.hostname(), startedAt: 0, epoch: 5 });
    const lock = await acquire(dir, { instanceId: 'survivor', staleMs: 60_000 });
    assert.equal(lock.isWriter(), true);
    assert.equal(lock.epoch, 6);
    assert.equal(existsSync(path.join(lockDirOf(dir), entryName(5, 'held'))), false);
  });

  it('takes over from another host only after its heartbeat stood still for staleMs on our own clock', async () => {
    const dir = await storage();
    const file = await writeOwner(dir, { instanceId: 'far', pid: 1, hostname: 'some-other-host', startedAt: 0, epoch: 3 });
    let now = 0;
    const lock = await acquire(dir, { instanceId: 'near', heartbeatMs: 60_000, staleMs: 180_000, watch: false, clock: () => now });
    assert.equal(lock.isWriter(), false);
    now += 179_000;
    assert.equal(await lock.confirm(), false, 'not silent long enough yet');
    // The far holder beats: the silence starts over.
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    assert.equal(await lock.confirm(), false);
    now += 179_000;
    assert.equal(await lock.confirm(), false, 'silence counted from the new beat');
    now += 1_000;
    assert.equal(await lock.confirm(), true);
    assert.equal(lock.epoch, 4);
  });

  it('judges an unreadable lock file by its heartbeat only', async () => {
    const dir = await storage();
    await writeFile(path.join(lockDirOf(dir), entryName(7, 'held')), '{"instanceId": tor');
    let now = 0;
    const lock = await acquire(dir, { instanceId: 'reader', heartbeatMs: 60_000, staleMs: 180_000, watch: false, clock: () => now });
    assert.equal(lock.isWriter(), false);
    now += 180_000;
    assert.equal(await lock.confirm(), true);
    assert.equal(lock.epoch, 8);
  });

  it('treats a released epoch, or one contested by a withdrawing claim, as free', async () => {
    const dir = await storage();
    await writeOwner(dir, { instanceId: 'gone', pid: 1, hostname: 'other', startedAt: 0, epoch: 4 }, 'released');
    await writeOwner(dir, { instanceId: 'loser', pid: 1, hostname: 'other', startedAt: 0, epoch: 4 });
    const lock = await acquire(dir, { instanceId: 'next', staleMs: 60_000 });
    assert.equal(lock.epoch, 5);
  });

  it('notices a successor (a higher epoch, or its own file removed) and says why', async () => {
    const dir = await storage();
    const reasons: string[] = [];
    const lock = await acquire(dir, { instanceId: 'old', heartbeatMs: 60_000, staleMs: 180_000, onLostWriter: (r) => void reasons.push(r) });
    assert.equal(lock.epoch, 1);
    await writeOwner(dir, { instanceId: 'new', pid: 1, hostname: 'other', startedAt: 0, epoch: 2 });
    assert.equal(await lock.confirm(), false);
    assert.match(reasons[0], /epoch-000000002\.lock/);

    const dir2 = await storage();
    const lock2 = await acquire(dir2, { instanceId: 'old2', heartbeatMs: 60_000, staleMs: 180_000, onLostWriter: (r) => void reasons.push(r) });
    await rm(path.join(lockDirOf(dir2), entryName(1, 'held')));
    assert.equal(await lock2.confirm(), false);
    assert.match(reasons[1], /removed/);
  });

  it('takes its own lock back when the successor that appeared withdrew', async () => {
    const dir = await storage();
    const lock = await acquire(dir, { instanceId: 'steady', heartbeatMs: 60_000, staleMs: 180_000, watch: false });
    const intruder = await writeOwner(dir, { instanceId: 'withdrawing', pid: 1, hostname: 'other', startedAt: 0, epoch: 2 });
    assert.equal(await lock.confirm(), false);
    await rm(intruder);
    assert.equal(await lock.confirm(), true);
    assert.equal(lock.epoch, 1);
  });

  it('follows without crashing when the storage cannot hold a lock, and says so once', async () => {
    const file = path.join(root, 'not-a-folder');
    await writeFile(file, 'x');
    const logs: string[] = [];
    const lock = await acquire(file, { instanceId: 'ro', log: (_level, message) => void logs.push(message) });
    assert.equal(lock.isWriter(), false);
    assert.equal(await lock.confirm(), false);
    assert.equal(await lock.confirm(), false);
    assert.equal(logs.filter((m) => m.startsWith('Cannot create the writer lock')).length, 1);
  });
});
