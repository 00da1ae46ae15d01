/**
 * Re-scans reuse folder listings (dirCache.ts) only when that cannot miss a new transcript: the folder's mtime, ctime
 * and inode are unchanged, the listing was confirmed by a second read well after the folder last changed, and it is
 * not too old. A clock under the test's control shows each rule.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONFIRM_MS, DirCache, MAX_AGE_MS } from '../../src/extension/collectors/claudeCode/dirCache';
import { emptyListing, listProjectDir, type Listing } from '../../src/extension/collectors/claudeCode/transcriptFiles';
import { createClaudeCodeCollector } from '../../src/extension/collectors/claudeCode/claudeCodeCollector';
import { makeDeps, tempDir } from './claudeCodeHelpers';

const names = (entries: ReadonlyArray<{ name: string }>) => entries.map((e) => e.name);

describe('folder listings reused between scans', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('cc-dircache-');
  });
  after(() => tmp.cleanup());

  it('are read again until confirmed, then reused, and read again after any change, even one that restores mtime', () => {
    const dir = path.join(tmp.dir, 'project');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'b.jsonl'), '');
    fs.writeFileSync(path.join(dir, 'a.jsonl'), '');
    let now = 1_000_000;
    const cache = new DirCache(() => now);
    const first = cache.read(dir);
    assert.deepEqual(names(first), ['a.jsonl', 'b.jsonl'], 'sorted by name');
    now += 1000;
    const second = cache.read(dir);
    assert.notEqual(second, first, 'not confirmed yet: read again');
    now += CONFIRM_MS;
    const third = cache.read(dir);
    assert.notEqual(third, second, 'the confirming read');
    now += 1000;
    assert.equal(cache.read(dir), third, 'confirmed: reused without reading the folder');
    assert.notEqual(cache.read(dir, true), third, 'a notification forces a read');

    // A new file changes the folder's times: read again at once.
    const before = fs.statSync(dir);
    fs.writeFileSync(path.join(dir, 'c.jsonl'), '');
    // A sync tool can put a folder's mtime back; the ctime it cannot.
    fs.utimesSync(dir, before.atimeMs / 1000, before.mtimeMs / 1000);
    const restored = fs.statSync(dir).mtimeMs === before.mtimeMs;
    assert.deepEqual(names(cache.read(dir)), ['a.jsonl', 'b.jsonl', 'c.jsonl'], restored ? 'the ctime still tells' : 'the times tell');

    // Confirmed again, then too old: a periodic real read for file systems whose folder times cannot be trusted.
    now += CONFIRM_MS;
    const confirmed = cache.read(dir);
    now += 1000;
    assert.equal(cache.read(dir), confirmed);
    now += MAX_AGE_MS;
    assert.notEqual(cache.read(dir), confirmed);
  });

  it('are confirmed at the end of a long scan, so the next scan reuses them', () => {
    const dir = path.join(tmp.dir, 'long-scan');
    fs.mkdirSync(dir);
    let now = 0;
    const cache = new DirCache(() => now);
    const original = fs.readdirSync;
    let reads = 0;
    const counting = ((...args: Parameters<typeof fs.readdirSync>) => {
      reads++;
      return original(...args);
    }) as typeof fs.readdirSync;
    fs.readdirSync = counting;
    try {
      cache.read(dir);
      now += CONFIRM_MS / 2;
      cache.confirm();
      assert.equal(reads, 1, 'too early to confirm: nothing read');
      now += CONFIRM_MS;
      cache.confirm();
      assert.equal(reads, 2, 'the confirming read');
      cache.read(dir);
      cache.read(dir);
      assert.equal(reads, 2, 'then reused');
    } finally {
      fs.readdirSync = original;
    }
  });

  it('forgets folders a full pass did not visit, and reports a vanished folder as readdir does', () => {
    const a = path.join(tmp.dir, 'a');
    const b = path.join(tmp.dir, 'b');
    fs.mkdirSync(a);
    fs.mkdirSync(b);
    const cache = new DirCache(() => 0);
    cache.beginPass();
    cache.read(a);
    cache.read(b);
    cache.endPass();
    assert.equal(cache.size, 2);
    cache.beginPass();
    cache.read(a);
    cache.endPass();
    assert.equal(cache.size, 1);
    fs.rmSync(a, { recursive: true });
    assert.throws(() => cache.read(a), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    assert.equal(cache.size, 0);
  });

  it('never hide a conversation created right after a scan from the next full scan', async () => {
    const config = path.join(tmp.dir, 'config');
    const project = path.join(config, 'projects', '-home-dev-app');
    fs.mkdirSync(project, { recursive: true });
    const line = (id: string) =>
      `${JSON.stringify({ type: 'assistant', sessionId: id, cwd: '/home/dev/app', timestamp: new Date(Date.UTC(2026, 10, 1)).toISOString(), message: { id: `msg_${id}`, model: 'claude-opus-5-5', usage: { input_tokens: 1, output_tokens: 2 } } })}\n`;
    fs.writeFileSync(path.join(project, 's1.jsonl'), line('s1'));
    const deps = makeDeps();
    const collector = createClaudeCodeCollector(deps, { configDirs: [config], watch: false });
    await collector.start();
    for (let i = 2; i <= 6; i++) {
      // Created within the same clock tick as the last listing, as fast as the file system allows.
      fs.writeFileSync(path.join(project, `s${i}.jsonl`), line(`s${i}`));
      await collector.scan();
      assert.ok(deps.sink.calls.has(`msg_s${i}`), `s${i} found by the next scan`);
    }
    fs.appendFileSync(path.join(project, 's1.jsonl'), line('s1b'));
    await collector.scan();
    assert.ok(deps.sink.calls.has('msg_s1b'), 'an append (no folder change) is found too');
  });

  it('give the same file records while their folders are unchanged, and new ones where a folder changed', () => {
    const project = path.join(tmp.dir, 'records', '-home-dev-app');
    const agents = path.join(project, 's1', 'subagents');
    fs.mkdirSync(agents, { recursive: true });
    fs.writeFileSync(path.join(project, 's1.jsonl'), '');
    fs.writeFileSync(path.join(project, 's2.jsonl'), '');
    fs.writeFileSync(path.join(agents, 'agent-a.jsonl'), '');
    fs.writeFileSync(path.join(agents, 'agent-a.meta.json'), '{}');
    let now = 1_000_000;
    const cache = new DirCache(() => now);
    const list = (): Listing => listProjectDir(project, emptyListing(), (dir) => cache.read(dir));
    list();
    now += CONFIRM_MS + 1;
    const confirmed = list();
    now += 1;
    const again = list();
    assert.deepEqual(again, confirmed);
    assert.deepEqual(again.files.map((f) => path.relative(project, f.path)), [path.join('s1', 'subagents', 'agent-a.jsonl'), 's1.jsonl', 's2.jsonl']);
    again.files.forEach((f, i) => assert.equal(f, confirmed.files[i], `${f.path}: the same record`));
    again.dirs.forEach((d, i) => assert.equal(d, confirmed.dirs[i], `${d.path}: the same record`));
    assert.equal(again.agentMeta.get('s1')?.get('a'), path.join(agents, 'agent-a.meta.json'));

    // A new subagent and a custom title: the folders that changed are listed anew, the project's records stay.
    fs.writeFileSync(path.join(agents, 'agent-b.jsonl'), '');
    fs.writeFileSync(path.join(project, 's1', 'custom-title.json'), '{}');
    now += 1;
    const changed = list();
    assert.deepEqual(changed.files.map((f) => path.relative(project, f.path)), [
      path.join('s1', 'subagents', 'agent-a.jsonl'), path.join('s1', 'subagents', 'agent-b.jsonl'), 's1.jsonl', 's2.jsonl',
    ]);
    assert.equal(changed.files[2].sidecarPath, path.join(project, 's1', 'custom-title.json'));
    assert.equal(confirmed.files[1].sidecarPath, undefined, 'records handed out before are not changed');
    assert.equal(changed.files[3], confirmed.files[2], 's2.jsonl: its folder did not change');
    assert.deepEqual(changed.files[0], confirmed.files[0]);
  });
});
