import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeFileState } from '../../src/extension/collectors/claudeCode/fileReadState';
import { RECORD_CHUNK_CALLS } from '../../src/extension/collectors/claudeCode/chunkedRecording';
import { TranscriptScanner } from '../../src/extension/collectors/claudeCode/transcriptScanner';
import type { CallInput } from '../../src/shared/callRecord';
import { appendCall, type ExpectedRecord, type FixtureSession } from '../support/claudeCodeFixtures';
import { assertRecords, makeDeps, MemorySink, tempDir } from './claudeCodeHelpers';

/** A sink that fails on chosen record() calls, as a full disk or a broken database would. */
class FlakySink extends MemorySink {
  failOn = new Set<number>();
  attempts = 0;
  override record(calls: CallInput[]) {
    this.attempts++;
    if (this.failOn.has(this.attempts)) throw new Error('disk full');
    return super.record(calls);
  }
}

/** Records what the scanner tells the sink about large imports, in order with its record() calls. */
class BulkAwareSink extends FlakySink {
  events: string[] = [];
  beginLargeImport(expectedCalls: number): void {
    this.events.push(`begin:${expectedCalls > 0}`);
  }
  endLargeImport(): void {
    this.events.push('end');
  }
  override record(calls: CallInput[]) {
    this.events.push('record');
    return super.record(calls);
  }
}

/** A sink with transactions (a snapshot restored on a throw), logging them with each record() and its size. */
class TransactionalSink extends FlakySink {
  events: string[] = [];
  transaction<T>(fn: () => T): T {
    this.events.push('begin');
    const before = new Map(this.calls);
    try {
      const result = fn();
      this.events.push('commit');
      return result;
    } catch (e: unknown) {
      this.calls.clear();
      for (const [k, v] of before) this.calls.set(k, v);
      this.events.push('rollback');
      throw e;
    }
  }
  override record(calls: CallInput[]) {
    this.events.push(`record:${calls.length}`);
    return super.record(calls);
  }
}

/** A config folder with one conversation: a prompt, then `calls` API calls ten seconds apart. */
function writeOneSession(root: string, name: string, calls: number): { config: string; file: string; expected: ExpectedRecord[]; size: number } {
  const config = path.join(root, name);
  const dir = path.join(config, 'projects', `-home-dev-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-session.jsonl`);
  const start = Date.UTC(2026, 10, 1);
  const title = `${name} job`;
  const prompt = { type: 'user', message: { role: 'user', content: title }, timestamp: new Date(start).toISOString(), sessionId: `${name}-session`, cwd: `/home/dev/${name}`, entrypoint: 'cli' };
  fs.writeFileSync(file, `${JSON.stringify(prompt)}\n`);
  const session: FixtureSession = {
    file, sessionId: `${name}-session`, configDir: config, cwd: `/home/dev/${name}`, entrypoint: 'cli', source: 'chat',
    consumerKey: `claude-code:session:${name}-session`, name: title,
  };
  const expected: ExpectedRecord[] = [];
  for (let i = 0; i < calls; i++) expected.push(appendCall(session, { ts: start + (i + 1) * 10_000, seed: i + 1 }));
  return { config, file, expected, size: fs.statSync(file).size };
}

describe('a large transcript', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('cc-large-');
  });
  after(() => tmp.cleanup());

  it('is recorded as it is read, and resumes after the last recorded point when a write fails', async () => {
    const { config, file, expected, size } = writeOneSession(tmp.dir, 'big', 300);

    const sink = new FlakySink();
    sink.failOn.add(3);
    const deps = makeDeps(sink);
    const scanner = new TranscriptScanner(deps, [config], { chunkBytes: 4096, checkpointChunks: 4 });
    const first = (await scanner.scan({ progress: false })).stats;
    assert.ok(sink.attempts > 3, `recorded in ${sink.attempts} batches while reading one file`);
    assert.ok(deps.logs.some((l) => l.level === 'error' && l.message.includes('disk full')));
    const state = decodeFileState(deps.fileState.get(file));
    assert.ok(state, 'the part recorded before the failure is remembered');
    assert.ok(state.offset > 0 && state.offset < size, `offset ${state.offset} of ${size}`);
    assert.equal(first.bytesRead, size);

    const second = (await scanner.scan({ progress: false })).stats;
    assert.equal(second.bytesRead, size - state.offset, 'reading resumes where recording stopped');
    assertRecords(sink, expected);
    const third = (await scanner.scan({ progress: false })).stats;
    assert.equal(third.bytesRead, 0);
  });

  it('is announced to the sink as a large import before its first batch and ended after its last, also when a batch fails', async () => {
    const { config, expected, size } = writeOneSession(tmp.dir, 'bulk', 200);

    const sink = new BulkAwareSink();
    sink.failOn.add(2);
    const scanner = new TranscriptScanner(makeDeps(sink), [config], { chunkBytes: 4096, checkpointChunks: 4, poolMinBytes: size - 1, readerEntry: null });
    await scanner.scan({ progress: false });
    assert.equal(sink.events[0], 'begin:true');
    assert.equal(sink.events.at(-1), 'end');
    assert.ok(sink.events.filter((e) => e === 'record').length > 2, sink.events.join(' '));
    assert.equal(sink.events.filter((e) => e.startsWith('begin')).length, 1);
    assert.equal(sink.events.filter((e) => e === 'end').length, 1);

    // What the failed batch held is read again, but that is a small scan: no bulk mode.
    sink.events = [];
    await scanner.scan({ progress: false });
    assertRecords(sink, expected);
    assert.ok(sink.events.length > 0 && sink.events.every((e) => e === 'record'), sink.events.join(' '));
  });

  it('reaches the sink, batch by batch, a chunk at a time inside one transaction, and a failed chunk leaves the whole batch to the next scan', async () => {
    const { config, expected } = writeOneSession(tmp.dir, 'chunks', 2 * RECORD_CHUNK_CALLS + 37);
    const sink = new TransactionalSink();
    sink.failOn.add(3);
    const deps = makeDeps(sink);
    const scanner = new TranscriptScanner(deps, [config], { readerEntry: null });
    await scanner.scan({ progress: false });
    const chunks = [`record:${RECORD_CHUNK_CALLS}`, `record:${RECORD_CHUNK_CALLS}`, 'record:37'];
    assert.deepEqual(sink.events, ['begin', ...chunks, 'rollback']);
    assert.equal(sink.calls.size, 0, 'the chunks recorded before the failure were undone with it');
    assert.equal(deps.fileState.paths().length, 0, 'no read offset moved past calls that were not recorded');

    sink.events = [];
    await scanner.scan({ progress: false });
    // Then the read offsets, in one transaction of their own.
    assert.deepEqual(sink.events, ['begin', ...chunks, 'commit', 'begin', 'commit']);
    assert.equal(deps.fileState.paths().length, 1);
    assertRecords(sink, expected);
  });
});
