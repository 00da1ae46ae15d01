import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JsonShrinker, shrinkJson } from '../../src/extension/collectors/claudeCode/jsonShrinker';
import { parseLine } from '../../src/extension/collectors/claudeCode/lineParser';
import { fileReadAt, readLines } from '../../src/extension/collectors/claudeCode/lineReader';
import { createClaudeCodeCollector } from '../../src/extension/collectors/claudeCode/claudeCodeCollector';
import { assistantLine, codeText, iso, prng, toolResultContent, usageObject, userLine } from '../support/claudeCodeTranscriptLines';
import { makeDeps, tempDir } from './claudeCodeHelpers';

interface Seen {
  text: string | null;
  complete: boolean;
  shrunk: boolean;
  length: number;
}

async function readAll(file: string, from: number, chunkBytes: number, bigLineBytes = 256 * 1024, takeTail = false) {
  const seen: Seen[] = [];
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const outcome = await readLines(
      fileReadAt(fd),
      from,
      size,
      (bytes, from, to, complete, shrunk) => {
        const line = bytes?.subarray(from, to);
        seen.push({ text: line ? line.toString('utf8') : null, complete, shrunk, length: line ? line.length : -1 });
        return complete || takeTail;
      },
      { chunkBytes, bigLineBytes },
    );
    return { seen, outcome, size };
  } finally {
    fs.closeSync(fd);
  }
}

/** Every string cut to at most `keep` bytes of its JSON form; used to state what shrinking must give. */
function assertShrunkMatches(original: unknown, shrunk: unknown, keep: number, where = '$'): void {
  if (typeof original === 'string') {
    assert.equal(typeof shrunk, 'string', where);
    const s = shrunk as string;
    const escapedLength = Buffer.byteLength(JSON.stringify(original)) - 2;
    if (escapedLength <= keep) assert.equal(s, original, `${where} short strings are kept whole`);
    else {
      // A cut may end in half a UTF-8 character (shown as U+FFFD); everything before it is the original's prefix.
      const clean = s.replace(/\uFFFD+$/, '');
      assert.ok(original.startsWith(clean), `${where} is a prefix`);
      assert.ok(Buffer.byteLength(JSON.stringify(s)) - 2 <= keep + 12, `${where} is cut`);
    }
    return;
  }
  if (Array.isArray(original)) {
    assert.ok(Array.isArray(shrunk), where);
    assert.equal((shrunk as unknown[]).length, original.length, where);
    original.forEach((v, i) => assertShrunkMatches(v, (shrunk as unknown[])[i], keep, `${where}[${i}]`));
    return;
  }
  if (original !== null && typeof original === 'object') {
    assert.ok(shrunk !== null && typeof shrunk === 'object', where);
    const o = original as Record<string, unknown>;
    const s = shrunk as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (Buffer.byteLength(JSON.stringify(k)) - 2 <= keep) assertShrunkMatches(o[k], s[k], keep, `${where}.${k}`);
    }
    return;
  }
  assert.equal(shrunk, original, `${where} numbers, booleans and null are untouched`);
}

