/**
 * Writes one conversation (and its subagents' files) the way Claude Code does: a prompt, then API calls each written
 * as one line per content block with the same message id (earlier copies with partial output), tool results (a few
 * of them megabytes long), hook progress, file snapshots, compaction, titles at the end; plus the oddities real
 * folders have: resumed sessions that repeat earlier calls, synthetic API-error messages, a torn line now and then.
 * Counts every unique call and its final usage, so the importers' totals can be checked against the truth.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as L from './lines';
import type { Rand } from './random';
import { FileSink } from './sink';
import { prompt, title, type TextPool } from './text';

export interface TokenTotals {
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

export interface CorpusTotals {
  files: number;
  subagentFiles: number;
  bytes: number;
  lines: number;
  /** Unique API calls (what an importer should count). */
  calls: number;
  subagentCalls: number;
  assistantLines: number;
  toolResults: number;
  bigToolResults: number;
  malformedLines: number;
  syntheticLines: number;
  resumedCopies: number;
  largestFileBytes: number;
  tokens: TokenTotals;
}

export function emptyTotals(): CorpusTotals {
  return {
    files: 0, subagentFiles: 0, bytes: 0, lines: 0, calls: 0, subagentCalls: 0, assistantLines: 0, toolResults: 0,
    bigToolResults: 0, malformedLines: 0, syntheticLines: 0, resumedCopies: 0, largestFileBytes: 0,
    tokens: { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 },
  };
}

export interface Project {
  cwd: string;
  dir: string;
  /** Final copies of the last calls of the project's latest conversation: a resumed conversation repeats them. */
  lastCalls: string[];
}

export interface SessionPlan {
  project: Project;
  sessionId: string;
  startMs: number;
  calls: number;
  entrypoint: string;
  headless: boolean;
  model: string;
  version: string;
  oneHourCache: boolean;
  legacyUsage: boolean;
  resume: boolean;
}

interface Conversation {
  sink: FileSink;
  head: string;
  leaf: string | null;
  t: number;
  context: number;
  model: string;
  oneHourCache: boolean;
  legacyUsage: boolean;
  sidechain: boolean;
  project: Project;
  sessionId: string;
}

interface ToolCall {
  id: string;
  name: string;
  input: string;
  agent?: { type: string; description: string };
}

const TOOLS: readonly (readonly [string, number])[] = [['Bash', 30], ['Read', 30], ['Edit', 18], ['Grep', 10], ['Write', 5]];
const AGENT_TYPES = ['general-purpose', 'Explore', 'code-reviewer', 'test-runner'];
const FILES = ['src/server.ts', 'src/auth/middleware.ts', 'src/routes/login.ts', 'test/login.test.ts', 'package.json', 'README.md'];
const SUBAGENT_MODEL = 'claude-haiku-4-5-20251001';

export class SessionWriter {
  /** The next tool result is megabytes long once the corpus has grown past this many bytes. */
  private nextBigAt: number;

  constructor(
    private readonly rand: Rand,
    private readonly pool: TextPool,
    readonly totals: CorpusTotals,
    private readonly bigEveryBytes: number,
  ) {
    this.nextBigAt = Math.min(bigEveryBytes, 4 << 20);
  }

  /** Writes the conversation; returns its file and size. */
  write(plan: SessionPlan): { file: string; bytes: number } {
    const { rand } = this;
    const file = path.join(plan.project.dir, `${plan.sessionId}.jsonl`);
    const sink = new FileSink(file);
    const conv: Conversation = {
      sink,
      head: L.envelopeHead({
        sessionId: plan.sessionId, cwd: plan.project.cwd, version: plan.version, gitBranch: rand.pick(['main', 'main', 'dev', 'feature/limits']),
        entrypoint: plan.legacyUsage ? undefined : plan.entrypoint, isSidechain: false,
      }),
      leaf: null, t: plan.startMs, context: rand.int(12_000, 24_000), model: plan.model,
      oneHourCache: plan.oneHourCache, legacyUsage: plan.legacyUsage, sidechain: false, project: plan.project,
      sessionId: plan.sessionId,
    };
    if (plan.resume && plan.project.lastCalls.length > 0) {
      for (const line of plan.project.lastCalls) sink.write(line);
      this.totals.resumedCopies += plan.project.lastCalls.length;
    }
    if (plan.headless) sink.write(L.queueLine(plan.sessionId, iso(conv.t), prompt(rand)));
    const tornAt = rand.chance(0.006) ? rand.int(0, plan.calls - 1) : -1;
    let firstPrompt = '';
    let done = 0;
    let sinceCompact = 0;
    while (done < plan.calls) {
      const text = prompt(rand);
      firstPrompt ||= text;
      this.userTurnStart(conv, text);
      const turnCalls = Math.min(plan.calls - done, rand.logNormal(6, 0.8, 1, 60));
      for (let k = 0; k < turnCalls; k++) {
        if (done + k === tornAt) this.tornLine(conv);
        const tool = this.call(conv, k === turnCalls - 1, !plan.headless);
        if (tool) this.toolResult(conv, tool);
        if (rand.chance(0.002)) this.synthetic(conv);
      }
      done += turnCalls;
      sinceCompact += turnCalls;
      sink.write(L.turnDurationLine(conv.head, conv.leaf ?? '', rand.uuid(), iso(conv.t + 50), rand.int(2_000, 600_000)));
      if (conv.context > 160_000 || sinceCompact > 400) {
        this.compact(conv);
        sinceCompact = 0;
      }
      conv.t += rand.int(20_000, 900_000);
    }
    if (!plan.headless) this.titles(conv, firstPrompt);
    return this.finish(sink, false);
  }

