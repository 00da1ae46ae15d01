import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutAssistantContent, cutUserContent } from '../../src/extension/collectors/claudeCode/contentCut';
import { badLine, interpret, parseLine, parseLineAt, type ParsedLine } from '../../src/extension/collectors/claudeCode/lineParser';
import { agentName, headlessRunName, shortName } from '../../src/extension/collectors/claudeCode/names';
import { timestampMs } from '../../src/extension/collectors/claudeCode/narrow';
import { emptyContext } from '../../src/extension/collectors/claudeCode/contextState';
import { TranscriptContext } from '../../src/extension/collectors/claudeCode/transcriptContext';
import type { TranscriptFile } from '../../src/extension/collectors/claudeCode/transcriptFiles';
import { readUsage } from '../../src/extension/collectors/claudeCode/usage';
import { assistantLine, codeText, prng, toolResultContent, usageObject, userLine, type LineEnv } from '../support/claudeCodeTranscriptLines';

const ENV: LineEnv = { sessionId: 'sess-1', cwd: '/home/dev/app', entrypoint: 'cli' };
const TS = Date.UTC(2026, 10, 20, 14, 3, 12, 511);

function line(o: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(o));
}

function call(over: Partial<Parameters<typeof assistantLine>[1]> = {}, env: LineEnv = ENV): Record<string, unknown> {
  return assistantLine(env, { ts: TS, uuid: 'u1', parentUuid: null, id: 'msg_1', model: 'claude-opus-5-5', requestId: 'req_1', content: [{ type: 'text', text: 'Done.' }], stopReason: 'end_turn', usage: usageObject({ input: 4, cacheWrite1h: 1830, cacheRead: 48211, output: 412 }), ...over });
}

describe('usage', () => {
  it('splits cache writes by TTL from cache_creation, else counts them all as 5-minute writes', () => {
    const withBreakdown = readUsage({ input_tokens: 4, output_tokens: 9, cache_read_input_tokens: 7, cache_creation_input_tokens: 100, cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 } });
    assert.deepEqual(typeof withBreakdown === 'string' ? withBreakdown : withBreakdown.tokens, { input: 4, cacheWrite5m: 40, cacheWrite1h: 60, cacheRead: 7, output: 9 });
    const legacy = readUsage({ input_tokens: 4, output_tokens: 9, cache_creation_input_tokens: 100 });
    assert.deepEqual(typeof legacy === 'string' ? legacy : legacy.tokens, { input: 4, cacheWrite5m: 100, cacheWrite1h: 0, cacheRead: 0, output: 9 });
    // Claude Code's own formula: writes not at the 1h rate are 5-minute writes.
    const uneven = readUsage({ input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 100, cache_creation: { ephemeral_1h_input_tokens: 30 } });
    assert.deepEqual(typeof uneven === 'string' ? uneven : uneven.tokens, { input: 1, cacheWrite5m: 70, cacheWrite1h: 30, cacheRead: 0, output: 1 });
  });

  it('rejects numbers it cannot trust rather than storing them', () => {
    for (const bad of [
      { input_tokens: '12', output_tokens: 1 },
      { input_tokens: -1, output_tokens: 1 },
      { input_tokens: 1.5, output_tokens: 1 },
      { input_tokens: 1e300, output_tokens: 1 },
      { output_tokens: 1 },
      { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: true },
      { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 10, cache_creation: { ephemeral_1h_input_tokens: 11 } },
      { input_tokens: 1, output_tokens: 1, server_tool_use: { web_search_requests: 'many' } },
      { input_tokens: 1, output_tokens: 1, iterations: [{ type: 'compaction', input_tokens: 'x', output_tokens: 1 }] },
      [1, 2],
      null,
    ]) {
      assert.equal(typeof readUsage(bad), 'string', JSON.stringify(bad));
    }
  });

  it('returns billed compaction and advisor iterations, not the message iterations already in the totals', () => {
    const u = readUsage({
      input_tokens: 5,
      output_tokens: 6,
      iterations: [
        { type: 'compaction', input_tokens: 150000, output_tokens: 3000 },
        { type: 'message', input_tokens: 5, output_tokens: 6 },
        { type: 'advisor_message', model: 'claude-opus-4-8', input_tokens: 900, output_tokens: 700, cache_read_input_tokens: 10 },
        'junk',
      ],
    });
    assert.ok(typeof u !== 'string');
    assert.deepEqual(
      u.iterations.map((i) => [i.kind, i.index, i.model, i.tokens.input, i.tokens.output, i.tokens.cacheRead]),
      [
        ['compaction', 0, undefined, 150000, 3000, 0],
        ['advisor', 2, 'claude-opus-4-8', 900, 700, 10],
      ],
    );
  });
});

