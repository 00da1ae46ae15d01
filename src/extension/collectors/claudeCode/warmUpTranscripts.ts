/**
 * Made-up transcripts that take every branch of the parse path at least once: streamed copies, tool results large
 * enough to be cut, old-version usage, synthetic and API-error messages, compaction, every title kind, inline and
 * wrapped subagent lines, a subagent file, bad lines of each kind, lines split across read chunks, a line big enough
 * to be shrunk, and an unfinished last line. Their only use is parserWarmUp.ts; nothing here is ever recorded.
 */
import type { TranscriptFile } from './transcriptFiles';

export interface WarmUpTranscript {
  file: TranscriptFile;
  bytes: Buffer;
  /** Read in chunks this small, so lines cross chunk boundaries (undefined: the reader's default). */
  chunkBytes?: number;
  /** Lines longer than this are shrunk as they are read (undefined: the reader's default). */
  bigLineBytes?: number;
  /** Read chunks between intermediate pieces (undefined: the reader's default). */
  checkpointChunks?: number;
}

/** Longer than the chunked read's bigLineBytes, so those lines go through the shrinker; short enough to cost little. */
const BIG_LINE = 9 * 1024;

const SESSION = '0f0e0d0c-0b0a-4908-8706-050403020100';
const HEADLESS = '1f0e0d0c-0b0a-4908-8706-050403020101';
const SIDE_QUESTION = '2f0e0d0c-0b0a-4908-8706-050403020102';
const AGENT = 'a0b1c2d3e4f5a6b7';
const PROJECT = '/warm-up/projects/-warm-up';

export function warmUpTranscripts(): WarmUpTranscript[] {
  lastUuid = 0;
  const session = sessionLines().join('\n');
  const sessionFile = sessionOf(SESSION);
  const agentFile: TranscriptFile = {
    path: `${PROJECT}/${SESSION}/subagents/agent-${AGENT}.jsonl`,
    kind: 'subagent',
    sessionId: SESSION,
    agentId: AGENT,
    metaPath: `${PROJECT}/${SESSION}/subagents/agent-${AGENT}.meta.json`,
    projectDir: PROJECT,
  };
  return [
    // Without a newline at the end: the last line is read as unfinished.
    { file: sessionFile, bytes: Buffer.from(session + '\n{"type":"assistant","message":{"mod') },
    { file: sessionFile, bytes: Buffer.from(session + '\n'), chunkBytes: 4096, bigLineBytes: 8192, checkpointChunks: 8 },
    { file: agentFile, bytes: Buffer.from(subagentLines().join('\n') + '\n') },
    { file: sessionOf(HEADLESS), bytes: Buffer.from(headlessLines().join('\n') + '\n') },
    { file: sessionOf(SIDE_QUESTION), bytes: Buffer.from(sideQuestionLines().join('\n') + '\n') },
  ];
}

/** In the shape the listing gives a conversation's file (transcriptFiles.ts), so code reading it sees one shape. */
function sessionOf(sessionId: string): TranscriptFile {
  return { path: `${PROJECT}/${sessionId}.jsonl`, kind: 'session', sessionId, projectDir: PROJECT };
}

interface Env {
  isSidechain?: boolean;
  agentId?: string;
  cwd?: string;
  sessionId?: string;
  /** '': none, as older Claude Code versions wrote their lines. */
  entrypoint?: string;
}

function head(env: Env, parentUuid: string | null): Record<string, unknown> {
  const h: Record<string, unknown> = { parentUuid, isSidechain: env.isSidechain ?? false, userType: 'external' };
  if (env.entrypoint !== '') h.entrypoint = env.entrypoint ?? 'cli';
  h.cwd = env.cwd ?? '/home/dev/warm-up';
  h.sessionId = env.sessionId ?? SESSION;
  h.version = '2.1.331';
  h.gitBranch = 'main';
  if (env.agentId) h.agentId = env.agentId;
  return h;
}

/** Line ids are numbered, so the transcripts are the same bytes every time. */
let lastUuid = 0;
function uuid(): string {
  lastUuid++;
  return `00000000-0000-4000-8000-${lastUuid.toString(16).padStart(12, '0')}`;
}

