/**
 * Calls crossing from a reader thread to the store's thread as one flat array of primitives: copying a message
 * between threads costs per object and per property name, and a large import sends a couple of hundred thousand
 * calls. `unpackCalls(packCalls(calls))` gives back calls equal to the originals (absent optional fields stay absent).
 */
import type { CallInput, Source } from '../../../shared/callRecord';

export type PackedCalls = Array<string | number | boolean | null>;

/** Values per call, in the order below. */
const WIDTH = 21;

export function packCalls(calls: readonly CallInput[]): PackedCalls {
  const out: PackedCalls = new Array(calls.length * WIDTH);
  let k = 0;
  for (const c of calls) {
    out[k++] = c.key;
    out[k++] = c.requestId ?? null;
    out[k++] = c.ts;
    out[k++] = c.source;
    out[k++] = c.consumer.key;
    out[k++] = c.consumer.name;
    out[k++] = c.model;
    out[k++] = c.tokens.input;
    out[k++] = c.tokens.cacheWrite5m;
    out[k++] = c.tokens.cacheWrite1h;
    out[k++] = c.tokens.cacheRead;
    out[k++] = c.tokens.output;
    out[k++] = c.webSearchRequests ?? null;
    out[k++] = c.webFetchRequests ?? null;
    out[k++] = c.durationMs === undefined ? false : c.durationMs;
    out[k++] = c.collector;
    out[k++] = c.sidechain ?? null;
    out[k++] = c.serviceTier ?? null;
    out[k++] = c.speed ?? null;
    out[k++] = c.inferenceGeo ?? null;
    out[k++] = c.project ?? null;
  }
  return out;
}

export function unpackCalls(packed: PackedCalls): CallInput[] {
  if (packed.length % WIDTH !== 0) throw new Error('packed calls have the wrong length');
  const calls: CallInput[] = [];
  for (let k = 0; k < packed.length; k += WIDTH) {
    const call: CallInput = {
      key: packed[k] as string,
      ts: packed[k + 2] as number,
      source: packed[k + 3] as Source,
      consumer: { key: packed[k + 4] as string, name: packed[k + 5] as string },
      model: packed[k + 6] as string,
      tokens: {
        input: packed[k + 7] as number,
        cacheWrite5m: packed[k + 8] as number,
        cacheWrite1h: packed[k + 9] as number,
        cacheRead: packed[k + 10] as number,
        output: packed[k + 11] as number,
      },
      collector: packed[k + 15] as string,
    };
    if (packed[k + 1] !== null) call.requestId = packed[k + 1] as string;
    if (packed[k + 12] !== null) call.webSearchRequests = packed[k + 12] as number;
    if (packed[k + 13] !== null) call.webFetchRequests = packed[k + 13] as number;
    // false stands for an absent durationMs (null is a value: "unknown").
    if (packed[k + 14] !== false) call.durationMs = packed[k + 14] as number | null;
    if (packed[k + 16] !== null) call.sidechain = packed[k + 16] as boolean;
    if (packed[k + 17] !== null) call.serviceTier = packed[k + 17] as string;
    if (packed[k + 18] !== null) call.speed = packed[k + 18] as string;
    if (packed[k + 19] !== null) call.inferenceGeo = packed[k + 19] as string;
    if (packed[k + 20] !== null) call.project = packed[k + 20] as string;
    calls.push(call);
  }
  return calls;
}
