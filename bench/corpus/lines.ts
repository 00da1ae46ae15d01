/**
 * Claude Code transcript lines as text templates, in the field order Claude Code writes them (see
 * /work/shared/facts/claude-code-transcripts.md). Templates, not JSON.stringify, because the generator has to write a
 * gigabyte quickly; every string value passed in is already JSON-escaped (ids, paths and pool text are).
 */

export interface Usage {
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
  webSearch: number;
}

export interface HeadOptions {
  sessionId: string;
  cwd: string;
  version: string;
  gitBranch: string;
  entrypoint?: string;
  sessionKind?: string;
  isSidechain: boolean;
  agentId?: string;
}

/** The envelope fields between `parentUuid` and the line's own fields; the same for every line of a file. */
export function envelopeHead(o: HeadOptions): string {
  let s = `"isSidechain":${o.isSidechain},"userType":"external"`;
  if (o.entrypoint) s += `,"entrypoint":"${o.entrypoint}"`;
  s += `,"cwd":"${o.cwd}","sessionId":"${o.sessionId}","version":"${o.version}","gitBranch":"${o.gitBranch}"`;
  if (o.sessionKind) s += `,"sessionKind":"${o.sessionKind}"`;
  if (o.agentId) s += `,"agentId":"${o.agentId}"`;
  return s;
}

function parent(uuid: string | null): string {
  return uuid === null ? 'null' : `"${uuid}"`;
}

/** The usage object of current versions (with the 5m/1h split); `legacy` writes only the cache-write total. */
export function usageJson(u: Usage, legacy: boolean): string {
  const writes = u.cacheWrite5m + u.cacheWrite1h;
  if (legacy) {
    return `{"input_tokens":${u.input},"cache_creation_input_tokens":${writes},"cache_read_input_tokens":${u.cacheRead},"output_tokens":${u.output},"service_tier":"standard"}`;
  }
  return `{"input_tokens":${u.input},"cache_creation_input_tokens":${writes},"cache_read_input_tokens":${u.cacheRead},` +
    `"output_tokens":${u.output},"server_tool_use":{"web_search_requests":${u.webSearch},"web_fetch_requests":0},` +
    `"service_tier":"standard","cache_creation":{"ephemeral_1h_input_tokens":${u.cacheWrite1h},` +
    `"ephemeral_5m_input_tokens":${u.cacheWrite5m}},"inference_geo":"","iterations":[],"speed":"standard"}`;
}

export function thinkingBlock(text: string, signature: string): string {
  return `{"type":"thinking","thinking":"${text}","signature":"${signature}"}`;
}

export function textBlock(text: string): string {
  return `{"type":"text","text":"${text}"}`;
}

export function toolUseBlock(id: string, name: string, inputJson: string): string {
  return `{"type":"tool_use","id":"${id}","name":"${name}","input":${inputJson}}`;
}

export interface AssistantFields {
  parentUuid: string | null;
  uuid: string;
  ts: string;
  model: string;
  msgId: string;
  requestId: string;
  block: string;
  stopReason: string | null;
  usage: string;
}

export function assistantLine(head: string, a: AssistantFields): string {
  const stop = a.stopReason === null ? 'null' : `"${a.stopReason}"`;
  return `{"parentUuid":${parent(a.parentUuid)},${head},"message":{"model":"${a.model}","id":"${a.msgId}","type":"message",` +
    `"role":"assistant","content":[${a.block}],"stop_reason":${stop},"stop_sequence":null,"usage":${a.usage}},` +
    `"requestId":"${a.requestId}","type":"assistant","uuid":"${a.uuid}","timestamp":"${a.ts}"}\n`;
}

/** Claude Code's own message (API error, "No response requested."): model `<synthetic>`, zero usage, not a call. */
export function syntheticLine(head: string, parentUuid: string, uuid: string, ts: string, msgId: string, text: string): string {
  const usage = '{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}';
  return `{"parentUuid":"${parentUuid}",${head},"type":"assistant","uuid":"${uuid}","timestamp":"${ts}","message":` +
    `{"id":"${msgId}","container":null,"model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence",` +
    `"stop_sequence":"","type":"message","usage":${usage},"content":[{"type":"text","text":"${text}"}]},` +
    `"isApiErrorMessage":true}\n`;
}

