/**
 * A scan's batch of calls reaches the sink a few hundred at a time, inside one transaction when the sink offers one
 * (all of the batch is stored, or on a throw none of it, as with a single record()). Calls stay packed until their
 * chunk is recorded (see CallList), so each call's objects live for one chunk rather than for the whole batch: a
 * batch of thousands of objects outlived the garbage collector's young generation and was promoted, which made the
 * store's thread collect its old generation again and again during an import.
 */
import type { CallInput } from '../../../shared/callRecord';
import type { RecordResult } from '../../store/storeApi';
import type { CallSink } from '../collector';
import { callsOf, type CallList } from './callPacking';

export const RECORD_CHUNK_CALLS = 500;

/** Records the batch; a rejected call's index is its position in the whole batch. */
export function recordInChunks(sink: CallSink, lists: readonly CallList[]): RecordResult {
  return inTransaction(sink, () => recordChunks(sink, lists));
}

/** Runs `fn` as one transaction of the sink's store, when it offers them. */
export function inTransaction<T>(sink: CallSink, fn: () => T): T {
  return sink.transaction ? sink.transaction(fn) : fn();
}

function recordChunks(sink: CallSink, lists: readonly CallList[]): RecordResult {
  const total: RecordResult = { inserted: 0, updated: 0, unchanged: 0, rejected: [] };
  let chunk: CallInput[] = [];
  let offset = 0;
  for (const list of lists) {
    const calls = callsOf(list);
    for (let i = 0; i < calls.length; i++) {
      chunk.push(calls[i]);
      if (chunk.length < RECORD_CHUNK_CALLS) continue;
      addResult(total, sink.record(chunk), offset);
      offset += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length > 0) addResult(total, sink.record(chunk), offset);
  return total;
}

function addResult(total: RecordResult, r: RecordResult, offset: number): void {
  total.inserted += r.inserted;
  total.updated += r.updated;
  total.unchanged += r.unchanged;
  for (const x of r.rejected) total.rejected.push({ ...x, index: x.index + offset });
}
