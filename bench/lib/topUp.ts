/**
 * Synthetic calls for when the corpus holds fewer calls than the scale target: recorded through the store's public
 * record() in batches, spread over the same year as the corpus, with a realistic mix of sources, models, consumers
 * and token counts (so roll-ups, indexes and names grow as they would with real history).
 */
import type { CallInput, Source } from '../../src/shared/callRecord';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { Rand } from '../corpus/random';
import { title } from '../corpus/text';

const YEAR_MS = 365 * 86_400_000;
const MODELS: readonly (readonly [string, number])[] = [
  ['claude-opus-4-5-20251101', 50], ['claude-sonnet-4-5-20250929', 35], ['claude-haiku-4-5-20251001', 14], ['claude-experimental-x', 1],
];
const SOURCES: readonly (readonly [Source, number])[] = [['chat', 60], ['agent', 36], ['memory', 4]];

export interface TopUpResult {
  recorded: number;
  ms: number;
  batches: number;
  slowestBatchMs: number;
}

export async function topUp(
  store: StoreApi, count: number, endMs: number, batchSize = 5_000, onBatch?: (done: number) => void,
): Promise<TopUpResult> {
  const sessions = new SessionStream(new Rand(7_654_321), endMs);
  const started = performance.now();
  let recorded = 0;
  let batches = 0;
  let slowest = 0;
  while (recorded < count) {
    const n = Math.min(batchSize, count - recorded);
    const calls: CallInput[] = [];
    for (let i = 0; i < n; i++) calls.push(sessions.next(recorded + i));
    const t0 = performance.now();
    const result = await store.record(calls);
    slowest = Math.max(slowest, performance.now() - t0);
    if (result.rejected.length > 0) throw new Error(`record() rejected a synthetic call: ${result.rejected[0].message}`);
    recorded += n;
    batches++;
    onBatch?.(recorded);
  }
  return { recorded, ms: performance.now() - started, batches, slowestBatchMs: slowest };
}

interface Session {
  key: string;
  name: string;
  source: Source;
  model: string;
  project: string;
  t: number;
  left: number;
}

/**
 * Calls as real use produces them: in sessions (a conversation or an agent run) of tens to thousands of calls a few
 * seconds apart, each session at a random time of the year with its own source, model and name. A consumer's calls
 * are close in time, as in real transcripts, so roll-ups per time bucket and consumer see real clustering.
 */
class SessionStream {
  private current: Session | undefined;
  private serial = 0;

  constructor(private readonly rand: Rand, private readonly endMs: number) {}

  next(index: number): CallInput {
    const { rand } = this;
    if (!this.current || this.current.left <= 0) this.current = this.newSession();
    const s = this.current;
    s.left--;
    s.t += rand.int(2_000, 60_000);
    const writes = rand.logNormal(700, 1, 0, 20_000);
    return {
      key: `msg_01bench${index.toString(36).padStart(8, '0')}`,
      requestId: `req_011Cbench${index.toString(36)}`,
      ts: Math.min(s.t, this.endMs),
      source: s.source,
      consumer: { key: s.key, name: s.name },
      model: rand.chance(0.05) ? 'claude-haiku-4-5-20251001' : s.model,
      tokens: {
        input: rand.int(1, 12),
        cacheWrite5m: rand.chance(0.7) ? writes : 0,
        cacheWrite1h: 0,
        cacheRead: rand.int(10_000, 160_000),
        output: rand.logNormal(260, 1.1, 1, 32_000),
      },
      durationMs: rand.int(800, 60_000),
      project: s.project,
      collector: 'bench',
    };
  }

  private newSession(): Session {
    const { rand } = this;
    const i = this.serial++;
    const left = rand.logNormal(30, 1.1, 1, 3_000);
    return {
      key: `bench-topup:${i}`,
      name: `${title(rand)} ${i}`,
      source: rand.weighted(SOURCES),
      model: rand.weighted(MODELS),
      project: `/home/dev/work/topup-${i % 23}`,
      t: this.endMs - Math.floor(rand.next() * YEAR_MS) - left * 30_000,
      left,
    };
  }
}
