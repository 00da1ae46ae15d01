/** Small, valid CallInputs for the several-instances tests (one per key, recognisable in a journal). */
import type { CallInput } from '../../src/shared/callRecord';

export function testCall(key: string, ts = Date.UTC(2025, 0, 1)): CallInput {
  return {
    key,
    ts,
    source: 'chat',
    consumer: { key: `conv-${key.split('-')[0]}`, name: 'Journal test' },
    model: 'claude-sonnet-4-5',
    tokens: { input: 10, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 5, output: 20 },
    durationMs: 1200,
    collector: 'api:test',
  };
}
