// The benchmark's corpus generator: what it writes must be what its manifest claims (the bench checks importers
// against those totals), in the layout and line shapes Claude Code uses, and it must be cached by version and size.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureCorpus, generateCorpus, GENERATOR_VERSION, type CorpusManifest } from '../../bench/corpus';

interface Seen {
  total: number;
  usage: { input: number; cw5: number; cw1: number; read: number; output: number };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function n(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

describe('bench corpus generator', () => {
  let root: string;
  let manifest: CorpusManifest;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cu-bench-corpus-test-'));
    manifest = generateCorpus(path.join(root, 'c'), 3 << 20);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes about the asked size in Claude Code layout, with subagent files beside their meta files', () => {
    const files = listFiles(path.join(manifest.configDir, 'projects'));
    const transcripts = files.filter((f) => f.endsWith('.jsonl'));
    const bytes = transcripts.reduce((s, f) => s + fs.statSync(f).size, 0);
    assert.equal(bytes, manifest.totals.bytes);
    assert.ok(bytes >= 3 << 20 && bytes < (3 << 20) * 1.5, `size ${bytes}`);
    assert.equal(transcripts.length, manifest.totals.files);
    const agents = transcripts.filter((f) => /[/\\]subagents[/\\]agent-[0-9a-f]+\.jsonl$/.test(f));
    assert.equal(agents.length, manifest.totals.subagentFiles);
    assert.ok(agents.length > 0, 'some subagent files');
    for (const a of agents) assert.ok(fs.existsSync(a.replace(/\.jsonl$/, '.meta.json')), `meta beside ${a}`);
    for (const t of transcripts) {
      const projectKey = path.relative(path.join(manifest.configDir, 'projects'), t).split(path.sep)[0];
      assert.match(projectKey, /^[A-Za-z0-9-]+$/);
    }
  });

  it('holds exactly the calls and token totals of its manifest (largest copy per message, torn lines not counted)', () => {
    const calls = new Map<string, Seen>();
    let torn = 0;
    let lines = 0;
    let streamingCopies = 0;
    for (const file of listFiles(path.join(manifest.configDir, 'projects')).filter((f) => f.endsWith('.jsonl'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        lines++;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          torn++;
          continue;
        }
        const o = obj(parsed);
        if (o.type !== 'assistant') continue;
        const message = obj(o.message);
        if (message.model === '<synthetic>') continue;
        const u = obj(message.usage);
        const cc = obj(u.cache_creation);
        const usage = {
          input: n(u.input_tokens),
          cw5: u.cache_creation ? n(cc.ephemeral_5m_input_tokens) : n(u.cache_creation_input_tokens),
          cw1: n(cc.ephemeral_1h_input_tokens),
          read: n(u.cache_read_input_tokens),
          output: n(u.output_tokens),
        };
        const total = usage.input + usage.cw5 + usage.cw1 + usage.read + usage.output;
        const key = `${String(message.id)}:${String(o.requestId)}`;
        const seen = calls.get(key);
        if (seen) streamingCopies++;
        if (!seen || total > seen.total) calls.set(key, { total, usage });
      }
    }
    assert.equal(lines, manifest.totals.lines);
    assert.equal(torn, manifest.totals.malformedLines);
    assert.equal(calls.size, manifest.totals.calls);
    assert.ok(streamingCopies > calls.size / 4, 'many calls are written as several streaming copies');
    const sum = { input: 0, cw5: 0, cw1: 0, read: 0, output: 0 };
    for (const { usage } of calls.values()) {
      sum.input += usage.input;
      sum.cw5 += usage.cw5;
      sum.cw1 += usage.cw1;
      sum.read += usage.read;
      sum.output += usage.output;
    }
    const t = manifest.totals.tokens;
    assert.deepEqual(sum, { input: t.input, cw5: t.cacheWrite5m, cw1: t.cacheWrite1h, read: t.cacheRead, output: t.output });
  });

  it('dates every transcript by its last timed line, as Claude Code leaves them: a year of mostly finished conversations', () => {
    const transcripts = listFiles(path.join(manifest.configDir, 'projects')).filter((f) => f.endsWith('.jsonl'));
    let recent = 0;
    for (const t of transcripts) {
      const stamps = [...fs.readFileSync(t, 'utf8').matchAll(/"timestamp":"([^"]+)"/g)].map((m) => Date.parse(m[1]));
      assert.ok(stamps.length > 0, `${t} has timed lines`);
      assert.equal(Math.round(fs.statSync(t).mtimeMs), stamps[stamps.length - 1], `${t} is dated by its last timed line`);
      if (manifest.endMs - fs.statSync(t).mtimeMs < 2 * 86_400_000) recent++;
    }
    assert.ok(fs.statSync(manifest.live.file).mtimeMs > manifest.endMs - 2 * 86_400_000, 'the live conversation is recent');
    assert.ok(recent < transcripts.length / 4, `${recent} of ${transcripts.length} files changed in the last two days`);
  });

  it('names a recent live conversation the bench can append to', () => {
    assert.ok(fs.existsSync(manifest.live.file));
    assert.equal(fs.statSync(manifest.live.file).size, manifest.live.bytes);
    const first = JSON.parse(fs.readFileSync(manifest.live.file, 'utf8').split('\n').find((l) => l.includes('"sessionId"')) ?? '{}') as unknown;
    assert.equal(obj(first).sessionId, manifest.live.sessionId);
  });

  it('is reused while version and size match, its live file restored, and rebuilt otherwise', () => {
    const dir = path.join(manifest.configDir, '..');
    fs.appendFileSync(manifest.live.file, '{"type":"assistant"}\n');
    const again = ensureCorpus({ targetBytes: 3 << 20, dir });
    assert.equal(again.generatedAt, manifest.generatedAt, 'cached, not regenerated');
    assert.equal(fs.statSync(manifest.live.file).size, manifest.live.bytes, 'the appended line was truncated away');

    const file = path.join(dir, 'manifest.json');
    const stale = { ...again, generatorVersion: GENERATOR_VERSION - 1 };
    fs.writeFileSync(file, JSON.stringify(stale));
    const rebuilt = ensureCorpus({ targetBytes: 3 << 20, dir });
    assert.equal(rebuilt.generatorVersion, GENERATOR_VERSION);
    assert.equal(rebuilt.totals.calls, manifest.totals.calls, 'same seed, same corpus');
    assert.equal(rebuilt.totals.bytes, manifest.totals.bytes);
  });
});
