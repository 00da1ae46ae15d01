/**
 * Hostile input for the transcript reader: random, truncated, binary, deeply nested, huge and wrongly typed lines,
 * mixed with valid calls. The collector must not crash or hang, must keep every untouched valid call, and every
 * number it stores must be what a strict reference reading of some input line says. Lines are read without their
 * message content (lineScanner.ts skips it by its brackets, as contentCut.ts cuts it), so a line damaged only inside
 * its content still yields its own usage: the reference reads such a line with the content removed (the cut itself
 * is checked against an object-level oracle below). Never a made-up or shifted number.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClaudeCodeCollector } from '../../src/extension/collectors/claudeCode/claudeCodeCollector';
import { closingBracket, cutAssistantContent, cutUserContent } from '../../src/extension/collectors/claudeCode/contentCut';
import { parseLine } from '../../src/extension/collectors/claudeCode/lineParser';
import type { TokenCounts } from '../../src/shared/callRecord';
import { assistantLine, codeText, idMaker, prng, toolResultContent, usageObject, userLine, type LineEnv } from '../support/claudeCodeTranscriptLines';
import { makeDeps, tempDir } from './claudeCodeHelpers';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface RefCall {
  key: string;
  sidechain: boolean;
  model: string;
  tokens: TokenCounts;
}

const CONTENT_KEY = Buffer.from('"content":');

/**
 * A strict reading of the line, or of the line without its message content when only that part is damaged: every
 * `"content":` value that the bracket walk can delimit is tried, and a cut counts when the rest then parses strictly
 * and the cut was the (assistant) message's own content.
 */
function referenceCall(bytes: Buffer): RefCall | undefined {
  const strict = strictCall(bytes);
  if (strict) return strict;
  for (let at = bytes.indexOf(CONTENT_KEY); at !== -1; at = bytes.indexOf(CONTENT_KEY, at + 1)) {
    const open = at + CONTENT_KEY.length;
    if (bytes[open] !== 0x5b) continue;
    const close = closingBracket(bytes, open);
    if (close === -1) continue;
    const cut = Buffer.concat([bytes.subarray(0, open), Buffer.from('[]'), bytes.subarray(close + 1)]);
    let v: unknown;
    try {
      v = JSON.parse(cut.toString('utf8'));
    } catch {
      continue;
    }
    const line = isObj(v) && v.type === 'progress' && isObj(v.data) && isObj(v.data.message) ? v.data.message : v;
    const content = isObj(line) && isObj(line.message) ? line.message.content : undefined;
    if (Array.isArray(content) && content.length === 0) return strictCall(cut);
  }
  return undefined;
}

/** An independent, strict reading of one line: the call it holds, if any. */
function strictCall(bytes: Buffer): RefCall | undefined {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isObj(v)) return undefined;
  let line: Obj = v;
  let sidechain = v.isSidechain === true;
  if (v.type === 'progress') {
    const data = v.data;
    if (!isObj(data) || !isObj(data.message) || data.message.type !== 'assistant') return undefined;
    line = data.message;
    sidechain = true;
  } else if (v.type !== 'assistant') return undefined;
  const m = line.message;
  if (!isObj(m) || typeof m.model !== 'string' || m.model === '' || m.model.length > 256 || m.model === '<synthetic>') return undefined;
  if (line.isApiErrorMessage === true || !isObj(m.usage)) return undefined;
  const ts = typeof line.timestamp === 'string' ? Date.parse(line.timestamp) : NaN;
  if (!Number.isFinite(ts) && v.type !== 'progress') return undefined;
  const u = m.usage;
  const count = (x: unknown, required: boolean): number => {
    if (x === undefined || x === null) return required ? NaN : 0;
    return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 100_000_000 ? x : NaN;
  };
  const input = count(u.input_tokens, true);
  const output = count(u.output_tokens, true);
  const cacheRead = count(u.cache_read_input_tokens, false);
  let w1h = 0;
  let total = count(u.cache_creation_input_tokens, false);
  if (isObj(u.cache_creation)) {
    const b5 = count(u.cache_creation.ephemeral_5m_input_tokens, false);
    w1h = count(u.cache_creation.ephemeral_1h_input_tokens, false);
    if (u.cache_creation_input_tokens === undefined || u.cache_creation_input_tokens === null) total = b5 + w1h;
  }
  const tokens = { input, cacheWrite5m: total - w1h, cacheWrite1h: w1h, cacheRead, output };
  if (Object.values(tokens).some((n) => !Number.isFinite(n) || n < 0)) return undefined;
  const str = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 && x.length <= 256 ? x : undefined);
  const uuid = str(line.uuid);
  const key = str(m.id) ?? str(line.requestId) ?? (uuid ? `uuid:${uuid}` : undefined);
  return key ? { key, sidechain, model: m.model, tokens } : undefined;
}

