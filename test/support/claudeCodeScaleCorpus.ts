/**
 * A large Claude Code corpus for benchmarks and scale tests, streamed to disk (never held in memory): many sessions
 * across projects, streaming copies, small and megabyte tool results, subagent files. Returns the exact totals a
 * correct import must show (tokens per period and the oracle's cost), computed while writing.
 *
 * Layout: <rootDir>/home/.claude/projects/<project>/<session>.jsonl (+ <session>/subagents/agent-<id>.jsonl).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TokenCounts } from '../../src/shared/callRecord';
import { oracleCostNanos } from './claudeCodePriceOracle';
import type { PeriodTotals } from './claudeCodeFixtures';
import { assistantLine, codeText, idMaker, prng, toolResultContent, usageObject, userLine, type LineEnv, type UsageSpec } from './claudeCodeTranscriptLines';

export interface ScaleCorpusOptions {
  now: number;
  seed?: number;
  /** Conversation files (default 200). */
  sessions?: number;
  /** Calls per conversation (default 100). */
  callsPerSession?: number;
  /** Streaming copies written per call (default 2). */
  copiesPerCall?: number;
  projects?: number;
  /** Bytes of an ordinary tool result (default 600). */
  toolResultBytes?: number;
  /** Bytes of the occasional huge tool result (default 1 MiB) and how often one appears (every N calls; 0: never). */
  bigLineBytes?: number;
  bigLineEvery?: number;
  /** Every Nth conversation also has a subagent file with `subagentCalls` calls (default 4 and 20; 0: none). */
  subagentEvery?: number;
  subagentCalls?: number;
  /** Calls are spread over this many days before `now` (default 30). */
  spanDays?: number;
}

export interface ScaleCorpusSummary {
  homeDir: string;
  configDir: string;
  files: number;
  calls: number;
  bytes: number;
  totals: Record<'24h' | '7d' | '30d' | 'all', PeriodTotals>;
}

