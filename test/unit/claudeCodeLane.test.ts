// The lane (fileLane.ts, wasm/transcriptLane.ts): a file it reads gives exactly the pieces the JavaScript path gives
// (calls, renames, the read state, the summary), at the reader's chunk size and at a small one with checkpoints; the
// lines it does not apply as the JavaScript path would make it leave the file, which is then read that way. Checked
// over a generated corpus, the warm-up transcripts and lines made to take each way out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateCorpus } from '../../bench/corpus';
import { laneTally, setLaneEnabled } from '../../src/extension/collectors/claudeCode/fileLane';
import { readTranscript, type ReadPiece, type ReadResult } from '../../src/extension/collectors/claudeCode/fileReader';
import { memoryReadAt } from '../../src/extension/collectors/claudeCode/lineReader';
import { emptyListing, listProjectDir, projectDirsOf, type TranscriptFile } from '../../src/extension/collectors/claudeCode/transcriptFiles';
import { warmUpTranscripts } from '../../src/extension/collectors/claudeCode/warmUpTranscripts';
import { mulberry32 } from '../support/seededRandom';

interface Read {
  result: ReadResult;
  pieces: ReadPiece[];
}

interface Sizes {
  chunkBytes?: number;
  bigLineBytes?: number;
  checkpointChunks?: number;
}

const SMALL: Sizes = { chunkBytes: 4096, checkpointChunks: 4 };

async function readOnce(file: TranscriptFile, bytes: Buffer, sizes: Sizes, pause?: () => Promise<void>): Promise<Read> {
  const pieces: ReadPiece[] = [];
  const hooks = { onPiece: (p: ReadPiece) => void pieces.push(p), meta: () => ({ agentType: 'Explore', description: 'Look around' }), pause };
  const job = { file, agentMeta: [], identity: { size: bytes.length, mtimeMs: 1, ino: 1 }, unchanged: false, ...sizes };
  return { result: await readTranscript(job, hooks, memoryReadAt(bytes)), pieces };
}

/** The file read without the lane and with it; `taken`: the lane read it to the end. */
async function readBoth(file: TranscriptFile, bytes: Buffer, sizes: Sizes = {}): Promise<{ off: Read; on: Read; taken: boolean }> {
  setLaneEnabled(false);
  try {
    const off = await readOnce(file, bytes, sizes);
    setLaneEnabled(true);
    const before = laneTally.finished;
    const on = await readOnce(file, bytes, sizes);
    return { off, on, taken: laneTally.finished > before };
  } finally {
    setLaneEnabled(true);
  }
}

const SESSION_ID = '5e551011-0000-4000-8000-000000000001';
const PROJECT = '/lane/projects/-lane';
const SESSION: TranscriptFile = { path: `${PROJECT}/${SESSION_ID}.jsonl`, kind: 'session', sessionId: SESSION_ID, projectDir: PROJECT };
const AGENT: TranscriptFile = {
  path: `${PROJECT}/${SESSION_ID}/subagents/agent-a1.jsonl`, kind: 'subagent', sessionId: SESSION_ID, agentId: 'a1', projectDir: PROJECT,
};

type Obj = Record<string, unknown>;
let clock = Date.UTC(2026, 10, 20, 9, 0, 0);
const at = (): string => new Date((clock += 1500)).toISOString();
const head = (extra: Obj = {}): Obj => ({ isSidechain: false, cwd: '/home/dev/lane', sessionId: SESSION_ID, entrypoint: 'claude-vscode', timestamp: at(), ...extra });
const usage = (input: number, output: number, extra: Obj = {}): Obj => ({
  input_tokens: input, cache_creation_input_tokens: 300, cache_read_input_tokens: 4000, output_tokens: output,
  cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 }, service_tier: 'standard', ...extra,
});
const prompt = (text: string, extra: Obj = {}): Obj => ({ ...head(extra), type: 'user', message: { role: 'user', content: text } });
const call = (id: string, output: number, extra: Obj = {}, message: Obj = {}): Obj => ({
  ...head(extra), type: 'assistant', requestId: `req_${id}`,
  message: { model: 'claude-sonnet-4-5-20250929', id: `msg_${id}`, role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage: usage(10, output), ...message },
});
const lines = (...objects: Array<Obj | string>): Buffer => Buffer.from(objects.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))).join('\n') + '\n');