const total = (t: TokenCounts) => t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead + t.output;

class Fuzzer {
  readonly random: () => number;
  readonly ids: ReturnType<typeof idMaker>;
  constructor(seed: number) {
    this.random = prng(seed);
    this.ids = idMaker(this.random);
  }
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** A valid assistant line with a fresh id, and the tokens it states. */
  validCall(env: LineEnv, ts: number, bigContent = 0): { bytes: Buffer; ref: RefCall } {
    const usage = { input: this.int(50), cacheWrite5m: this.int(5000), cacheWrite1h: this.int(2) * this.int(3000), cacheRead: this.int(90000), output: this.int(4000) };
    const content = bigContent ? [{ type: 'tool_use', id: 'toolu_x', name: 'Write', input: { content: codeText(bigContent, this.random) } }] : [{ type: 'text', text: 'ok' }];
    const o = assistantLine(env, { ts, uuid: this.ids.uuid(), parentUuid: null, id: `msg_01${this.ids.hex(22)}`, model: 'claude-opus-5-5', requestId: `req_${this.ids.hex(20)}`, content, stopReason: 'end_turn', usage: usageObject(usage) });
    const bytes = Buffer.from(JSON.stringify(o));
    const ref = referenceCall(bytes);
    assert.ok(ref);
    return { bytes, ref };
  }
  mutate(b: Buffer): Buffer {
    const out = Buffer.from(b);
    switch (this.int(6)) {
      case 0: // flip a few bytes (never into a newline)
        for (let k = 0; k < 1 + this.int(5); k++) {
          const i = this.int(out.length);
          out[i] = (out[i] ^ (1 + this.int(255))) & 0xff || 0x20;
          if (out[i] === 0x0a) out[i] = 0x0b;
        }
        return out;
      case 1: // truncate
        return out.subarray(0, this.int(out.length));
      case 2: {
        // insert binary junk
        const junk = Buffer.from(Array.from({ length: 1 + this.int(40) }, () => this.int(256)).map((x) => (x === 0x0a ? 0 : x)));
        const at = this.int(out.length);
        return Buffer.concat([out.subarray(0, at), junk, out.subarray(at)]);
      }
      case 3: {
        // retype one usage or envelope field
        const o = JSON.parse(b.toString()) as Obj;
        const message = o.message as Obj;
        const usage = message.usage as Obj;
        const wrong = this.pick<unknown>(['12', -1, 1.5, 1e20, null, [], {}, true, 'NaN', Number.MAX_SAFE_INTEGER + 2]);
        const target = this.pick(['usage', 'usage', 'usage', 'model', 'id', 'timestamp', 'message', 'cache_creation']);
        if (target === 'usage') usage[this.pick(['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'])] = wrong;
        else if (target === 'cache_creation') (usage.cache_creation as Obj)[this.pick(['ephemeral_5m_input_tokens', 'ephemeral_1h_input_tokens'])] = wrong;
        else if (target === 'timestamp') o.timestamp = this.pick<unknown>([12345, '2026-13-45T99:99:99.999Z', '', 'soon', null]);
        else if (target === 'message') o.message = wrong;
        else message[target] = wrong;
        return Buffer.from(JSON.stringify(o));
      }
      case 4: // prototype keys and duplicates
        return Buffer.from(b.toString().replace('{"parentUuid"', '{"__proto__":{"type":"user"},"constructor":1,"parentUuid"').replace('"usage":{', '"usage":{"__proto__":{"input_tokens":5},'));
      default: // swap the line type
        return Buffer.from(b.toString().replace('"type":"assistant"', `"type":"${this.pick(['user', 'progress', 'summary', 'system', 'weird'])}"`));
    }
  }
  junk(): Buffer {
    switch (this.int(7)) {
      case 0:
        return Buffer.from(Array.from({ length: this.int(300) }, () => this.int(256)).map((x) => (x === 0x0a ? 0x0d : x)));
      case 1: {
        const n = 1000 + this.int(200_000);
        return Buffer.from('['.repeat(n) + ']'.repeat(this.int(2) ? n : n - 1));
      }
      case 2: {
        const n = 1000 + this.int(50_000);
        return Buffer.from('{"type":"assistant","message":'.repeat(1) + '{"a":'.repeat(n) + '1' + '}'.repeat(n) + '}');
      }
      case 3:
        return Buffer.from(`{"type":"user","message":{"content":"${'x'.repeat(3 * 1024 * 1024 + this.int(1000))}`);
      case 4:
        return Buffer.from(this.pick(['{}', '[]', 'null', '"str"', '1', '{"type":null}', '{"type":["assistant"]}', '\ufeff{"type":"assistant"}', '{"type":"assistant","message":{"model":"m","usage":{"input_tokens":1,"output_tokens":2}}}']));
      case 5:
        return Buffer.from(JSON.stringify({ type: 'progress', data: { type: 'agent_progress', message: { type: 'assistant', message: { model: 'claude-haiku-4-5-20251001', id: `msg_w${this.ids.hex(8)}`, usage: { input_tokens: this.int(9), output_tokens: this.int(9) } }, timestamp: new Date().toISOString() } } }));
      default:
        return Buffer.from(JSON.stringify(userLine({ sessionId: 'fz', cwd: '/fz' }, { ts: Date.now(), uuid: this.ids.uuid(), parentUuid: null, content: toolResultContent('t', codeText(this.int(5000), this.random)) })) + '\r');
    }
  }
}

