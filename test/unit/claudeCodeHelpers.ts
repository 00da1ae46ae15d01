/**
 * Test doubles for the Claude Code collector tests: an in-memory CallSink with the recorder's dedup rule (written here
 * from the rule's statement, not copied from the store), a Map-backed FileStateStore, and record comparison helpers.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallInput } from '../../src/shared/callRecord';
import type { CallSink, CollectorDeps, FileStateStore } from '../../src/extension/collectors/collector';
import type { ImportProgress, RecordResult } from '../../src/extension/store/storeApi';
import type { ExpectedRecord } from '../support/claudeCodeFixtures';

function total(c: CallInput): number {
  const t = c.tokens;
  return t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead + t.output;
}

/**
 * Keeps one call per key: a non-sidechain copy beats a sidechain copy, then the larger token total wins; ties keep
 * what is stored. A consumer's name is set when it first appears and changes only through renameConsumer — the
 * strictest reading of the contract, so a collector that forgets to rename fails here.
 */
export class MemorySink implements CallSink {
  readonly calls = new Map<string, CallInput>();
  readonly names = new Map<string, string>();
  readonly renames: Array<{ key: string; name: string }> = [];
  recordCalls = 0;

  record(calls: CallInput[]): RecordResult {
    this.recordCalls++;
    const result: RecordResult = { inserted: 0, updated: 0, unchanged: 0, rejected: [] };
    calls.forEach((c, index) => {
      const t = c.tokens;
      if ([t.input, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead, t.output].some((n) => !Number.isSafeInteger(n) || n < 0) || !Number.isFinite(c.ts)) {
        result.rejected.push({ index, key: c.key, message: 'bad numbers' });
        return;
      }
      // A field holding undefined reads as an absent one (unpacked calls carry every field): kept without them.
      const copy = Object.fromEntries(Object.entries(structuredClone(c)).filter(([, value]) => value !== undefined)) as unknown as CallInput;
      const stored = this.calls.get(c.key);
      if (!this.names.has(c.consumer.key)) this.names.set(c.consumer.key, c.consumer.name);
      if (!stored) {
        this.calls.set(c.key, copy);
        result.inserted++;
        return;
      }
      const side = c.sidechain === true;
      const better = side !== (stored.sidechain === true) ? !side : total(c) > total(stored);
      if (better) {
        this.calls.set(c.key, copy);
        result.updated++;
      } else result.unchanged++;
    });
    return result;
  }

  renameConsumer(key: string, name: string): void {
    this.renames.push({ key, name });
    if (this.names.has(key)) this.names.set(key, name);
  }

  /** Stored calls with their consumer's current name. */
  stored(): CallInput[] {
    return [...this.calls.values()].map((c) => ({ ...c, consumer: { key: c.consumer.key, name: this.names.get(c.consumer.key) ?? c.consumer.name } }));
  }
}

export class MapFileState implements FileStateStore {
  readonly map = new Map<string, string>();
  get(p: string): string | undefined {
    return this.map.get(p);
  }
  set(p: string, state: string): void {
    this.map.set(p, state);
  }
  delete(p: string): void {
    this.map.delete(p);
  }
  paths(): string[] {
    return [...this.map.keys()];
  }
}

export interface TestDeps extends CollectorDeps {
  sink: MemorySink;
  fileState: MapFileState;
  logs: Array<{ level: string; message: string }>;
  progress: ImportProgress[];
  recorded: RecordResult[];
}

export function makeDeps(sink = new MemorySink(), fileState = new MapFileState()): TestDeps {
  const deps: TestDeps = {
    sink,
    fileState,
    logs: [],
    progress: [],
    recorded: [],
    log: (level, message) => deps.logs.push({ level, message }),
    onProgress: (p) => deps.progress.push(p),
    onRecorded: (r) => deps.recorded.push(r),
  };
  return deps;
}

/** The fields of a stored call that the fixture states, in the fixture's shape. */
export function comparable(c: CallInput): Omit<ExpectedRecord, 'costNanos'> {
  const r: Omit<ExpectedRecord, 'costNanos'> = {
    key: c.key,
    ts: c.ts,
    source: c.source,
    consumer: { key: c.consumer.key, name: c.consumer.name },
    model: c.model,
    tokens: { ...c.tokens },
    durationMs: c.durationMs ?? null,
    sidechain: c.sidechain === true,
    webSearchRequests: c.webSearchRequests ?? 0,
    webFetchRequests: c.webFetchRequests ?? 0,
  };
  if (c.requestId !== undefined) r.requestId = c.requestId;
  if (c.project !== undefined) r.project = c.project;
  if (c.serviceTier !== undefined) r.serviceTier = c.serviceTier;
  if (c.speed !== undefined) r.speed = c.speed;
  if (c.inferenceGeo !== undefined) r.inferenceGeo = c.inferenceGeo;
  return r;
}

export function withoutCost(r: ExpectedRecord): Omit<ExpectedRecord, 'costNanos'> {
  const { costNanos: _cost, ...rest } = r;
  return rest;
}

/** The sink holds exactly these records (every stated field equal), and every stored call came from the collector. */
export function assertRecords(sink: MemorySink, expected: readonly ExpectedRecord[]): void {
  const stored = new Map(sink.stored().map((c) => [c.key, c]));
  const want = new Map(expected.map((r) => [r.key, r]));
  assert.deepEqual([...stored.keys()].sort(), [...want.keys()].sort(), 'the set of recorded call keys');
  for (const [key, r] of want) {
    const c = stored.get(key);
    assert.ok(c);
    assert.equal(c.collector, 'claude-code');
    assert.deepEqual(comparable(c), withoutCost(r), `record ${key}`);
  }
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Waits until `check` holds, polling; fails after `timeoutMs` (generous: this is not a timing assertion). */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
