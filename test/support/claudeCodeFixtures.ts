/**
 * Realistic Claude Code transcripts with the exact records a correct collector must produce from them.
 *
 * writeClaudeCodeFixture(rootDir, { now }) writes two config dirs — `<rootDir>/home/.claude` (found by default discovery
 * with HOME=<rootDir>/home) and `<rootDir>/alt-claude` (a second machine's synced folder) — holding sessions spread over
 * the last 40 days relative to `now`, in the shapes of shared/facts/claude-code-transcripts.md: streaming copies with
 * partial usage, a huge tool-result line, subagent files with meta.json (one nested, one /btw side question), a copy
 * wrapped in a progress line, custom/ai titles, last-prompt, summary, a custom-title.json sidecar, server-side
 * compaction, synthetic and API-error messages, a headless `sdk-cli` run, inline sidechain lines of an old version,
 * 5m/1h cache writes, a long-context call, an unknown model, malformed lines and a partial last line.
 *
 * Every expected value is written down here, next to the lines that produce it (not derived by collector-like code),
 * and costs come from a tiny independent oracle (hard-coded rates of the three models used, from shared/facts/pricing.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Source, TokenCounts } from '../../src/shared/callRecord';
import { assistantLine, codeText, idMaker, iso, prng, toolResultContent, usageObject, userLine, type LineEnv, type UsageSpec } from './claudeCodeTranscriptLines';

export { oracleCostNanos, ORACLE_MODELS } from './claudeCodePriceOracle';
import { oracleCostNanos } from './claudeCodePriceOracle';

export interface ExpectedRecord {
  key: string;
  requestId?: string;
  ts: number;
  source: Source;
  consumer: { key: string; name: string };
  model: string;
  tokens: TokenCounts;
  durationMs: number | null;
  project?: string;
  sidechain: boolean;
  webSearchRequests: number;
  webFetchRequests: number;
  serviceTier?: string;
  speed?: string;
  inferenceGeo?: string;
  /** Oracle cost; null for an unknown model. */
  costNanos: number | null;
}

export interface PeriodTotals {
  calls: number;
  unpricedCalls: number;
  costNanos: number;
  tokens: TokenCounts;
}

export interface FixtureSession {
  /** The transcript file. */
  file: string;
  sessionId: string;
  configDir: string;
  cwd: string;
  entrypoint: string;
  source: Source;
  consumerKey: string;
  /** The final display name once the whole fixture is read. */
  name: string;
}

export type FixtureSessionName = 'cli' | 'resumed' | 'vscode' | 'headless' | 'legacy' | 'alt' | 'old';

export interface ClaudeCodeFixture {
  homeDir: string;
  /** [<home>/.claude, <rootDir>/alt-claude]. */
  configDirs: string[];
  now: number;
  /** Every record, in no particular order (excluding the pending tail's). */
  records: ExpectedRecord[];
  totals: Record<'24h' | '7d' | '30d' | 'all', PeriodTotals>;
  sessions: Record<FixtureSessionName, FixtureSession>;
  /** Lines the collector must count as skipped (malformed, wrongly typed). */
  skippedLines: number;
  /** The alt session ends with half a line; appending `rest` completes it into `record`. */
  pendingTail: { file: string; rest: string; record: ExpectedRecord };
  files: string[];
}

export interface FixtureOptions {
  now: number;
  seed?: number;
  /** Size of the huge tool-result line in the cli session (default 300 KB: above the reader's 256 KB big-line mark). */
  bigLineBytes?: number;
}

const H = 3_600_000;
const D = 24 * H;
const OPUS = 'claude-opus-5-5';
const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';
const UNKNOWN_MODEL = 'claude-opus-6';

type Ids = ReturnType<typeof idMaker>;

/** Collects one file's lines; tracks parent uuids like Claude Code does. */
class FileBuilder {
  readonly lines: string[] = [];
  private last: string | null = null;

  constructor(
    readonly file: string,
    readonly env: LineEnv,
    private readonly ids: Ids,
  ) {}

  obj(o: Record<string, unknown>): void {
    this.lines.push(JSON.stringify(o));
  }

  raw(text: string): void {
    this.lines.push(text);
  }

  user(ts: number, content: unknown, extra: { isMeta?: boolean; isCompactSummary?: boolean; toolUseResult?: unknown } = {}): void {
    const uuid = this.ids.uuid();
    this.obj(userLine(this.env, { ts, uuid, parentUuid: this.last, content, ...extra }));
    this.last = uuid;
  }

