/**
 * Known calls for the browser tests, relative to a fixed host clock, with their expected costs computed here from
 * the published per-token rates (../shared/facts/pricing.md) — independently of the pricing module — so the tests
 * check the numbers a person reads, not just that the page repeats the store.
 */
import type { CallInput, Source, TokenCounts } from '../../../src/shared/callRecord';

/** Fixed host clock: Fri 20 Nov 2026, 15:10 UTC (20:40 in Asia/Kolkata). */
export const NOW = Date.UTC(2026, 10, 20, 15, 10, 0);
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Nano-dollars per token: input, 5m write, 1h write, cache read, output. */
const RATES: Record<string, [number, number, number, number, number] | null> = {
  'claude-opus-5-5': [4000, 5000, 8000, 200, 20000],
  'claude-sonnet-5-5': [2000, 2500, 4000, 100, 10000],
  'claude-haiku-4-5-20251001': [1000, 1250, 2000, 100, 5000],
  'claude-experimental-9': null,
};

export function expectedCostNanos(model: string, t: TokenCounts): number | null {
  const r = RATES[model];
  if (!r) return null;
  return t.input * r[0] + t.cacheWrite5m * r[1] + t.cacheWrite1h * r[2] + t.cacheRead * r[3] + t.output * r[4];
}

interface ConsumerSpec {
  key: string;
  name: string;
  source: Source;
  model: string;
  tokens: TokenCounts;
  durationMs: number | null;
  /** Minutes before NOW of each call. */
  agesMin: number[];
}

function tokens(input: number, output: number, extra: Partial<TokenCounts> = {}): TokenCounts {
  return { input, output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, ...extra };
}

function every(count: number, startMin: number, stepMin: number): number[] {
  return Array.from({ length: count }, (_, i) => startMin + i * stepMin);
}

/** 45 calls in the last 24 h (3 pages), 6 more within 7 days, 5 more within 30 days. */
export const CONSUMERS: ConsumerSpec[] = [
  {
    key: 'sess-billing',
    name: 'Refactor the billing module',
    source: 'chat',
    model: 'claude-opus-5-5',
    tokens: tokens(1200, 800, { cacheWrite5m: 3000, cacheRead: 40000 }),
    durationMs: 8400,
    agesMin: every(20, 3, 37),
  },
  {
    key: 'sess-login',
    name: 'Fix flaky login test',
    source: 'chat',
    model: 'claude-sonnet-5-5',
    tokens: tokens(500, 300, { cacheWrite1h: 1000, cacheRead: 20000 }),
    durationMs: 2100,
    agesMin: every(8, 12, 95),
  },
  {
    key: 'agent-review',
    name: 'code-reviewer',
    source: 'agent',
    model: 'claude-sonnet-5-5',
    tokens: tokens(2000, 1500),
    durationMs: 15300,
    agesMin: every(10, 21, 61),
  },
  {
    key: 'agent-nightly',
    name: 'nightly-report',
    source: 'agent',
    model: 'claude-haiku-4-5-20251001',
    tokens: tokens(3000, 600),
    durationMs: null,
    agesMin: every(4, 300, 180),
  },
  {
    key: 'mem-billing',
    name: 'Compact: Refactor the billing module',
    source: 'memory',
    model: 'claude-haiku-4-5-20251001',
    tokens: tokens(60000, 2000),
    durationMs: 31000,
    agesMin: [250, 700],
  },
  {
    key: 'sess-experiment',
    name: 'Try the experimental model',
    source: 'chat',
    model: 'claude-experimental-9',
    tokens: tokens(900, 400),
    durationMs: 1200,
    agesMin: [45],
  },
  // Older than 24 h, within 7 days.
  {
    key: 'sess-docs',
    name: 'Write the README',
    source: 'chat',
    model: 'claude-sonnet-5-5',
    tokens: tokens(4000, 2500, { cacheRead: 10000 }),
    durationMs: 9000,
    agesMin: [2 * 24 * 60, 2 * 24 * 60 + 30, 3 * 24 * 60, 4 * 24 * 60, 5 * 24 * 60, 6 * 24 * 60],
  },
  // Older than 7 days, within 30 days.
  {
    key: 'agent-migrate',
    name: 'schema-migrator',
    source: 'agent',
    model: 'claude-opus-5-5',
    tokens: tokens(10000, 5000),
    durationMs: 42000,
    agesMin: [9 * 24 * 60, 12 * 24 * 60, 15 * 24 * 60, 20 * 24 * 60, 28 * 24 * 60],
  },
];

export interface FixtureCall extends CallInput {
  expectedCostNanos: number | null;
}

export function fixtureCalls(now = NOW): FixtureCall[] {
  const out: FixtureCall[] = [];
  for (const c of CONSUMERS) {
    c.agesMin.forEach((age, i) => {
      out.push({
        key: `msg_${c.key}_${i}`,
        requestId: `req_${c.key}_${i}`,
        ts: now - age * MIN,
        source: c.source,
        consumer: { key: c.key, name: c.name },
        model: c.model,
        tokens: { ...c.tokens },
        durationMs: c.durationMs,
        project: '/home/dev/shop',
        collector: 'browser-test',
        expectedCostNanos: expectedCostNanos(c.model, c.tokens),
      });
    });
  }
  return out;
}

/** Strips the test-only field before the calls go to the recorder. */
export function toInputs(calls: FixtureCall[]): CallInput[] {
  return calls.map(({ expectedCostNanos: _ignored, ...call }) => call);
}

export function inLast(calls: FixtureCall[], ms: number, now = NOW): FixtureCall[] {
  return calls.filter((c) => c.ts >= now - ms && c.ts <= now);
}

export const PERIOD_MS = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY } as const;
export { HOUR, DAY, MIN };
