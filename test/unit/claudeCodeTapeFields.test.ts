/**
 * tapeFields.ts: transcript lines read straight from the walk's tape must mean exactly what the JSON.parse result of
 * the line means (lineParser.ts interpret). Random lines shaped like Claude Code's, with every field the collector
 * reads given right, wrong, absent, duplicated or of the wrong type, in random order and spacing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpret, LINE_SCAN, parseLine, parseLineAt } from '../../src/extension/collectors/claudeCode/lineParser';
import { FIELD_NAMES } from '../../src/extension/collectors/claudeCode/lineFields';
import type { Schema } from '../../src/extension/collectors/claudeCode/lineScanner';
import { giveBackWalkChunk, NOT_WALKED, takeWalkChunk } from '../../src/extension/collectors/claudeCode/lineWalker';
import { readTapeFields, UNDESCRIBED } from '../../src/extension/collectors/claudeCode/tapeFields';
import { Dice } from '../support/seededRandom';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class LineGen extends Dice {
  /** A value for a field that should be a short string, or something else now and then. */
  str(good: readonly string[]): Json {
    return this.chance(0.85) ? this.pick(good) : this.pick<Json>([null, 7, true, '', 'x'.repeat(300), ['a'], { a: 1 }]);
  }
  count(): Json {
    return this.chance(0.9) ? this.int(50_000) : this.pick<Json>([-1, 1.5, 1e9, '12', null, 100_000_001, 0]);
  }
  usage(): Json {
    if (this.chance(0.05)) return this.pick<Json>([null, 'usage', [1, 2], 0]);
    const u: Record<string, Json> = {};
    if (this.chance(0.97)) u.input_tokens = this.count();
    if (this.chance(0.97)) u.output_tokens = this.count();
    if (this.chance(0.7)) u.cache_read_input_tokens = this.count();
    if (this.chance(0.7)) u.cache_creation_input_tokens = this.count();
    if (this.chance(0.5)) {
      u.cache_creation = this.chance(0.9) ? { ephemeral_5m_input_tokens: this.count(), ephemeral_1h_input_tokens: this.count() } : this.pick<Json>([null, 5, []]);
    }
    if (this.chance(0.3)) u.server_tool_use = this.chance(0.9) ? { web_search_requests: this.count(), web_fetch_requests: this.count() } : 'none';
    if (this.chance(0.6)) u.service_tier = this.str(['standard', 'priority']);
    if (this.chance(0.2)) u.speed = this.str(['fast']);
    if (this.chance(0.2)) u.inference_geo = this.str(['us', 'eu']);
    if (this.chance(0.3)) {
      u.iterations = this.chance(0.5) ? [] : [
        { type: 'message', input_tokens: 1, output_tokens: 2 },
        { type: this.pick(['compaction', 'advisor_message']), input_tokens: this.count(), output_tokens: this.count(), model: this.str(['claude-haiku-4-5']) },
      ];
    }
    return u;
  }
  content(): Json {
    return this.pick<Json>([
      'fix the failing test in parser.ts',
      [{ type: 'text', text: 'explain this function please' }],
      [{ type: 'tool_result', tool_use_id: 't1', content: 'ok "quoted" \\ done' }],
      [{ type: 'text', text: '<command-name>/clear</command-name>' }],
      [],
      { odd: true },
    ]);
  }
  message(role: 'assistant' | 'user'): Json {
    if (this.chance(0.04)) return this.pick<Json>([null, 'text', [1], 3]);
    const m: Record<string, Json> = { role };
    if (role === 'assistant') {
      if (this.chance(0.95)) m.model = this.chance(0.05) ? '<synthetic>' : this.str(['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-fable-9']);
      if (this.chance(0.9)) m.id = this.str(['msg_01A', 'msg_01B', 'msg_01C']);
      if (this.chance(0.95)) m.usage = this.usage();
      m.stop_reason = this.pick<Json>([null, 'end_turn']);
    }
    if (this.chance(0.9)) m.content = this.content();
    return m;
  }
  envelope(into: Record<string, Json>): void {
    if (this.chance(0.95)) {
      into.timestamp = this.chance(0.9)
        ? new Date(Date.UTC(2026, this.int(12), 1 + this.int(28), this.int(24), this.int(60), this.int(60), this.int(1000))).toISOString()
        : this.pick<Json>(['2026-02-30T10:00:00.000Z', 'yesterday', 1770000000000, '2026-03-01T10:00:00Z', null]);
    }
    if (this.chance(0.4)) into.isSidechain = this.pick<Json>([true, false, 'true']);
    if (this.chance(0.3)) into.agentId = this.str(['a1b2c3', 'f00d']);
    if (this.chance(0.9)) into.sessionId = this.str(['0f8c1f7e-1111-4a5b-9c3d-2e1f0a9b8c7d', 'b2c3']);
    if (this.chance(0.8)) into.cwd = this.str(['/home/dev/app', '/home/dév/naïve']);
    if (this.chance(0.5)) into.entrypoint = this.str(['cli', 'sdk-ts', 'claude-vscode']);
    if (this.chance(0.1)) into.sessionKind = this.str(['daemon', 'interactive']);
    if (this.chance(0.8)) into.uuid = this.str(['9b1d-1', '9b1d-2']);
    into.parentUuid = null;
    into.version = '2.1.3';
  }
  line(depth = 0): Record<string, Json> {
    const type = this.pick(['assistant', 'assistant', 'assistant', 'user', 'user', 'progress', 'system', 'custom-title', 'ai-title', 'last-prompt', 'summary', 'file-history-snapshot', 'constructor']);
    const line: Record<string, Json> = { type };
    this.envelope(line);
    if (type === 'assistant' || type === 'user') {
      line.message = this.message(type);
      if (this.chance(0.7)) line.requestId = this.str(['req_1', 'req_2']);
      if (this.chance(0.05)) line.isApiErrorMessage = this.pick<Json>([true, false]);
      if (type === 'user' && this.chance(0.1)) line.isMeta = true;
      if (type === 'user' && this.chance(0.05)) line.isCompactSummary = true;
      if (type === 'user' && this.chance(0.4)) line.toolUseResult = { stdout: 'x'.repeat(this.int(40)), interrupted: false };
    } else if (type === 'progress') {
      line.data = depth === 0 && this.chance(0.95) ? { type: 'agent_progress', agentId: this.str(['a9']), message: this.line(1) } : this.pick<Json>([null, 'x']);
    } else if (type === 'system') {
      line.subtype = this.str(['compact_boundary', 'informational']);
    } else {
      line.customTitle = this.str(['Refactor the parser']);
      line.aiTitle = this.str(['Parser work']);
      line.lastPrompt = this.str(['and the tests']);
      line.summary = this.str(['Summary of the session']);
    }
    return line;
  }
  /**
   * JSON text of an object with keys in random order, random spacing, now and then a key written twice and a string
   * with a letter written as an escape (never a line's type: the parser's byte pre-filter looks for types as written).
   */
  write(value: Json, key = ''): string {
    if (Array.isArray(value)) return `[${value.map((v) => this.write(v)).join(',')}]`;
    if (typeof value === 'string' && key !== 'type' && key !== 'subtype' && this.chance(0.05)) {
      return JSON.stringify(value).replace(/[a-z]/, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    }
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    const parts = entries.map(([k, v]) => `${JSON.stringify(k)}${this.chance(0.1) ? ' : ' : ':'}${this.write(v, k)}`);
    if (entries.length > 0 && this.chance(0.03)) {
      const [k] = this.pick(entries);
      parts.splice(this.int(parts.length + 1), 0, `${JSON.stringify(k)}:${this.write(this.pick<Json>(['dup', 1, null, { input_tokens: 5 }]))}`);
    }
    return `{${parts.join(this.chance(0.1) ? ', ' : ',')}}`;
  }
}

