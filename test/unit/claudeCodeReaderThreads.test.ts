/**
 * Large imports parse files in reader threads (readerPool.ts, readerWorker.ts) and record them in file order in the
 * store's thread. Whatever the threads do — several of them, one failing to start, one dying half-way, a cancel in
 * the middle — the result must be exactly what reading everything in one thread gives: the same calls, names,
 * read states and messages.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { callCount, callsOf, checkPacked, packCalls, transferablesOf, unpackCalls, type PackedCalls } from '../../src/extension/collectors/claudeCode/callPacking';
import { MessageChannel } from 'node:worker_threads';
import { TranscriptScanner, type ScannerTuning } from '../../src/extension/collectors/claudeCode/transcriptScanner';
import type { CallInput } from '../../src/shared/callRecord';
import { writeClaudeCodeFixture } from '../support/claudeCodeFixtures';
import { writeScaleCorpus } from '../support/claudeCodeScaleCorpus';
import { assertRecords, makeDeps, tempDir, type TestDeps } from './claudeCodeHelpers';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const READER_SOURCE = path.resolve(__dirname, '../../src/extension/collectors/claudeCode/readerWorker.ts');
const TSX_REGISTER = require.resolve('tsx/cjs/api');

/** A CommonJS entry for reader threads: Node 20 starts no `.ts` worker, so tsx is registered first. `extra` runs after. */
function readerEntry(dir: string, name: string, extra = ''): string {
  const file = path.join(dir, `${name}.cjs`);
  fs.writeFileSync(file, `require(${JSON.stringify(TSX_REGISTER)}).register();\nrequire(${JSON.stringify(READER_SOURCE)});\n${extra}\n`);
  return file;
}

type Outcome = Awaited<ReturnType<TranscriptScanner['scan']>>;

async function scanAll(configDirs: string[], tuning: ScannerTuning, deps: TestDeps = makeDeps()): Promise<{ deps: TestDeps; stats: Outcome['stats']; readers: number }> {
  const scanner = new TranscriptScanner(deps, configDirs, tuning);
  const { stats, readers } = await scanner.scan({ progress: true, initial: true });
  return { deps, stats, readers };
}

/** Everything a scan leaves behind, in comparable form. */
function outcome(deps: TestDeps) {
  return {
    calls: deps.sink.stored().sort((a, b) => (a.key < b.key ? -1 : 1)),
    names: [...deps.sink.names].sort(),
    states: [...deps.fileState.map].sort(),
    logs: deps.logs.map((l) => `${l.level} ${l.message}`).sort(),
  };
}

describe('reader threads', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('cc-threads-');
  });
  after(() => tmp.cleanup());

  it('give exactly the one-thread result on the fixture, with one or several threads', { timeout: 120_000 }, async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'fixture'), { now: NOW });
    const entry = readerEntry(tmp.dir, 'reader');
    const alone = await scanAll(fx.configDirs, { readerEntry: null });
    assert.equal(alone.readers, 0);
    assertRecords(alone.deps.sink, fx.records);
    for (const threads of [1, 3]) {
      const pooled = await scanAll(fx.configDirs, { readerEntry: entry, readerThreads: threads, poolMinBytes: 0 });
      assert.equal(pooled.readers, threads);
      assertRecords(pooled.deps.sink, fx.records);
      assert.deepEqual(outcome(pooled.deps), outcome(alone.deps), `${threads} thread(s)`);
      assert.deepEqual({ ...pooled.stats, ms: 0 }, { ...alone.stats, ms: 0 });
      assert.deepEqual(pooled.deps.progress.at(-1), alone.deps.progress.at(-1));
    }
  });

  it('give exactly the one-thread result on a larger corpus, recorded in pieces', { timeout: 120_000 }, async () => {
    const corpus = writeScaleCorpus(path.join(tmp.dir, 'scale'), { now: NOW, sessions: 60, callsPerSession: 40, bigLineEvery: 300, bigLineBytes: 300_000 });
    const entry = readerEntry(tmp.dir, 'reader-scale');
    // Small chunks and pieces: large files cross threads as several pieces, recorded as they come.
    const tuning: ScannerTuning = { chunkBytes: 16 * 1024, checkpointChunks: 4 };
    const alone = await scanAll([corpus.configDir], { ...tuning, readerEntry: null });
    const pooled = await scanAll([corpus.configDir], { ...tuning, readerEntry: entry, readerThreads: 2, poolMinBytes: 0 });
    assert.equal(pooled.readers, 2);
    assert.equal(pooled.deps.sink.calls.size, corpus.calls);
    assert.deepEqual(outcome(pooled.deps), outcome(alone.deps));
    assert.ok(pooled.deps.sink.recordCalls > 1, 'recorded in several batches');
  });

  it('fall back to reading in this thread when the threads cannot start or die half-way', { timeout: 120_000 }, async () => {
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'fallback'), { now: NOW });
    const alone = await scanAll(fx.configDirs, { readerEntry: null });
    const broken = path.join(tmp.dir, 'broken.cjs');
    fs.writeFileSync(broken, 'throw new Error("cannot load");\n');
    // Takes a few jobs, then the thread exits while others are queued or half-read.
    const dying = readerEntry(tmp.dir, 'dying', 'let n = 0; require("node:worker_threads").parentPort.on("message", () => { if (++n === 4) process.exit(3); });');
    for (const entry of [broken, dying]) {
      const pooled = await scanAll(fx.configDirs, { readerEntry: entry, readerThreads: 1, poolMinBytes: 0 });
      assert.equal(pooled.readers, 1);
      assertRecords(pooled.deps.sink, fx.records);
      assert.deepEqual(outcome(pooled.deps).calls, outcome(alone.deps).calls, path.basename(entry));
      assert.deepEqual(outcome(pooled.deps).states, outcome(alone.deps).states, path.basename(entry));
    }
  });

  it('stop at a cancel and resume on the next scan with nothing lost', { timeout: 120_000 }, async () => {
    const corpus = writeScaleCorpus(path.join(tmp.dir, 'cancel'), { now: NOW, sessions: 40, callsPerSession: 40 });
    const entry = readerEntry(tmp.dir, 'reader-cancel');
    const deps = makeDeps();
    // Small pieces: large files are recorded while they are read, so the cancel below comes early in the scan. Two
    // files in a reader thread's hands at most: the cancel meets files not sent yet, however fast the threads read
    // (with all 50 sent at once, the threads had sometimes read every one before the cancel reached them).
    const scanner = new TranscriptScanner(deps, [corpus.configDir], {
      readerEntry: entry, readerThreads: 2, poolMinBytes: 0, chunkBytes: 8 * 1024, checkpointChunks: 2, readerFilesAhead: 2,
    });
    let cancelled = false;
    const origin = deps.sink.record.bind(deps.sink);
    deps.sink.record = (calls) => {
      if (!cancelled) {
        cancelled = true;
        scanner.cancel();
      }
      return origin(calls);
    };
    const first = await scanner.scan({ progress: false });
    assert.ok(first.stats.filesRead < corpus.files, `stopped early (${first.stats.filesRead} of ${corpus.files} files)`);
    await scanner.scan({ progress: false });
    assert.equal(deps.sink.calls.size, corpus.calls);
    const third = await scanner.scan({ progress: false });
    assert.equal(third.stats.bytesRead, 0);
  });
});

