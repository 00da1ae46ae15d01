// The parser's warm-up (parserWarmUp.ts): its made-up transcripts take the branches they are there to take, they read
// from memory exactly as the same bytes read from a file, they mean what they say, and warming up changes nothing
// a later read gives.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readTranscript, readTranscriptFile, type ReadPiece, type ReadResult } from '../../src/extension/collectors/claudeCode/fileReader';
import { parseLine, type ParsedLine } from '../../src/extension/collectors/claudeCode/lineParser';
import { memoryReadAt, type ReadAt } from '../../src/extension/collectors/claudeCode/lineReader';
import { warmUpJob, warmUpParser } from '../../src/extension/collectors/claudeCode/parserWarmUp';
import { warmUpTranscripts, type WarmUpTranscript } from '../../src/extension/collectors/claudeCode/warmUpTranscripts';
import type { CallInput } from '../../src/shared/callRecord';
import { tempDir } from './claudeCodeHelpers';

async function readAll(t: WarmUpTranscript, read?: ReadAt, file = t.file): Promise<{ result: ReadResult; pieces: ReadPiece[] }> {
  const pieces: ReadPiece[] = [];
  const hooks = { onPiece: (p: ReadPiece) => void pieces.push(p), meta: () => ({ agentType: 'Explore' }) };
  const job = { ...warmUpJob(t), file };
  const result = read ? await readTranscript(job, hooks, read) : await readTranscriptFile(job, hooks);
  return { result, pieces };
}

const callsOf = (pieces: ReadPiece[]): CallInput[] => pieces.flatMap((p) => p.calls);

describe('parser warm-up', () => {
  const transcripts = warmUpTranscripts();

  it('takes every kind of line, bad lines of several kinds, wrapped and inline subagent lines, leap days, non-ASCII values and an older version\'s call', () => {
    const kinds = new Set<string>();
    const reasons = new Set<string>();
    let wrapped = 0;
    let inlineAgents = 0;
    let leapDayCalls = 0;
    let nonAscii = 0;
    // A main-chain call without entrypoint or sessionKind (older Claude Code): the consumer choice reads both then.
    let withoutEntrypoint = 0;
    for (const t of transcripts) {
      const lines = t.bytes.toString('utf8').split('\n');
      const tail = lines.pop() as string;
      for (const text of lines) {
        const parsed = parseLine(Buffer.from(text)) as ParsedLine;
        kinds.add(parsed.kind);
        if (parsed.kind === 'bad') reasons.add(parsed.reason);
        if ((parsed.kind === 'call' || parsed.kind === 'user') && parsed.env.wrapped) wrapped++;
        if ((parsed.kind === 'call' || parsed.kind === 'user') && parsed.env.isSidechain && !parsed.env.wrapped && parsed.env.agentId) inlineAgents++;
        if (parsed.kind === 'call' && new Date(parsed.call.ts).toISOString().startsWith('2024-02-29')) leapDayCalls++;
        if (parsed.kind === 'call' && !parsed.env.isSidechain && parsed.env.entrypoint === undefined && parsed.env.sessionKind === undefined) withoutEntrypoint++;
        if (/[^\x00-\x7f]/.test(text.replace(/"(content|text|thinking)":"(?:[^"\\]|\\.)*"/g, ''))) nonAscii++;
      }
      if (tail !== '') assert.equal(parseLine(Buffer.from(tail), false).kind, 'pending');
    }
    assert.deepEqual([...kinds].sort(), ['bad', 'call', 'compactBoundary', 'ignored', 'notCall', 'title', 'user']);
    assert.ok(reasons.size >= 6, [...reasons].join('; '));
    assert.ok(
      wrapped >= 2 && inlineAgents >= 2 && leapDayCalls >= 3 && nonAscii >= 2 && withoutEntrypoint >= 1,
      JSON.stringify({ wrapped, inlineAgents, leapDayCalls, nonAscii, withoutEntrypoint }),
    );
    assert.ok(transcripts.some((t) => t.bytes.at(-1) !== 0x0a), 'one transcript ends in an unfinished line');
    assert.deepEqual(warmUpTranscripts(), transcripts, 'the same bytes every time');
  });

  it('has lines across read chunks, lines long enough to be shrunk, and intermediate pieces', async () => {
    const chunked = transcripts.find((t) => t.chunkBytes !== undefined);
    assert.ok(chunked?.chunkBytes && chunked.bigLineBytes);
    const longest = Math.max(...chunked.bytes.toString('utf8').split('\n').map((l) => Buffer.byteLength(l)));
    assert.ok(longest > chunked.bigLineBytes && chunked.bigLineBytes > chunked.chunkBytes);
    const { pieces } = await readAll(chunked, memoryReadAt(chunked.bytes));
    assert.ok(pieces.filter((p) => p.checkpoint).length >= 1);
  });

  it('reads from memory exactly what the same bytes give read from a file', async (t) => {
    const tmp = tempDir('cu-warm-');
    t.after(() => tmp.cleanup());
    for (const w of transcripts) {
      const filePath = path.join(tmp.dir, path.basename(w.file.path) + (w.chunkBytes ?? ''));
      fs.writeFileSync(filePath, w.bytes);
      const file = { ...w.file, path: filePath };
      const onDisk = await readAll(w, undefined, file);
      const inMemory = await readAll(w, memoryReadAt(w.bytes), file);
      assert.deepEqual(inMemory, onDisk, filePath);
    }
  });

  it('means what it says: calls by consumer, bad lines counted, the unfinished line left for later', async () => {
    const [torn, chunked, agent, headless, sideQuestion] = await Promise.all(transcripts.map((t) => readAll(t, memoryReadAt(t.bytes))));
    for (const r of [torn, chunked]) {
      assert.equal(r.result.kind === 'read' && r.result.bad, 7);
      const sources = callsOf(r.pieces).map((c) => c.source);
      assert.deepEqual(sources.sort(), ['agent', 'agent', 'chat', 'chat', 'chat', 'chat']);
    }
    const tornBytes = transcripts[0].bytes;
    const state = JSON.parse(torn.pieces.at(-1)?.encoded ?? '{}') as { offset: number };
    assert.equal(state.offset, tornBytes.lastIndexOf(0x0a) + 1);
    assert.deepEqual(callsOf(agent.pieces).map((c) => c.consumer.key), Array(2).fill(`claude-code:agent:${transcripts[2].file.agentId}`));
    assert.match(callsOf(headless.pieces)[0].consumer.key, /^claude-code:run:/);
    assert.equal(callsOf(sideQuestion.pieces)[0].source, 'agent');
  });

  it('warms up once per thread, and a read after it gives what the same read gave before', async () => {
    const t = transcripts[1];
    const before = await readAll(t, memoryReadAt(t.bytes));
    const first = warmUpParser(false);
    assert.equal(warmUpParser(true), first);
    await first;
    assert.deepEqual(await readAll(t, memoryReadAt(t.bytes)), before);
  });
});