describe('content cut', () => {
  it('removes exactly the message content of valid lines, whatever the content holds', () => {
    const f = new Fuzzer(31337);
    const nasty = ['],"stop_reason":1', '"role":"assistant","content":[', ']},"', '\\"', '{"usage":{"input_tokens":999}}', '😀', '\u0000'];
    for (let i = 0; i < 500; i++) {
      const piece = () => (f.int(3) === 0 ? f.pick(nasty) : codeText(f.int(3000), f.random));
      const content = [{ type: 'text', text: piece() }, { type: 'tool_use', id: 't', name: 'X', input: { a: [piece(), { stop_reason: piece(), usage: { input_tokens: 7 } }], content: [piece()] } }];
      const env: LineEnv = { sessionId: 's', cwd: f.pick(['/a', '/b"c', '/d]},"e']), entrypoint: 'cli' };
      const user = f.int(2) === 0;
      const o = user
        ? userLine(env, { ts: Date.now(), uuid: 'u', parentUuid: null, content, toolUseResult: { stdout: piece(), content: [piece()] } })
        : assistantLine(env, { ts: Date.now(), uuid: 'u', parentUuid: null, id: 'msg_x', model: 'm', content, stopReason: 'end_turn', usage: usageObject({ input: i, output: 1 }) });
      const bytes = Buffer.from(JSON.stringify(o));
      const cut = user ? cutUserContent(bytes) : cutAssistantContent(bytes);
      assert.ok(cut);
      const expected = JSON.parse(bytes.toString()) as Obj;
      (expected.message as Obj).content = [];
      assert.deepEqual(JSON.parse(cut.toString()), expected);
    }
  });
});