function usage(input: number, output: number, legacy = false): Record<string, unknown> {
  if (legacy) return { input_tokens: input, cache_creation_input_tokens: 20, cache_read_input_tokens: 300, output_tokens: output };
  return {
    input_tokens: input,
    cache_creation_input_tokens: 120,
    cache_read_input_tokens: 4000,
    output_tokens: output,
    server_tool_use: { web_search_requests: 1, web_fetch_requests: 0 },
    service_tier: 'standard',
    cache_creation: { ephemeral_1h_input_tokens: 20, ephemeral_5m_input_tokens: 100 },
    inference_geo: '',
    iterations: [],
    speed: 'standard',
  };
}

type Fields = Record<string, unknown>;
const MODEL = 'claude-sonnet-4-5-20250929';

function user(env: Env, ts: string, content: unknown, extra: Fields = {}): string {
  return JSON.stringify({ ...head(env, uuid()), type: 'user', message: { role: 'user', content }, ...extra, uuid: uuid(), timestamp: ts });
}

function assistant(env: Env, ts: string, id: string, block: unknown, stop: string | null, u: Fields, extra: Fields = {}, model = MODEL): string {
  const message = { model, id, type: 'message', role: 'assistant', content: [block], stop_reason: stop, stop_sequence: null, usage: u };
  return JSON.stringify({ ...head(env, uuid()), message, requestId: `req_${id}`, type: 'assistant', uuid: uuid(), timestamp: ts, ...extra });
}

/** A conversation line of another type (system, progress…). */
function other(env: Env, ts: string, type: string, fields: Fields): string {
  return JSON.stringify({ ...head(env, uuid()), type, ...fields, uuid: uuid(), timestamp: ts });
}

/** A subagent's line wrapped in the parent transcript. */
function wrapped(ts: string, line: string, agentId?: string): string {
  const data: Fields = { type: 'agent_progress' };
  if (agentId) data.agentId = agentId;
  data.message = JSON.parse(line) as unknown;
  return other({}, ts, 'progress', { data });
}

const toolResult = (id: string, content: string): unknown[] => [{ tool_use_id: id, type: 'tool_result', content }];
const textBlock = (text: string): Fields => ({ type: 'text', text });

/** Text with quotes, backslashes, newlines and non-ASCII characters, about `bytes` long. */
function text(bytes: number): string {
  const piece = 'const path = "C:\\\\dev\\\\app"; // naïve — ünïcödé ✓ 日本語 😀\n\tif (!ok) throw new Error("no \\"key\\"");\n';
  return piece.repeat(Math.ceil(bytes / piece.length)).slice(0, bytes);
}