describe('parseLine', () => {
  it('reads a call with its envelope', () => {
    const p = parseLine(line(call()));
    assert.equal(p.kind, 'call');
    if (p.kind !== 'call') return;
    assert.deepEqual(p.call.usage.tokens, { input: 4, cacheWrite5m: 0, cacheWrite1h: 1830, cacheRead: 48211, output: 412 });
    assert.equal(p.call.ts, TS);
    assert.equal(p.call.id, 'msg_1');
    assert.equal(p.call.requestId, 'req_1');
    assert.equal(p.env.cwd, '/home/dev/app');
    assert.equal(p.env.entrypoint, 'cli');
    assert.equal(p.env.isSidechain, false);
  });

  it('treats synthetic messages and API errors as no call, and says why bad lines are bad', () => {
    assert.equal(parseLine(line(call({ model: '<synthetic>' }))).kind, 'notCall');
    assert.equal(parseLine(line({ ...call(), isApiErrorMessage: true })).kind, 'notCall');
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from('{"type":"assistant","message":{"usage":'), /not a JSON object/],
      [Buffer.from('{"type":"assistant","usage":{"a":}'), /invalid JSON/],
      [Buffer.from('\u0000\u0001binary\u00ff'), /not a JSON object/],
      [line({ ...call(), timestamp: 'yesterday' }), /timestamp/],
      [line({ ...call(), timestamp: '2026-02-30T10:00:00.000Z' }), /timestamp/],
      [line({ type: 'assistant', message: { model: 'claude-opus-5-5', id: 'm' }, timestamp: new Date(TS).toISOString() }), /without usage/],
      [line({ type: 'assistant', message: 'text', usage: {} }), /without a message/],
      [line({ type: 'custom-title', customTitle: 42 }), /without customTitle/],
    ];
    for (const [bytes, reason] of cases) {
      const p = parseLine(bytes);
      assert.equal(p.kind, 'bad', bytes.toString().slice(0, 60));
      if (p.kind === 'bad') assert.match(p.reason, reason);
    }
  });

  it('gives every kind of line the same fields, in the same order (the reader reads `kind` of each: one shape)', () => {
    const lines = [
      parseLine(line(call())),
      parseLine(line({ type: 'user', message: { role: 'user', content: 'Fix the tests' }, timestamp: new Date(TS).toISOString(), ...ENV })),
      parseLine(line({ type: 'custom-title', customTitle: 'Renamed', sessionId: 'sess-1' })),
      parseLine(line({ type: 'system', subtype: 'compact_boundary', timestamp: new Date(TS).toISOString() })),
      parseLine(line(call({ model: '<synthetic>' }))),
      parseLine(line({ type: 'mystery-future-type' })),
      parseLine(line({ type: 'custom-title', customTitle: 42 })),
      parseLine(Buffer.from('{"type":"assistant"'), false),
      badLine('line too large'),
    ];
    assert.deepEqual(lines.map((p) => p.kind), ['call', 'user', 'title', 'compactBoundary', 'notCall', 'ignored', 'bad', 'pending', 'bad']);
    for (const p of lines) assert.deepEqual(Object.keys(p), Object.keys(lines[0]), p.kind);
  });

  it('reads a line in place in a larger buffer as it reads the line alone', () => {
    const one = line(call());
    const around = Buffer.concat([Buffer.from('{"type":"user"}\n'), one, Buffer.from('\n{"type":"assistant","x":')]);
    const from = around.indexOf(one);
    assert.deepEqual(parseLineAt(around, from, from + one.length), parseLine(one));
    assert.equal(parseLineAt(around, from + one.length + 1, around.length, false).kind, 'pending');
    assert.equal(parseLineAt(around, from + one.length + 1, around.length, true).kind, 'bad');
  });

  it('ignores unknown and irrelevant lines quietly', () => {
    for (const o of [
      { type: 'mystery-future-type', x: 1 },
      { type: 'file-history-snapshot', snapshot: {} },
      { type: 'queue-operation', operation: 'enqueue' },
      { type: 'system', subtype: 'turn_duration', durationMs: 5 },
      { type: 'progress', data: { type: 'hook_progress' } },
      { type: 'attachment', attachment: { type: 'file' } },
    ]) {
      assert.equal(parseLine(line(o)).kind, 'ignored', JSON.stringify(o));
    }
    assert.equal(parseLine(Buffer.from('   ')).kind, 'ignored');
  });

  it('reads a subagent message wrapped in a progress line as a sidechain copy of that agent', () => {
    const inner = call({ id: 'msg_sub' }, { ...ENV, isSidechain: true, agentId: 'ag1' });
    const p = parseLine(line({ type: 'progress', parentUuid: null, isSidechain: false, cwd: '/home/dev/app', sessionId: 'sess-1', data: { type: 'agent_progress', agentId: 'ag1', message: inner }, timestamp: new Date(TS + 5).toISOString() }));
    assert.equal(p.kind, 'call');
    if (p.kind === 'call') {
      assert.equal(p.env.isSidechain, true);
      assert.equal(p.env.wrapped, true);
      assert.equal(p.env.agentId, 'ag1');
      assert.equal(p.call.ts, TS, 'the wrapped message keeps its own timestamp');
    }
  });

  it('finds real prompts and skips tool results, meta lines, command echoes and interruptions', () => {
    const u = (content: unknown, extra: Record<string, unknown> = {}) => parseLine(line({ ...userLine(ENV, { ts: TS, uuid: 'x', parentUuid: null, content }), ...extra }));
    const prompt = (p: ReturnType<typeof parseLine>) => (p.kind === 'user' ? p.prompt : 'not a user line');
    assert.equal(prompt(u('Fix the bug')), 'Fix the bug');
    assert.equal(prompt(u([{ type: 'text', text: 'From the panel' }, { type: 'image', source: {} }])), 'From the panel');
    assert.equal(prompt(u(toolResultContent('t', 'output'))), undefined);
    assert.equal(prompt(u('<command-name>/clear</command-name>')), undefined);
    assert.equal(prompt(u('[Request interrupted by user]')), undefined);
    assert.equal(prompt(u('Caveat', { isMeta: true })), undefined);
    const summary = u('Summary…', { isCompactSummary: true });
    assert.equal(prompt(summary), undefined);
    assert.equal(summary.kind === 'user' && summary.compactSummary, true);
  });

  it('parses large lines without their content to the same facts as a full parse', () => {
    const random = prng(3);
    const env = { ...ENV, isSidechain: true, agentId: 'a9' };
    const bigAssistant = call({ content: [{ type: 'thinking', thinking: codeText(30000, random), signature: 's' }, { type: 'tool_use', id: 't', name: 'Write', input: { content: codeText(9000, random), stop_reason: 'x' } }] }, env);
    const bigUser = userLine(env, { ts: TS, uuid: 'x', parentUuid: null, content: toolResultContent('t', codeText(40000, random)), toolUseResult: { stdout: codeText(3000, random) } });
    for (const o of [bigAssistant, bigUser]) {
      const bytes = line(o);
      assert.ok(cutAssistantContent(bytes) ?? cutUserContent(bytes), 'the cut applies');
      const full = interpret(JSON.parse(bytes.toString()));
      const fast = parseLine(bytes, true, false);
      assert.deepEqual(fast, stripPrompt(full));
    }
  });

  it('falls back to a full parse when a cut would lose what the line needs', () => {
    // model placed after content: the cut would drop it, so the whole line is parsed.
    const message = { id: 'msg_late', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'x'.repeat(5000) }], model: 'claude-opus-5-5', stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 2 } };
    const bytes = line({ type: 'assistant', message, timestamp: new Date(TS).toISOString() });
    const p = parseLine(bytes);
    assert.equal(p.kind, 'call');
    // A nested "stop_reason" after the real one cannot shift the cut: the nested one is deeper and fails to parse.
    const tricky = line({ type: 'assistant', message: { model: 'm', id: 'msg_t', role: 'assistant', content: [{ type: 'tool_use', input: { a: ['x'.repeat(3000)], stop_reason: 1, usage: { input_tokens: 999999, output_tokens: 1 } } }], usage: { input_tokens: 5, output_tokens: 6 } }, timestamp: new Date(TS).toISOString() });
    const t = parseLine(tricky);
    assert.equal(t.kind, 'call');
    if (t.kind === 'call') assert.equal(t.call.usage.tokens.input, 5);
  });
});