describe('fuzz', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('cc-fuzz-');
  });
  after(() => tmp.cleanup());

  it('parseLine never throws and agrees with the strict reference on every number it returns', (t) => {
    const f = new Fuzzer(424242);
    const env: LineEnv = { sessionId: 'fz', cwd: '/fz', entrypoint: 'cli' };
    let tried = 0;
    for (let i = 0; i < 6000; i++) {
      const base = f.validCall(env, Date.UTC(2026, 0, 1) + i, f.int(4) === 0 ? 1000 + f.int(6000) : 0);
      const input = f.int(5) === 0 ? f.junk() : f.int(8) === 0 ? base.bytes : f.mutate(base.bytes);
      tried++;
      const p = parseLine(input, true, f.int(2) === 0);
      if (p.kind !== 'call') continue;
      const ref = referenceCall(input);
      assert.ok(ref, `a call the reference does not see: ${input.toString().slice(0, 200)}`);
      assert.deepEqual(p.call.usage.tokens, ref.tokens);
      assert.equal(p.call.model, ref.model);
    }
    t.diagnostic(`parseLine fuzz inputs tried: ${tried}`);
  });

  it('the collector survives a corpus of hostile lines, keeps every intact call and stores no wrong number', { timeout: 300_000 }, async (t) => {
    const f = new Fuzzer(777);
    const config = path.join(tmp.dir, 'cfg');
    const refs = new Map<string, RefCall[]>();
    const intact = new Map<string, TokenCounts>();
    let tried = 0;
    for (let file = 0; file < 40; file++) {
      const env: LineEnv = { sessionId: `fz-${file}`, cwd: `/fz/${file % 3}`, entrypoint: 'cli', isSidechain: file % 7 === 0 };
      const lines: Buffer[] = [];
      for (let i = 0; i < 60; i++) {
        const { bytes, ref } = f.validCall(env, Date.UTC(2026, 0, 1) + file * 1e6 + i * 1000, f.int(6) === 0 ? 3000 + f.int(20000) : 0);
        const r = f.int(10);
        const input = r < 4 ? bytes : r < 8 ? f.mutate(bytes) : f.junk();
        if (r < 4) intact.set(ref.key, ref.tokens);
        const seen = referenceCall(input);
        if (seen) refs.set(seen.key, [...(refs.get(seen.key) ?? []), seen]);
        lines.push(input);
        tried++;
      }
      const dir = path.join(config, 'projects', `p${file % 3}`);
      fs.mkdirSync(dir, { recursive: true });
      // Some files end with a truncated line and no newline.
      const tail = file % 4 === 0 ? f.validCall(env, Date.UTC(2026, 0, 2)).bytes.subarray(0, 20 + f.int(400)) : undefined;
      fs.writeFileSync(path.join(dir, `fz-${file}.jsonl`), Buffer.concat([...lines.flatMap((l) => [l, Buffer.from('\n')]), tail ?? Buffer.alloc(0)]));
    }
    const deps = makeDeps();
    const stats = await createClaudeCodeCollector(deps, { configDirs: [config], watch: false }).start();
    t.diagnostic(`collector fuzz inputs tried: ${tried} lines in 40 files, ${stats.skippedLines} skipped, ${deps.sink.calls.size} calls stored`);
    assert.ok(stats.skippedLines > 0 && stats.skippedLines < tried);

    for (const [key, tokens] of intact) {
      const c = deps.sink.calls.get(key);
      assert.ok(c, `intact call ${key} is stored`);
      // A mutated duplicate can share the id; the stored copy must then be at least as good as the intact one.
      if (!refs.get(key)?.some((r) => r !== undefined && total(r.tokens) > total(tokens))) assert.deepEqual(c.tokens, tokens);
    }
    for (const c of deps.sink.calls.values()) {
      const candidates = refs.get(c.key);
      assert.ok(candidates, `stored call ${c.key} comes from an input line`);
      const best = Math.max(...candidates.map((r) => (r.sidechain ? 0 : 1e12) + total(r.tokens)));
      const match = candidates.find((r) => (r.sidechain ? 0 : 1e12) + total(r.tokens) === best && JSON.stringify(r.tokens) === JSON.stringify(c.tokens));
      assert.ok(match, `stored ${c.key} ${JSON.stringify(c.tokens)} is the best reference copy among ${JSON.stringify(candidates)}`);
      assert.equal(c.model, match.model);
    }
    // Logs stay bounded however many lines are broken.
    assert.ok(deps.logs.length <= 60, `${deps.logs.length} log lines`);
  });
});