function sessionLines(): string[] {
  const main: Env = {};
  const side: Env = { isSidechain: true, agentId: 'b1c2d3e4f5a6b7c8' };
  const t = (m: number): string => `2024-02-29T10:${String(m).padStart(2, '0')}:05.123Z`;
  const sideChain: Env = { isSidechain: true };
  return [
    JSON.stringify({ type: 'file-history-snapshot', messageId: uuid(), snapshot: { trackedFileBackups: {} }, isSnapshotUpdate: false }),
    user(main, t(0), 'Warm up the transcript parser, please'),
    // One call streamed as three lines, the earlier ones with partial usage.
    assistant(main, t(1), 'msg_w1', { type: 'thinking', thinking: text(300), signature: 'c2ln' }, null, usage(3, 1)),
    assistant(main, t(1), 'msg_w1', textBlock(text(200)), null, usage(3, 1)),
    assistant(main, t(2), 'msg_w1', { type: 'tool_use', id: 'toolu_w1', name: 'Read', input: { file_path: '/a.ts' } }, 'tool_use', usage(3, 180)),
    user(main, t(3), toolResult('toolu_w1', text(5000)), { toolUseResult: { type: 'text', file: { content: text(3000) } } }),
    // An older version's line: no entrypoint, no 5m/1h split.
    assistant({ entrypoint: '' }, t(4), 'msg_w2', textBlock('old'), 'end_turn', usage(10, 20, true), { costUSD: 0.0123 }),
    assistant({ cwd: '/home/dév/warm-up/süb' }, t(5), 'msg_w3', textBlock('x'), 'end_turn', usage(1, 2)),
    assistant(main, t(6), 'msg_s', textBlock('No response requested.'), 'stop_sequence', usage(0, 0), {}, '<synthetic>'),
    assistant(main, t(7), 'msg_e', textBlock('API Error: 529'), 'stop_sequence', usage(0, 0), { isApiErrorMessage: true }),
    user(main, t(8), '<command-name>/clear</command-name>', { isMeta: true }),
    other(main, t(9), 'system', { subtype: 'compact_boundary', content: 'Conversation compacted', compactMetadata: { trigger: 'auto', preTokens: 150000 } }),
    user(main, t(10), 'This session is being continued from a previous conversation.', { isCompactSummary: true }),
    user(side, t(11), 'Explore the auth flow'),
    assistant(side, t(12), 'msg_w4', textBlock('found'), 'end_turn', usage(5, 50)),
    wrapped(t(13), assistant(sideChain, t(13), 'msg_w5', textBlock('wrapped'), 'end_turn', usage(6, 60)), 'c2d3e4f5a6b7c8d9'),
    wrapped(t(13), user(sideChain, t(13), 'Wrapped prompt')),
    other(main, t(14), 'progress', { data: { type: 'hook_progress', hookEvent: 'PostToolUse' } }),
    assistant(main, t(15), 'msg_w6', { type: 'tool_use', id: 'toolu_w6', name: 'Write', input: { content: text(BIG_LINE) } }, 'tool_use', usage(7, 900)),
    user(main, t(16), toolResult('toolu_w6', text(BIG_LINE))),
    // Bad lines, one of each kind the parser names.
    '{"type":"assistant","message":{"model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":-1,"output_tokens":2}},"timestamp":"2024-02-30T10:00:00Z"}',
    '{"type":"assistant","message":{"model":"claude-sonnet-4-5-20250929"},"timestamp":"2024-02-29T10:00:00Z"}',
    '{"type":"assistant","message":{"usage":{"input_tokens":1,"output_tokens":2}},"timestamp":"2024-02-29T10:00:00Z"}',
    '{"type":"assistant","timestamp":"2024-02-29T10:00:00Z"}',
    '{"ty\\u0070e":"user","message":{"role":"user","content":"escaped key"},"timestamp":"2024-02-29T10:17:00Z"}',
    '{"type":"user","message":{"role":"user","content":"torn line"',
    '[1,2,3]',
    '{"type":"custom-title"}',
    '',
    JSON.stringify({ type: 'custom-title', customTitle: 'Warm-up ✓', sessionId: SESSION }),
    JSON.stringify({ type: 'ai-title', aiTitle: 'Parser warm-up', sessionId: SESSION }),
    JSON.stringify({ type: 'last-prompt', lastPrompt: 'Warm up the transcript parser', leafUuid: uuid(), sessionId: SESSION }),
    JSON.stringify({ type: 'summary', summary: 'A warm-up', leafUuid: uuid() }),
  ];
}

function subagentLines(): string[] {
  const env: Env = { isSidechain: true, agentId: AGENT };
  const t = (m: number): string => `2025-11-26T23:${String(m).padStart(2, '0')}:00.000Z`;
  return [
    user(env, t(0), 'Find the failing test'),
    assistant(env, t(1), 'msg_a1', textBlock('looking'), null, usage(2, 1)),
    assistant(env, t(1), 'msg_a1', { type: 'tool_use', id: 'toolu_a1', name: 'Grep', input: { pattern: 'fail' } }, 'tool_use', usage(2, 40)),
    user(env, t(2), toolResult('toolu_a1', 'x.test.ts:3')),
    assistant(env, t(3), 'msg_a2', textBlock('done'), 'end_turn', usage(3, 30)),
  ];
}

/** A conversation run from the SDK: its calls belong to a run, not a chat. */
function headlessLines(): string[] {
  const env: Env = { sessionId: HEADLESS, entrypoint: 'sdk-ts' };
  return [
    user(env, '2025-11-27T08:00:00.000Z', 'Summarise the changelog'),
    assistant(env, '2025-11-27T08:00:03.000Z', 'msg_h1', textBlock('ok'), 'end_turn', usage(4, 40)),
  ];
}

/** A side question: a file whose first line is a side-chain line. */
function sideQuestionLines(): string[] {
  const env: Env = { sessionId: SIDE_QUESTION, isSidechain: true };
  return [
    user(env, '2025-11-27T09:00:00.000Z', 'What does this regex match?'),
    assistant(env, '2025-11-27T09:00:02.000Z', 'msg_q1', textBlock('digits'), 'end_turn', usage(2, 20)),
  ];
}