function stripPrompt(p: ParsedLine): ParsedLine {
  return p.kind === 'user' ? { ...p, prompt: undefined } : p;
}

describe('timestamps', () => {
  it('reads Claude Code timestamps exactly as Date.parse does, and rejects impossible dates', () => {
    const random = prng(9);
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(random() * 4e12);
      const s = new Date(ms).toISOString();
      assert.equal(timestampMs(s), ms, s);
    }
    for (const s of ['2026-02-29T00:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-01-01T24:00:00.000Z', 'not a timestamp at all!!']) {
      assert.equal(timestampMs(s), undefined, s);
    }
    assert.equal(timestampMs('2024-02-29T23:59:59.999Z'), Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    // Any year a timestamp can be written with, leap rules of 100 and 400 years included, as Date.parse reads it.
    for (const s of ['0000-02-29T00:00:00.000Z', '0050-03-01T12:00:00.000Z', '1600-02-29T01:02:03.004Z', '1969-12-31T23:59:59.999Z', '2000-02-29T00:00:00.000Z', '2100-03-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
      assert.equal(timestampMs(s), Date.parse(s), s);
    }
    assert.equal(timestampMs('2100-02-29T00:00:00.000Z'), undefined, '2100 is not a leap year');
    // A non-digit in any digit's place, with the rest of the form intact.
    const good = '2026-11-20T14:03:12.511Z';
    for (let at = 0; at < good.length; at++) {
      if (!/[0-9]/.test(good[at])) continue;
      for (const c of ['a', '/', ':', ' ']) assert.equal(timestampMs(good.slice(0, at) + c + good.slice(at + 1)), undefined, `${c} at ${at}`);
    }
    assert.equal(timestampMs('2026-11-20T14:03:1\u0130.000Z'), undefined, 'a character beyond ASCII is no digit, whatever its low byte');
    assert.equal(timestampMs('2026-11-20T14:03:12Z'), Date.UTC(2026, 10, 20, 14, 3, 12), 'other ISO forms go through Date.parse');
  });
});

describe('names', () => {
  it('collapses whitespace and cuts by characters with an ellipsis', () => {
    assert.equal(shortName('  a\n\n b\t c  '), 'a b c');
    assert.equal(shortName('   '), undefined);
    const long = '😀'.repeat(300);
    const cut = shortName(long) ?? '';
    assert.equal(Array.from(cut).length, 200);
    assert.ok(cut.endsWith('…'));
    assert.equal(Array.from(cut).slice(0, -1).join(''), '😀'.repeat(199), 'no emoji cut in half');
  });

  it('cut exactly where collapsing the whole text and splitting it into characters would', () => {
    // The rule as first written: split into code points, keep max - 1 and an ellipsis when there are more than max.
    const reference = (text: string, max: number): string | undefined => {
      const collapsed = text.slice(0, max * 8).replace(/\s+/g, ' ').trim();
      if (!collapsed) return undefined;
      const chars = Array.from(collapsed);
      return chars.length <= max ? collapsed : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
    };
    const pieces = ['a', 'é', ' ', '\n', '😀', '\ud83d', '\ude00', 'z ', '漢', '\t\t'];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      const max = 1 + next(12);
      let text = '';
      for (let k = next(12 * max + 4); k > 0; k--) text += pieces[next(pieces.length)];
      assert.equal(shortName(text, max), reference(text, max), JSON.stringify({ text, max }));
    }
  });

  it('names agents by type and task, headless runs by project and prompt', () => {
    assert.equal(agentName({ agentType: 'general-purpose', description: 'Explore auth flow' }, undefined, 'a1'), 'general-purpose: Explore auth flow');
    assert.equal(agentName({ agentType: 'Explore' }, 'ignored', 'a1'), 'Explore');
    assert.equal(agentName({ name: 'reviewer' }, undefined, 'a1'), 'reviewer');
    assert.equal(agentName(undefined, 'Find the bug', 'a1'), 'Subagent: Find the bug');
    assert.equal(agentName(undefined, undefined, 'a1'), 'Subagent a1');
    assert.equal(headlessRunName({ first: 'Fix tests' }, '/home/dev/acme-api/'), 'acme-api: Fix tests');
    assert.equal(headlessRunName({}, undefined), 'headless: headless run');
  });
});

