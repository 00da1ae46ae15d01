import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClaudeCodeCollector } from '../../src/extension/collectors/claudeCode/claudeCodeCollector';
import { createPricer } from '../../src/extension/pricing';
import type { CallInput } from '../../src/shared/callRecord';
import { appendCall, oracleCostNanos, totalsBetween, writeClaudeCodeFixture, type ClaudeCodeFixture, type ExpectedRecord } from '../support/claudeCodeFixtures';
import { assertRecords, makeDeps, tempDir, withoutCost, comparable, type TestDeps } from './claudeCodeHelpers';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

function collectorFor(fx: ClaudeCodeFixture, deps: TestDeps) {
  return createClaudeCodeCollector(deps, { configDirs: fx.configDirs, watch: false });
}

/** Sink records turned back into expected-record shape, costed by the fixture's oracle. */
function asExpected(calls: CallInput[]): ExpectedRecord[] {
  return calls.map((c) => ({
    ...comparable(c),
    costNanos: oracleCostNanos(c.model, c.tokens, { speed: c.speed, inferenceGeo: c.inferenceGeo, webSearchRequests: c.webSearchRequests }),
  }));
}

describe('Claude Code collector on the fixture', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('cc-collector-');
  });
  after(() => tmp.cleanup());

  it('reproduces every expected record exactly, with the expected skipped lines and totals', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'exact'), { now: NOW });
    const deps = makeDeps();
    const stats = await collectorFor(fx, deps).start();
    assertRecords(deps.sink, fx.records);
    assert.equal(stats.skippedLines, fx.skippedLines);
    assert.equal(stats.files, fx.files.length);
    assert.equal(stats.filesRead, fx.files.length);
    const skippedMessages = deps.logs.filter((l) => l.message.includes(fx.sessions.legacy.file));
    assert.equal(skippedMessages.length, fx.skippedLines, 'one message per skipped line, with file and line');
    for (const m of skippedMessages) assert.match(m.message, /\.jsonl:\d+: skipped a line \(/);
    const stored = asExpected(deps.sink.stored());
    for (const period of ['24h', '7d', '30d'] as const) {
      const from = NOW - { '24h': 1, '7d': 7, '30d': 30 }[period] * 86_400_000;
      assert.deepEqual(totalsBetween(stored, from, NOW + 1), fx.totals[period], `totals for ${period}`);
    }
    assert.deepEqual(totalsBetween(stored, -Infinity, Infinity), fx.totals.all);
    assert.ok(fx.totals['24h'].calls > 0 && fx.totals['24h'].calls < fx.totals['7d'].calls && fx.totals['30d'].calls < fx.totals.all.calls);
    assert.equal(fx.totals['30d'].unpricedCalls, 1, 'the unknown model is counted, not priced');
    assert.ok(deps.recorded.length > 0, 'onRecorded announces the import');
    const last = deps.progress.at(-1);
    assert.deepEqual(last, { running: false, filesDone: fx.files.length, filesTotal: fx.files.length, calls: stats.calls });
  });

  it("prices the fixture's records exactly as its independent oracle does", () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'prices'), { now: NOW });
    const { pricer } = createPricer(undefined);
    // The facts file's worked examples are in the fixture: Opus 5.5 ($0.0325382) and long-context Sonnet 4.5 ($0.222).
    assert.ok(fx.records.some((r) => r.costNanos === 32_538_200));
    assert.ok(fx.records.some((r) => r.costNanos === 222_000_000));
    for (const r of fx.records) {
      assert.equal(pricer.price({ ...r, webSearchRequests: r.webSearchRequests }), r.costNanos, `cost of ${r.model} ${JSON.stringify(r.tokens)} speed=${r.speed} geo=${r.inferenceGeo}`);
    }
  });

  it('re-scans unchanged files with one stat each and reads no bytes', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'rescan'), { now: NOW });
    const deps = makeDeps();
    const c = collectorFor(fx, deps);
    await c.start();
    const recordCalls = deps.sink.recordCalls;
    const again = await c.scan();
    assert.equal(again.bytesRead, 0);
    assert.equal(again.filesRead, 0);
    assert.equal(again.calls, 0);
    assert.equal(deps.sink.recordCalls, recordCalls, 'nothing is sent to the sink');
    // A new collector over the same persisted state is just as quiet (state survives a restart).
    const fresh = await createClaudeCodeCollector(makeDeps(deps.sink, deps.fileState), { configDirs: fx.configDirs, watch: false }).start();
    assert.equal(fresh.bytesRead, 0);
  });

  it('reads only appended bytes, and a partial last line once it is completed', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'append'), { now: NOW });
    const deps = makeDeps();
    const c = collectorFor(fx, deps);
    await c.start();
    assert.equal(deps.sink.calls.has(fx.pendingTail.record.key), false, 'the half-written line is left for later');

    const before = fs.statSync(fx.sessions.cli.file).size;
    const added = appendCall(fx.sessions.cli, { ts: NOW - 60_000 });
    const grown = fs.statSync(fx.sessions.cli.file).size - before;
    const s1 = await c.scan();
    assert.equal(s1.filesRead, 1);
    assert.equal(s1.bytesRead, grown, 'only the appended bytes are read');
    assert.equal(s1.skippedLines, 0);

    fs.appendFileSync(fx.pendingTail.file, fx.pendingTail.rest);
    const s2 = await c.scan();
    assert.equal(s2.filesRead, 1);
    assert.equal(s2.skippedLines, 0, 'a completed line is not a malformed one');
    assertRecords(deps.sink, [...fx.records, added, fx.pendingTail.record]);
  });

  it('re-reads a truncated file and a replaced file, keeping every record already stored', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'truncate'), { now: NOW });
    const deps = makeDeps();
    const c = collectorFor(fx, deps);
    await c.start();

    // Truncate the headless run to its first line, then a new call arrives: the file is smaller than what was read.
    const headless = fx.sessions.headless;
    const firstLine = fs.readFileSync(headless.file, 'utf8').split('\n')[0];
    fs.writeFileSync(headless.file, `${firstLine}\n`);
    const afterTruncate = appendCall(headless, { ts: NOW - 9 * 86_400_000 });
    const s1 = await c.scan();
    assert.equal(s1.filesRead, 1);
    assert.ok(deps.logs.some((l) => l.message.includes(headless.file) && l.message.includes('truncated')));

    // Replace the old session's file by a different one (new inode, same name), as a sync tool would.
    const old = fx.sessions.old;
    const replacement = `${old.file}.tmp`;
    fs.copyFileSync(old.file, replacement);
    const lines = fs.readFileSync(replacement, 'utf8').trimEnd().split('\n');
    fs.writeFileSync(replacement, `${lines[0]}\n`);
    fs.renameSync(replacement, old.file);
    const afterReplace = appendCall(old, { ts: NOW - 35 * 86_400_000, model: 'claude-haiku-4-5-20251001' });
    const s2 = await c.scan();
    assert.equal(s2.filesRead, 1);
    assert.ok(deps.logs.some((l) => l.message.includes(old.file) && l.message.includes('replaced')));

    assertRecords(deps.sink, [...fx.records, afterTruncate, afterReplace]);
  });

  it('keeps records when transcripts are deleted and forgets their read state', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'delete'), { now: NOW });
    const deps = makeDeps();
    const c = collectorFor(fx, deps);
    await c.start();
    assert.ok(deps.fileState.get(fx.sessions.old.file));
    fs.rmSync(fx.sessions.old.file);
    fs.rmSync(path.dirname(fx.sessions.legacy.file), { recursive: true });
    const stats = await c.scan();
    assert.equal(stats.files, fx.files.length - 2);
    assert.equal(deps.fileState.get(fx.sessions.old.file), undefined);
    assert.equal(deps.fileState.get(fx.sessions.legacy.file), undefined);
    assertRecords(deps.sink, fx.records);
  });

  it('renames a conversation when a better title arrives later, even from the sidecar alone', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'titles'), { now: NOW });
    const cli = fx.sessions.cli;
    // Start from the conversation before it had any title line.
    const lines = fs.readFileSync(cli.file, 'utf8').trimEnd().split('\n');
    const titleLines = lines.filter((l) => l.includes('"type":"ai-title"') || l.includes('"type":"last-prompt"'));
    fs.writeFileSync(cli.file, lines.filter((l) => !titleLines.includes(l)).join('\n') + '\n');
    const deps = makeDeps();
    const c = collectorFor(fx, deps);
    await c.start();
    assert.equal(deps.sink.names.get(cli.consumerKey), 'Add rate limiting to the /login route', 'first real prompt, whitespace collapsed');

    fs.appendFileSync(cli.file, `${titleLines.find((l) => l.includes('last-prompt'))}\n`);
    await c.scan();
    assert.equal(deps.sink.names.get(cli.consumerKey), 'make the limiter configurable');
    fs.appendFileSync(cli.file, `${titleLines.find((l) => l.includes('ai-title'))}\n`);
    await c.scan();
    assert.equal(deps.sink.names.get(cli.consumerKey), cli.name);

    // A custom-title.json sidecar appears; the transcript itself does not change.
    const sidecar = path.join(path.dirname(cli.file), cli.sessionId, 'custom-title.json');
    fs.mkdirSync(path.dirname(sidecar), { recursive: true });
    fs.writeFileSync(sidecar, JSON.stringify({ customTitle: 'Rate limiter (final)' }));
    const s = await c.scan();
    assert.equal(s.bytesRead, 0);
    assert.equal(deps.sink.names.get(cli.consumerKey), 'Rate limiter (final)');
    assert.deepEqual(
      deps.sink.renames.filter((r) => r.key === cli.consumerKey).map((r) => r.name),
      ['make the limiter configurable', cli.name, 'Rate limiter (final)'],
    );
  });

  it('attributes subagent files, wrapped copies and inline sidechains to agents, and side questions to the chat', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'agents'), { now: NOW });
    const deps = makeDeps();
    await collectorFor(fx, deps).start();
    const stored = deps.sink.stored();
    const agents = new Map(stored.filter((c) => c.source === 'agent').map((c) => [c.consumer.key, c.consumer.name]));
    assert.deepEqual(Object.fromEntries(agents), {
      'claude-code:agent:a1b2c3': 'general-purpose: Explore auth flow',
      'claude-code:agent:d4e5f6': 'Explore',
      'claude-code:agent:legacy-agent-1': 'Subagent: Search for usages of parseConfig',
      [fx.sessions.headless.consumerKey]: fx.sessions.headless.name,
    });
    assert.equal(stored.filter((c) => c.source === 'memory').length, 1);
    // The /btw copy (sidechain, larger total) did not take the vscode chat's call away.
    const vscodeCalls = stored.filter((c) => c.consumer.key === fx.sessions.vscode.consumerKey && c.source === 'chat');
    assert.equal(vscodeCalls.length, 3);
    assert.ok(vscodeCalls.every((c) => c.sidechain === false));
  });

  it('the expected records of the fixture are complete (the record list states every field the collector sets)', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'shape'), { now: NOW });
    const deps = makeDeps();
    await collectorFor(fx, deps).start();
    for (const c of deps.sink.stored()) {
      const known = new Set(['key', 'requestId', 'ts', 'source', 'consumer', 'model', 'tokens', 'durationMs', 'project', 'sidechain', 'webSearchRequests', 'webFetchRequests', 'serviceTier', 'speed', 'inferenceGeo', 'collector']);
      for (const k of Object.keys(c)) assert.ok(known.has(k), `unexpected field ${k}`);
      const want = fx.records.find((r) => r.key === c.key);
      assert.ok(want);
      assert.deepEqual(comparable(c), withoutCost(want));
    }
  });

  it('stops at the next file boundary when cancelled, and resumes on the next scan', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'cancel'), { now: NOW });
    const deps = makeDeps();
    const c = collectorFor(fx, deps);
    const started = c.start();
    c.cancel();
    const first = await started;
    assert.ok(first.filesRead <= 1, `read ${first.filesRead} files after cancel`);
    assert.deepEqual(deps.progress.at(-1)?.running, false);
    const rest = await c.scan();
    assert.equal(rest.filesRead, fx.files.length - first.filesRead);
    assertRecords(deps.sink, fx.records);
  });

  it('sends nothing more once stopped (shutdown), and loses nothing: a later import reads it all', async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'stop'), { now: NOW });
    const deps = makeDeps();
    const c = collectorFor(fx, deps);
    const started = c.start();
    c.stop();
    await started;
    assert.equal(deps.sink.recordCalls, 0);
    assert.deepEqual(deps.fileState.paths(), []);
    assert.deepEqual(await c.scan(), { files: 0, filesRead: 0, bytesRead: 0, linesRead: 0, calls: 0, skippedLines: 0, ms: 0 });
    await collectorFor(fx, deps).start();
    assertRecords(deps.sink, fx.records);
  });
});