  toolResult(ts: number, text = 'ok', toolUseResult?: unknown): void {
    this.user(ts, toolResultContent(`toolu_${this.ids.hex(24)}`, text), { toolUseResult: toolUseResult ?? { stdout: text.slice(0, 40), stderr: '', interrupted: false } });
  }

  /** Writes the streaming copies of one message; earlier copies carry a placeholder input and partial output. */
  assistant(o: { id: string; requestId?: string; model: string; usage: UsageSpec; copyTs: number[]; isSidechainCopyOf?: boolean; costUSD?: number }): void {
    const kinds = ['thinking', 'text', 'tool_use'];
    o.copyTs.forEach((ts, i) => {
      const final = i === o.copyTs.length - 1;
      const usage = final ? o.usage : { ...o.usage, input: Math.min(1, o.usage.input), output: Math.max(1, Math.floor((o.usage.output * (i + 1)) / (o.copyTs.length + 1))) };
      const kind = final ? 'tool_use' : kinds[i % 2];
      const content = kind === 'thinking' ? [{ type: 'thinking', thinking: 'Let me look.', signature: 'sig' }] : kind === 'text' ? [{ type: 'text', text: 'Working on it.' }] : [{ type: 'tool_use', id: `toolu_${this.ids.hex(24)}`, name: 'Read', input: { file_path: '/src/a.ts' } }];
      const uuid = this.ids.uuid();
      this.obj(assistantLine(this.env, { ts, uuid, parentUuid: this.last, id: o.id, model: o.model, requestId: o.requestId, content, stopReason: final ? 'tool_use' : null, usage: usageObject(usage), costUSD: final ? o.costUSD : undefined }));
      this.last = uuid;
    });
  }

  write(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, this.lines.join('\n') + '\n');
  }
}

function tokensOf(u: UsageSpec): TokenCounts {
  return { input: u.input, cacheWrite5m: u.cacheWrite5m ?? 0, cacheWrite1h: u.cacheWrite1h ?? 0, cacheRead: u.cacheRead ?? 0, output: u.output };
}

function record(o: {
  key: string;
  requestId?: string;
  ts: number;
  source: Source;
  consumer: { key: string; name: string };
  model: string;
  usage: UsageSpec;
  durationMs: number | null;
  project: string;
  sidechain?: boolean;
}): ExpectedRecord {
  const u = o.usage;
  const legacy = u.breakdown === false;
  const r: ExpectedRecord = {
    key: o.key,
    ts: o.ts,
    source: o.source,
    consumer: o.consumer,
    model: o.model,
    tokens: tokensOf(u),
    durationMs: o.durationMs,
    project: o.project,
    sidechain: o.sidechain ?? false,
    webSearchRequests: u.webSearch ?? 0,
    webFetchRequests: u.webFetch ?? 0,
    costNanos: null,
  };
  if (o.requestId) r.requestId = o.requestId;
  if (!legacy) {
    r.serviceTier = u.serviceTier ?? 'standard';
    r.speed = u.speed ?? 'standard';
    if (u.inferenceGeo) r.inferenceGeo = u.inferenceGeo;
  }
  r.costNanos = oracleCostNanos(r.model, r.tokens, { speed: r.speed, inferenceGeo: r.inferenceGeo, webSearchRequests: r.webSearchRequests });
  return r;
}

