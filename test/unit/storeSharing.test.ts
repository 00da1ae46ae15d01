// Several windows on one storage folder, in one process (each StoreCore is one window's store): the writer lock
// decides who saves, durable records go through the journal to every window, a new writer merges the file on disk
// first, the journal is rotated and pruned after saves and a window that slept through that catches up from the
// saved file, and a corrupt file found at a hand-over is kept aside.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SharingOptions, StoreApi, StoreEvent } from '../../src/extension/store/storeApi';
import { StoreCore } from '../../src/extension/store/storeCore';
import { allRecords, eventually, EVERYTHING } from '../support/storeInstancesHarness';
import { WASM_PATH, fakePricerFactory, makeCall, testStore, withTempDir } from './storeFixtures';

const SHARING: SharingOptions = { heartbeatMs: 50, staleMs: 300, journalPollMs: 100 };

function core(): StoreCore {
  return new StoreCore({ wasmPath: WASM_PATH, createPricer: fakePricerFactory, saveDelayMs: 60_000, saveRetryMs: 50 });
}

async function openWindow(dbPath: string, instanceId: string, sharing: SharingOptions = SHARING): Promise<StoreCore> {
  const store = core();
  await store.open({ dbPath, instanceId, sharing });
  return store;
}

async function keys(store: StoreApi): Promise<string[]> {
  return [...(await allRecords(store)).keys()].sort();
}

/** What a window opening the file now would load (it joins as a follower and never saves). */
async function recordsOnDisk(dbPath: string): Promise<number> {
  const reader = testStore();
  try {
    return (await reader.open({ dbPath, sharing: SHARING })).records;
  } finally {
    await reader.close();
  }
}