  private userTurnStart(conv: Conversation, text: string): void {
    const { rand } = this;
    const uuid = rand.uuid();
    const files = FILES.slice(0, rand.int(0, 4)).map((f) => `${conv.project.cwd}/${f}`);
    conv.sink.write(L.fileSnapshotLine(uuid, iso(conv.t), files, rand.int(1, 9)));
    conv.sink.write(L.promptLine(conv.head, conv.leaf, uuid, iso(conv.t), text));
    conv.leaf = uuid;
  }

  /** One API call: one line per content block, all with the same message and request id. */
  private call(conv: Conversation, lastOfTurn: boolean, mayDelegate: boolean): ToolCall | undefined {
    const { rand, pool } = this;
    conv.t += rand.int(1_500, 25_000);
    const msgId = rand.uniqueId('msg_01', 24);
    const requestId = rand.uniqueId('req_011C', 20);
    const blocks: string[] = [];
    if (rand.chance(0.3)) {
      blocks.push(L.thinkingBlock(pool.text(rand, rand.logNormal(450, 0.9, 40, 8_000)), pool.signature(rand, rand.int(200, 1_400))));
    }
    if (lastOfTurn || rand.chance(0.4)) blocks.push(L.textBlock(pool.text(rand, rand.logNormal(280, 1, 20, 6_000))));
    const tool = lastOfTurn ? undefined : this.pickTool(conv, mayDelegate);
    if (tool) blocks.push(L.toolUseBlock(tool.id, tool.name, tool.input));

    const writes = rand.chance(0.1) ? rand.logNormal(6_000, 0.8, 500, 60_000) : rand.logNormal(700, 1, 0, 20_000);
    // Old versions wrote no 5m/1h split: their cache writes count as 5-minute writes (the facts' rule).
    const oneHour = conv.oneHourCache && !conv.legacyUsage ? writes : 0;
    const final: L.Usage = {
      input: rand.chance(0.04) ? rand.int(2_000, 30_000) : rand.int(1, 12),
      cacheWrite5m: writes - oneHour,
      cacheWrite1h: oneHour,
      cacheRead: conv.context,
      output: rand.logNormal(260, 1.1, 1, 32_000),
      webSearch: rand.chance(0.01) ? rand.int(1, 3) : 0,
    };
    conv.context += writes + final.output;
    for (let i = 0; i < blocks.length; i++) {
      const partial = i < blocks.length - 1;
      const usage = partial ? { ...final, output: Math.min(final.output, rand.int(1, 12)) } : final;
      const uuid = rand.uuid();
      const line = L.assistantLine(conv.head, {
        parentUuid: conv.leaf, uuid, ts: iso(conv.t + i * rand.int(50, 3_000)), model: conv.model, msgId, requestId,
        block: blocks[i], stopReason: partial ? null : tool ? 'tool_use' : 'end_turn', usage: L.usageJson(usage, conv.legacyUsage),
      });
      conv.sink.write(line);
      conv.leaf = uuid;
      if (!partial && !conv.sidechain) {
        conv.project.lastCalls.push(line);
        if (conv.project.lastCalls.length > 3) conv.project.lastCalls.shift();
      }
    }
    conv.t += blocks.length * 1_000;
    this.totals.assistantLines += blocks.length;
    this.totals.calls++;
    if (conv.sidechain) this.totals.subagentCalls++;
    const tk = this.totals.tokens;
    tk.input += final.input;
    tk.cacheWrite5m += final.cacheWrite5m;
    tk.cacheWrite1h += final.cacheWrite1h;
    tk.cacheRead += final.cacheRead;
    tk.output += final.output;
    return tool;
  }