describe('calls packed for the trip between threads', () => {
  it('come back equal, optional fields absent or present, null durations kept apart from absent ones', async () => {
    const base: CallInput = {
      key: 'msg_1', ts: 1_790_000_000_123, source: 'agent', consumer: { key: 'claude-code:agent:a1', name: 'general-purpose: Explore' },
      model: 'claude-opus-5-5', tokens: { input: 3, cacheWrite5m: 10, cacheWrite1h: 20, cacheRead: 40_000, output: 412 }, collector: 'claude-code',
    };
    const calls: CallInput[] = [
      base,
      { ...base, key: 'msg_2', requestId: 'req_2', webSearchRequests: 0, webFetchRequests: 2, durationMs: null, sidechain: false, serviceTier: 'standard', speed: 'fast', inferenceGeo: 'us', project: '/home/dév/app' },
      { ...base, key: 'msg_3', durationMs: 1234, sidechain: true, consumer: { key: 'k', name: '' } },
    ];
    // An absent optional field comes back as one holding undefined (every unpacked call has one shape).
    const defined = (list: readonly CallInput[]): CallInput[] =>
      list.map((c) => Object.fromEntries(Object.entries(c).filter(([, value]) => value !== undefined)) as unknown as CallInput);
    const unpacked = unpackCalls(packCalls(calls));
    assert.deepStrictEqual(defined(unpacked), calls);
    assert.equal(new Set(unpacked.map((c) => Object.keys(c).join())).size, 1, 'one set of fields, in one order');
    assert.deepStrictEqual(defined(unpackCalls(structuredClone(packCalls(calls)))), calls);
    assert.deepStrictEqual(unpackCalls(packCalls([])), []);
    const packed = packCalls(calls);
    assert.equal(new Set(packed.strings).size, packed.strings.length, 'repeated strings are sent once');
    assert.equal(packed.strings.filter((x) => x === 'claude-opus-5-5').length, 1);
    assert.throws(() => unpackCalls({ strings: [], numbers: new Float64Array(3), refs: new Int32Array(0) }), /wrong length/);
    assert.throws(() => checkPacked({ ...packed, refs: new Int32Array(1) }), /wrong length/);
    // A piece's calls as the scanner holds them: counted and read alike, packed or not.
    assert.equal(callCount(packed), calls.length);
    assert.equal(callCount(calls), calls.length);
    assert.deepStrictEqual(defined(callsOf(packed)), calls);
    assert.equal(callsOf(calls), calls);
    assert.throws(() => unpackCalls({ ...packed, strings: [] }), /missing string/);
    // An optional string (the request id) may be absent; a required one (the key, the model) may not.
    const withRefs = (at: number, value: number): PackedCalls => {
      const refs = packed.refs.slice();
      refs[at] = value;
      return { ...packed, refs };
    };
    assert.equal(unpackCalls(withRefs(1, -1))[0].requestId, undefined);
    assert.throws(() => unpackCalls(withRefs(0, -1)), /missing string/);
    assert.throws(() => unpackCalls(withRefs(4, -1)), /missing string/);
    assert.throws(() => unpackCalls(withRefs(6, packed.strings.length)), /missing string/);
    assert.throws(() => unpackCalls(packCalls([{ ...base, source: 'elsewhere' as CallInput['source'] }])), /unknown source/);
    // Moved, not copied: after the transfer the sender's arrays are empty.
    const moved = packCalls(calls);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<PackedCalls>((resolve) => port2.once('message', resolve));
    port1.postMessage(moved, transferablesOf(moved));
    assert.equal(moved.numbers.length, 0);
    assert.deepStrictEqual(defined(unpackCalls(await received)), calls);
    port1.close();
  });
});