describe('attribution', () => {
  const file: TranscriptFile = { path: '/p/s.jsonl', kind: 'session', sessionId: 'sess-1', projectDir: '/p' };
  const feed = (lines: Array<Record<string, unknown>>) => {
    const ctx = new TranscriptContext(file, emptyContext(), undefined, () => undefined);
    for (const l of lines) {
      const p = parseLine(line(l));
      assert.notEqual(p.kind, 'pending');
      if (p.kind !== 'pending') assert.equal(ctx.handle(p), undefined);
    }
    return ctx.drain().calls;
  };

  it('names an inline agent and the conversation after their first prompts only', () => {
    const agent = { ...ENV, isSidechain: true, agentId: 'ag7' };
    const calls = feed([
      userLine(ENV, { ts: TS - 9000, uuid: 'a', parentUuid: null, content: 'First  prompt\nof the chat' }),
      userLine(ENV, { ts: TS - 8000, uuid: 'b', parentUuid: null, content: 'Second prompt' }),
      userLine(agent, { ts: TS - 7000, uuid: 'c', parentUuid: null, content: '   ' }),
      userLine(agent, { ts: TS - 6000, uuid: 'd', parentUuid: null, content: 'Agent task' }),
      userLine(agent, { ts: TS - 5000, uuid: 'e', parentUuid: null, content: 'Agent follow-up' }),
      call({ id: 'msg_agent', ts: TS - 4000 }, agent),
      call({ id: 'msg_chat', ts: TS }),
    ]);
    assert.deepEqual(calls.map((c) => [c.key, c.consumer.name]), [['msg_agent', 'Subagent: Agent task'], ['msg_chat', 'First prompt of the chat']]);
  });

  it('keeps interleaved chains apart: two inline agents and the chat, each with its consumer, its durations and its copies', () => {
    const a = { ...ENV, isSidechain: true, agentId: 'agA' };
    const b = { ...ENV, isSidechain: true, agentId: 'agB' };
    const calls = feed([
      userLine(ENV, { ts: TS - 9000, uuid: 'u1', parentUuid: null, content: 'Chat prompt' }),
      userLine(a, { ts: TS - 8000, uuid: 'u2', parentUuid: null, content: 'Task A' }),
      userLine(b, { ts: TS - 7000, uuid: 'u3', parentUuid: null, content: 'Task B' }),
      call({ id: 'msg_a', ts: TS - 6000, usage: usageObject({ input: 4, output: 1 }) }, a),
      call({ id: 'msg_b', ts: TS - 5000 }, b),
      call({ id: 'msg_a', ts: TS - 4000, usage: usageObject({ input: 4, output: 500 }) }, a),
      call({ id: 'msg_chat', ts: TS - 3000 }),
      call({ id: 'msg_b2', ts: TS - 2000 }, b),
    ]);
    assert.deepEqual(
      calls.map((c) => [c.key, c.consumer.key, c.consumer.name, c.source, c.durationMs, c.tokens.output]),
      [
        ['msg_a', 'claude-code:agent:agA', 'Subagent: Task A', 'agent', 4000, 500],
        ['msg_b', 'claude-code:agent:agB', 'Subagent: Task B', 'agent', 2000, 412],
        ['msg_chat', 'claude-code:session:sess-1', 'Chat prompt', 'chat', 6000, 412],
        ['msg_b2', 'claude-code:agent:agB', 'Subagent: Task B', 'agent', null, 412],
      ],
    );
  });

  it('keys a call without a message id or request id by its line uuid (a wrapped copy: the inner line\'s)', () => {
    const bare: Record<string, unknown> = { ...call({ uuid: 'u-bare' }), requestId: undefined };
    (bare.message as Record<string, unknown>).id = undefined;
    const inner: Record<string, unknown> = { ...call({ uuid: 'u-inner', ts: TS + 10 }), requestId: undefined };
    (inner.message as Record<string, unknown>).id = undefined;
    const wrapped = { type: 'progress', uuid: 'u-outer', parentUuid: null, isSidechain: false, cwd: '/home/dev/app', sessionId: 'sess-1', data: { type: 'agent_progress', agentId: 'ag1', message: inner }, timestamp: new Date(TS + 20).toISOString() };
    assert.deepEqual(feed([bare, wrapped, call({ uuid: 'u-ided' })]).map((c) => c.key), ['uuid:u-bare', 'uuid:u-inner', 'msg_1']);
  });

  it('counts a call between a compact boundary and the summary as memory', () => {
    const calls = feed([
      userLine(ENV, { ts: TS - 9000, uuid: 'a', parentUuid: null, content: 'Long task' }),
      { type: 'system', subtype: 'compact_boundary', isSidechain: false, timestamp: new Date(TS - 5000).toISOString(), compactMetadata: { trigger: 'manual' } },
      call({ id: 'msg_summarise', ts: TS - 2000 }),
      userLine(ENV, { ts: TS - 1000, uuid: 'b', parentUuid: null, content: 'Summary', isCompactSummary: true }),
      call({ id: 'msg_after', ts: TS }),
    ]);
    assert.deepEqual(
      calls.map((c) => [c.key, c.source, c.durationMs]),
      [
        ['msg_summarise', 'memory', null],
        ['msg_after', 'chat', 1000],
      ],
    );
  });

  it('marks headless and daemon sessions as agent runs', () => {
    for (const env of [{ ...ENV, entrypoint: 'sdk-ts' }, { ...ENV, entrypoint: 'sdk-py' }, { ...ENV, entrypoint: 'cli', sessionKind: 'daemon-worker' }]) {
      const [c] = feed([userLine(env, { ts: TS - 100, uuid: 'a', parentUuid: null, content: 'Run' }), call({}, env)]);
      assert.equal(c.source, 'agent');
      assert.equal(c.consumer.key, 'claude-code:run:sess-1');
      assert.equal(c.consumer.name, 'app: Run');
    }
    const [vscode] = feed([call({}, { ...ENV, entrypoint: 'claude-vscode' })]);
    assert.equal(vscode.source, 'chat');
    assert.equal(vscode.consumer.name, 'Session sess-1');
  });

  it('keeps the best copy of a streamed message and never sums copies', () => {
    const calls = feed([
      userLine(ENV, { ts: TS - 3000, uuid: 'a', parentUuid: null, content: 'Go' }),
      call({ ts: TS - 2000, usage: usageObject({ input: 1, cacheRead: 500, output: 3 }), stopReason: null }),
      call({ ts: TS - 1000, usage: usageObject({ input: 4, cacheRead: 500, output: 90 }), stopReason: null }),
      call({ ts: TS, usage: usageObject({ input: 4, cacheRead: 500, output: 60 }) }),
    ]);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].tokens, { input: 4, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 500, output: 90 });
    assert.equal(calls[0].ts, TS - 2000, 'time of the first copy');
    assert.equal(calls[0].durationMs, 3000, 'prompt to last copy');
  });
});