function randomJson(random: () => number, depth: number): unknown {
  const r = random();
  if (depth > 4 || r < 0.3) {
    const k = Math.floor(random() * 6);
    if (k === 0) return Math.floor(random() * 1e9) * (random() < 0.5 ? 1 : -1);
    if (k === 1) return random() * 1e6;
    if (k === 2) return random() < 0.5;
    if (k === 3) return null;
    const alphabet = ['a', '"', '\\', '\n', 'é', '日', '😀', '\u0001', '/', ' ', 'z', '\u2028'];
    const len = Math.floor(random() * (random() < 0.2 ? 5000 : 40));
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    return s;
  }
  if (r < 0.65) return Array.from({ length: Math.floor(random() * 5) }, () => randomJson(random, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(random() * 5); i++) o[`k${i}${'"\\é'.charAt(Math.floor(random() * 4))}`] = randomJson(random, depth + 1);
  return o;
}

describe('JsonShrinker', () => {
  it('keeps numbers and structure, cuts long strings at safe points, whatever the chunking', () => {
    const random = prng(11);
    let tried = 0;
    for (let n = 0; n < 400; n++) {
      const value = { type: 'assistant', message: { usage: { input_tokens: n, output_tokens: 7 } }, payload: randomJson(random, 0) };
      const text = Buffer.from(JSON.stringify(value));
      const keep = [0, 1, 5, 64, 2048][n % 5];
      const whole = shrinkJson(text, keep);
      assert.ok(whole);
      const parsed: unknown = JSON.parse(whole.toString('utf8'));
      assertShrunkMatches(value, parsed, keep);
      // Same output when fed in random pieces (a line spread over many read chunks).
      const s = new JsonShrinker(keep);
      let pos = 0;
      while (pos < text.length) {
        const step = 1 + Math.floor(random() * 50);
        s.push(text.subarray(pos, pos + step));
        pos += step;
      }
      assert.deepEqual(s.finish(), whole);
      tried++;
    }
    assert.equal(tried, 400);
  });

  it('gives up (null) when even the shrunk form is too large, instead of growing without bound', () => {
    const numbers = Buffer.from(JSON.stringify({ a: Array.from({ length: 100_000 }, (_, i) => i) }));
    assert.equal(shrinkJson(numbers, 16, 64 * 1024), null);
  });
});

describe('readLines', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('cc-reader-');
  });
  after(() => tmp.cleanup());

  it('yields the same lines for any chunk size, and leaves an unterminated tail', async () => {
    const file = path.join(tmp.dir, 'lines.jsonl');
    const lines = ['{"a":1}', '', '{"b":"x\\ny"}', '  ', '{"c":"' + 'é'.repeat(100) + '"}'];
    fs.writeFileSync(file, lines.join('\n') + '\n{"tail":');
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      const { seen, outcome, size } = await readAll(file, 0, chunk);
      assert.deepEqual(
        seen.filter((s) => s.complete).map((s) => s.text),
        lines,
        `chunk ${chunk}`,
      );
      const tail = seen.filter((s) => !s.complete);
      assert.deepEqual(tail.map((s) => s.text), ['{"tail":']);
      assert.equal(outcome.endOffset, size - '{"tail":'.length, 'the tail is read again next time');
      assert.equal(outcome.lines, lines.length);
    }
  });

  it('takes an unterminated tail that the handler accepts', async () => {
    const file = path.join(tmp.dir, 'tail.jsonl');
    fs.writeFileSync(file, '{"a":1}\n{"b":2}');
    const { outcome, size } = await readAll(file, 0, 4, 256 * 1024, true);
    assert.equal(outcome.endOffset, size);
    assert.equal(outcome.lines, 2);
  });

  it('streams a line of several megabytes through the shrinker, in small memory, with its facts intact', async () => {
    const file = path.join(tmp.dir, 'huge.jsonl');
    const random = prng(5);
    const env = { sessionId: 's1', cwd: '/w', entrypoint: 'cli' };
    const ts = Date.UTC(2026, 10, 1, 10, 0, 0);
    const hugeUser = userLine(env, { ts, uuid: 'u1', parentUuid: null, content: toolResultContent('toolu_1', codeText(6 * 1024 * 1024, random)), toolUseResult: { stdout: codeText(2 * 1024 * 1024, random) } });
    const hugeAssistant = assistantLine(env, {
      ts: ts + 4000,
      uuid: 'u2',
      parentUuid: 'u1',
      id: 'msg_huge',
      model: 'claude-opus-5-5',
      requestId: 'req_huge',
      content: [{ type: 'tool_use', id: 'toolu_2', name: 'Write', input: { file_path: '/w/big.ts', content: codeText(5 * 1024 * 1024, random) } }],
      stopReason: 'tool_use',
      usage: usageObject({ input: 3, cacheWrite1h: 100, cacheRead: 90000, output: 70000 }),
    });
    fs.writeFileSync(file, `${JSON.stringify(hugeUser)}\n${JSON.stringify(hugeAssistant)}\n`);
    const { seen } = await readAll(file, 0, 1024 * 1024);
    assert.equal(seen.length, 2);
    for (const s of seen) {
      assert.ok(s.shrunk, 'handed over shrunk');
      assert.ok(s.length < 64 * 1024, `shrunk to ${s.length} bytes`);
    }
    const parsed = seen.map((s) => parseLine(Buffer.from(s.text ?? '')));
    assert.equal(parsed[0].kind, 'user');
    assert.equal(parsed[0].kind === 'user' ? parsed[0].env.ts : 0, ts);
    assert.equal(parsed[1].kind, 'call');
    if (parsed[1].kind === 'call') {
      assert.deepEqual(parsed[1].call.usage.tokens, { input: 3, cacheWrite5m: 0, cacheWrite1h: 100, cacheRead: 90000, output: 70000 });
      assert.equal(parsed[1].call.id, 'msg_huge');
    }

    // And through the collector: one record, with its duration from the huge tool result's timestamp.
    const config = path.join(tmp.dir, 'cfg');
    const projectDir = path.join(config, 'projects', '-w');
    fs.mkdirSync(projectDir, { recursive: true });
    fs.copyFileSync(file, path.join(projectDir, 's1.jsonl'));
    const deps = makeDeps();
    const stats = await createClaudeCodeCollector(deps, { configDirs: [config], watch: false }).start();
    assert.equal(stats.skippedLines, 0);
    const call = deps.sink.calls.get('msg_huge');
    assert.ok(call);
    assert.equal(call.durationMs, 4000);
    assert.equal(call.ts, Date.parse(iso(ts + 4000)));
  });
});
