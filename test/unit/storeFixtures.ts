// Shared by the store*, recorder* and queries* tests (not a test file itself: the runner only picks up *.test.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SOURCES, type CallInput, type Source, type TokenCounts } from '../../src/shared/callRecord';
import type { Pricer, PricingInput } from '../../src/extension/pricing/index';
import { createInProcessStore } from '../../src/extension/store/inProcessStore';
import type { StoreCoreOptions } from '../../src/extension/store/storeCore';
import type { StoreApi, StoreEvent } from '../../src/extension/store/storeApi';
import type { StoreExtras } from '../../src/extension/store/storeExtras';
import { mulberry32 } from '../support/seededRandom';

export const WASM_PATH = require.resolve('sql.js/dist/sql-wasm.wasm');

/** Per-token rates (nano-dollars) of the fake price table; any other model is unknown (unpriced). */
export const FAKE_RATES: Readonly<Record<string, number>> = {
  'model-a': 3,
  'model-b': 15,
  'model-c': 1,
};

/** A pricer independent of the real table: cost = total tokens × rate, plus `extra` nanos per call. */
export function fakePricer(version = 'fake-1', extraRates: Record<string, number> = {}): Pricer {
  const rates: Record<string, number> = { ...FAKE_RATES, ...extraRates };
  return {
    version,
    knows: (model) => model in rates,
    price: (call: PricingInput) => (call.model in rates ? fakeCost(call.tokens, rates[call.model]) : null),
  };
}

export function fakeCost(t: TokenCounts, rate: number): number {
  return (t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead + t.output) * rate;
}

/** Overrides for the fake pricer factory: `{ version, rates }`. */
export function fakePricerFactory(overrides: unknown): { pricer: Pricer; problems: string[] } {
  if (overrides && typeof overrides === 'object' && 'rates' in overrides) {
    const o = overrides as { version?: string; rates: Record<string, number> };
    return { pricer: fakePricer(o.version ?? 'fake-2', o.rates), problems: [] };
  }
  return { pricer: fakePricer(), problems: [] };
}

export function tokens(partial: Partial<TokenCounts> = {}): TokenCounts {
  return { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0, ...partial };
}

let counter = 0;

export function makeCall(partial: Partial<CallInput> = {}): CallInput {
  counter++;
  return {
    key: `msg_${counter}`,
    ts: Date.UTC(2026, 10, 20, 12, 0, 0),
    source: 'chat',
    consumer: { key: 'session-1', name: 'First conversation' },
    model: 'model-a',
    tokens: tokens({ input: 10, output: 5 }),
    collector: 'test',
    ...partial,
  };
}

export function testStore(options: StoreCoreOptions = {}): StoreApi & StoreExtras {
  return createInProcessStore({ wasmPath: WASM_PATH, createPricer: fakePricerFactory, saveDelayMs: 60_000, ...options });
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'claude-usage-store-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Resolves with the first event of the given type. */
export function nextEvent<T extends StoreEvent['type']>(store: StoreApi, type: T): Promise<Extract<StoreEvent, { type: T }>> {
  return new Promise((resolve) => {
    const sub = store.onEvent((event) => {
      if (event.type === type) {
        sub.dispose();
        resolve(event as Extract<StoreEvent, { type: T }>);
      }
    });
  });
}

export const random = mulberry32;

export const CONSUMER_NAMES = [
  'Add rate limiting to /login',
  '100% coverage for the parser',
  'snake_case to camelCase',
  "Fix O'Brien's bug",
  'Explore: find the "retry" logic',
  'Résumé upload ÉCRAN',
  'general-purpose',
  'Plan the migration',
  "%' OR 1=1 --",
  'back\\slash path',
  'Compaction',
  'Summarize session',
];

/**
 * Random calls over [from, to): several consumers (names with %, _, quotes, accents), all sources, priced and
 * unpriced models, and duplicate keys (streaming copies, sidechain copies) to exercise deduplication.
 */
export function randomCalls(seed: number, count: number, from: number, to: number): CallInput[] {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const int = (max: number) => Math.floor(rnd() * max);
  const calls: CallInput[] = [];
  for (let i = 0; i < count; i++) {
    if (calls.length > 0 && rnd() < 0.15) {
      const original = pick(calls);
      calls.push({
        ...original,
        sidechain: rnd() < 0.4,
        tokens: { ...original.tokens, output: int(3000) },
      });
      continue;
    }
    const consumerIndex = int(CONSUMER_NAMES.length);
    const source: Source = pick(SOURCES);
    calls.push({
      key: `msg_${seed}_${i}`,
      requestId: rnd() < 0.5 ? `req_${seed}_${i}` : undefined,
      ts: from + int(to - from),
      source,
      consumer: { key: `consumer-${consumerIndex}`, name: CONSUMER_NAMES[consumerIndex] },
      model: pick(['model-a', 'model-b', 'model-c', 'mystery-model', 'model-a']),
      tokens: tokens({
        input: int(5000),
        cacheWrite5m: rnd() < 0.3 ? int(20000) : 0,
        cacheWrite1h: rnd() < 0.2 ? int(20000) : 0,
        cacheRead: rnd() < 0.6 ? int(200000) : 0,
        output: int(4000),
      }),
      durationMs: rnd() < 0.8 ? int(60_000) : null,
      project: rnd() < 0.7 ? '/home/dev/acme' : undefined,
      collector: 'test',
      sidechain: rnd() < 0.2,
    });
  }
  return calls;
}

/** The reference deduplication, written independently of the recorder: what should be stored per key. */
export function dedupReference(calls: readonly CallInput[]): Map<string, CallInput> {
  const kept = new Map<string, CallInput>();
  const total = (c: CallInput) =>
    c.tokens.input + c.tokens.cacheWrite5m + c.tokens.cacheWrite1h + c.tokens.cacheRead + c.tokens.output;
  for (const call of calls) {
    const current = kept.get(call.key);
    if (!current) {
      kept.set(call.key, call);
      continue;
    }
    const callMain = call.sidechain !== true;
    const currentMain = current.sidechain !== true;
    if (callMain && !currentMain) kept.set(call.key, call);
    else if (callMain === currentMain && total(call) > total(current)) kept.set(call.key, call);
  }
  return kept;
}