/** A conversation with every kind of line the lane applies itself. */
function conversation(extra: Obj = {}): Array<Obj | string> {
  return [
    prompt('Fix the login page', extra),
    call('a', 5, extra),
    call('a', 40, extra),
    // A last copy with fewer tokens: the best copy stays, with the message's whole duration.
    call('a', 20, extra),
    { ...head(extra), type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'done' }] } },
    call('b', 12, extra, { usage: usage(7, 12, { server_tool_use: { web_search_requests: 2, web_fetch_requests: 0 }, speed: 'fast' }) }),
    { ...head(extra), type: 'assistant', message: { model: '<synthetic>', id: 'msg_s', content: [], usage: usage(0, 0) } },
    { ...head(extra), type: 'assistant', isApiErrorMessage: true, message: { model: 'claude-sonnet-4-5-20250929', id: 'msg_e', content: [], usage: usage(0, 0) } },
    { type: 'ai-title', sessionId: SESSION_ID, aiTitle: 'Login page fix' },
    { ...head(extra), type: 'system', subtype: 'compact_boundary', content: 'Conversation compacted' },
    call('c', 900, extra),
    prompt('And the signup page', extra),
    { type: 'progress', ...head(extra), data: { type: 'hook_progress', hookName: 'PostToolUse' } },
    { type: 'file-history-snapshot', messageId: 'x', snapshot: {} },
    '',
    call('d', 30, extra, { usage: usage(3, 30, { iterations: [] }) }),
    { type: 'custom-title', sessionId: SESSION_ID, customTitle: 'Auth pages' },
  ];
}