describe('transcript lines read from the walk\'s tape into their fields', () => {
  it('mean what their JSON.parse result means, field by field, whatever the fields hold', () => {
    const g = new LineGen(20261127);
    let fromTape = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = g.write(g.line());
      const bytes = Buffer.from(text);
      const expected = interpret(JSON.parse(text) as Record<string, unknown>);
      assert.deepStrictEqual(parseLine(bytes, true, true), expected, text);
      // Without a prompt wanted, a user line is the same line without its prompt.
      assert.deepStrictEqual(parseLine(bytes, true, false), expected.kind === 'user' ? { ...expected, prompt: undefined } : expected, text);
      const read = readTapeFields(bytes, 0, bytes.length - 1, LINE_SCAN.schema, LINE_SCAN.tags);
      if (read !== NOT_WALKED && read !== UNDESCRIBED) fromTape++;
    }
    // Duplicate keys go back to the objects fromTape builds; everything else is read from the tape.
    assert.ok(fromTape > 18_000, `${fromTape} of 20000 lines read from the tape`);
  });

  it('mean the same in place in a read chunk of the walk\'s memory as in a buffer of their own, in any order', () => {
    const g = new LineGen(20261128);
    const chunk = takeWalkChunk();
    assert.ok(chunk, 'the walk has read chunks to lend');
    try {
      for (let i = 0; i < 2_000; i++) {
        const bytes = Buffer.from(g.write(g.line()));
        const expected = parseLine(Buffer.from(bytes), true, true);
        // Alternately in the walk's memory (walked where it lies) and in a buffer of its own (copied in first).
        const at = 1 + (i % 7) * 13;
        bytes.copy(chunk, at);
        const inPlace: ReturnType<typeof parseLine> = i % 3 === 0 ? parseLineAt(chunk, at, at + bytes.length, true, true) : parseLine(bytes, true, true);
        assert.deepStrictEqual(inPlace, expected, bytes.toString());
      }
    } finally {
      giveBackWalkChunk(chunk);
    }
  });

  it('knows every field the parser\'s schemas name', () => {
    const names = new Set<string>();
    const visit = (schema: Schema): void => {
      for (const [name, field] of Object.entries(schema)) {
        names.add(name);
        if (typeof field === 'object') visit(field);
      }
    };
    visit(LINE_SCAN.schema);
    assert.deepStrictEqual([...names].sort(), [...FIELD_NAMES].sort());
  });
});
