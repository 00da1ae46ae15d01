// STUB (being replaced by the Claude Code collector).
import type { Collector, CollectorDeps } from '../collector';
import type { ClaudeCodeOptions } from '../../store/storeApi';

export function createClaudeCodeCollector(_deps: CollectorDeps, _options: ClaudeCodeOptions): Collector {
  const empty = { files: 0, filesRead: 0, bytesRead: 0, linesRead: 0, calls: 0, skippedLines: 0, ms: 0 };
  return { start: async () => empty, scan: async () => empty, cancel: () => {}, stop: () => {} };
}
