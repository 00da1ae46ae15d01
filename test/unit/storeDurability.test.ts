// Storage that fails (a full disk while saving, a journal that cannot be written), retention, and clock trouble —
// with the writer lock and the journal in play. Runs as root, so instead of read-only folders the failures come from
// a file standing where a folder should be, or from the save's injected writer (a disk that fills up mid-write).
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createApi } from '../../src/extension/api/createApi';
import { JournalReader } from '../../src/extension/store/instances/journalReader';
import { writeDatabaseFile } from '../../src/extension/store/persistence';
import type { DatabaseWriter } from '../../src/extension/store/saver';
import type { SharingOptions, StoreEvent } from '../../src/extension/store/storeApi';
import { StoreCore, type StoreCoreOptions } from '../../src/extension/store/storeCore';
import { defaultGranularity, PERIODS, periodRange } from '../../src/shared/period';
import { allRecords, eventually, EVERYTHING } from '../support/storeInstancesHarness';
import { WASM_PATH, fakePricerFactory, makeCall, tokens, withTempDir } from './storeFixtures';

const SHARING: SharingOptions = { heartbeatMs: 50, staleMs: 300, journalPollMs: 100 };
const DAY = 86_400_000;

function core(options: StoreCoreOptions = {}): StoreCore {
  return new StoreCore({ wasmPath: WASM_PATH, createPricer: fakePricerFactory, saveDelayMs: 60_000, saveRetryMs: 50, ...options });
}

async function alive<T>(work: Promise<T>): Promise<T> {
  const timer = setInterval(() => {}, 1000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

function events(store: StoreCore): StoreEvent[] {
  const seen: StoreEvent[] = [];
  store.onEvent((e) => seen.push(e));
  return seen;
}

let inspections = 0;

/** What the database file itself holds (a copy opened alone: no journal, no lock, nothing written beside it). */
async function fileRecords(dbPath: string): Promise<{ records: number; recovered: boolean }> {
  const copy = path.join(path.dirname(dbPath), `inspect-${++inspections}`, 'usage.sqlite');
  await mkdir(path.dirname(copy));
  await copyFile(dbPath, copy);
  const reader = core();
  try {
    const opened = await reader.open({ dbPath: copy, sharing: SHARING });
    return { records: opened.records, recovered: opened.recovery !== undefined };
  } finally {
    await reader.close();
  }
}

describe('a full disk or unwritable storage', () => {
  it('a save failing mid-write: warned once, recording goes on, the saved file is untouched, saving resumes', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      let diskFull = false;
      // Like ENOSPC half-way through the temp file: the partial temp file is left behind as a real failure would.
      const writeDatabase: DatabaseWriter = async (file, bytes, confirm) => {
        if (!diskFull) return writeDatabaseFile(file, bytes, confirm);
        await writeFile(`${file}.tmp-full-disk`, bytes.subarray(0, bytes.length >> 1));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
      const store = core({ writeDatabase });
      const seen = events(store);
      await store.open({ dbPath, sharing: SHARING });
      await store.record([makeCall({ key: 'saved-1' }), makeCall({ key: 'saved-2' })], { durable: true });
      assert.equal((await store.save()).saved, true);
      const before = await readFile(dbPath);

      diskFull = true;
      await store.record([makeCall({ key: 'while-full-1' })], { durable: true });
      const failed = await store.save();
      assert.equal(failed.saved, false);
      assert.match(failed.error ?? '', /disk is full.*Recording continues in memory/);
      await store.record([makeCall({ key: 'while-full-2' })]);
      assert.equal((await store.save()).saved, false);
      assert.equal(seen.filter((e) => e.type === 'saveFailed').length, 1, 'announced once');
      assert.match((await store.status()).storageProblem ?? '', /disk is full/);
      assert.equal((await store.summary(EVERYTHING)).calls, 4, 'recording continues in memory');
      assert.deepEqual(await readFile(dbPath), before, 'the saved file is untouched');
      assert.deepEqual(await fileRecords(dbPath), { records: 2, recovered: false });

      diskFull = false;
      await alive(eventually(() => seen.some((e) => e.type === 'saveRecovered'), 'the retried save to succeed'));
      assert.equal((await store.status()).storageProblem, null);
      await store.close();
      assert.deepEqual(await fileRecords(dbPath), { records: 4, recovered: false });
    });
  });

  it('a journal that cannot be written: the call is counted, the caller is told, it is journaled when the disk allows', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const store = core();
      const seen = events(store);
      await store.open({ dbPath, sharing: SHARING });
      const api = createApi(store, { callerId: 'test', onDidChange: () => ({ dispose() {} }) });
      const usage = { input_tokens: 10, output_tokens: 5 };
      assert.deepEqual(await api.recordCall({ id: 'msg_ok', model: 'model-a', usage, name: 'Tool' }), { stored: true, costUsd: '0.000000045' });

      const journal = path.join(dir, 'journal');
      await rm(journal, { recursive: true, maxRetries: 5 });
      await writeFile(journal, 'a file where the journal folder should be');
      const result = await store.record([makeCall({ key: 'not-on-disk' })], { durable: true });
      assert.equal(result.inserted, 1);
      assert.equal(result.durable, false);
      assert.match(result.durabilityError ?? '', /could not write recorded calls to disk.*counted in memory/);
      await assert.rejects(api.recordCall({ id: 'msg_refused', model: 'model-a', usage, name: 'Tool' }), /recordCall: Claude Usage could not write recorded calls to disk/);
      assert.equal((await store.summary(EVERYTHING)).calls, 3, 'both are counted');
      assert.equal((await store.status()).callsNotOnDisk, 2);
      assert.equal(seen.filter((e) => e.type === 'saveFailed').length, 1);

      await rm(journal);
      await alive(eventually(async () => (await store.status()).callsNotOnDisk === 0, 'the journal append to be retried'));
      // The all-clear is announced once every trouble has cleared, which may be just after the status says so.
      await alive(eventually(() => seen.some((e) => e.type === 'saveRecovered'), 'saveRecovered after the retry'));
      const inJournal = (await new JournalReader(dir).readNew()).calls.map((c) => c.key).sort();
      assert.deepEqual(inJournal, ['msg_refused', 'not-on-disk']);
      await store.close();
    });
  });

  it('storage where nothing can be created: warned at open, recording goes on, everything is saved once it can be', async () => {
    await withTempDir(async (dir) => {
      const storage = path.join(dir, 'storage');
      await writeFile(storage, 'not a folder');
      const dbPath = path.join(storage, 'usage.sqlite');
      const store = core();
      const seen = events(store);
      await store.open({ dbPath, sharing: SHARING });
      assert.match((await store.status()).storageProblem ?? '', /does not exist or is not a folder/);
      const result = await store.record([makeCall({ key: 'a' }), makeCall({ key: 'b' })], { durable: true });
      assert.equal(result.durable, false);
      assert.equal((await store.summary(EVERYTHING)).calls, 2);
      await rm(storage);
      await mkdir(storage);
      await alive(eventually(() => seen.some((e) => e.type === 'saveRecovered'), 'saving and journaling to work again'));
      assert.equal(seen.filter((e) => e.type === 'saveFailed').length, 1);
      await alive(eventually(async () => (await store.status()).callsNotOnDisk === 0, 'the journal to take the calls'));
      await store.close();
      assert.deepEqual(await fileRecords(dbPath), { records: 2, recovered: false });
    });
  });
});

