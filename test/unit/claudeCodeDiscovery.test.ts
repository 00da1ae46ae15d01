import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClaudeCodeCollector } from '../../src/extension/collectors/claudeCode/claudeCodeCollector';
import { discoverClaudeConfigDirs } from '../../src/extension/collectors/claudeCode/discovery';
import { emptyListing, vanishedFiles, type TranscriptFile } from '../../src/extension/collectors/claudeCode/transcriptFiles';
import { writeClaudeCodeFixture } from '../support/claudeCodeFixtures';
import { assertRecords, makeDeps, tempDir } from './claudeCodeHelpers';

const HOME = path.resolve('/home/dev');

describe('discoverClaudeConfigDirs', () => {
  it('uses ~/.claude and ~/.config/claude when CLAUDE_CONFIG_DIR is not set', () => {
    assert.deepEqual(discoverClaudeConfigDirs({}, HOME, []), [path.join(HOME, '.claude'), path.join(HOME, '.config', 'claude')]);
    assert.deepEqual(discoverClaudeConfigDirs({ CLAUDE_CONFIG_DIR: '  ' }, HOME, []), [path.join(HOME, '.claude'), path.join(HOME, '.config', 'claude')]);
    assert.deepEqual(discoverClaudeConfigDirs({ XDG_CONFIG_HOME: '/xdg' }, HOME, []), [path.join(HOME, '.claude'), path.join(HOME, '.config', 'claude'), path.resolve('/xdg/claude')]);
  });

  it('uses every directory of a comma-separated CLAUDE_CONFIG_DIR instead, then extra dirs, deduplicated', () => {
    const dirs = discoverClaudeConfigDirs({ CLAUDE_CONFIG_DIR: '/a/claude, ~/work-claude ,,/a/claude/' }, HOME, ['/mnt/laptop/.claude', '~/work-claude', '/b,/c']);
    assert.deepEqual(dirs, [path.resolve('/a/claude'), path.join(HOME, 'work-claude'), path.resolve('/mnt/laptop/.claude'), path.resolve('/b'), path.resolve('/c')]);
  });
});

describe('vanishedFiles', () => {
  const root = path.resolve('/c/projects');
  const other = path.resolve('/d/projects');
  const at = (...parts: string[]) => path.join(root, ...parts);
  const file = (p: string): TranscriptFile => ({ path: p, kind: 'session', sessionId: 's', projectDir: at('p') });

  it('names stored transcripts under a listed root that the listing no longer has, and nothing else', () => {
    const listing = emptyListing();
    listing.dirs.push({ path: root, role: 'root' }, { path: other, role: 'project' });
    listing.files.push(file(at('p', 'kept.jsonl')));
    listing.unreadable.push({ path: at('locked'), reason: 'EACCES' });
    const stored = [
      at('p', 'kept.jsonl'), // still listed
      at('p', 'gone.jsonl'), // vanished
      at('p', 'a', 'subagents', 'agent-1.jsonl'), // vanished, deeper
      at('locked', 'maybe.jsonl'), // under a folder that could not be read: may still exist
      at('p', 'notes.txt'), // not a transcript
      path.join(other, 'x', 'y.jsonl'), // under a folder that is not a listed root
      path.join(root + 'x', 'y.jsonl'), // shares the root's prefix without being inside it
    ];
    assert.deepEqual(vanishedFiles(listing, [root, other], stored), [at('p', 'gone.jsonl'), at('p', 'a', 'subagents', 'agent-1.jsonl')]);
  });

  it('names nothing when no root was listed (a partial scan, or the root is missing)', () => {
    assert.deepEqual(vanishedFiles(emptyListing(), [root], [at('p', 'gone.jsonl')]), []);
  });
});

describe('several config dirs', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('cc-discovery-');
  });
  after(() => tmp.cleanup());

  it('imports the fixture through CLAUDE_CONFIG_DIR naming both dirs, and through the defaults plus an extra dir', async () => {
    const fx = writeClaudeCodeFixture(tmp.dir, { now: Date.UTC(2026, 10, 26) });
    const viaEnv = discoverClaudeConfigDirs({ CLAUDE_CONFIG_DIR: fx.configDirs.join(',') }, '/nowhere', []);
    const viaDefaults = discoverClaudeConfigDirs({}, fx.homeDir, [fx.configDirs[1]]);
    for (const configDirs of [viaEnv, viaDefaults]) {
      const deps = makeDeps();
      await createClaudeCodeCollector(deps, { configDirs, watch: false }).start();
      assertRecords(deps.sink, fx.records);
    }
  });

  it('accepts a projects folder given directly, dedupes a linked config dir, and tolerates missing ones', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'linked'), { now: Date.UTC(2026, 10, 26) });
    const link = path.join(tmp.dir, 'linked-config');
    fs.symlinkSync(fx.configDirs[0], link);
    const deps = makeDeps();
    const stats = await createClaudeCodeCollector(deps, {
      configDirs: [fx.configDirs[0], link, path.join(fx.configDirs[1], 'projects'), path.join(tmp.dir, 'no-such-config')],
      watch: false,
    }).start();
    assert.equal(stats.files, fx.files.length, 'the linked copy is not read twice');
    assertRecords(deps.sink, fx.records);
    assert.deepEqual(deps.logs.filter((l) => l.message.includes('no-such-config')), [], 'a missing dir is not an error');
  });

  it('reports an unreadable folder once, not on every scan, and still imports the rest', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'unreadable'), { now: Date.UTC(2026, 10, 26) });
    // A projects folder that cannot be listed (a link to itself: ELOOP, which even root gets).
    const broken = path.join(tmp.dir, 'broken-config');
    fs.mkdirSync(broken);
    fs.symlinkSync(path.join(broken, 'projects'), path.join(broken, 'projects'));
    const deps = makeDeps();
    const c = createClaudeCodeCollector(deps, { configDirs: [...fx.configDirs, broken], watch: false });
    await c.start();
    await c.scan();
    await c.scan();
    const reports = deps.logs.filter((l) => l.message.includes(broken));
    assert.equal(reports.length, 1, JSON.stringify(reports));
    assert.match(reports[0].message, /Cannot read .*ELOOP/);
    assertRecords(deps.sink, fx.records);
  });
});