const DAY = 86_400_000;
const MODELS = ['claude-opus-5-5', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'];

/** Buffered appends to one file. */
class Out {
  private fd: number;
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
  }

  line(s: string): void {
    this.parts.push(s, '\n');
    this.pending += s.length + 1;
    if (this.pending > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''));
    fs.writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.pending = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

function emptyTotals(): PeriodTotals {
  return { calls: 0, unpricedCalls: 0, costNanos: 0, tokens: { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 } };
}

export function writeScaleCorpus(rootDir: string, o: ScaleCorpusOptions): ScaleCorpusSummary {
  const random = prng(o.seed ?? 7);
  const ids = idMaker(random);
  const homeDir = path.join(rootDir, 'home');
  const configDir = path.join(homeDir, '.claude');
  const sessions = o.sessions ?? 200;
  const perSession = o.callsPerSession ?? 100;
  const copies = Math.max(1, o.copiesPerCall ?? 2);
  const projects = Math.max(1, o.projects ?? 12);
  const smallBytes = o.toolResultBytes ?? 600;
  const bigEvery = o.bigLineEvery ?? 400;
  const subEvery = o.subagentEvery ?? 4;
  const subCalls = o.subagentCalls ?? 20;
  const span = (o.spanDays ?? 30) * DAY;
  // One huge JSON string literal, spliced into tool-result lines (stringifying megabytes per line would dominate).
  const bigLiteral = JSON.stringify(codeText(o.bigLineBytes ?? 1 << 20, random));
  const smallText = codeText(Math.max(1, smallBytes), random);
  const totals = { '24h': emptyTotals(), '7d': emptyTotals(), '30d': emptyTotals(), all: emptyTotals() };
  let calls = 0;
  let files = 0;
  let bytes = 0;

  const count = (ts: number, model: string, t: TokenCounts): void => {
    const cost = oracleCostNanos(model, t);
    for (const [period, from] of [['24h', o.now - DAY], ['7d', o.now - 7 * DAY], ['30d', o.now - 30 * DAY], ['all', -Infinity]] as const) {
      if (ts < from || ts > o.now) continue;
      const p = totals[period];
      p.calls++;
      if (cost === null) p.unpricedCalls++;
      else p.costNanos += cost;
      p.tokens.input += t.input;
      p.tokens.cacheWrite5m += t.cacheWrite5m;
      p.tokens.cacheWrite1h += t.cacheWrite1h;
      p.tokens.cacheRead += t.cacheRead;
      p.tokens.output += t.output;
    }
    calls++;
  };

  const writeConversation = (out: Out, env: LineEnv, start: number, n: number, callIndexBase: number): void => {
    let t = start;
    out.line(JSON.stringify(userLine(env, { ts: t, uuid: ids.uuid(), parentUuid: null, content: `Task ${callIndexBase}: improve module ${ids.hex(6)}` })));
    for (let i = 0; i < n; i++) {
      const model = MODELS[ids.int(0, MODELS.length - 1)];
      const u: UsageSpec = { input: ids.int(1, 40), cacheWrite5m: ids.int(0, 3000), cacheWrite1h: ids.int(0, 1) * ids.int(0, 2000), cacheRead: ids.int(5000, 90000), output: ids.int(20, 1500) };
      const id = `msg_01${ids.hex(22)}`;
      const requestId = `req_011C${ids.hex(20)}`;
      const firstTs = t + ids.int(800, 4000);
      for (let c = 0; c < copies; c++) {
        const final = c === copies - 1;
        const usage = usageObject(final ? u : { ...u, input: 1, output: Math.max(1, Math.floor(u.output / (copies - c + 1))) });
        const content = final ? [{ type: 'tool_use', id: `toolu_${ids.hex(24)}`, name: 'Edit', input: { file_path: `/src/m${i}.ts`, old_string: 'a', new_string: 'b' } }] : [{ type: 'text', text: 'Let me check the module first.' }];
        out.line(JSON.stringify(assistantLine(env, { ts: firstTs + c * 700, uuid: ids.uuid(), parentUuid: null, id, model, requestId, content, stopReason: final ? 'tool_use' : null, usage })));
      }
      count(firstTs, model, { input: u.input, cacheWrite5m: u.cacheWrite5m ?? 0, cacheWrite1h: u.cacheWrite1h ?? 0, cacheRead: u.cacheRead ?? 0, output: u.output });
      t = firstTs + copies * 700 + ids.int(500, 6000);
      const big = bigEvery > 0 && (callIndexBase + i) % bigEvery === bigEvery - 1;
      const line = JSON.stringify(userLine(env, { ts: t, uuid: ids.uuid(), parentUuid: null, content: toolResultContent(`toolu_${ids.hex(24)}`, big ? '__BIG__' : smallText.slice(0, ids.int(smallBytes >> 1, smallBytes))) }));
      out.line(big ? line.replace('"__BIG__"', bigLiteral) : line);
    }
  };

  for (let s = 0; s < sessions; s++) {
    const cwd = `/home/dev/project-${s % projects}`;
    const projectDir = path.join(configDir, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
    const sessionId = ids.uuid();
    const start = o.now - Math.floor(random() * span) - DAY / 24;
    const env: LineEnv = { sessionId, cwd, entrypoint: s % 10 === 9 ? 'sdk-cli' : 'cli' };
    const out = new Out(path.join(projectDir, `${sessionId}.jsonl`));
    writeConversation(out, env, start, perSession, s * perSession);
    out.line(JSON.stringify({ type: 'ai-title', aiTitle: `Work on module ${s}`, sessionId }));
    out.close();
    bytes += out.bytes;
    files++;
    if (subEvery > 0 && s % subEvery === 0 && subCalls > 0) {
      const agentId = ids.hex(16);
      const dir = path.join(projectDir, sessionId, 'subagents');
      const sub = new Out(path.join(dir, `agent-${agentId}.jsonl`));
      writeConversation(sub, { ...env, isSidechain: true, agentId }, start + 60_000, subCalls, s * perSession + 1);
      sub.close();
      fs.writeFileSync(path.join(dir, `agent-${agentId}.meta.json`), JSON.stringify({ agentType: 'general-purpose', description: `Survey module ${s}` }));
      bytes += sub.bytes;
      files++;
    }
  }
  return { homeDir, configDir, files, calls, bytes, totals };
}