  private pickTool(conv: Conversation, mayDelegate: boolean): ToolCall {
    const { rand, pool } = this;
    const id = rand.uniqueId('toolu_01', 24);
    const file = `${conv.project.cwd}/${rand.pick(FILES)}`;
    if (mayDelegate && !conv.sidechain && rand.chance(0.02)) {
      const type = rand.pick(AGENT_TYPES);
      const description = title(rand);
      const input = `{"description":"${description}","prompt":"${pool.text(rand, rand.logNormal(600, 0.7, 80, 4_000))}","subagent_type":"${type}"}`;
      return { id, name: 'Agent', input, agent: { type, description } };
    }
    const name = rand.weighted(TOOLS);
    switch (name) {
      case 'Bash':
        return { id, name, input: `{"command":"npm test -- --run ${rand.pick(FILES)}","description":"Run the tests"}` };
      case 'Read':
        return { id, name, input: `{"file_path":"${file}"}` };
      case 'Edit':
        return {
          id, name,
          input: `{"file_path":"${file}","old_string":"${pool.text(rand, rand.logNormal(300, 0.8, 10, 6_000))}",` +
            `"new_string":"${pool.text(rand, rand.logNormal(380, 0.8, 10, 8_000))}","replace_all":false}`,
        };
      case 'Write':
        return { id, name, input: `{"file_path":"${file}","content":"${pool.text(rand, rand.logNormal(2_000, 0.9, 50, 40_000))}"}` };
      default:
        return { id, name, input: `{"pattern":"rateLimit\\\\(","path":"${conv.project.cwd}/src","output_mode":"files_with_matches"}` };
    }
  }

  private toolResult(conv: Conversation, tool: ToolCall): void {
    const { rand, pool } = this;
    if (tool.agent) {
      this.subagent(conv, tool);
      return;
    }
    const big = (tool.name === 'Read' || tool.name === 'Bash') && this.writtenSoFar(conv) >= this.nextBigAt;
    let chars = rand.logNormal(tool.name === 'Read' ? 1_200 : 500, 1, 20, 200_000);
    if (big) {
      chars = rand.int(1 << 20, 2 << 20);
      this.nextBigAt = this.writtenSoFar(conv) + this.bigEveryBytes;
      this.totals.bigToolResults++;
    }
    if (rand.chance(0.2)) conv.sink.write(L.hookProgressLine(conv.head, conv.leaf ?? '', rand.uuid(), iso(conv.t), tool.id, tool.name));
    let text: string;
    let result: string;
    switch (tool.name) {
      case 'Read': {
        text = pool.text(rand, chars);
        const lines = Math.max(1, Math.round(chars / 40));
        result = `{"type":"text","file":{"filePath":"${conv.project.cwd}/src/server.ts","content":"${text}","numLines":${lines},"startLine":1,"totalLines":${lines}}}`;
        break;
      }
      case 'Edit': {
        text = `The file ${conv.project.cwd}/src/server.ts has been updated. Here's the result of running \`cat -n\` on a snippet: ${pool.text(rand, rand.logNormal(500, 0.6, 50, 4_000))}`;
        result = `{"filePath":"${conv.project.cwd}/src/server.ts","oldString":"x","newString":"y","originalFile":"${pool.text(rand, chars)}","structuredPatch":[],"userModified":false,"replaceAll":false}`;
        break;
      }
      case 'Write':
        text = `File created successfully at: ${conv.project.cwd}/src/new.ts`;
        result = `{"type":"create","filePath":"${conv.project.cwd}/src/new.ts","content":"x","structuredPatch":[]}`;
        break;
      default:
        text = pool.text(rand, chars);
        result = `{"stdout":"${text}","stderr":"","interrupted":false,"isImage":false}`;
    }
    conv.t += rand.int(200, 30_000);
    const uuid = rand.uuid();
    conv.sink.write(L.toolResultLine(conv.head, conv.leaf ?? '', uuid, iso(conv.t), tool.id, text, result));
    conv.leaf = uuid;
    this.totals.toolResults++;
  }

