/**
 * Calls crossing from a reader thread to the store's thread as one flat array of primitives: copying a message
 * between threads costs per object, per property name and per string, and a large import sends a couple of hundred
 * thousand calls. Strings that repeat from call to call (consumer, model, project, labels) are sent once per piece
 * and referred to by index. `unpackCalls(packCalls(calls))` gives back calls equal to the originals (absent optional
 * fields stay absent).
 */
import type { CallInput, Source } from '../../../shared/callRecord';

export interface PackedCalls {
  /** Repeated strings, referred to by index from `values`. */
  strings: string[];
  values: Array<string | number | boolean | null>;
}

/** Values per call, in the order below. */
const WIDTH = 21;

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  ref(s: string | undefined): number | null {
    if (s === undefined) return null;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

export function packCalls(calls: readonly CallInput[]): PackedCalls {
  const table = new StringTable();
  const out: PackedCalls['values'] = new Array(calls.length * WIDTH);
  let k = 0;
  for (const c of calls) {
    out[k++] = c.key;
    out[k++] = c.requestId ?? null;
    out[k++] = c.ts;
    out[k++] = c.source;
    out[k++] = table.ref(c.consumer.key);
    out[k++] = table.ref(c.consumer.name);
    out[k++] = table.ref(c.model);
    out[k++] = c.tokens.input;
    out[k++] = c.tokens.cacheWrite5m;
    out[k++] = c.tokens.cacheWrite1h;
    out[k++] = c.tokens.cacheRead;
    out[k++] = c.tokens.output;
    out[k++] = c.webSearchRequests ?? null;
    out[k++] = c.webFetchRequests ?? null;
    // false stands for an absent durationMs (null is a value: "unknown").
    out[k++] = c.durationMs === undefined ? false : c.durationMs;
    out[k++] = table.ref(c.collector);
    out[k++] = c.sidechain ?? null;
    out[k++] = table.ref(c.serviceTier);
    out[k++] = table.ref(c.speed);
    out[k++] = table.ref(c.inferenceGeo);
    out[k++] = table.ref(c.project);
  }
  return { strings: table.strings, values: out };
}

export function unpackCalls(packed: PackedCalls): CallInput[] {
  const { strings, values: v } = packed;
  if (v.length % WIDTH !== 0) throw new Error('packed calls have the wrong length');
  const str = (x: unknown): string => {
    const s = typeof x === 'number' ? strings[x] : undefined;
    if (s === undefined) throw new Error('packed calls refer to a missing string');
    return s;
  };
  const calls: CallInput[] = [];
  for (let k = 0; k < v.length; k += WIDTH) {
    const call: CallInput = {
      key: v[k] as string,
      ts: v[k + 2] as number,
      source: v[k + 3] as Source,
      consumer: { key: str(v[k + 4]), name: str(v[k + 5]) },
      model: str(v[k + 6]),
      tokens: {
        input: v[k + 7] as number,
        cacheWrite5m: v[k + 8] as number,
        cacheWrite1h: v[k + 9] as number,
        cacheRead: v[k + 10] as number,
        output: v[k + 11] as number,
      },
      collector: str(v[k + 15]),
    };
    if (v[k + 1] !== null) call.requestId = v[k + 1] as string;
    if (v[k + 12] !== null) call.webSearchRequests = v[k + 12] as number;
    if (v[k + 13] !== null) call.webFetchRequests = v[k + 13] as number;
    if (v[k + 14] !== false) call.durationMs = v[k + 14] as number | null;
    if (v[k + 16] !== null) call.sidechain = v[k + 16] as boolean;
    if (v[k + 17] !== null) call.serviceTier = str(v[k + 17]);
    if (v[k + 18] !== null) call.speed = str(v[k + 18]);
    if (v[k + 19] !== null) call.inferenceGeo = str(v[k + 19]);
    if (v[k + 20] !== null) call.project = str(v[k + 20]);
    calls.push(call);
  }
  return calls;
}