describe('retention', () => {
  it('pruneBefore removes old calls with their roll-ups; totals, series and pages agree; a future cutoff is refused', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const store = core();
      await store.open({ dbPath, sharing: SHARING });
      const cutoff = Date.UTC(2026, 9, 10, 12, 7); // inside a 15-minute bucket: part of it stays
      const calls = Array.from({ length: 240 }, (_, i) => makeCall({ key: `r-${i}`, ts: cutoff + (i - 120) * 61_000, tokens: tokens({ input: i + 1, output: 2 }) }));
      await store.record(calls);
      await assert.rejects(store.pruneBefore(Date.now() + DAY), /in the future; nothing was removed/);
      assert.deepEqual(await store.pruneBefore(cutoff), { removed: 120 });
      const kept = calls.filter((c) => c.ts >= cutoff);
      const range = { from: cutoff - DAY, to: cutoff + DAY };
      const summary = await store.summary(range);
      assert.equal(summary.calls, kept.length);
      assert.equal(summary.tokens.input, kept.reduce((s, c) => s + c.tokens.input, 0));
      for (const timeZone of ['UTC', 'Asia/Kathmandu']) {
        const dash = await store.dashboard({ range, timeZone, granularity: 'hour', topBy: 'cost' });
        assert.equal(dash.series.reduce((s, p) => s + p.calls, 0), kept.length, timeZone);
        assert.equal(dash.series.reduce((s, p) => s + p.costNanos, 0), summary.costNanos, timeZone);
      }
      assert.equal((await store.records({ range, page: 1 })).total, kept.length);
      await store.close();
    });
  });

  it('calls pruned here do not come back when another window’s older file is merged', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const old = Date.UTC(2025, 0, 1);
      const a = core();
      await a.open({ dbPath, instanceId: 'A', sharing: SHARING });
      await a.record([makeCall({ key: 'old', ts: old }), makeCall({ key: 'new', ts: Date.UTC(2026, 10, 1) })]);
      assert.equal((await a.save()).saved, true);
      const b = core();
      await b.open({ dbPath, instanceId: 'B', sharing: SHARING });
      assert.deepEqual(await b.pruneBefore(Date.UTC(2026, 0, 1)), { removed: 1 });
      await a.record([makeCall({ key: 'newer', ts: Date.UTC(2026, 10, 2) })]);
      await a.close(); // its final file still holds the old call
      await alive(eventually(async () => (await b.status()).writer, 'B to take over'));
      assert.deepEqual([...(await allRecords(b)).keys()].sort(), ['new', 'newer']);
      await b.close();
      assert.deepEqual(await fileRecords(dbPath), { records: 2, recovered: false });
    });
  });
});

