/**
 * lineScanner.ts, and the WebAssembly walk of lineWalker.ts, against JSON.parse, on random JSON written with random spacing, escapes, unicode, every number form
 * and duplicate keys, then damaged at random. The scanner must give exactly JSON.parse's values for the keys its
 * schema keeps, never accept damage outside bulk values, and hand back bulk values as the exact bytes JSON.parse
 * would have read them from.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { interpret, parseLine } from '../../src/extension/collectors/claudeCode/lineParser';
import { scanLine, type Schema, type ScannedLine } from '../../src/extension/collectors/claudeCode/lineScanner';
import { lineWalk, walkLine } from '../../src/extension/collectors/claudeCode/lineWalker';
import { writeClaudeCodeFixture } from '../support/claudeCodeFixtures';
import { writeScaleCorpus } from '../support/claudeCodeScaleCorpus';
import { Dice } from '../support/seededRandom';
import { tempDir } from './claudeCodeHelpers';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SCHEMA: Schema = {
  type: 'tag',
  id: 'value',
  n: 'value',
  s: 'shared',
  content: 'bulk',
  message: { model: 'value', usage: { input_tokens: 'value', output_tokens: 'value' }, content: 'bulk' },
  tool: 'bulk',
};
const TAGS = new Set(['assistant', 'usage', 'n']);
const KEYS = ['type', 'id', 'n', 's', 'content', 'message', 'model', 'usage', 'input_tokens', 'output_tokens', 'tool', 'other', 'x', 'ty', '__proto__', 'constructor', 'typf'];
const STRINGS = ['assistant', 'user', 'plain', '', 'naïve ✓ 日本語 😀', 'quote " and \\ backslash', 'line\nbreak\ttab', '\u0000\u001f', '\u2028', 'x'.repeat(300)];

class Gen extends Dice {
  number(): number {
    return this.pick([0, -0, 1, -1, 42, 1e21, 1.5e-7, 123456789012345, 2 ** 53 + 2, -3.25, 0.1 + 0.2, Number.MAX_SAFE_INTEGER, 5e-324, 1.7976931348623157e308]);
  }
  value(depth: number): Json {
    const r = this.int(depth > 3 ? 4 : 7);
    if (r === 0) return this.pick([null, true, false]);
    if (r === 1) return this.number();
    if (r <= 3) return this.pick(STRINGS);
    if (r === 4) return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
    return this.object(depth + 1);
  }
  object(depth: number): { [key: string]: Json } {
    const o: { [key: string]: Json } = {};
    for (let i = this.int(7); i > 0; i--) o[this.pick(KEYS)] = this.value(depth);
    return o;
  }
  /** JSON text with random spacing, random escapes of ordinary characters, and sometimes a duplicate key. */
  write(v: Json): string {
    const sp = (): string => (this.int(6) === 0 ? this.pick([' ', '\t', '\r\n', '  ']) : '');
    if (v === null || typeof v === 'boolean') return String(v);
    if (typeof v === 'number') {
      const plain = JSON.stringify(v);
      if (Number.isInteger(v) && Math.abs(v) < 1e15 && this.int(4) === 0) return `${plain}.0e0`;
      return Object.is(v, -0) ? '-0' : plain;
    }
    if (typeof v === 'string') return this.string(v);
    if (Array.isArray(v)) return `[${sp()}${v.map((x) => this.write(x)).join(`${sp()},${sp()}`)}${sp()}]`;
    const entries = Object.entries(v);
    if (entries.length > 0 && this.int(5) === 0) entries.unshift([entries[entries.length - 1][0], this.value(3)]);
    return `{${sp()}${entries.map(([k, x]) => `${this.key(k)}${sp()}:${sp()}${this.write(x)}`).join(`${sp()},${sp()}`)}${sp()}}`;
  }
  key(k: string): string {
    // Now and then a key spelled with an escape (the scanner hands such lines back to JSON.parse).
    return this.int(25) === 0 && k.length > 0 ? `"\\u${k.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(k).slice(2)}` : JSON.stringify(k);
  }
  string(s: string): string {
    const plain = JSON.stringify(s);
    if (this.int(5) !== 0) return plain;
    return `"${[...s].map((ch) => (this.int(3) === 0 && ch.charCodeAt(0) < 0x10000 ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(ch).slice(1, -1))).join('')}"`;
  }
  damage(b: Buffer): Buffer {
    const out = Buffer.from(b);
    switch (this.int(4)) {
      case 0:
        for (let k = 0; k < 1 + this.int(3); k++) out[this.int(out.length)] = this.int(256);
        return out;
      case 1:
        return out.subarray(0, this.int(out.length));
      case 2: {
        const at = this.int(out.length);
        return Buffer.concat([out.subarray(0, at), Buffer.from(this.pick(['"', '\\', ',', '}', ']', '{', '[', ':', '\u0001', 'tru', '-', '01', '1e'])), out.subarray(at)]);
      }
      default: {
        const at = this.int(out.length);
        return Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + this.int(3))]);
      }
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What the scanner must return for a parsed value: the schema's keys, bulk keys left out. */
function project(o: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema)) {
    if (!Object.prototype.hasOwnProperty.call(o, key) || field === 'bulk') continue;
    const v = o[key];
    out[key] = typeof field === 'object' && isPlainObject(v) ? project(v, field) : v;
  }
  return out;
}

