/**
 * Full re-scans share their stats with a helper thread (statAhead.ts): whatever the helper took must be what a stat
 * of the scan's own would give — taken after the scan began, missing when the path is gone, the scan's own error when
 * there is one — and every path must get a figure however the two threads split the work, with or without a helper.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StatAhead, type StatFacts } from '../../src/extension/collectors/claudeCode/statAhead';
import { TranscriptScanner } from '../../src/extension/collectors/claudeCode/transcriptScanner';
import { makeDeps, tempDir } from './claudeCodeHelpers';

function facts(st: StatFacts | undefined): StatFacts | undefined {
  return st && { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

/** One full scan's stats, in order, through `ahead`; the helper's pass first when `waitForHelper`. */
async function scan(ahead: StatAhead, paths: readonly string[], waitForHelper: boolean): Promise<{ got: Array<StatFacts | undefined>; helperDone: boolean }> {
  ahead.begin();
  const helperDone = waitForHelper ? await ahead.helperPass() : false;
  const got = paths.map((p) => facts(ahead.stat(p)));
  ahead.end(true);
  return { got, helperDone };
}

const now = (paths: readonly string[]) => paths.map((p) => facts(fs.statSync(p, { throwIfNoEntry: false })));

/** One temporary folder for the file: the suites work in folders of their own inside it. */
let tmp: ReturnType<typeof tempDir>;
before(() => {
  tmp = tempDir('cc-statahead-');
});
after(() => tmp.cleanup());

describe('stats shared with a helper thread', () => {
  let paths: string[];
  before(() => {
    paths = [];
    for (let d = 0; d < 8; d++) {
      const dir = path.join(tmp.dir, `project-${d}`);
      fs.mkdirSync(dir);
      paths.push(dir);
      for (let f = 0; f < 30; f++) {
        const file = path.join(dir, `s${f}.jsonl`);
        fs.writeFileSync(file, 'x'.repeat(f));
        paths.push(file);
      }
    }
  });

  it('are the figures a stat gives, taken after the scan began, and the helper takes them all when it gets there first', async () => {
    const ahead = new StatAhead(10);
    try {
      const first = await scan(ahead, paths, true);
      assert.equal(first.helperDone, false, 'the first scan has no list yet: no helper');
      assert.equal(ahead.helped, 0);
      assert.deepEqual(first.got, now(paths));
      assert.equal(ahead.hasThread, false);
      ahead.prepare();
      assert.equal(ahead.hasThread, true, 'started ahead of the next scan');

      const second = await scan(ahead, paths, true);
      assert.equal(second.helperDone, true, 'the helper went through the last scan\'s paths');
      assert.equal(ahead.helped, paths.length, 'every figure came from the helper');
      assert.deepEqual(second.got, now(paths));

      // Changed between scans: the next scan's figures are new ones, never the last scan's.
      fs.appendFileSync(paths[5], 'more');
      fs.writeFileSync(path.join(paths[0], 'new.jsonl'), 'new');
      fs.rmSync(paths[10]);
      const third = await scan(ahead, paths, true);
      assert.equal(ahead.helped, paths.length);
      assert.deepEqual(third.got, now(paths));
      assert.equal(third.got[10], undefined, 'a vanished file is missing');
      assert.equal(third.got[5]?.size, (second.got[5]?.size ?? 0) + 4);
      assert.notDeepEqual(third.got[0], second.got[0], 'the folder changed');
      fs.writeFileSync(paths[10], 'x'.repeat(9));
    } finally {
      ahead.close();
    }
  });

  it('give every path its figure however the two threads split them, in a new order too', async () => {
    const ahead = new StatAhead(10);
    try {
      await scan(ahead, paths, false);
      for (let round = 0; round < 5; round++) {
        const { got } = await scan(ahead, paths, false);
        assert.deepEqual(got, now(paths), `round ${round}`);
        assert.ok(ahead.helped <= paths.length);
      }
      // A scan in another order (folders changed): paths are found wherever they are; the next list follows it.
      const reordered = [...paths].reverse();
      const extra = path.join(tmp.dir, 'project-0', 'late.jsonl');
      fs.writeFileSync(extra, 'late');
      const order = [extra, ...reordered];
      assert.deepEqual((await scan(ahead, order, true)).got, now(order));
      const next = await scan(ahead, order, true);
      assert.equal(next.helperDone, true);
      assert.equal(ahead.helped, order.length, 'the new order is the next list, the new file in it');
      assert.deepEqual(next.got, now(order));
    } finally {
      ahead.close();
    }
  });

  it('throw what a stat throws, and without a helper stat everything themselves', async () => {
    const ahead = new StatAhead(10);
    const notADir = path.join(paths[1], 'inside');
    const withBad = [...paths, notADir];
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e: unknown) {
        return (e as NodeJS.ErrnoException).code;
      }
      return 'no error';
    };
    try {
      for (let round = 0; round < 2; round++) {
        ahead.begin();
        await ahead.helperPass();
        for (const p of paths) ahead.stat(p);
        assert.equal(code(() => ahead.stat(notADir)), 'ENOTDIR');
        ahead.end(true);
      }
      ahead.close();
      const closed = await scan(ahead, paths, true);
      assert.equal(closed.helperDone, false, 'closed: no helper');
      assert.equal(ahead.helped, 0);
      assert.deepEqual(closed.got, now(paths));
      assert.equal(code(() => ahead.stat(withBad[withBad.length - 1])), 'ENOTDIR');
    } finally {
      ahead.close();
    }
  });

  it('hold a list of 300,000 paths (a heavy user\'s years of transcripts) within the thread\'s heap limit', async () => {
    const many = Array.from({ length: 300_000 }, (_, i) => path.join(tmp.dir, 'gone', `project-${i % 500}`, `session-${i}-0123456789abcdef.jsonl`));
    const ahead = new StatAhead(10);
    try {
      ahead.begin();
      for (const p of many) ahead.stat(p);
      ahead.end(true);
      ahead.begin();
      assert.equal(await ahead.helperPass(), true);
      assert.equal(many.filter((p) => ahead.stat(p) !== undefined).length, 0, 'none of them exists');
      assert.equal(ahead.helped, many.length);
      ahead.end(true);
    } finally {
      ahead.close();
    }
  });

  it('need a list as long as the threshold before a thread starts', async () => {
    const ahead = new StatAhead(paths.length + 1);
    try {
      await scan(ahead, paths, true);
      ahead.prepare();
      assert.equal(ahead.hasThread, false);
      const second = await scan(ahead, paths, true);
      assert.equal(second.helperDone, false);
      assert.equal(ahead.helped, 0);
      assert.deepEqual(second.got, now(paths));
    } finally {
      ahead.close();
    }
  });
});

