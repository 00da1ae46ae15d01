// The saver's timing: timed saves batch changes; while held (a large import) they wait a minute; explicit saves never wait.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Saver } from '../../src/extension/store/saver';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `writes` has `n` entries (a loaded machine may run timers late), failing after 5 s. */
async function writesReach(writes: readonly number[], n: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (writes.length < n) {
    if (Date.now() > deadline) assert.fail(`expected ${n} saves, saw ${writes.length}`);
    await sleep(5);
  }
}

function saverWithLog(): { saver: Saver; writes: number[] } {
  const writes: number[] = [];
  let version = 0;
  const saver = new Saver({
    dbPath: '/nowhere/usage.sqlite',
    snapshot: () => new Uint8Array([++version]),
    emit: () => {},
    delayMs: 10,
    write: async (_path, bytes) => {
      writes.push(bytes[0]);
    },
  });
  return { saver, writes };
}

describe('saver', () => {
  it('saves a while after changes, once for a burst of them', async () => {
    const { saver, writes } = saverWithLog();
    saver.markDirty();
    saver.markDirty();
    saver.markDirty();
    await writesReach(writes, 1);
    await sleep(40);
    assert.equal(writes.length, 1);
    assert.equal(saver.dirty, false);
  });

  it('while held, waits a minute rather than the usual delay; saves soon after the hold ends, and at once on request', async () => {
    const { saver, writes } = saverWithLog();
    saver.markDirty();
    saver.hold(true);
    saver.markDirty();
    await sleep(60);
    assert.equal(writes.length, 0, 'no save after the usual delay while held');
    assert.equal(saver.dirty, true);

    const asked = await saver.save();
    assert.equal(asked.saved, true, 'an explicit save is not held back');
    assert.equal(writes.length, 1);
    saver.markDirty();
    await sleep(60);
    assert.equal(writes.length, 1);

    saver.hold(false);
    await writesReach(writes, 2);
    assert.equal(saver.dirty, false);
    saver.hold(false);
    await sleep(30);
    assert.equal(writes.length, 2, 'nothing new, nothing saved');
  });

  it('the final save on close happens while held', async () => {
    const { saver, writes } = saverWithLog();
    saver.hold(true);
    saver.markDirty();
    const closing = await saver.close();
    assert.equal(closing.saved, true);
    assert.equal(writes.length, 1);
  });
});