  /** A Task/Agent call: the subagent's own transcript beside its meta file; the parent gets a summary result. */
  private subagent(conv: Conversation, tool: ToolCall): void {
    const { rand, pool } = this;
    const agent = tool.agent!;
    const agentId = rand.hex(17);
    const dir = path.join(conv.project.dir, conv.sessionId, 'subagents');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `agent-${agentId}.meta.json`), L.agentMetaJson(agent.type, agent.description, tool.id, conv.project.cwd));
    const sub: Conversation = {
      ...conv,
      sink: new FileSink(path.join(dir, `agent-${agentId}.jsonl`)),
      head: L.envelopeHead({ sessionId: conv.sessionId, cwd: conv.project.cwd, version: '2.1.331', gitBranch: 'main', isSidechain: true, agentId }),
      leaf: null, context: rand.int(8_000, 16_000), model: rand.chance(0.6) ? SUBAGENT_MODEL : conv.model, sidechain: true,
    };
    const startTs = conv.t;
    this.userTurnStart(sub, pool.text(rand, 300));
    const calls = rand.logNormal(12, 0.8, 2, 150);
    for (let k = 0; k < calls; k++) {
      const tool2 = this.call(sub, k === calls - 1, false);
      if (tool2) this.toolResult(sub, tool2);
    }
    this.finish(sub.sink, true);
    conv.t = sub.t + rand.int(100, 2_000);
    const summary = `{"status":"completed","prompt":"${pool.text(rand, 200)}","agentId":"${agentId}","content":[{"type":"text","text":"${pool.text(rand, 800)}"}],` +
      `"totalDurationMs":${conv.t - startTs},"totalTokens":${sub.context},"totalToolUseCount":${calls - 1},` +
      `"usage":{"input_tokens":3,"cache_creation_input_tokens":412,"cache_read_input_tokens":${sub.context},"output_tokens":620}}`;
    const uuid = rand.uuid();
    conv.sink.write(L.toolResultLine(conv.head, conv.leaf ?? '', uuid, iso(conv.t), tool.id, pool.text(rand, 800), summary));
    conv.leaf = uuid;
    this.totals.toolResults++;
  }

  private synthetic(conv: Conversation): void {
    const { rand } = this;
    const uuid = rand.uuid();
    conv.sink.write(L.syntheticLine(conv.head, conv.leaf ?? '', uuid, iso(conv.t), rand.uuid(), 'API Error: 529 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"overloaded_error\\",\\"message\\":\\"Overloaded\\"}}'));
    conv.leaf = uuid;
    this.totals.syntheticLines++;
  }

  /** A line cut off mid-write (a crash, a full disk): the call it held is lost, and nobody should count it. */
  private tornLine(conv: Conversation): void {
    const { rand } = this;
    const whole = L.assistantLine(conv.head, {
      parentUuid: conv.leaf, uuid: rand.uuid(), ts: iso(conv.t), model: conv.model, msgId: rand.uniqueId('msg_01', 24),
      requestId: rand.uniqueId('req_011C', 20), block: L.textBlock('cut'), stopReason: 'end_turn',
      usage: L.usageJson({ input: 5, cacheWrite5m: 100, cacheWrite1h: 0, cacheRead: 1_000, output: 50, webSearch: 0 }, false),
    });
    conv.sink.write(`${whole.slice(0, Math.floor(whole.length * 0.6))}\n`);
    this.totals.malformedLines++;
  }

  private compact(conv: Conversation): void {
    const { rand, pool } = this;
    const boundary = rand.uuid();
    const summaryUuid = rand.uuid();
    conv.t += rand.int(20_000, 90_000);
    conv.sink.write(L.compactLines(conv.head, conv.leaf ?? '', boundary, summaryUuid, iso(conv.t), conv.context, pool.text(rand, rand.int(4_000, 12_000))), 2);
    conv.leaf = summaryUuid;
    conv.context = rand.int(15_000, 30_000);
  }

  private titles(conv: Conversation, firstPrompt: string): void {
    const { rand } = this;
    const name = title(rand);
    const leaf = conv.leaf ?? '';
    if (conv.legacyUsage) {
      conv.sink.write(L.legacySummaryLine(name, leaf));
      return;
    }
    if (rand.chance(0.1)) return; // Some conversations never get a title: the first prompt names them.
    const custom = rand.chance(0.05) ? `${name} (mine)` : undefined;
    conv.sink.write(L.titleLines(conv.sessionId, leaf, name, firstPrompt, custom), custom ? 3 : 2);
  }

  private writtenSoFar(conv: Conversation): number {
    return this.totals.bytes + conv.sink.bytes;
  }

  private finish(sink: FileSink, subagent: boolean): { file: string; bytes: number } {
    sink.close();
    this.totals.bytes += sink.bytes;
    this.totals.lines += sink.lines;
    this.totals.files++;
    if (subagent) this.totals.subagentFiles++;
    this.totals.largestFileBytes = Math.max(this.totals.largestFileBytes, sink.bytes);
    return { file: sink.path, bytes: sink.bytes };
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