describe('re-scans with a stat helper', () => {
  it('find appended lines and new conversations, and read nothing when nothing changed', async () => {
    const project = path.join(tmp.dir, 'config', 'projects', '-home-dev-app');
    fs.mkdirSync(project, { recursive: true });
    let n = 0;
    const line = (session: string) =>
      `${JSON.stringify({ type: 'assistant', sessionId: session, cwd: '/home/dev/app', timestamp: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(), message: { id: `msg_${++n}`, model: 'claude-opus-5-5', usage: { input_tokens: 1, output_tokens: 2 } } })}\n`;
    for (let s = 0; s < 20; s++) fs.writeFileSync(path.join(project, `s${s}.jsonl`), line(`s${s}`));
    const deps = makeDeps();
    const scanner = new TranscriptScanner(deps, [path.join(tmp.dir, 'config')], { statAheadMinPaths: 1, readerEntry: null });
    try {
      await scanner.scan({ progress: false });
      assert.equal(deps.sink.calls.size, 20);
      for (let round = 0; round < 6; round++) {
        fs.appendFileSync(path.join(project, `s${round}.jsonl`), line(`s${round}`));
        if (round % 2 === 1) fs.writeFileSync(path.join(project, `new${round}.jsonl`), line(`new${round}`));
        await scanner.scan({ progress: false });
        assert.equal(deps.sink.calls.size, n, `round ${round}: every call found`);
        const quiet = await scanner.scan({ progress: false });
        assert.equal(quiet.stats.filesRead, 0, `round ${round}: nothing new, nothing read`);
      }
    } finally {
      scanner.abandon();
    }
  });
});