describe('clock trouble', () => {
  const now = Date.now();
  const dated = {
    future: Date.UTC(2100, 0, 1, 12),
    epoch: Date.UTC(1970, 0, 1),
    beforeEpoch: Date.UTC(1960, 5, 15, 3, 33),
    recent: now - 3_600_000,
  };

  async function storeWithOddDates(dbPath?: string): Promise<StoreCore> {
    const store = core();
    await store.open(dbPath ? { dbPath, sharing: SHARING } : {});
    const result = await store.record(Object.entries(dated).map(([key, ts]) => makeCall({ key, ts })), { durable: true });
    assert.equal(result.inserted, 4, 'calls from far past and far future are stored');
    return store;
  }

  it('far-future and far-past calls are stored, outside every period, and no dashboard query fails', async () => {
    const store = await storeWithOddDates();
    for (const period of PERIODS) {
      const range = periodRange(period, now);
      assert.equal((await store.summary(range)).calls, 1, period);
      for (const timeZone of ['UTC', 'America/St_Johns', 'Asia/Kathmandu']) {
        const dash = await store.dashboard({ range, timeZone, granularity: defaultGranularity(period), topBy: 'cost' });
        assert.equal(dash.series.reduce((s, p) => s + p.calls, 0), 1, `${period} ${timeZone}`);
      }
      assert.deepEqual((await store.records({ range, page: 1 })).rows.map((r) => r.key), ['recent']);
    }
    const all = await store.records({ range: EVERYTHING, page: 1, sort: 'time' });
    assert.deepEqual(all.rows.map((r) => r.key), ['future', 'recent', 'epoch', 'beforeEpoch']);
    assert.equal((await store.summary(EVERYTHING)).calls, 4);
    await store.close();
  });

  it('the system clock moving (a year back, to 2100) only moves the periods; nothing fails', async () => {
    const store = await storeWithOddDates();
    const cases: Array<[string, number, number]> = [
      ['a year back', now - 365 * DAY, 0],
      ['a day back', now - DAY, 0],
      ['to 2100', dated.future + 60_000, 1],
      ['to 1970', dated.epoch + 60_000, 1],
    ];
    for (const [label, clock, expected] of cases) {
      for (const period of PERIODS) {
        const range = periodRange(period, clock);
        assert.equal((await store.summary(range)).calls, expected, `${label} ${period}`);
        const dash = await store.dashboard({ range, timeZone: 'Europe/Berlin', granularity: defaultGranularity(period), topBy: 'tokens' });
        assert.equal(dash.series.reduce((s, p) => s + p.calls, 0), expected, `${label} ${period}`);
      }
    }
    await store.close();
  });

  it('odd dates survive the journal and a saved file', async () => {
    await withTempDir(async (dir) => {
      const dbPath = path.join(dir, 'usage.sqlite');
      const store = await storeWithOddDates(dbPath);
      await store.close();
      const again = core();
      await again.open({ dbPath, sharing: SHARING });
      const rows = await allRecords(again);
      assert.deepEqual(Object.fromEntries([...rows.values()].map((r) => [r.key, r.ts])), dated);
      const dash = await again.dashboard({ range: { from: dated.beforeEpoch - DAY, to: dated.beforeEpoch + DAY }, timeZone: 'UTC', granularity: 'hour', topBy: 'cost' });
      assert.equal(dash.series.reduce((s, p) => s + p.calls, 0), 1, 'a call before 1970 lands in its hour');
      await again.close();
    });
  });
});
