/**
 * What lineParser.ts reads from a transcript line, as schemas for the scanners (lineScanner.ts, the walk of
 * lineWalker.ts): keys kept, walked into or skipped as bulk. Every name here is a field of lineFields.ts.
 */
import type { Schema } from './lineSchema';

/** Everything lineParser.ts reads from a message's usage, and nothing more. */
export const USAGE: Schema = {
  input_tokens: 'value',
  output_tokens: 'value',
  cache_read_input_tokens: 'value',
  cache_creation_input_tokens: 'value',
  cache_creation: { ephemeral_5m_input_tokens: 'value', ephemeral_1h_input_tokens: 'value' },
  server_tool_use: { web_search_requests: 'value', web_fetch_requests: 'value' },
  service_tier: 'shared',
  speed: 'shared',
  inference_geo: 'shared',
  iterations: 'value',
};
// A streamed message is written as one line per content block, each repeating its id and request id: 'shared'
// gives those lines one string (decoded, and hashed as a key, once per message rather than once per line).
const MESSAGE: Schema = { model: 'shared', id: 'shared', usage: USAGE, content: 'bulk' };
const INNER_LINE: Schema = {
  type: 'tag',
  subtype: 'tag',
  message: MESSAGE,
  isApiErrorMessage: 'value',
  isCompactSummary: 'value',
  isMeta: 'value',
  requestId: 'shared',
  timestamp: 'value',
  isSidechain: 'value',
  agentId: 'shared',
  sessionId: 'shared',
  cwd: 'shared',
  entrypoint: 'shared',
  sessionKind: 'shared',
  uuid: 'value',
  customTitle: 'value',
  aiTitle: 'value',
  lastPrompt: 'value',
  summary: 'value',
  toolUseResult: 'bulk',
};
/** A `progress` line wraps a subagent's line in `data.message` (one level only: interpret reads no deeper). */
export const LINE: Schema = { ...INNER_LINE, data: { agentId: 'value', message: INNER_LINE } };