/** Lock and journal timers do not keep a process alive (a window's worker lives anyway); tests waiting on them do. */
async function alive<T>(work: Promise<T>): Promise<T> {
  const timer = setInterval(() => {}, 1000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

describe('several windows in one process', () => {
  it('one writer; durable records reach the other window through the journal; hand-over when the writer closes', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const a = await openWindow(dbPath, 'A');
      const b = await openWindow(dbPath, 'B');
      assert.equal((await a.status()).writer, true);
      assert.equal((await b.status()).writer, false);
      assert.equal((await b.status()).shared, true);

      const fromB = await b.record([makeCall({ key: 'from-b' })], { durable: true });
      assert.deepEqual([fromB.inserted, fromB.durable, fromB.durabilityError], [1, true, undefined]);
      await alive(eventually(async () => (await a.summary(EVERYTHING)).calls === 1, 'A to import B’s call from the journal'));
      const refused = await b.save();
      assert.equal(refused.saved, false);
      assert.match(refused.error ?? '', /Another window is saving/);

      await a.record([makeCall({ key: 'from-a' })], { durable: true });
      await alive(eventually(async () => (await b.summary(EVERYTHING)).calls === 2, 'B to import A’s call'));
      assert.equal((await a.save()).saved, true);
      assert.equal(await recordsOnDisk(dbPath), 2);

      await a.close(); // hands the lock over
      await alive(eventually(async () => (await b.status()).writer, 'B to take over'));
      await b.record([makeCall({ key: 'after-hand-over' })], { durable: true });
      assert.equal((await b.save()).saved, true);
      await b.close();
      assert.equal(await recordsOnDisk(dbPath), 3);
    });
  });

  it('a new writer merges the file on disk first: calls only the old writer had are kept', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const a = await openWindow(dbPath, 'A');
      const b = await openWindow(dbPath, 'B');
      // Not durable (as a collector's calls): only A knows them, and only A's file will hold them.
      await a.record([makeCall({ key: 'only-a-1' }), makeCall({ key: 'only-a-2' })]);
      await b.record([makeCall({ key: 'only-b' })]);
      await a.close();
      await alive(eventually(async () => (await b.status()).writer, 'B to take over'));
      assert.deepEqual(await keys(b), ['only-a-1', 'only-a-2', 'only-b']);
      await b.close();
      assert.equal(await recordsOnDisk(dbPath), 3);
    });
  });

  it('rotates and prunes the journal after saves; a window that slept through it catches up from the saved file', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const tidy: SharingOptions = { ...SHARING, journalRotateBytes: 1, journalPruneGraceMs: 0 };
      const writer = await openWindow(dbPath, 'W', tidy);
      // A window whose journal reading is stalled (as if its machine slept) until it is asked to read.
      const sleeper = await openWindow(dbPath, 'S', { ...tidy, journalPollMs: 0 });
      const events: StoreEvent[] = [];
      sleeper.onEvent((e) => events.push(e));
      const journalNames = () => readdir(path.join(dir, 'journal'));
      for (let round = 0; round < 4; round++) {
        const batch = Array.from({ length: 5 }, (_, i) => makeCall({ key: `k-${round}-${i}` }));
        assert.equal((await writer.record(batch, { durable: true })).durable, true);
        assert.equal((await writer.save()).saved, true);
        // Rotation runs after the save: wait for the next generation before appending more.
        await alive(eventually(async () => (await journalNames()).some((n) => n.startsWith(`journal-00000${round + 2}`)), 'a rotation'));
      }
      // Pruning follows a save whose file has finished the retired generation.
      await alive(eventually(async () => {
        await writer.readJournalNow();
        await writer.save();
        return !(await journalNames()).some((n) => n.startsWith('journal-000001'));
      }, 'the first journal file to be pruned'));
      assert.equal((await sleeper.summary(EVERYTHING)).calls, 0);

      await sleeper.readJournalNow();
      assert.equal((await sleeper.summary(EVERYTHING)).calls, 20, 'every call: pruned ones from the saved file, the rest from the journal');
      assert.ok(events.some((e) => e.type === 'log' && /tidied away/.test(e.message)));
      await sleeper.close();
      await writer.close();
      assert.equal(await recordsOnDisk(dbPath), 20);
    });
  });

  it('a restart reads only the journal lines its saved file does not hold yet', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const first = await openWindow(dbPath, 'first');
      await first.record([makeCall({ key: 'j1' }), makeCall({ key: 'j2' })], { durable: true });
      await first.close();
      const position = JSON.parse(await savedMeta(dbPath, 'journal_position')) as { doneThrough: number; offsets: Record<string, number> };
      const journal = await readFile(path.join(dir, 'journal', 'journal-000001.jsonl'));
      assert.equal(position.offsets['1'], journal.length, 'the saved position covers exactly the lines its rows hold');
      // A call that reached only the journal (its window was killed before any save).
      const other = await openWindow(dbPath, 'other');
      await other.record([makeCall({ key: 'j3' })], { durable: true });
      const again = await openWindow(dbPath, 'again');
      assert.deepEqual(await keys(again), ['j1', 'j2', 'j3']);
      await again.close();
      await other.close();
    });
  });

  it('damaged journal lines (garbage, a torn write) are skipped and reported; the calls around them arrive', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const a = await openWindow(dbPath, 'A');
      const b = await openWindow(dbPath, 'B');
      const logs: string[] = [];
      b.onEvent((e) => e.type === 'log' && logs.push(e.message));
      await a.record([makeCall({ key: 'before' })], { durable: true });
      const live = path.join(dir, 'journal', 'journal-000001.jsonl');
      await appendFile(live, 'not json at all\n{"key":"half-writ');
      await a.record([makeCall({ key: 'after' })], { durable: true });
      await alive(eventually(async () => (await b.summary(EVERYTHING)).calls === 2, 'B to import both calls'));
      assert.deepEqual(await keys(b), ['after', 'before']);
      assert.equal(logs.filter((m) => /^Journal: .*skipped/.test(m)).length, 2, logs.join('\n'));
      await b.close();
      await a.close();
    });
  });

  it('sharing: false keeps using the journal, without a lock; a memory-only store has nothing to make durable', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const alone = testStore();
      await alone.open({ dbPath, sharing: false });
      const status = await alone.status();
      assert.deepEqual([status.persistent, status.shared, status.writer], [true, false, true]);
      assert.equal((await alone.record([makeCall({ key: 'solo' })], { durable: true })).durable, true);
      assert.equal(existsSync(path.join(dir, 'writer-lock')), false);
      // Its database was never saved: the journal alone brings the call back.
      const rescued = path.join(dir, 'rescued');
      await mkdir(path.join(rescued, 'journal'), { recursive: true });
      await copyFile(path.join(dir, 'journal', 'journal-000001.jsonl'), path.join(rescued, 'journal', 'journal-000001.jsonl'));
      const fromJournal = await openWindow(path.join(rescued, 'usage.sqlite'), 'rescue');
      assert.deepEqual(await keys(fromJournal), ['solo']);
      await fromJournal.close();
      await alone.close();

      const memory = testStore();
      await memory.open({});
      const result = await memory.record([makeCall()], { durable: true });
      assert.deepEqual([result.inserted, result.durable, result.durabilityError], [1, undefined, undefined]);
      assert.deepEqual(await memory.status(), { records: 1, persistent: false, shared: false, writer: false, instanceId: null, epoch: null, callsNotOnDisk: 0, storageProblem: null,
        deferredIndexes: { pending: false, lastBuildMs: null } });
      await memory.close();
    });
  });

  it('a corrupt file found when taking over is kept aside, its backup merged, and the user told', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const a = await openWindow(dbPath, 'A');
      const b = await openWindow(dbPath, 'B');
      const logs: string[] = [];
      b.onEvent((e) => e.type === 'log' && logs.push(e.message));
      await a.record([makeCall({ key: 'in-backup' })]);
      assert.equal((await a.save()).saved, true);
      await a.record([makeCall({ key: 'only-in-damaged-file' })]);
      assert.equal((await a.save()).saved, true);
      const bytes = await readFile(dbPath);
      for (let i = 0; i < 16; i++) bytes[i] ^= 0xff;
      await writeFile(dbPath, bytes);
      await a.close(); // nothing changed since its save: no final save over the damaged file
      await alive(eventually(async () => (await b.status()).writer, 'B to take over'));
      assert.deepEqual(await keys(b), ['in-backup']);
      const kept = (await readdir(dir)).filter((n) => n.startsWith('usage.sqlite.corrupt-'));
      assert.equal(kept.length, 1, 'the damaged file is kept');
      assert.deepEqual(await readFile(path.join(dir, kept[0])), bytes);
      assert.ok(logs.some((m) => /could not be read .*kept as .*backup was merged/.test(m)), logs.join('\n'));
      await b.close();
      assert.equal(await recordsOnDisk(dbPath), 1);
    });
  });
});

async function savedMeta(dbPath: string, key: string): Promise<string> {
  const store = await openWindow(dbPath, 'meta-reader');
  try {
    return store.getMeta(key) ?? '';
  } finally {
    await store.close();
  }
}
