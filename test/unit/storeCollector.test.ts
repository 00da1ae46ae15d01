// The store's side of a collector: calls go to the recorder, file state to the database, logs and progress become
// events, recorded batches become `changed` events with increasing revisions — and the real Claude Code collector
// end to end through a saved file.
import assert from 'node:assert/strict';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Collector, CollectorDeps } from '../../src/extension/collectors/collector';
import type { ClaudeCodeOptions, ScanStats, StoreEvent } from '../../src/extension/store/storeApi';
import { makeCall, testStore, withTempDir } from './storeFixtures';

const EMPTY: ScanStats = { files: 0, filesRead: 0, bytesRead: 0, linesRead: 0, calls: 0, skippedLines: 0, ms: 0 };

class FakeCollector implements Collector {
  cancelled = 0;
  stopped = 0;
  scans = 0;
  constructor(readonly deps: CollectorDeps, readonly options: ClaudeCodeOptions) {}
  async start(): Promise<ScanStats> {
    this.deps.onProgress({ running: true, filesDone: 0, filesTotal: 1, calls: 0 });
    const result = this.deps.sink.record([makeCall({ key: 'c1' }), makeCall({ key: 'c2' })]);
    this.deps.fileState.set('/t/one.jsonl', '{"offset":10}');
    this.deps.log('warn', 'line 3 of /t/one.jsonl is not JSON; skipped');
    this.deps.onRecorded(result);
    this.deps.onProgress({ running: false, filesDone: 1, filesTotal: 1, calls: 2 });
    return { ...EMPTY, files: 1, calls: 2 };
  }
  async scan(): Promise<ScanStats> {
    this.scans++;
    return EMPTY;
  }
  cancel(): void {
    this.cancelled++;
  }
  stop(): void {
    this.stopped++;
  }
}

describe('collector wiring', () => {
  it('records, keeps file state, forwards logs and progress, announces changes', async () => {
    const collectors: FakeCollector[] = [];
    const store = testStore({ createCollector: (deps, options) => { const c = new FakeCollector(deps, options); collectors.push(c); return c; } });
    const events: StoreEvent[] = [];
    store.onEvent((e) => events.push(e));
    await store.open({});
    const stats = await store.startClaudeCode({ configDirs: ['/x'], watch: true });
    assert.equal(stats.calls, 2);
    assert.deepEqual(collectors[0].options, { configDirs: ['/x'], watch: true });
    assert.deepEqual(events.map((e) => e.type), ['progress', 'log', 'changed', 'progress']);
    assert.deepEqual(events[2], { type: 'changed', revision: 1, inserted: 2, updated: 0 });
    assert.deepEqual(events[1], { type: 'log', level: 'warn', message: 'line 3 of /t/one.jsonl is not JSON; skipped' });

    // A rename alone is a change too (the title appears later), announced even without onRecorded.
    const renamed = new Promise<StoreEvent>((resolve) => store.onEvent((e) => e.type === 'changed' && resolve(e)));
    collectors[0].deps.sink.renameConsumer('session-1', 'A title');
    assert.deepEqual(await renamed, { type: 'changed', revision: 2, inserted: 0, updated: 0 });
    collectors[0].deps.sink.renameConsumer('session-1', 'A title'); // same name: no change

    await store.rescanClaudeCode();
    await store.cancelImport();
    assert.equal(collectors[0].scans, 1);
    assert.equal(collectors[0].cancelled, 1);
    // API calls are announced at once, with the next revision.
    await store.record([makeCall({ key: 'api-1' })]);
    assert.deepEqual(events.filter((e) => e.type === 'changed').map((e) => e.type === 'changed' && e.revision), [1, 2, 3]);

    await store.startClaudeCode({ configDirs: ['/y'], watch: false });
    assert.equal(collectors[0].stopped, 1, 'starting again stops the previous collector');
    await store.close();
    assert.equal(collectors[1].stopped, 1, 'close stops the collector');
  });
});

function assistantLine(id: string, session: string, timestamp: string, output: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    message: {
      model: 'claude-opus-5-5',
      id,
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Done.' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 1000, output_tokens: output },
    },
    requestId: `req_${id}`,
    type: 'assistant',
    uuid: `u-${id}-${output}`,
    timestamp,
    cwd: '/home/dev/acme',
    sessionId: session,
    version: '2.1.331',
    ...extra,
  });
}

describe('with the real Claude Code collector', () => {
  it('imports a transcript once, survives a save and reopen without duplicates, and picks up appended lines', async () => {
    await withTempDir(async (dir) => {
      const configDir = path.join(dir, 'claude');
      const projectDir = path.join(configDir, 'projects', '-home-dev-acme');
      await mkdir(projectDir, { recursive: true });
      const transcript = path.join(projectDir, 'sess-1.jsonl');
      const user = JSON.stringify({ parentUuid: null, isSidechain: false, type: 'user', message: { role: 'user', content: 'Add rate limiting to the /login route' }, uuid: 'u0', timestamp: '2026-11-20T14:02:50.004Z', cwd: '/home/dev/acme', sessionId: 'sess-1', version: '2.1.331' });
      await writeFile(transcript, [
        user,
        assistantLine('msg_A', 'sess-1', '2026-11-20T14:03:00.000Z', 1),
        assistantLine('msg_A', 'sess-1', '2026-11-20T14:03:05.000Z', 300),
        assistantLine('msg_B', 'sess-1', '2026-11-20T14:04:00.000Z', 20),
      ].join('\n') + '\n');
      const dbPath = path.join(dir, 'usage.sqlite');
      const range = { from: Date.UTC(2026, 10, 20), to: Date.UTC(2026, 10, 21) };

      const first = testStore();
      await first.open({ dbPath });
      await first.startClaudeCode({ configDirs: [configDir], watch: false });
      const summary = await first.summary(range);
      assert.equal(summary.calls, 2);
      assert.equal(summary.tokens.output, 320, 'the streamed message counts once, with its final usage');
      await first.close();

      const second = testStore();
      assert.equal((await second.open({ dbPath })).records, 2);
      await second.startClaudeCode({ configDirs: [configDir], watch: false });
      assert.equal((await second.summary(range)).calls, 2, 'no duplicates after reopening');
      await appendFile(transcript, assistantLine('msg_C', 'sess-1', '2026-11-20T14:05:00.000Z', 7) + '\n');
      await second.rescanClaudeCode();
      const after = await second.summary(range);
      assert.equal(after.calls, 3);
      const page = await second.records({ range, page: 1 });
      assert.equal(page.rows[0].key.includes('msg_C'), true);
      assert.equal(page.rows[0].project, '/home/dev/acme');
      await second.close();
    });
  });
});
