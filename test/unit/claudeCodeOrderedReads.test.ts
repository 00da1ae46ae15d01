// Reading in file order with a reader thread: while the next file is still in the thread, this thread parses a small
// file further ahead itself; what it read waits for its turn packed (as a thread's pieces travel), is handed over only
// then, and gives exactly the calls a plain read of the file gives. And a file's head, hashed from the bytes a read
// met, is the hash a second read of the file gives.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { callsOf, type CallList } from '../../src/extension/collectors/claudeCode/callPacking';
import { decodeFileState, HEAD_BYTES, headHash, type FileReadState } from '../../src/extension/collectors/claudeCode/fileReadState';
import { readTranscriptFile, type ReadJob, type ReadPiece } from '../../src/extension/collectors/claudeCode/fileReader';
import { fileReadAt } from '../../src/extension/collectors/claudeCode/lineReader';
import { OrderedReads, slotFor, type Slot } from '../../src/extension/collectors/claudeCode/orderedReads';
import type { ReaderPool } from '../../src/extension/collectors/claudeCode/readerPool';
import type { CallInput } from '../../src/shared/callRecord';
import { appendCall, type FixtureSession } from '../support/claudeCodeFixtures';
import { tempDir } from './claudeCodeHelpers';

function session(dir: string, name: string, calls: number): ReadJob {
  const file = path.join(dir, `${name}.jsonl`);
  const start = Date.UTC(2026, 10, 1);
  const prompt = { type: 'user', message: { role: 'user', content: `${name} job` }, timestamp: new Date(start).toISOString(), sessionId: name, cwd: '/home/dev/p' };
  fs.writeFileSync(file, `${JSON.stringify(prompt)}\n`);
  const s: FixtureSession = {
    file, sessionId: name, configDir: dir, cwd: '/home/dev/p', entrypoint: 'cli', source: 'chat', consumerKey: `claude-code:session:${name}`, name: `${name} job`,
  };
  for (let i = 0; i < calls; i++) appendCall(s, { ts: start + (i + 1) * 10_000, seed: i + 1 });
  const st = fs.statSync(file);
  return {
    file: { path: file, kind: 'session', sessionId: name, projectDir: dir },
    agentMeta: [],
    identity: { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino },
    unchanged: false,
  };
}

/** A reader thread that takes one file and finishes it only when told to. */
class HeldPool {
  readonly size = 1;
  readonly broken = false;
  dispatched = 0;
  private release: (() => void) | undefined;
  get inFlight(): number {
    // Room for exactly one file: the next one stays for this thread to parse out of turn.
    return this.dispatched === 0 ? 0 : 256;
  }
  run(_job: ReadJob, _onPiece: (piece: ReadPiece<CallList>) => void): { done: Promise<{ result: { kind: 'unchanged' } }>; stop: () => void } {
    this.dispatched++;
    return { done: new Promise((resolve) => (this.release = () => resolve({ result: { kind: 'unchanged' } }))), stop: () => {} };
  }
  finish(): void {
    this.release?.();
  }
}

/** Reads the whole file in this thread, every piece to `onPiece`. */
async function readWhole(job: ReadJob, onPiece: (piece: ReadPiece) => void): Promise<void> {
  await readTranscriptFile(job, { onPiece, pause: () => undefined, stopped: () => false, meta: () => undefined });
}

async function plainCalls(job: ReadJob): Promise<CallInput[]> {
  const calls: CallInput[] = [];
  await readWhole(job, (p) => calls.push(...callsOf(p.calls)));
  return calls;
}

let tmp: ReturnType<typeof tempDir>;
before(() => {
  tmp = tempDir('cc-ordered-');
});
after(() => tmp.cleanup());

describe('ordered reads', () => {

  it('park what a file parsed out of turn read, packed, and hand it over in its turn exactly as read', async () => {
    const first = session(tmp.dir, 'first', 3);
    const ahead = session(tmp.dir, 'ahead', 40);
    const pool = new HeldPool();
    const taken: Array<{ file: string; piece: ReadPiece<CallList> }> = [];
    let parsedAhead = false;
    const reads = new OrderedReads({
      take: (slot, piece) => taken.push({ file: slot.file.path, piece }),
      finish: () => {},
      pause: () => undefined,
      cancelled: () => false,
      abandoned: () => false,
      meta: () => undefined,
    }, pool as unknown as ReaderPool);
    const slots: Slot[] = [first, ahead].map((job) => {
      const slot = slotFor(job.file);
      slot.job = job;
      slot.state = 'waiting';
      slot.newBytes = job.identity.size;
      return slot;
    });
    // The thread's file is finished once this thread has read the small one ahead of its turn.
    const timer = setInterval(() => {
      if (slots[1].settled && !parsedAhead) {
        parsedAhead = true;
        pool.finish();
      }
    }, 5);
    try {
      assert.equal(await reads.run(slots), 2);
    } finally {
      clearInterval(timer);
    }
    assert.equal(pool.dispatched, 1, 'the first file went to the thread');
    assert.equal(slots[1].state, 'local', 'the second was parsed here, out of turn');
    assert.ok(taken.length > 0 && taken.every((t) => t.file === ahead.file.path), 'handed over after the first file');
    for (const { piece } of taken) assert.ok(!Array.isArray(piece.calls), 'its calls waited packed');
    const handedOver = taken.flatMap(({ piece }) => callsOf(piece.calls));
    assert.deepEqual(handedOver, await plainCalls(ahead));
    assert.equal(handedOver.length, 40);
  });
});

describe("a file's head", () => {
  /** The read state a whole read of the file leaves behind. */
  async function finalState(job: ReadJob): Promise<FileReadState> {
    let encoded: string | undefined;
    await readWhole(job, (p) => (encoded = p.encoded));
    const state = decodeFileState(encoded);
    assert.ok(state);
    return state;
  }

  it('is hashed from the bytes the read met, as a second read of the file would hash it', async () => {
    for (const [name, calls, chunkBytes] of [['big', 12, undefined], ['small', 1, undefined], ['chunked', 12, 100]] as const) {
      const job = { ...session(tmp.dir, name, calls), chunkBytes };
      const state = await finalState(job);
      assert.equal(state.headLen, Math.min(HEAD_BYTES, job.identity.size), name);
      const fd = fs.openSync(job.file.path, 'r');
      try {
        assert.equal(state.head, headHash(fileReadAt(fd), state.headLen), name);
      } finally {
        fs.closeSync(fd);
      }
    }
  });
});