export function promptLine(head: string, parentUuid: string | null, uuid: string, ts: string, text: string): string {
  return `{"parentUuid":${parent(parentUuid)},${head},"type":"user","message":{"role":"user","content":"${text}"},` +
    `"uuid":"${uuid}","timestamp":"${ts}","thinkingMetadata":{"maxThinkingTokens":31999},"todos":[],"permissionMode":"default"}\n`;
}

export function toolResultLine(
  head: string, parentUuid: string, uuid: string, ts: string, toolUseId: string, text: string, resultJson: string,
): string {
  return `{"parentUuid":"${parentUuid}",${head},"type":"user","message":{"role":"user","content":[{"tool_use_id":"${toolUseId}",` +
    `"type":"tool_result","content":"${text}","is_error":false}]},"uuid":"${uuid}","timestamp":"${ts}",` +
    `"toolUseResult":${resultJson}}\n`;
}

export function compactLines(
  head: string, logicalParent: string, boundaryUuid: string, summaryUuid: string, ts: string, preTokens: number,
  summaryText: string,
): string {
  return `{"parentUuid":null,"logicalParentUuid":"${logicalParent}",${head},"type":"system","subtype":"compact_boundary",` +
    `"content":"Conversation compacted","isMeta":false,"timestamp":"${ts}","uuid":"${boundaryUuid}","level":"info",` +
    `"compactMetadata":{"trigger":"auto","preTokens":${preTokens}}}\n` +
    `{"parentUuid":"${boundaryUuid}",${head},"type":"user","message":{"role":"user","content":"${summaryText}"},` +
    `"isVisibleInTranscriptOnly":true,"isCompactSummary":true,"uuid":"${summaryUuid}","timestamp":"${ts}"}\n`;
}

export function hookProgressLine(
  head: string, parentUuid: string, uuid: string, ts: string, toolUseId: string, tool: string,
): string {
  return `{"parentUuid":"${parentUuid}",${head},"type":"progress","data":{"type":"hook_progress","hookEvent":"PostToolUse",` +
    `"hookName":"PostToolUse:${tool}","command":"npx prettier --write \\"$CLAUDE_FILE_PATHS\\""},` +
    `"parentToolUseID":"${toolUseId}","toolUseID":"${toolUseId}","timestamp":"${ts}","uuid":"${uuid}"}\n`;
}

export function turnDurationLine(head: string, parentUuid: string, uuid: string, ts: string, ms: number): string {
  return `{"parentUuid":"${parentUuid}",${head},"type":"system","subtype":"turn_duration","durationMs":${ms},` +
    `"timestamp":"${ts}","uuid":"${uuid}","isMeta":false}\n`;
}

export function fileSnapshotLine(messageId: string, ts: string, files: readonly string[], version: number): string {
  const backups = files
    .map((f, i) => `"${f}":{"backupFileName":"${messageId.slice(0, 16)}@v${version + i}","version":${version},"backupTime":"${ts}"}`)
    .join(',');
  return `{"type":"file-history-snapshot","messageId":"${messageId}","snapshot":{"messageId":"${messageId}",` +
    `"trackedFileBackups":{${backups}},"timestamp":"${ts}"},"isSnapshotUpdate":false}\n`;
}

export function queueLine(sessionId: string, ts: string, text: string): string {
  return `{"type":"queue-operation","operation":"enqueue","timestamp":"${ts}","sessionId":"${sessionId}","content":"${text}"}\n`;
}

export function titleLines(sessionId: string, leafUuid: string, aiTitle: string, lastPrompt: string, custom?: string): string {
  let s = `{"type":"ai-title","aiTitle":"${aiTitle}","sessionId":"${sessionId}"}\n` +
    `{"type":"last-prompt","lastPrompt":"${lastPrompt}","leafUuid":"${leafUuid}","sessionId":"${sessionId}"}\n`;
  if (custom) s += `{"type":"custom-title","customTitle":"${custom}","sessionId":"${sessionId}"}\n`;
  return s;
}

export function legacySummaryLine(summary: string, leafUuid: string): string {
  return `{"type":"summary","summary":"${summary}","leafUuid":"${leafUuid}"}\n`;
}

export function agentMetaJson(agentType: string, description: string, toolUseId: string, cwd: string): string {
  return `{"agentType":"${agentType}","description":"${description}","toolUseId":"${toolUseId}","cwd":"${cwd}"}\n`;
}
