/**
 * The webview's DOM-free logic in Node: the protocol client (ids, replies, errors, timeouts, disposal), the
 * latest-only refresher, and UI state restore.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostRequest, Snapshot } from '../../src/shared/protocol';
import { isHostMessage, ProtocolClient, RequestError } from '../../src/webview/protocolClient';
import { LatestOnly } from '../../src/webview/refresher';
import { defaultUiState, parseUiState, UiStateStore } from '../../src/webview/state';

type Sent = { type: 'request'; id: number; request: HostRequest };

function client(timeoutMs = 5_000) {
  const sent: Sent[] = [];
  const pushed: string[] = [];
  const c = new ProtocolClient(
    (m) => sent.push(m),
    {
      snapshot: (s: Snapshot) => pushed.push(`snapshot:${s.revision}`),
      dataChanged: (rev) => pushed.push(`dataChanged:${rev}`),
      periodChanged: (p) => pushed.push(`period:${p}`),
      scopeChanged: (scope, ws) => pushed.push(`scope:${scope}:${ws.name}:${ws.folders}`),
      billingChanged: (billing, label) => pushed.push(`billing:${billing}:${label}`),
      importStatus: (s) => pushed.push(`import:${s.running}`),
      hostError: (m) => pushed.push(`error:${m}`),
    },
    timeoutMs,
  );
  return { c, sent, pushed };
}

const recordsParams = { period: '24h', source: null, search: '', consumerKey: null, page: 1, sort: 'time' } as const;
const page = { rows: [], total: 0, page: 1, pageSize: 20 };

test('requests carry increasing ids and are settled by the reply with the same inReplyTo, in any order', async () => {
  const { c, sent } = client();
  const a = c.request('records', recordsParams);
  const b = c.request('records', { ...recordsParams, page: 2 });
  assert.deepEqual(sent.map((s) => s.id), [1, 2]);
  assert.equal(sent[1].request.kind, 'records');
  c.handleMessage({ type: 'reply', inReplyTo: 2, ok: true, kind: 'records', result: { ...page, page: 2 } });
  c.handleMessage({ type: 'reply', inReplyTo: 1, ok: true, kind: 'records', result: page });
  assert.equal((await a).page, 1);
  assert.equal((await b).page, 2);
  assert.equal(c.pendingCount, 0);
});

test('an error reply rejects with the host message; a reply of the wrong kind is rejected too', async () => {
  const { c } = client();
  const a = c.request('records', recordsParams);
  c.handleMessage({ type: 'reply', inReplyTo: 1, ok: false, error: 'database is locked' });
  await assert.rejects(a, (e: unknown) => e instanceof RequestError && e.reason === 'host' && e.message === 'database is locked');
  const b = c.request('records', recordsParams);
  c.handleMessage({ type: 'reply', inReplyTo: 2, ok: true, kind: 'dashboard', result: {} });
  await assert.rejects(b, /Expected a records reply/);
});

test('a request with no reply is rejected on timeout, and a late reply is ignored', async () => {
  const { c } = client(20);
  const a = c.request('records', recordsParams);
  await assert.rejects(a, (e: unknown) => e instanceof RequestError && e.reason === 'timeout');
  assert.equal(c.pendingCount, 0);
  c.handleMessage({ type: 'reply', inReplyTo: 1, ok: true, kind: 'records', result: page });
});

test('dispose rejects pending requests and refuses new ones', async () => {
  const { c } = client();
  const a = c.request('records', recordsParams);
  c.dispose();
  await assert.rejects(a, (e: unknown) => e instanceof RequestError && e.reason === 'disposed');
  await assert.rejects(c.request('records', recordsParams), /closed/);
});

test('pushed messages reach their handlers; junk is ignored', () => {
  const { c, pushed } = client();
  c.handleMessage({ type: 'dataChanged', revision: 7, now: 1 });
  c.handleMessage({ type: 'periodChanged', period: '7d' });
  c.handleMessage({ type: 'periodChanged', period: '1y' });
  c.handleMessage({ type: 'periodChanged', period: 'custom:2026-11-01..2026-11-15' });
  c.handleMessage({ type: 'periodChanged', period: 'custom:2026-11-15..2026-11-01' });
  c.handleMessage({ type: 'scopeChanged', scope: 'workspace', workspace: { name: 'shop', folders: 2 } });
  c.handleMessage({ type: 'scopeChanged', scope: 'mine', workspace: { name: 'shop', folders: 2 } });
  c.handleMessage({ type: 'billingChanged', billing: 'subscription', costLabel: 'API-equivalent' });
  c.handleMessage({ type: 'billingChanged', billing: 'free', costLabel: 'x' });
  c.handleMessage({ type: 'importStatus', status: { running: true, filesDone: 0, filesTotal: 1, calls: 0 } });
  for (const junk of [null, 'x', 42, {}, { type: 'reply' }, { type: 'nope' }]) c.handleMessage(junk);
  assert.deepEqual(pushed, [
    'dataChanged:7', 'period:7d', 'period:custom:2026-11-01..2026-11-15', 'scope:workspace:shop:2', 'billing:subscription:API-equivalent', 'import:true',
  ]);
  assert.equal(isHostMessage({ type: 'reply', inReplyTo: '1' }), false);
});

test('LatestOnly runs one fetch at a time and applies only the newest answer', async () => {
  const applied: number[] = [];
  const busy: boolean[] = [];
  let calls = 0;
  const gates: (() => void)[] = [];
  const r = new LatestOnly<number>(
    () => {
      const n = ++calls;
      return new Promise<number>((resolve) => gates.push(() => resolve(n)));
    },
    (n) => applied.push(n),
    () => assert.fail('no errors expected'),
    (b) => busy.push(b),
  );
  r.trigger();
  r.trigger();
  r.trigger();
  assert.equal(calls, 1, 'one in flight');
  gates[0]();
  await new Promise((res) => setImmediate(res));
  assert.equal(calls, 2, 'exactly one queued re-run');
  assert.deepEqual(applied, [], 'the stale answer is dropped');
  gates[1]();
  await new Promise((res) => setImmediate(res));
  assert.deepEqual(applied, [2]);
  assert.deepEqual(busy, [true, false]);
});

test('UI state: damaged saved state falls back field by field; updates persist', () => {
  assert.deepEqual(parseUiState(undefined), defaultUiState());
  assert.deepEqual(parseUiState({ granularity: 'week', chartType: 'pie', topBy: 'tokens', records: { source: 'robot', search: 5, page: -3, sort: 'cost', consumerKey: 'k' } }), {
    granularity: null,
    chartType: 'bar',
    topBy: 'tokens',
    modelBy: 'cost',
    records: { source: null, search: '', consumerKey: 'k', page: 1, sort: 'cost' },
  });
  assert.equal(parseUiState({ modelBy: 'tokens' }).modelBy, 'tokens');
  assert.equal(parseUiState({ records: { search: 'x'.repeat(500) } }).records.search.length, 200);
  const saved: unknown[] = [];
  const store = new UiStateStore({ granularity: 'day' }, (s) => saved.push(s));
  store.update({ records: { page: 3 } });
  assert.equal(store.value.granularity, 'day');
  assert.equal(store.value.records.page, 3);
  assert.equal(store.value.records.sort, 'time');
  assert.deepEqual(saved, [store.value]);
});