/** The bulk values JSON.parse sees, at the same paths the scanner reports them. */
function bulkValues(o: Record<string, unknown>, schema: Schema, at: string, into: Map<string, unknown>): void {
  for (const [key, field] of Object.entries(schema)) {
    if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
    if (field === 'bulk') into.set(`${at}.${key}`, o[key]);
    else if (typeof field === 'object' && isPlainObject(o[key])) bulkValues(o[key] as Record<string, unknown>, field, `${at}.${key}`, into);
  }
}

function pathOf(root: Record<string, unknown>, holder: object): string {
  if (holder === root) return '';
  for (const [k, v] of Object.entries(root)) {
    if (isPlainObject(v)) {
      if (v === holder) return `.${k}`;
      const inner = pathOf(v, holder);
      if (inner !== '?') return `.${k}${inner}`;
    }
  }
  return '?';
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

type Scanner = (line: Buffer, start: number, end: number, schema: Schema, tags: ReadonlySet<string>) => ScannedLine | undefined;
const SCANNERS: ReadonlyArray<[string, Scanner]> = [
  ['line scanner (JavaScript)', scanLine],
  ['line walk (WebAssembly)', (...args) => walkLine(...args) ?? undefined],
];

function trimmed(bytes: Buffer, scanner: Scanner) {
  let start = 0;
  let end = bytes.length - 1;
  const space = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  while (start <= end && space(bytes[start])) start++;
  while (end >= start && space(bytes[end])) end--;
  if (start > end || bytes[start] !== 0x7b || bytes[end] !== 0x7d) return undefined;
  return scanner(bytes, start, end, SCHEMA, TAGS);
}

for (const [title, scanner] of SCANNERS) describe(title, () => {
  const scan = (bytes: Buffer) => trimmed(bytes, scanner);

  it('agrees with JSON.parse on every kept value of valid lines, and returns bulk values as their exact bytes', () => {
    const g = new Gen(2024);
    let scanned = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = g.write(g.object(0));
      const bytes = Buffer.from(text);
      const parsed = parse(text);
      assert.ok(parsed.ok && isPlainObject(parsed.value));
      const result = scan(bytes);
      if (!result) {
        assert.ok(text.includes('"\\u'), `only a key with an escape sends a valid line back: ${text.slice(0, 300)}`);
        continue;
      }
      scanned++;
      assert.deepStrictEqual(result.obj, project(parsed.value, SCHEMA), text.slice(0, 300));
      const expectedBulk = new Map<string, unknown>();
      bulkValues(parsed.value, SCHEMA, '', expectedBulk);
      const live = result.bulk.filter((b) => b.live);
      const gotBulk = new Map(live.map((b) => [`${pathOf(result.obj, b.holder)}.${b.key}`, JSON.parse(bytes.toString('utf8', b.start, b.end)) as unknown]));
      assert.deepStrictEqual(gotBulk, expectedBulk, text.slice(0, 300));
      const tagSeen = [...TAGS].some((t) => text.includes(`"${t}"`));
      if (result.tagged) assert.ok(tagSeen, 'tagged only when a tag is written verbatim in the line');
    }
    assert.ok(scanned > 15_000, `${scanned} lines took the fast path`);
  });

  it('accepts a damaged line only when the damage is inside bulk values, and then reads the rest exactly', () => {
    const g = new Gen(777);
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 30_000; i++) {
      const bytes = g.damage(Buffer.from(g.write(g.object(0))));
      const text = bytes.toString('utf8');
      const result = scan(bytes);
      const parsed = parse(text);
      if (!result) {
        rejected++;
        continue;
      }
      accepted++;
      if (parsed.ok && isPlainObject(parsed.value)) {
        assert.deepStrictEqual(result.obj, project(parsed.value, SCHEMA), text.slice(0, 300));
        continue;
      }
      // JSON.parse refuses it: with every bulk value blanked out (also those a duplicate key overrode: their bytes were
      // skipped as well), the line must parse and give the same values.
      let blanked = bytes;
      for (const b of [...result.bulk].sort((x, y) => y.start - x.start)) {
        blanked = Buffer.concat([blanked.subarray(0, b.start), Buffer.from('null'), blanked.subarray(b.end)]);
      }
      const repaired = parse(blanked.toString('utf8'));
      assert.ok(repaired.ok && isPlainObject(repaired.value), `damage outside bulk values was accepted: ${text.slice(0, 300)}`);
      assert.deepStrictEqual(result.obj, project(repaired.value, SCHEMA));
    }
    assert.ok(accepted > 1000 && rejected > 1000, `${accepted} accepted, ${rejected} rejected`);
  });

  it('never throws or hangs on hostile input', () => {
    const g = new Gen(99);
    const hostile = [
      `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      `{"message":${'{"message":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
      `{"content":${'['.repeat(50_000)}}`,
      `{"s":"${'\\'.repeat(10_001)}"}`,
      '{"n":-}',
      '{"n":01}',
      '{"n":1.}',
      '{"n":1e+}',
      '{"s":"\\x"}',
      '{"s":"\\u12g4"}',
      '{"type":"assistant",}',
      '{,}',
      '{"id" "x"}',
      '{"id":tru}',
      '{"id":nul}',
    ];
    for (const h of hostile) {
      const bytes = Buffer.from(h);
      const result = scan(bytes);
      const parsed = parse(h);
      if (result && !parsed.ok) assert.ok(result.bulk.length > 0, h.slice(0, 80));
      if (parsed.ok && result) assert.deepStrictEqual(result.obj, project(parsed.value as Record<string, unknown>, SCHEMA));
    }
    for (let i = 0; i < 2000; i++) {
      const junk = Buffer.from(Array.from({ length: 2 + g.int(200) }, () => g.int(256)));
      junk[0] = 0x7b;
      junk[junk.length - 1] = 0x7d;
      scan(junk);
    }
  });
});

describe('line walk (WebAssembly) beside the JavaScript scanner', () => {
  it('is built and loads (dist/lineWalk.wasm, built by scripts/build-wasm.mjs)', () => {
    assert.ok(lineWalk(), 'the walk did not load: the scanner would fall back to JavaScript for every line');
  });

  it('reads exactly the lines the JavaScript scanner reads, into the same result, valid or damaged', () => {
    const g = new Gen(4242);
    let same = 0;
    for (let i = 0; i < 30_000; i++) {
      let bytes: Buffer = Buffer.from(g.write(g.object(0)));
      if (i % 2 === 1) bytes = g.damage(bytes);
      const js = trimmed(bytes, scanLine);
      // Now and then a line only the JavaScript scanner reads: both remember the last values of 'shared' keys.
      if (i % 5 === 4) continue;
      const walked = trimmed(bytes, (...args) => walkLine(...args) ?? undefined);
      assert.deepStrictEqual(walked, js, bytes.toString('utf8').slice(0, 300));
      if (js) same++;
    }
    assert.ok(same > 12_000, `${same} lines read by both`);
  });

  it('reads a line in place when it already lies in the walk\'s memory, and a copy otherwise', () => {
    const walk = lineWalk();
    assert.ok(walk);
    const text = Buffer.from('{"type":"assistant","message":{"model":"m","usage":{"input_tokens":7},"content":[{"t":"x"}]},"n":1.5e3}');
    const at = walk.scratch + 4096;
    text.copy(walk.mem, at);
    const inPlace = walk.mem.subarray(at - 10, at + text.length);
    const a = walkLine(inPlace, 10, 10 + text.length - 1, SCHEMA, TAGS);
    const b = walkLine(text, 0, text.length - 1, SCHEMA, TAGS);
    assert.ok(a && b);
    for (const [line, result] of [[inPlace, a], [text, b]] as const) {
      assert.deepStrictEqual(result.obj, { type: 'assistant', message: { model: 'm', usage: { input_tokens: 7 } }, n: 1500 });
      assert.equal(result.bulk.length, 1);
      assert.equal(line.toString('utf8', result.bulk[0].start, result.bulk[0].end), '[{"t":"x"}]');
    }
  });
});

describe('parseLine on real transcript lines', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('cc-scan-lines-');
  });
  after(() => tmp.cleanup());

  function transcriptLines(dir: string): Buffer[] {
    const out: Buffer[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.jsonl')) {
          const text = fs.readFileSync(p);
          let at = 0;
          for (let nl = text.indexOf(10); nl !== -1; nl = text.indexOf(10, at)) {
            out.push(text.subarray(at, nl));
            at = nl + 1;
          }
        }
      }
    };
    walk(dir);
    return out;
  }

  it('gives, for every valid line, what interpreting the whole JSON.parse result gives', () => {
    const now = Date.UTC(2026, 10, 26, 12);
    const fx = writeClaudeCodeFixture(path.join(tmp.dir, 'fx'), { now });
    const scale = writeScaleCorpus(path.join(tmp.dir, 'scale'), { now, sessions: 30, callsPerSession: 30, bigLineEvery: 200, bigLineBytes: 100_000 });
    const lines = [...fx.configDirs.flatMap((d) => transcriptLines(d)), ...transcriptLines(scale.configDir)];
    let compared = 0;
    for (const line of lines) {
      let value: unknown;
      try {
        value = JSON.parse(line.toString('utf8'));
      } catch {
        continue;
      }
      if (!isPlainObject(value)) continue;
      assert.deepStrictEqual(parseLine(line, true, true), interpret(value), line.toString('utf8').slice(0, 300));
      compared++;
    }
    assert.ok(compared > 3000, `${compared} lines compared`);
  });
});

describe('line walk in the package', () => {
  it('ships beside the bundles that load it (the .vsix lists dist/lineWalk.wasm)', async () => {
    const { execFileSync } = await import('node:child_process');
    const vsce = path.join(__dirname, '../../node_modules/@vscode/vsce/vsce');
    const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: path.join(__dirname, '../..'), encoding: 'utf8' }).split('\n');
    assert.ok(listed.includes('dist/lineWalk.wasm'), `vsce ls:\n${listed.join('\n')}`);
  });
});
