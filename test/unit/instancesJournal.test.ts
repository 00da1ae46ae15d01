/**
 * The journal inside one process: appends, validation, incremental reads by position, torn and garbage lines,
 * rotation and pruning, gaps, budgets. The multi-process proofs are in instancesJournalProcesses.test.ts.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendToJournal, JournalAppendError } from '../../src/extension/store/instances/journalAppend';
import { generationName, journalDirOf } from '../../src/extension/store/instances/journalFiles';
import { emptyJournalPosition, furthestJournalPosition, isJournalPosition, JournalReader } from '../../src/extension/store/instances/journalReader';
import { journalGenerations, pruneJournal, rotateJournal } from '../../src/extension/store/instances/journalRotation';
import { testCall } from '../support/instancesCalls';

const keysOf = (read: { calls: { key: string }[] }): string[] => read.calls.map((c) => c.key);

describe('journal', () => {
  let root: string;
  let n = 0;
  const storage = (): string => path.join(root, `s${n++}`);
  const activeFile = (dir: string, generation = 1): string => path.join(journalDirOf(dir), generationName(generation, 'active'));

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cu-journal-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('appends calls as JSON lines and reads each once, resuming from a saved position', async () => {
    const dir = storage();
    assert.deepEqual(await appendToJournal(dir, [testCall('a-1'), testCall('a-2')]), { appended: 2, rejected: [], rewrites: 0 });
    const reader = new JournalReader(dir);
    assert.deepEqual(keysOf(await reader.readNew()), ['a-1', 'a-2']);
    assert.deepEqual(keysOf(await reader.readNew()), [], 'nothing new');
    const saved = reader.position;
    assert.ok(isJournalPosition(saved));
    await appendToJournal(dir, [testCall('a-3')]);
    // Another instance loading the database saved at `saved` picks up exactly what came after.
    const later = new JournalReader(dir, saved);
    assert.deepEqual(keysOf(await later.readNew()), ['a-3']);
    reader.restore(emptyJournalPosition());
    assert.deepEqual(keysOf(await reader.readNew()), ['a-1', 'a-2', 'a-3'], 'restoring an older position re-reads (dedup by key makes that harmless)');
    const read = await new JournalReader(dir).readNew();
    assert.deepEqual(read.calls[0], { ...testCall('a-1'), sidechain: false }, 'the call comes back as the recorder would store it');
  });

  it('refuses invalid calls before writing anything, with the reason, and keeps the valid ones', async () => {
    const dir = storage();
    const bad = { ...testCall('b-2'), tokens: { input: -1, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 } };
    const result = await appendToJournal(dir, [testCall('b-1'), bad, 'nonsense']);
    assert.equal(result.appended, 1);
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.key]),
      [
        [1, 'b-2'],
        [2, null],
      ],
    );
    assert.match(result.rejected[0].message, /tokens\.input/);
    assert.deepEqual(keysOf(await new JournalReader(dir).readNew()), ['b-1']);
    assert.deepEqual(await appendToJournal(storage(), ['x']), { appended: 0, rejected: [{ index: 0, key: null, message: 'a call must be an object (got "x")' }], rewrites: 0 });
  });

  it('leaves a partial last line for the next read, and a torn line cannot swallow the next append', async () => {
    const dir = storage();
    await appendToJournal(dir, [testCall('c-1')]);
    const line = JSON.stringify(testCall('c-2'));
    await appendFile(activeFile(dir), `\n${line.slice(0, 25)}`);
    const reader = new JournalReader(dir);
    const first = await reader.readNew();
    assert.deepEqual(keysOf(first), ['c-1']);
    assert.equal(first.skipped, 0, 'a partial line is not garbage yet');
    await appendFile(activeFile(dir), `${line.slice(25)}\n`);
    assert.deepEqual(keysOf(await reader.readNew()), ['c-2'], 'completed later, read once');

    // A writer that died mid-line (disk full): its torn bytes end where the next append's leading newline starts.
    await appendFile(activeFile(dir), `\n${line.slice(0, 40)}`);
    await appendToJournal(dir, [testCall('c-3')]);
    const after = await reader.readNew();
    assert.deepEqual(keysOf(after), ['c-3']);
    assert.equal(after.skipped, 1);
    assert.match(after.problems[0], /journal-000001\.jsonl at byte \d+: skipped not JSON/);
  });

  it('skips garbage of every kind with a count and reads the valid lines around it', async () => {
    const dir = storage();
    await appendToJournal(dir, [testCall('d-1')]);
    const garbage = [
      Buffer.from([0x00, 0xff, 0xfe, 0x0b, 0x80]).toString('latin1'),
      '{"key": "d-x", "ts": "yesterday"}',
      '[1,2,3]',
      'null',
      '{'.repeat(10_000),
      JSON.stringify({ ...testCall('d-y'), source: 'robot' }),
      `"${'z'.repeat(2 * 1024 * 1024)}"`,
    ];
    await appendFile(activeFile(dir), `${garbage.join('\n')}\n\n   \n`);
    await appendToJournal(dir, [testCall('d-2')]);
    const read = await new JournalReader(dir).readNew();
    assert.deepEqual(keysOf(read), ['d-1', 'd-2']);
    assert.equal(read.skipped, garbage.length);
    assert.ok(read.problems.some((p) => /longer than 1 MiB/.test(p)));
    assert.ok(read.problems.some((p) => /source must be one of/.test(p)));
  });

  it('rotates: new appends go to the next generation, retired ones are read to their end, nothing is lost', async () => {
    const dir = storage();
    await appendToJournal(dir, [testCall('e-1')]);
    const reader = new JournalReader(dir);
    assert.deepEqual(keysOf(await reader.readNew()), ['e-1']);
    await appendToJournal(dir, [testCall('e-2')]);
    assert.deepEqual(await rotateJournal(dir), { rotated: true, active: 2, retired: [1] });
    await appendToJournal(dir, [testCall('e-3')]);
    assert.deepEqual(keysOf(await reader.readNew()), ['e-2', 'e-3'], 'the rest of the retired generation, then the new one');
    assert.deepEqual(reader.position, { doneThrough: 1, offsets: { '2': (await journalGenerations(dir))[1].bytes } });
    assert.deepEqual(
      (await journalGenerations(dir)).map((g) => [g.generation, g.state]),
      [
        [1, 'retired'],
        [2, 'active'],
      ],
    );
    assert.deepEqual(await rotateJournal(dir, { ifLargerThan: 1_000_000 }), { rotated: false, active: 2, retired: [] });
  });

  it('finishes a rotation that a crash interrupted (two active generations) and reads both meanwhile', async () => {
    const dir = storage();
    await appendToJournal(dir, [testCall('f-1')]);
    await writeFile(activeFile(dir, 2), '');
    await appendToJournal(dir, [testCall('f-2')]);
    const reader = new JournalReader(dir);
    assert.deepEqual(keysOf(await reader.readNew()).sort(), ['f-1', 'f-2']);
    assert.deepEqual(await rotateJournal(dir, { ifLargerThan: 1_000_000 }), { rotated: true, active: 2, retired: [1] });
    await reader.readNew();
    assert.equal(reader.position.doneThrough, 1);
  });

  it('prunes only retired generations a saved position has finished, after the grace period', async () => {
    const dir = storage();
    await appendToJournal(dir, [testCall('g-1')]);
    await rotateJournal(dir);
    await appendToJournal(dir, [testCall('g-2')]);
    await rotateJournal(dir);
    const reader = new JournalReader(dir);
    await reader.readNew();
    const saved = reader.position;
    assert.equal(saved.doneThrough, 2);
    assert.deepEqual(await pruneJournal(dir, { doneThrough: 1, offsets: {} }, { graceMs: 60_000 }), [], 'within the grace period');
    assert.deepEqual(await pruneJournal(dir, { doneThrough: 1, offsets: {} }, { graceMs: 60_000, nowMs: Date.now() + 120_000 }), [1]);
    assert.deepEqual(await pruneJournal(dir, saved, { graceMs: 0, nowMs: Date.now() + 1000 }), [2]);
    assert.deepEqual(
      (await readdir(journalDirOf(dir))).sort(),
      [generationName(3, 'active')],
      'the live generation is never pruned',
    );

    // An instance that was asleep through all of this learns which generations it missed (reload the saved database).
    const lagging = new JournalReader(dir);
    const read = await lagging.readNew();
    assert.deepEqual(read.missing, [1, 2]);
    assert.equal(lagging.position.doneThrough, 2);
    await appendToJournal(dir, [testCall('g-3')]);
    assert.deepEqual(keysOf(await lagging.readNew()), ['g-3']);
  });

  it('reads a big backlog in budgeted steps, and starts over if a file shrank', async () => {
    const dir = storage();
    const keys = Array.from({ length: 300 }, (_, i) => `h-${i}`);
    await appendToJournal(dir, keys.map((k) => testCall(k)));
    const reader = new JournalReader(dir);
    const got: string[] = [];
    let steps = 0;
    for (;;) {
      const read = await reader.readNew({ maxBytes: 4096 });
      got.push(...keysOf(read));
      steps += 1;
      if (!read.more && read.calls.length === 0) break;
    }
    assert.deepEqual(got, keys);
    assert.ok(steps > 10, `${steps} steps`);

    await truncate(activeFile(dir), 0);
    await appendToJournal(dir, [testCall('h-new')]);
    const read = await reader.readNew();
    assert.deepEqual(keysOf(read), ['h-new']);
    assert.match(read.problems[0], /shorter/);
  });

  it('fails an append with a clear error when the journal cannot be written, and acknowledges nothing', async () => {
    const dir = storage();
    await mkdir(dir, { recursive: true });
    await writeFile(journalDirOf(dir), 'a file where the journal folder should be');
    await assert.rejects(appendToJournal(dir, [testCall('i-1')]), (e: unknown) => e instanceof JournalAppendError && /journal/.test(e.message));
    assert.equal(await readFile(journalDirOf(dir), 'utf8'), 'a file where the journal folder should be');
    const read = await new JournalReader(dir).readNew();
    assert.deepEqual(read.calls, []);
  });

  it('notices a journal folder that was emptied and numbered from 1 again, and reads it from the start', async () => {
    const dir = storage();
    await appendToJournal(dir, [testCall('j-1')]);
    await rotateJournal(dir);
    await rotateJournal(dir);
    const reader = new JournalReader(dir);
    await reader.readNew();
    assert.equal(reader.position.doneThrough, 2);
    await rm(journalDirOf(dir), { recursive: true });
    assert.deepEqual(keysOf(await reader.readNew()), []);
    await appendToJournal(dir, [testCall('j-2')]);
    const read = await reader.readNew();
    assert.deepEqual(keysOf(read), ['j-2']);
    assert.match(read.problems[0], /reset/);
  });

  it('merges two positions into what they cover together', () => {
    assert.deepEqual(
      furthestJournalPosition({ doneThrough: 2, offsets: { '3': 100, '4': 5 } }, { doneThrough: 3, offsets: { '4': 50, '5': 7 } }),
      { doneThrough: 3, offsets: { '4': 50, '5': 7 } },
    );
    assert.deepEqual(furthestJournalPosition(emptyJournalPosition(), emptyJournalPosition()), emptyJournalPosition());
  });

  it('validates positions it is asked to restore', () => {
    assert.equal(isJournalPosition({ doneThrough: 2, offsets: { '3': 10 } }), true);
    assert.equal(isJournalPosition({ doneThrough: -1, offsets: {} }), false);
    assert.equal(isJournalPosition({ doneThrough: 1, offsets: { x: 1 } }), false);
    assert.equal(isJournalPosition({ doneThrough: 1, offsets: { '2': 1.5 } }), false);
    assert.throws(() => new JournalReader(root).restore({ doneThrough: 'x' } as never), /Not a journal position/);
  });
});
