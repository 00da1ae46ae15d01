import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTimeZone, parseUiState, parseWebviewMessage } from '../../src/extension/views/dashboard/validateMessage';

const records = { period: '7d', source: 'agent', search: 'auth', consumerKey: null, page: 3, sort: 'cost' };

test('a well-formed records request passes through unchanged', () => {
  const parsed = parseWebviewMessage({ type: 'request', id: 7, request: { kind: 'records', params: records } });
  // An absent scope is read as "all" (older pages send none).
  assert.deepEqual(parsed, { ok: true, value: { type: 'request', id: 7, request: { kind: 'records', params: { ...records, scope: 'all' } } } });
  const scoped = parseWebviewMessage({ type: 'request', id: 8, request: { kind: 'records', params: { ...records, scope: 'workspace', period: 'custom:2026-11-01..2026-11-15' } } });
  assert.ok(scoped.ok && scoped.value.type === 'request' && scoped.value.request.params.scope === 'workspace');
});

test('scope, export and new periods are checked like the rest', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'setScope', scope: 'workspace' }), { ok: true, value: { type: 'setScope', scope: 'workspace' } });
  assert.equal(parseWebviewMessage({ type: 'setScope', scope: 'everyone' }).ok, false);
  assert.deepEqual(parseWebviewMessage({ type: 'setPeriod', period: 'month' }), { ok: true, value: { type: 'setPeriod', period: 'month' } });
  assert.equal(parseWebviewMessage({ type: 'setPeriod', period: 'custom:2026-11-15..2026-11-01' }).ok, false, 'backwards range');
  assert.equal(parseWebviewMessage({ type: 'setPeriod', period: 'custom:2026-11-01..2026-11-31' }).ok, false, 'no such day');
  const exp = parseWebviewMessage({ type: 'export', format: 'csv', request: { ...records, sort: 'cost' } });
  assert.deepEqual(exp, { ok: true, value: { type: 'export', format: 'csv', request: { ...records, sort: 'cost', scope: 'all' } } });
  assert.equal(parseWebviewMessage({ type: 'export', format: 'xlsx', request: records }).ok, false);
  const badExport = parseWebviewMessage({ type: 'export', format: 'json', request: { ...records, page: 0 } });
  assert.equal(badExport.ok, false);
  const badScope = parseWebviewMessage({ type: 'request', id: 9, request: { kind: 'dashboard', params: { period: '24h', timeZone: 'UTC', granularity: 'hour', topBy: 'cost', scope: 'x' } } });
  assert.equal(badScope.ok, false);
});

test('bad page numbers, periods, sources and over-long searches are rejected with a reason', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ page: 0 }, /page/],
    [{ page: 1.5 }, /page/],
    [{ page: '2' }, /page/],
    [{ page: -1 }, /page/],
    [{ period: '1y' }, /period/],
    [{ source: 'admin' }, /source/],
    [{ search: 'x'.repeat(201) }, /search/],
    [{ search: 42 }, /search/],
    [{ sort: 'name' }, /sort/],
  ];
  for (const [patch, reason] of bad) {
    const parsed = parseWebviewMessage({ type: 'request', id: 1, request: { kind: 'records', params: { ...records, ...patch } } });
    assert.equal(parsed.ok, false, JSON.stringify(patch));
    if (!parsed.ok) assert.match(parsed.error, reason);
  }
});

test('an SQL-looking search string is just text', () => {
  const parsed = parseWebviewMessage({ type: 'request', id: 2, request: { kind: 'records', params: { ...records, search: "%' OR 1=1 --" } } });
  assert.ok(parsed.ok && parsed.value.type === 'request' && parsed.value.request.kind === 'records');
  if (parsed.ok && parsed.value.type === 'request' && parsed.value.request.kind === 'records') {
    assert.equal(parsed.value.request.params.search, "%' OR 1=1 --");
  }
});

test('dashboard requests need a real time zone', () => {
  const ok = parseWebviewMessage({ type: 'request', id: 3, request: { kind: 'dashboard', params: { period: '24h', timeZone: 'Asia/Kathmandu', granularity: 'hour', topBy: 'tokens' } } });
  assert.equal(ok.ok, true);
  const bad = parseWebviewMessage({ type: 'request', id: 3, request: { kind: 'dashboard', params: { period: '24h', timeZone: 'Mars/Olympus', granularity: 'hour', topBy: 'tokens' } } });
  assert.equal(bad.ok, false);
  assert.equal(isTimeZone('Asia/Kolkata'), true);
  assert.equal(isTimeZone(''), false);
});

test('unknown message types, commands and non-objects are rejected', () => {
  assert.equal(parseWebviewMessage(null).ok, false);
  assert.equal(parseWebviewMessage('ready').ok, false);
  assert.equal(parseWebviewMessage({ type: 'evil' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'command', command: 'workbench.action.terminal.sendSequence' }).ok, false);
  assert.deepEqual(parseWebviewMessage({ type: 'command', command: 'rescan' }), { ok: true, value: { type: 'command', command: 'rescan' } });
  assert.equal(parseWebviewMessage({ type: 'setPeriod', period: '30d' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'setPeriod', period: 30 }).ok, false);
});

test('damaged UI state falls back to defaults field by field', () => {
  assert.deepEqual(parseUiState({ granularity: 'week', chartType: 'bar', topBy: 'tokens', records: { page: -4, search: 'x' } }), {
    granularity: null,
    chartType: 'bar',
    topBy: 'tokens',
    modelBy: 'cost',
    records: { source: null, search: '', consumerKey: null, page: 1, sort: 'time' },
  });
  const ready = parseWebviewMessage({ type: 'ready', timeZone: 'Not/AZone', ui: 'junk' });
  assert.ok(ready.ok && ready.value.type === 'ready');
  if (ready.ok && ready.value.type === 'ready') {
    assert.equal(isTimeZone(ready.value.timeZone), true);
    assert.equal(ready.value.ui.records.page, 1);
  }
});
