import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClaudeCodeCollector } from '../../src/extension/collectors/claudeCode/claudeCodeCollector';
import type { Collector } from '../../src/extension/collectors/collector';
import { appendCall, writeClaudeCodeFixture, type ClaudeCodeFixture, type FixtureSession } from '../support/claudeCodeFixtures';
import { assertRecords, comparable, makeDeps, tempDir, waitFor, withoutCost, type TestDeps } from './claudeCodeHelpers';

const NOW = Date.now();
/** Generous: the assertion is that the record arrives, not how fast (speed is measured by the benchmark). */
const ARRIVAL_TIMEOUT_MS = 15_000;

function newSession(configDir: string, cwd: string, sessionId: string): FixtureSession {
  const dir = path.join(configDir, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sessionId}.jsonl`);
  fs.writeFileSync(file, '');
  return { file, sessionId, configDir, cwd, entrypoint: 'cli', source: 'chat', consumerKey: `claude-code:session:${sessionId}`, name: `Session ${sessionId.slice(0, 8)}` };
}

describe('live updates', () => {
  let tmp: ReturnType<typeof tempDir>;
  let fx: ClaudeCodeFixture;
  let deps: TestDeps;
  let collector: Collector;

  before(async () => {
    tmp = tempDir('cc-live-');
    fx = writeClaudeCodeFixture(tmp.dir, { now: NOW });
    deps = makeDeps();
    collector = createClaudeCodeCollector(deps, { configDirs: fx.configDirs, watch: true, pollMs: 10 * 60_000 });
    await collector.start();
    // Let the catch-up scan that follows start() finish, so what follows is seen by the watchers alone.
    await collector.scan();
    assertRecords(deps.sink, fx.records);
  });
  after(() => {
    collector.stop();
    tmp.cleanup();
  });

  const arrives = async (want: ReturnType<typeof appendCall>, what: string) => {
    await waitFor(() => deps.sink.calls.has(want.key), ARRIVAL_TIMEOUT_MS, what);
    const got = deps.sink.stored().find((c) => c.key === want.key);
    assert.ok(got);
    assert.deepEqual(comparable(got), withoutCost(want));
  };

  it('records a call appended to a conversation', async () => {
    const before = deps.recorded.length;
    await arrives(appendCall(fx.sessions.cli, { ts: Date.now() }), 'the appended call');
    assert.ok(deps.recorded.length > before, 'onRecorded is called so the status bar can update');
  });

  it('records calls of a new conversation, a new project and a new subagent', async () => {
    const inProject = newSession(fx.configDirs[0], fx.sessions.cli.cwd, 'live-session-1');
    await arrives(appendCall(inProject, { ts: Date.now() }), 'a call in a new conversation file');

    const inNewProject = newSession(fx.configDirs[1], '/home/dev/brand-new', 'live-session-2');
    await arrives(appendCall(inNewProject, { ts: Date.now() }), 'a call in a new project folder');

    const subDir = path.join(path.dirname(fx.sessions.cli.file), fx.sessions.cli.sessionId, 'subagents');
    fs.mkdirSync(subDir, { recursive: true });
    fs.writeFileSync(path.join(subDir, 'agent-live1.meta.json'), JSON.stringify({ agentType: 'Plan', description: 'Plan the rollout' }));
    const subFile = path.join(subDir, 'agent-live1.jsonl');
    fs.writeFileSync(subFile, '');
    const agent: FixtureSession = { ...fx.sessions.cli, file: subFile, source: 'agent', consumerKey: 'claude-code:agent:live1', name: 'Plan: Plan the rollout' };
    const want = appendCall(agent, { ts: Date.now() });
    await waitFor(() => deps.sink.calls.has(want.key), ARRIVAL_TIMEOUT_MS, 'a call in a new subagent file');
    const got = deps.sink.stored().find((c) => c.key === want.key);
    assert.equal(got?.consumer.key, 'claude-code:agent:live1');
    assert.equal(got?.consumer.name, 'Plan: Plan the rollout');
    assert.equal(got?.source, 'agent');
    assert.equal(got?.sidechain, true);
  });

  it('completes a half-written line once the rest arrives', async () => {
    fs.appendFileSync(fx.pendingTail.file, fx.pendingTail.rest);
    await arrives(fx.pendingTail.record, 'the completed line');
  });
});

describe('safety-net poll', () => {
  let tmp: ReturnType<typeof tempDir>;
  let collector: Collector | undefined;
  before(() => {
    tmp = tempDir('cc-poll-');
  });
  after(() => {
    collector?.stop();
    tmp.cleanup();
  });

  it('finds a config dir that did not exist when watching started', async () => {
    const late = path.join(tmp.dir, 'late-config');
    const deps = makeDeps();
    collector = createClaudeCodeCollector(deps, { configDirs: [late], watch: true, pollMs: 200 });
    const first = await collector.start();
    assert.equal(first.files, 0);
    const session = newSession(late, '/home/dev/late', 'late-session');
    const want = appendCall(session, { ts: Date.now() });
    await waitFor(() => deps.sink.calls.has(want.key), ARRIVAL_TIMEOUT_MS, 'the poll to find the new config dir');
    assert.deepEqual(comparable(deps.sink.stored()[0]), withoutCost(want));
  });
});