export function writeClaudeCodeFixture(rootDir: string, options: FixtureOptions): ClaudeCodeFixture {
  const now = options.now;
  const random = prng(options.seed ?? 1);
  const ids = idMaker(random);
  const homeDir = path.join(rootDir, 'home');
  const primary = path.join(homeDir, '.claude');
  const alt = path.join(rootDir, 'alt-claude');
  const records: ExpectedRecord[] = [];
  const builders: FileBuilder[] = [];
  const msg = (): string => `msg_01${ids.hex(22)}`;
  const req = (): string => `req_011C${ids.hex(20)}`;
  const sid = (): string => ids.uuid();
  const projectDir = (configDir: string, cwd: string): string => path.join(configDir, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
  const sessionFile = (configDir: string, cwd: string, id: string): string => path.join(projectDir(configDir, cwd), `${id}.jsonl`);
  const builder = (file: string, env: LineEnv): FileBuilder => {
    const b = new FileBuilder(file, env, ids);
    builders.push(b);
    return b;
  };
  const ACME = '/home/dev/acme-api';
  const WEB = '/home/dev/web-app';
  const OLD = '/home/dev/old-proj';
  // Written inside the cli block: it replays one of the cli session's messages.
  let resumed: FixtureSession | undefined;

  // ── cli: an interactive terminal session 2 hours ago, titled later by an ai-title ──────────────────────────────────
  const sA = sid();
  const cli: FixtureSession = { file: sessionFile(primary, ACME, sA), sessionId: sA, configDir: primary, cwd: ACME, entrypoint: 'cli', source: 'chat', consumerKey: `claude-code:session:${sA}`, name: 'Login route rate limiting' };
  {
    const b = builder(cli.file, { sessionId: sA, cwd: ACME, entrypoint: 'cli' });
    const t = now - 2 * H;
    const chat = { key: cli.consumerKey, name: cli.name };
    b.obj({ type: 'queue-operation', operation: 'enqueue', timestamp: iso(t - 100), sessionId: sA });
    b.user(t, '  Add rate limiting\n\n to the   /login route  ');
    const a1 = { id: msg(), requestId: req(), usage: { input: 4, cacheWrite1h: 1830, cacheRead: 48211, output: 412 } };
    b.assistant({ ...a1, model: OPUS, copyTs: [t + 2000, t + 3000, t + 5000] });
    records.push(record({ key: a1.id, requestId: a1.requestId, ts: t + 2000, source: 'chat', consumer: chat, model: OPUS, usage: a1.usage, durationMs: 5000, project: ACME }));
    b.toolResult(t + 9000, codeText(options.bigLineBytes ?? 300 * 1024, random));
    const a2 = { id: msg(), requestId: req(), usage: { input: 6, cacheWrite5m: 1200, cacheRead: 50041, output: 156 } };
    b.assistant({ ...a2, model: OPUS, copyTs: [t + 14000] });
    records.push(record({ key: a2.id, requestId: a2.requestId, ts: t + 14000, source: 'chat', consumer: chat, model: OPUS, usage: a2.usage, durationMs: 5000, project: ACME }));
    b.obj({ parentUuid: null, isSidechain: false, type: 'system', subtype: 'turn_duration', durationMs: 14000, timestamp: iso(t + 14100), sessionId: sA, cwd: ACME });
    b.obj({ type: 'file-history-snapshot', messageId: ids.uuid(), snapshot: { trackedFileBackups: { 'src/a.ts': { version: 1 } } }, isSnapshotUpdate: false });
    b.user(t + 60000, 'Also make the limit configurable');
    b.obj(assistantLine(b.env, { ts: t + 61000, uuid: ids.uuid(), parentUuid: null, id: msg(), model: '<synthetic>', content: [{ type: 'text', text: 'API Error: 529 overloaded' }], stopReason: 'stop_sequence', usage: usageObject({ input: 0, output: 0 }), isApiErrorMessage: true }));
    const a3 = { id: msg(), requestId: req(), usage: { input: 3, cacheWrite5m: 800, cacheRead: 51000, output: 700 } };
    b.assistant({ ...a3, model: OPUS, copyTs: [t + 70000, t + 71500] });
    records.push(record({ key: a3.id, requestId: a3.requestId, ts: t + 70000, source: 'chat', consumer: chat, model: OPUS, usage: a3.usage, durationMs: null, project: ACME }));
    b.user(t + 80000, '<command-name>/cost</command-name>', { isMeta: true });
    b.obj(assistantLine(b.env, { ts: t + 80100, uuid: ids.uuid(), parentUuid: null, id: msg(), model: '<synthetic>', content: [{ type: 'text', text: 'No response requested.' }], stopReason: 'stop_sequence', usage: usageObject({ input: 0, output: 0 }) }));
    b.toolResult(t + 90000);
    const a4 = { id: msg(), requestId: req(), usage: { input: 2, cacheWrite5m: 300, cacheRead: 52000, output: 900, speed: 'fast' } };
    b.assistant({ ...a4, model: OPUS, copyTs: [t + 95000, t + 97500] });
    records.push(record({ key: a4.id, requestId: a4.requestId, ts: t + 95000, source: 'chat', consumer: chat, model: OPUS, usage: a4.usage, durationMs: 7500, project: ACME }));
    b.toolResult(t + 100000);
    const a5 = { id: msg(), requestId: req(), usage: { input: 5, cacheWrite1h: 500, cacheRead: 53000, output: 1200, webSearch: 3, inferenceGeo: 'us' } };
    b.assistant({ ...a5, model: OPUS, copyTs: [t + 104000] });
    records.push(record({ key: a5.id, requestId: a5.requestId, ts: t + 104000, source: 'chat', consumer: chat, model: OPUS, usage: a5.usage, durationMs: 4000, project: ACME }));
    b.obj({ type: 'last-prompt', lastPrompt: 'make the limiter configurable', leafUuid: ids.uuid(), sessionId: sA });
    b.obj({ type: 'ai-title', aiTitle: 'Login route rate limiting', sessionId: sA });

    // ── resumed: a later session replays a partial copy of a5 (the larger original wins) ──
    const sG = sid();
    resumed = { file: sessionFile(primary, ACME, sG), sessionId: sG, configDir: primary, cwd: ACME, entrypoint: 'cli', source: 'chat', consumerKey: `claude-code:session:${sG}`, name: 'Continue the rate limiting work' };
    const g = builder(resumed.file, { sessionId: sG, cwd: ACME, entrypoint: 'cli' });
    const tg = now - H;
    g.user(tg, 'Continue the rate limiting work');
    g.assistant({ id: a5.id, requestId: a5.requestId, model: OPUS, usage: { ...a5.usage, output: 10 }, copyTs: [tg + 1000] });
    g.toolResult(tg + 3000);
    const g1 = { id: msg(), requestId: req(), usage: { input: 8, cacheWrite5m: 2000, cacheRead: 20000, output: 300 } };
    g.assistant({ ...g1, model: OPUS, copyTs: [tg + 6000] });
    records.push(record({ key: g1.id, requestId: g1.requestId, ts: tg + 6000, source: 'chat', consumer: { key: resumed.consumerKey, name: resumed.name }, model: OPUS, usage: g1.usage, durationMs: 3000, project: ACME }));
  }

  // ── vscode: the VS Code panel 3 days ago, a subagent, a /btw copy, compaction, a sidecar title ────────────────────
  const sB = sid();
  const vscode: FixtureSession = { file: sessionFile(primary, WEB, sB), sessionId: sB, configDir: primary, cwd: WEB, entrypoint: 'claude-vscode', source: 'chat', consumerKey: `claude-code:session:${sB}`, name: 'Auth deep-dive' };
  {
    const t = now - 3 * D;
    const env = { sessionId: sB, cwd: WEB, entrypoint: 'claude-vscode' };
    const b = builder(vscode.file, env);
    const chat = { key: vscode.consumerKey, name: vscode.name };
    b.user(t, 'Explore the auth module and summarise it');
    b.obj({ type: 'custom-title', customTitle: 'Auth exploration', sessionId: sB });
    const b1 = { id: msg(), requestId: req(), usage: { input: 12, cacheWrite5m: 3000, cacheRead: 20000, output: 250 } };
    b.assistant({ ...b1, model: SONNET, copyTs: [t + 3000, t + 4000] });
    records.push(record({ key: b1.id, requestId: b1.requestId, ts: t + 3000, source: 'chat', consumer: chat, model: SONNET, usage: b1.usage, durationMs: 4000, project: WEB }));

    // Subagent a1b2c3 (general-purpose), its own file plus a partial copy wrapped in the parent's progress line.
    const agentDir = path.join(projectDir(primary, WEB), sB, 'subagents');
    const agent = { key: 'claude-code:agent:a1b2c3', name: 'general-purpose: Explore auth flow' };
    const subEnv = { ...env, isSidechain: true, agentId: 'a1b2c3' };
    const s = builder(path.join(agentDir, 'agent-a1b2c3.jsonl'), subEnv);
    fs.mkdirSync(agentDir, { recursive: true });
    fs.writeFileSync(path.join(agentDir, 'agent-a1b2c3.meta.json'), JSON.stringify({ agentType: 'general-purpose', description: 'Explore auth flow', toolUseId: `toolu_${ids.hex(24)}`, model: HAIKU }));
    s.user(t + 4500, 'Explore the auth flow in src/auth and report back');
    const s1 = { id: msg(), requestId: req(), usage: { input: 9, cacheWrite5m: 6000, output: 180 } };
    s.assistant({ ...s1, model: HAIKU, copyTs: [t + 5500, t + 7000] });
    records.push(record({ key: s1.id, requestId: s1.requestId, ts: t + 5500, source: 'agent', consumer: agent, model: HAIKU, usage: s1.usage, durationMs: 2500, project: WEB, sidechain: true }));
    s.toolResult(t + 9000);
    const s2 = { id: msg(), requestId: req(), usage: { input: 4, cacheWrite5m: 300, cacheRead: 6000, output: 420 } };
    s.assistant({ ...s2, model: HAIKU, copyTs: [t + 12000, t + 12500] });
    records.push(record({ key: s2.id, requestId: s2.requestId, ts: t + 12000, source: 'agent', consumer: agent, model: HAIKU, usage: s2.usage, durationMs: 3500, project: WEB, sidechain: true }));
    const wrapped = (inner: Record<string, unknown>, ts: number): Record<string, unknown> => ({
      parentUuid: null, isSidechain: false, userType: 'external', entrypoint: 'claude-vscode', cwd: WEB, sessionId: sB, version: '2.1.331', gitBranch: 'main',
      type: 'progress', data: { type: 'agent_progress', agentId: 'a1b2c3', prompt: 'Explore the auth flow', message: inner }, toolUseID: `toolu_${ids.hex(24)}`, parentToolUseID: `toolu_${ids.hex(24)}`, uuid: ids.uuid(), timestamp: iso(ts),
    });
    b.obj(wrapped(userLine(subEnv, { ts: t + 4500, uuid: ids.uuid(), parentUuid: null, content: 'Explore the auth flow in src/auth and report back' }), t + 4500));
    b.obj(wrapped(assistantLine(subEnv, { ts: t + 6000, uuid: ids.uuid(), parentUuid: null, id: s1.id, model: HAIKU, requestId: s1.requestId, content: [{ type: 'text', text: '…' }], stopReason: null, usage: usageObject({ ...s1.usage, output: 40 }) }), t + 6000));
    b.toolResult(t + 30000, 'The auth flow uses JWT.', { agentId: 'a1b2c3', agentType: 'general-purpose', totalTokens: 17000, totalDurationMs: 25000, usage: { input_tokens: 13, output_tokens: 600, cache_read_input_tokens: 6000, cache_creation_input_tokens: 6300 } });
    const b2 = { id: msg(), requestId: req(), usage: { input: 15, cacheWrite5m: 500, cacheRead: 23000, output: 800 } };
    b.assistant({ ...b2, model: SONNET, copyTs: [t + 33000, t + 34000] });
    records.push(record({ key: b2.id, requestId: b2.requestId, ts: t + 33000, source: 'chat', consumer: chat, model: SONNET, usage: b2.usage, durationMs: 4000, project: WEB }));

    // A /btw side question: a sidechain copy of b2 with a new request id and even a larger total; b2 stays the chat's.
    const btw = builder(path.join(agentDir, 'agent-btw9.jsonl'), { ...env, isSidechain: true, agentId: 'btw9' });
    btw.user(t + 36000, 'btw: what does the limiter do?');
    btw.assistant({ id: b2.id, requestId: req(), model: SONNET, usage: { ...b2.usage, output: 950 }, copyTs: [t + 36500] });

    // A second subagent in a nested folder, meta with only a type.
    const nested = path.join(agentDir, 'workflows');
    fs.mkdirSync(nested, { recursive: true });
    fs.writeFileSync(path.join(nested, 'agent-d4e5f6.meta.json'), JSON.stringify({ agentType: 'Explore' }));
    const n = builder(path.join(nested, 'agent-d4e5f6.jsonl'), { ...env, isSidechain: true, agentId: 'd4e5f6' });
    n.user(t + 50000, 'List the TODOs in the repo');
    const s3 = { id: msg(), requestId: req(), usage: { input: 7, cacheWrite5m: 1000, cacheRead: 4000, output: 90 } };
    n.assistant({ ...s3, model: HAIKU, copyTs: [t + 52000] });
    records.push(record({ key: s3.id, requestId: s3.requestId, ts: t + 52000, source: 'agent', consumer: { key: 'claude-code:agent:d4e5f6', name: 'Explore' }, model: HAIKU, usage: s3.usage, durationMs: 2000, project: WEB, sidechain: true }));

    // Compaction: boundary, summary, then a call whose usage carries a billed compaction iteration.
    b.obj({ parentUuid: null, logicalParentUuid: ids.uuid(), isSidechain: false, userType: 'external', entrypoint: 'claude-vscode', cwd: WEB, sessionId: sB, version: '2.1.331', type: 'system', subtype: 'compact_boundary', content: 'Conversation compacted', compactMetadata: { trigger: 'auto', preTokens: 160000 }, uuid: ids.uuid(), timestamp: iso(t + 40000) });
    b.user(t + 40500, 'This session is being continued from a previous conversation. Summary: …', { isCompactSummary: true });
    const compaction = { type: 'compaction', input_tokens: 150000, output_tokens: 3000, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    const b3 = { id: msg(), requestId: req(), usage: { input: 20, cacheWrite5m: 4000, output: 600, iterations: [compaction, { type: 'message', input_tokens: 20, output_tokens: 600 }] } };
    b.assistant({ ...b3, model: SONNET, copyTs: [t + 45000] });
    records.push(record({ key: b3.id, requestId: b3.requestId, ts: t + 45000, source: 'chat', consumer: chat, model: SONNET, usage: b3.usage, durationMs: 4500, project: WEB }));
    const memory = record({ key: `${b3.id}:compaction:0`, requestId: b3.requestId, ts: t + 45000, source: 'memory', consumer: chat, model: SONNET, usage: { input: 150000, output: 3000 }, durationMs: null, project: WEB });
    delete memory.speed;
    records.push(memory);
    fs.mkdirSync(path.join(projectDir(primary, WEB), sB), { recursive: true });
    fs.writeFileSync(path.join(projectDir(primary, WEB), sB, 'custom-title.json'), JSON.stringify({ customTitle: 'Auth deep-dive' }));
  }

  // ── headless: `claude -p` 10 days ago → agent, named by project and prompt ───────────────────────────────────────
  const sC = sid();
  const headless: FixtureSession = { file: sessionFile(primary, ACME, sC), sessionId: sC, configDir: primary, cwd: ACME, entrypoint: 'sdk-cli', source: 'agent', consumerKey: `claude-code:run:${sC}`, name: 'acme-api: Fix the failing unit tests in src/rate' };
  {
    const t = now - 10 * D;
    const b = builder(headless.file, { sessionId: sC, cwd: ACME, entrypoint: 'sdk-cli' });
    const run = { key: headless.consumerKey, name: headless.name };
    b.user(t, 'Fix the failing unit tests in src/rate');
    const c1 = { id: msg(), requestId: req(), usage: { input: 30, cacheWrite5m: 8000, output: 500 } };
    b.assistant({ ...c1, model: HAIKU, copyTs: [t + 2000] });
    records.push(record({ key: c1.id, requestId: c1.requestId, ts: t + 2000, source: 'agent', consumer: run, model: HAIKU, usage: c1.usage, durationMs: 2000, project: ACME }));
    b.toolResult(t + 6000);
    const c2 = { id: msg(), requestId: req(), usage: { input: 2, cacheWrite5m: 700, cacheRead: 8000, output: 650 } };
    b.assistant({ ...c2, model: HAIKU, copyTs: [t + 9000, t + 10000] });
    records.push(record({ key: c2.id, requestId: c2.requestId, ts: t + 9000, source: 'agent', consumer: run, model: HAIKU, usage: c2.usage, durationMs: 4000, project: ACME }));
    b.obj({ type: 'cost-state', sessionId: sC, totalCostUSD: 0.0123, totalAPIDuration: 6000, modelUsage: { [HAIKU]: { inputTokens: 32, outputTokens: 1150, cacheReadInputTokens: 8000, cacheCreationInputTokens: 8700, webSearchRequests: 0, costUSD: 0.0123 } } });
  }

  // ── legacy: an old version 20 days ago: summary title, no cache breakdown, inline sidechain, broken lines ────────────
  const sD = sid();
  const legacy: FixtureSession = { file: sessionFile(primary, OLD, sD), sessionId: sD, configDir: primary, cwd: OLD, entrypoint: '', source: 'chat', consumerKey: `claude-code:session:${sD}`, name: 'Legacy parser refactor' };
  let skippedLines = 0;
  {
    const t = now - 20 * D;
    const env = { sessionId: sD, cwd: OLD, version: '1.0.43' };
    const b = builder(legacy.file, env);
    const chat = { key: legacy.consumerKey, name: legacy.name };
    b.obj({ type: 'summary', summary: 'Legacy parser refactor', leafUuid: ids.uuid() });
    b.user(t, `Refactor the config parser.\n\n${'It must keep   every option working,   '.repeat(12)}`);
    const d1 = { id: msg(), requestId: req(), usage: { input: 10000, cacheRead: 195000, output: 2000, breakdown: false } };
    b.assistant({ ...d1, model: SONNET, copyTs: [t + 20000], costUSD: 0.222 });
    records.push(record({ key: d1.id, requestId: d1.requestId, ts: t + 20000, source: 'chat', consumer: chat, model: SONNET, usage: d1.usage, durationMs: 20000, project: OLD }));
    b.raw('{"type":"assistant","message":{"model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":5');
    b.raw(Array.from({ length: 300 }, (_, i) => String.fromCharCode(i % 256 === 10 ? 11 : i % 256)).join(''));
    const wrong = assistantLine(env, { ts: t + 25000, uuid: ids.uuid(), parentUuid: null, id: msg(), model: SONNET, requestId: req(), content: [], stopReason: 'end_turn', usage: { ...usageObject({ input: 1, output: 1, breakdown: false }), input_tokens: '12' } });
    b.obj(wrong);
    skippedLines += 3;
    b.obj({ type: 'mystery-future-type', payload: { anything: [1, 2, 3] } });
    b.toolResult(t + 30000);
    const d2 = { id: msg(), requestId: req(), usage: { input: 100, output: 50, breakdown: false } };
    b.assistant({ ...d2, model: UNKNOWN_MODEL, copyTs: [t + 33000] });
    records.push(record({ key: d2.id, requestId: d2.requestId, ts: t + 33000, source: 'chat', consumer: chat, model: UNKNOWN_MODEL, usage: d2.usage, durationMs: 3000, project: OLD }));
    b.toolResult(t + 40000);
    const d3 = { id: msg(), requestId: req(), usage: { input: 50, cacheWrite5m: 5000, cacheRead: 10000, output: 300, breakdown: false } };
    b.assistant({ ...d3, model: SONNET, copyTs: [t + 41000] });
    records.push(record({ key: d3.id, requestId: d3.requestId, ts: t + 41000, source: 'chat', consumer: chat, model: SONNET, usage: d3.usage, durationMs: 1000, project: OLD }));
    const side = new FileBuilder(legacy.file, { ...env, isSidechain: true, agentId: 'legacy-agent-1' }, ids);
    side.user(t + 50000, 'Search for usages of parseConfig');
    const d4 = { id: msg(), requestId: req(), usage: { input: 5, cacheRead: 2000, output: 100, breakdown: false } };
    side.assistant({ ...d4, model: HAIKU, copyTs: [t + 53000] });
    b.lines.push(...side.lines);
    records.push(record({ key: d4.id, requestId: d4.requestId, ts: t + 53000, source: 'agent', consumer: { key: 'claude-code:agent:legacy-agent-1', name: 'Subagent: Search for usages of parseConfig' }, model: HAIKU, usage: d4.usage, durationMs: 3000, project: OLD, sidechain: true }));
  }

  // ── alt: the second config dir, 5 hours ago: web search, US inference, custom title, a half-written last line ───────
  const sE = sid();
  const altSession: FixtureSession = { file: sessionFile(alt, ACME, sE), sessionId: sE, configDir: alt, cwd: ACME, entrypoint: 'cli', source: 'chat', consumerKey: `claude-code:session:${sE}`, name: 'Alt machine work' };
  let pendingTail: ClaudeCodeFixture['pendingTail'];
  {
    const t = now - 5 * H;
    const b = builder(altSession.file, { sessionId: sE, cwd: ACME, entrypoint: 'cli' });
    const chat = { key: altSession.consumerKey, name: altSession.name };
    b.user(t, 'Look up the latest express-rate-limit docs');
    b.obj({ type: 'custom-title', customTitle: 'Alt machine work', sessionId: sE });
    const e1 = { id: msg(), requestId: req(), usage: { input: 3, cacheWrite5m: 2000, output: 400, webSearch: 2 } };
    b.assistant({ ...e1, model: HAIKU, copyTs: [t + 4000] });
    records.push(record({ key: e1.id, requestId: e1.requestId, ts: t + 4000, source: 'chat', consumer: chat, model: HAIKU, usage: e1.usage, durationMs: 4000, project: ACME }));
    b.toolResult(t + 8000);
    const e2 = { id: msg(), requestId: req(), usage: { input: 4, cacheWrite1h: 900, cacheRead: 9000, output: 350, inferenceGeo: 'us' } };
    b.assistant({ ...e2, model: OPUS, copyTs: [t + 11000, t + 14000] });
    records.push(record({ key: e2.id, requestId: e2.requestId, ts: t + 11000, source: 'chat', consumer: chat, model: OPUS, usage: e2.usage, durationMs: 6000, project: ACME }));
    b.toolResult(t + 20000);
    const e3 = { id: msg(), requestId: req(), usage: { input: 2, cacheWrite5m: 100, cacheRead: 9900, output: 210 } };
    const full = JSON.stringify(assistantLine(b.env, { ts: t + 23000, uuid: ids.uuid(), parentUuid: null, id: e3.id, model: OPUS, requestId: e3.requestId, content: [{ type: 'text', text: 'Here is what changed.' }], stopReason: 'end_turn', usage: usageObject(e3.usage) }));
    const cut = Math.floor(full.length / 2);
    b.write();
    fs.appendFileSync(b.file, full.slice(0, cut));
    builders.splice(builders.indexOf(b), 1);
    pendingTail = { file: b.file, rest: `${full.slice(cut)}\n`, record: record({ key: e3.id, requestId: e3.requestId, ts: t + 23000, source: 'chat', consumer: chat, model: OPUS, usage: e3.usage, durationMs: 3000, project: ACME }) };
  }

  // ── old: 40 days ago, outside every period ─────────────────────────────────────────────────────────────────────────
  const sF = sid();
  const old: FixtureSession = { file: sessionFile(primary, ACME, sF), sessionId: sF, configDir: primary, cwd: ACME, entrypoint: 'cli', source: 'chat', consumerKey: `claude-code:session:${sF}`, name: 'Set up the project' };
  {
    const t = now - 40 * D;
    const b = builder(old.file, { sessionId: sF, cwd: ACME, entrypoint: 'cli' });
    b.user(t, 'Set up the project');
    const f1 = { id: msg(), requestId: req(), usage: { input: 10, cacheWrite5m: 5000, output: 800 } };
    b.assistant({ ...f1, model: OPUS, copyTs: [t + 3000] });
    records.push(record({ key: f1.id, requestId: f1.requestId, ts: t + 3000, source: 'chat', consumer: { key: old.consumerKey, name: old.name }, model: OPUS, usage: f1.usage, durationMs: 3000, project: ACME }));
  }

  for (const b of builders) b.write();
  const files = [...builders.map((b) => b.file), altSession.file];
  return {
    homeDir,
    configDirs: [primary, alt],
    now,
    records,
    totals: periodTotals(records, now),
    sessions: { cli, resumed: resumed as FixtureSession, vscode, headless, legacy, alt: altSession, old },
    skippedLines,
    pendingTail: pendingTail!,
    files,
  };
}
export function periodTotals(records: readonly ExpectedRecord[], now: number): Record<'24h' | '7d' | '30d' | 'all', PeriodTotals> {
  return {
    '24h': totalsBetween(records, now - D, now + 1),
    '7d': totalsBetween(records, now - 7 * D, now + 1),
    '30d': totalsBetween(records, now - 30 * D, now + 1),
    all: totalsBetween(records, -Infinity, Infinity),
  };
}

export function totalsBetween(records: readonly ExpectedRecord[], from: number, to: number): PeriodTotals {
  const t: PeriodTotals = { calls: 0, unpricedCalls: 0, costNanos: 0, tokens: { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 } };
  for (const r of records) {
    if (r.ts < from || r.ts >= to) continue;
    t.calls++;
    if (r.costNanos === null) t.unpricedCalls++;
    else t.costNanos += r.costNanos;
    t.tokens.input += r.tokens.input;
    t.tokens.cacheWrite5m += r.tokens.cacheWrite5m;
    t.tokens.cacheWrite1h += r.tokens.cacheWrite1h;
    t.tokens.cacheRead += r.tokens.cacheRead;
    t.tokens.output += r.tokens.output;
  }
  return t;
}

/**
 * Appends one new call to a session's transcript (a tool result 1.5 s before it, then the assistant line), as Claude
 * Code would while the user watches. Returns the record the collector must produce. Not for the `alt` session, whose
 * file ends with a half-written line.
 */
export function appendCall(
  session: FixtureSession,
  o: { ts: number; seed?: number; model?: string; usage?: UsageSpec; id?: string; requestId?: string },
): ExpectedRecord {
  const ids = idMaker(prng(o.seed ?? o.ts % 2147483647));
  const env: LineEnv = { sessionId: session.sessionId, cwd: session.cwd, entrypoint: session.entrypoint || undefined };
  const id = o.id ?? `msg_01${ids.hex(22)}`;
  const requestId = o.requestId ?? `req_011C${ids.hex(20)}`;
  const model = o.model ?? OPUS;
  const usage: UsageSpec = o.usage ?? { input: 3, cacheWrite5m: 250, cacheRead: 30000, output: 120 };
  const lines = [
    userLine(env, { ts: o.ts - 1500, uuid: ids.uuid(), parentUuid: null, content: toolResultContent(`toolu_${ids.hex(24)}`, 'done') }),
    assistantLine(env, { ts: o.ts, uuid: ids.uuid(), parentUuid: null, id, model, requestId, content: [{ type: 'text', text: 'Done.' }], stopReason: 'end_turn', usage: usageObject(usage) }),
  ];
  fs.appendFileSync(session.file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return record({ key: id, requestId, ts: o.ts, source: session.source, consumer: { key: session.consumerKey, name: session.name }, model, usage, durationMs: 1500, project: session.cwd });
}
