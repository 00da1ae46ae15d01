/**
 * Messages from the webview are untrusted input (a compromised or buggy page must not be able to make the host run a
 * bad query): every field is checked before use, and anything off is rejected with a sentence saying what.
 */
import { isSource } from '../../../shared/callRecord';
import { hostTimeZone, isPeriod } from '../../../shared/period';
import type { HostRequest, WebviewCommand, WebviewMessage, WebviewUiState } from '../../../shared/protocol';
import { isScope, type DashboardRequest, type RecordsRequest, type Scope } from '../../../shared/queries';

export const MAX_SEARCH_LENGTH = 200;
const MAX_PAGE = 1_000_000_000;
const COMMANDS: readonly WebviewCommand[] = ['showLog', 'openSettings', 'rescan'];

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

type Fields = Record<string, unknown>;

function isCommand(value: unknown): value is WebviewCommand {
  return COMMANDS.some((c) => c === value);
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `zone` is an IANA zone this runtime knows; the buckets follow it, so a bogus one must not reach a query. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Absent means all (older pages and tests do not send a scope). */
function parseScope(value: unknown): Parsed<Scope> {
  if (value === undefined) return { ok: true, value: 'all' };
  return isScope(value) ? { ok: true, value } : { ok: false, error: `unknown scope ${JSON.stringify(value)}` };
}

function parseDashboardRequest(p: Fields): Parsed<DashboardRequest> {
  if (!isPeriod(p.period)) return { ok: false, error: `unknown period ${JSON.stringify(p.period)}` };
  if (!isTimeZone(p.timeZone)) return { ok: false, error: `unknown time zone ${JSON.stringify(p.timeZone)}` };
  if (p.granularity !== 'hour' && p.granularity !== 'day') return { ok: false, error: 'granularity must be hour or day' };
  if (p.topBy !== 'cost' && p.topBy !== 'tokens') return { ok: false, error: 'topBy must be cost or tokens' };
  const scope = parseScope(p.scope);
  if (!scope.ok) return scope;
  return { ok: true, value: { period: p.period, timeZone: p.timeZone, granularity: p.granularity, topBy: p.topBy, scope: scope.value } };
}

function parseRecordsRequest(p: Fields): Parsed<RecordsRequest> {
  if (!isPeriod(p.period)) return { ok: false, error: `unknown period ${JSON.stringify(p.period)}` };
  const scope = parseScope(p.scope);
  if (!scope.ok) return scope;
  if (p.source !== null && !isSource(p.source)) return { ok: false, error: `unknown source ${JSON.stringify(p.source)}` };
  if (typeof p.search !== 'string' || p.search.length > MAX_SEARCH_LENGTH) {
    return { ok: false, error: `search must be text of at most ${MAX_SEARCH_LENGTH} characters` };
  }
  if (p.consumerKey !== null && (typeof p.consumerKey !== 'string' || p.consumerKey.length > 1000)) {
    return { ok: false, error: 'consumerKey must be text or null' };
  }
  if (typeof p.page !== 'number' || !Number.isInteger(p.page) || p.page < 1 || p.page > MAX_PAGE) {
    return { ok: false, error: `page must be a whole number from 1, got ${JSON.stringify(p.page)}` };
  }
  if (p.sort !== 'time' && p.sort !== 'cost') return { ok: false, error: 'sort must be time or cost' };
  return {
    ok: true,
    value: { period: p.period, scope: scope.value, source: p.source, search: p.search, consumerKey: p.consumerKey, page: p.page, sort: p.sort },
  };
}

function parseHostRequest(r: unknown): Parsed<HostRequest> {
  if (!isObject(r) || !isObject(r.params)) return { ok: false, error: 'request needs kind and params' };
  switch (r.kind) {
    case 'dashboard': {
      const params = parseDashboardRequest(r.params);
      return params.ok ? { ok: true, value: { kind: 'dashboard', params: params.value } } : params;
    }
    case 'records': {
      const params = parseRecordsRequest(r.params);
      return params.ok ? { ok: true, value: { kind: 'records', params: params.value } } : params;
    }
    default:
      return { ok: false, error: `unknown request kind ${JSON.stringify(r.kind)}` };
  }
}

/** UI state restored from the webview; a damaged one falls back to defaults field by field rather than failing. */
export function parseUiState(ui: unknown): WebviewUiState {
  const u = isObject(ui) ? ui : {};
  const rec = isObject(u.records) ? u.records : {};
  const records = parseRecordsRequest({ period: '24h', source: null, search: '', consumerKey: null, page: 1, sort: 'time', ...rec });
  return {
    granularity: u.granularity === 'hour' || u.granularity === 'day' ? u.granularity : null,
    chartType: u.chartType === 'bar' ? 'bar' : 'line',
    topBy: u.topBy === 'tokens' ? 'tokens' : 'cost',
    modelBy: u.modelBy === 'tokens' ? 'tokens' : 'cost',
    records: records.ok
      ? { source: records.value.source, search: records.value.search, consumerKey: records.value.consumerKey, page: records.value.page, sort: records.value.sort }
      : { source: null, search: '', consumerKey: null, page: 1, sort: 'time' },
  };
}

export function parseWebviewMessage(msg: unknown): Parsed<WebviewMessage> {
  if (!isObject(msg)) return { ok: false, error: 'message is not an object' };
  switch (msg.type) {
    case 'ready':
      return {
        ok: true,
        value: { type: 'ready', timeZone: isTimeZone(msg.timeZone) ? msg.timeZone : hostTimeZone(), ui: parseUiState(msg.ui) },
      };
    case 'request': {
      if (typeof msg.id !== 'number' || !Number.isSafeInteger(msg.id)) return { ok: false, error: 'request id must be an integer' };
      const request = parseHostRequest(msg.request);
      return request.ok ? { ok: true, value: { type: 'request', id: msg.id, request: request.value } } : request;
    }
    case 'setPeriod':
      return isPeriod(msg.period)
        ? { ok: true, value: { type: 'setPeriod', period: msg.period } }
        : { ok: false, error: `unknown period ${JSON.stringify(msg.period)}` };
    case 'setScope':
      return isScope(msg.scope)
        ? { ok: true, value: { type: 'setScope', scope: msg.scope } }
        : { ok: false, error: `unknown scope ${JSON.stringify(msg.scope)}` };
    case 'export': {
      if (msg.format !== 'csv' && msg.format !== 'json') return { ok: false, error: 'export format must be csv or json' };
      const request = isObject(msg.request) ? parseRecordsRequest(msg.request) : ({ ok: false, error: 'export needs the records request' } as const);
      return request.ok ? { ok: true, value: { type: 'export', format: msg.format, request: request.value } } : request;
    }
    case 'command':
      return isCommand(msg.command)
        ? { ok: true, value: { type: 'command', command: msg.command } }
        : { ok: false, error: `unknown command ${JSON.stringify(msg.command)}` };
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(msg.type)}` };
  }
}