describe('the transcript lane', () => {
  let root: string;
  let corpus: Array<{ file: TranscriptFile; bytes: Buffer }>;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cu-lane-'));
    const manifest = generateCorpus(path.join(root, 'c'), 4 << 20);
    const listing = emptyListing();
    for (const dir of projectDirsOf(path.join(manifest.configDir, 'projects'), listing)) listProjectDir(dir, listing);
    corpus = listing.files.map((file) => ({ file, bytes: fs.readFileSync(file.path) }));
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives exactly what the JavaScript path gives for every file of a generated corpus, and reads nearly all of them', async () => {
    let taken = 0;
    let calls = 0;
    for (const { file, bytes } of corpus) {
      for (const sizes of [{}, SMALL]) {
        const both = await readBoth(file, bytes, sizes);
        assert.deepEqual(both.on, both.off, file.path);
        if (sizes === SMALL) continue;
        if (both.taken) taken++;
        calls += both.off.pieces.reduce((n, p) => n + p.calls.length, 0);
      }
    }
    assert.ok(corpus.length > 10 && calls > 500, `${corpus.length} files, ${calls} calls`);
    // Only files with a torn last line are left to the JavaScript path.
    assert.ok(taken >= corpus.length * 0.9, `the lane read ${taken} of ${corpus.length} files`);
  });

  it('gives exactly what the JavaScript path gives for the warm-up transcripts (every branch of the parse path)', async () => {
    for (const t of warmUpTranscripts()) {
      const sizes = { chunkBytes: t.chunkBytes, bigLineBytes: t.bigLineBytes, checkpointChunks: t.checkpointChunks };
      const both = await readBoth(t.file, t.bytes, sizes);
      assert.deepEqual(both.on, both.off, t.file.path);
      const again = await readBoth(t.file, t.bytes, SMALL);
      assert.deepEqual(again.on, again.off, t.file.path);
    }
  });

  it('reads a conversation of every line kind it applies itself: streamed copies merged, durations, sources, titles, the first prompt', async () => {
    const both = await readBoth(SESSION, lines(...conversation()));
    assert.equal(both.taken, true);
    assert.deepEqual(both.on, both.off);
    const calls = both.on.pieces.flatMap((p) => p.calls);
    assert.deepEqual(calls.map((c) => [c.key, c.tokens.output, c.source]), [
      ['msg_a', 40, 'chat'], ['msg_b', 12, 'chat'], ['msg_c', 900, 'memory'], ['msg_d', 30, 'chat'],
    ]);
    assert.equal(calls[0].consumer.name, 'Auth pages');
    assert.equal(calls[0].durationMs, 4500);
    assert.match(both.on.pieces[0].encoded, /"first":"Fix the login page"/);
  });

  it('reads folders with non-ASCII characters, headless runs and subagent files itself', async () => {
    const cases: Array<[TranscriptFile, Buffer]> = [
      [SESSION, lines(...conversation({ cwd: '/home/dev/Mes projets/café-app' }))],
      [SESSION, lines(...conversation({ cwd: '/home/dev/🚀 rocket' }))],
      [SESSION, lines(...conversation({ cwd: `/home/${'d'.repeat(5000)}` }))],
      [SESSION, lines(...conversation({ entrypoint: 'sdk-cli' }))],
      [SESSION, lines(...conversation({ entrypoint: undefined, sessionKind: 'daemon' }))],
      [AGENT, lines(...conversation({ isSidechain: true, agentId: 'a1' }))],
      // CRLF line ends: the walk reads the carriage return as the space after the object, as JSON.parse does.
      [SESSION, Buffer.from(lines(...conversation().filter((o) => o !== '')).toString().replace(/\n/g, '\r\n'))],
    ];
    for (const [file, bytes] of cases) {
      const both = await readBoth(file, bytes);
      assert.equal(both.taken, true, bytes.toString().slice(0, 120));
      assert.deepEqual(both.on, both.off);
      assert.equal(both.on.pieces[0].calls.length, 4);
    }
  });

  it('leaves to the JavaScript path what it does not apply itself, which then reads it as ever', async () => {
    const ok = conversation();
    const cases: Record<string, Buffer> = {
      'an escaped id': lines(...ok, JSON.stringify(call('e', 3)).replace('"msg_e"', '"msg_\\u0065"')),
      'an inline side chain': lines(...ok, call('f', 3, { isSidechain: true, agentId: 'inline1' })),
      'a wrapped copy': lines(...ok, { type: 'progress', ...head(), data: { agentId: 'w1', message: call('g', 3, { isSidechain: true }) } }),
      'usage iterations': lines(...ok, call('h', 3, {}, { usage: usage(1, 3, { iterations: [{ type: 'compaction', input_tokens: 5, output_tokens: 6 }] }) })),
      'a call keyed by its uuid': lines(...ok, { ...call('i', 3), requestId: undefined, uuid: 'u-1', message: { model: 'claude-sonnet-4-5-20250929', usage: usage(1, 3) } }),
      'a torn last line': Buffer.concat([lines(...ok), Buffer.from('{"type":"assistant","message":{"mod')]),
      'a bad line': lines(...ok, { ...head(), type: 'assistant', message: { model: 'claude-sonnet-4-5-20250929', id: 'msg_j' } }),
      'a key twice': lines(...ok, JSON.stringify(call('k', 3)).replace('"output_tokens":3', '"output_tokens":3,"output_tokens":4')),
      'a fractional count': lines(...ok, JSON.stringify(call('l', 3)).replace('"output_tokens":3', '"output_tokens":3.0')),
      'a timestamp in another form': lines(...ok, { ...call('m', 3), timestamp: '2026-11-20T10:00:00+01:00' }),
      'a second agent in a subagent file': lines(...ok),
      'invalid UTF-8 in a folder': Buffer.concat([lines(...ok), Buffer.from(JSON.stringify(call('n', 3, { cwd: '/home/XX' })).replace('XX', '\u00ff') + '\n', 'latin1')]),
      'a line of spaces': lines(...ok, '   '),
      'a line that starts with a space': lines(...ok, ` ${JSON.stringify(call('p', 3))}`),
    };
    for (const [what, bytes] of Object.entries(cases)) {
      const file = what === 'a second agent in a subagent file' ? AGENT : SESSION;
      const input = file === AGENT ? lines(...conversation({ isSidechain: true, agentId: 'a1' }), call('o', 3, { isSidechain: true, agentId: 'a2' })) : bytes;
      const both = await readBoth(file, input);
      assert.equal(both.taken, false, what);
      assert.deepEqual(both.on, both.off, what);
    }
  });

  it('reads an invalid date as the JavaScript path does: a prompt without a start, a call as a bad line', async () => {
    const noStart = await readBoth(SESSION, lines(prompt('Hi', { timestamp: '2026-02-30T10:00:00.000Z' }), call('a', 5)));
    assert.equal(noStart.taken, true);
    assert.deepEqual(noStart.on, noStart.off);
    assert.equal(noStart.on.pieces[0].calls[0].durationMs, null);
    const bad = await readBoth(SESSION, lines(prompt('Hi'), call('a', 5, { timestamp: '2026-13-01T10:00:00.000Z' })));
    assert.equal(bad.taken, false);
    assert.deepEqual(bad.on, bad.off);
  });

  it('reads one file at a time: a file whose read starts while another is in the lane is read its own way, both exactly', async () => {
    const files = [lines(...conversation()), lines(...conversation({ cwd: '/home/dev/other' }))];
    const sizes = { chunkBytes: 512, checkpointChunks: 1000 };
    const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    setLaneEnabled(false);
    const alone = [await readOnce(SESSION, files[0], sizes), await readOnce(SESSION, files[1], sizes)];
    setLaneEnabled(true);
    const before = laneTally.finished;
    const together = await Promise.all(files.map((bytes) => readOnce(SESSION, bytes, sizes, yieldNow)));
    assert.equal(laneTally.finished - before, 1);
    assert.deepEqual(together, alone);
    // The lane is free again afterwards.
    assert.equal((await readBoth(SESSION, files[1])).taken, true);
  });

  it('gives exactly what the JavaScript path gives for conversations with lines damaged at random', async () => {
    const random = mulberry32(20261129);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const keys = [
      'type', 'subtype', 'message', 'model', 'id', 'requestId', 'timestamp', 'isSidechain', 'agentId', 'cwd', 'entrypoint', 'sessionKind',
      'usage', 'input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'cache_creation',
      'ephemeral_1h_input_tokens', 'server_tool_use', 'service_tier', 'iterations', 'isMeta', 'isCompactSummary', 'isApiErrorMessage', 'data',
    ];
    const values: unknown[] = [
      null, true, false, 0, -1, 1.5, 1e3, 250, 400, 123456789012, 100000001, '', 'x', '<synthetic>', 'assistant', 'user', 'system', 'progress',
      'compact_boundary', 'sdk-py', 'daemon', {}, [], [1], { message: { type: 'assistant' } }, 'é'.repeat(300), 'a"b\n', '\u0000',
      '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00Z', '2026-02-29T10:00:00.000Z', 'Mes projets/🚀',
    ];
    /** Sets `key` wherever it is found in the line's objects, or adds it to the line. */
    const setKey = (o: Obj, key: string, value: unknown): boolean => {
      if (key in o) {
        o[key] = value;
        return true;
      }
      return Object.values(o).some((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && setKey(v as Obj, key, value));
    };
    const damage = (line: string): string => {
      const how = random();
      const parsed = ((): Obj | undefined => {
        try {
          return JSON.parse(line) as Obj;
        } catch {
          return undefined; // damaged before
        }
      })();
      if (how < 0.35 && parsed) {
        const o = parsed;
        const key = pick(keys);
        if (!setKey(o, key, pick(values))) o[key] = pick(values);
        return JSON.stringify(o);
      }
      const at = Math.floor(random() * line.length);
      if (how < 0.55) return line.slice(0, at) + line.slice(at + 1);
      if (how < 0.8) return line.slice(0, at) + pick(['"', '\\', '{', '}', ',', ':', '0', 'é', ' ', '-', '.', '\u00ff']) + line.slice(at);
      const key = pick(keys);
      return line.replace(`"${key}":`, `"${key}":null,"${key}":`);
    };
    let taken = 0;
    for (let n = 0; n < 1000; n++) {
      const extra = random() < 0.3 ? { isSidechain: true, agentId: 'a1' } : {};
      const file = extra.isSidechain ? AGENT : SESSION;
      const text = conversation(extra).map((o) => (typeof o === 'string' ? o : JSON.stringify(o)));
      for (let d = 1 + Math.floor(random() * 3); d > 0; d--) {
        const i = Math.floor(random() * text.length);
        if (text[i] !== '') text[i] = damage(text[i]);
      }
      const both = await readBoth(file, Buffer.from(text.join('\n') + '\n'), random() < 0.5 ? {} : SMALL);
      assert.deepEqual(both.on, both.off, text.join('\n'));
      if (both.taken) taken++;
    }
    // Damage the lane reads as the JavaScript path does (values of other types, fields it ignores) keeps it.
    assert.ok(taken > 100, `the lane read ${taken} of 1,000 damaged conversations`);
  });
});
