/**
 * Which headers cross the proxy. Everything end-to-end passes unchanged, in order and with its original casing
 * (raw header arrays); hop-by-hop headers belong to one connection and are left to Node on each side.
 */
import { NAME_HEADER, SOURCE_HEADER } from './proxyTypes';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Node's server has already answered `Expect: 100-continue` to the client; repeating it upstream would only stall. */
const REQUEST_ONLY_DROPPED = new Set(['host', 'expect', SOURCE_HEADER, NAME_HEADER]);

export interface UpstreamRequestHeaders {
  /** Raw `[name, value, name, value, …]` for the upstream request, Host rewritten. */
  forward: string[];
  source?: string;
  name?: string;
  userAgent?: string;
}

/** First value of a header in a raw header array (names compared case-insensitively). */
export function rawHeaderValue(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i].toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

/** Headers named in `Connection` are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionListed(raw: readonly string[]): Set<string> {
  const listed = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i].toLowerCase() !== 'connection') continue;
    for (const token of raw[i + 1].split(',')) {
      const t = token.trim().toLowerCase();
      if (t) listed.add(t);
    }
  }
  return listed;
}

function keepEndToEnd(raw: readonly string[], alsoDrop: ReadonlySet<string>): string[] {
  const listed = connectionListed(raw);
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower) || alsoDrop.has(lower)) continue;
    out.push(raw[i], raw[i + 1]);
  }
  return out;
}

export function upstreamRequestHeaders(clientRaw: readonly string[], upstreamHost: string): UpstreamRequestHeaders {
  return {
    forward: ['Host', upstreamHost, ...keepEndToEnd(clientRaw, REQUEST_ONLY_DROPPED)],
    source: rawHeaderValue(clientRaw, SOURCE_HEADER),
    name: rawHeaderValue(clientRaw, NAME_HEADER),
    userAgent: rawHeaderValue(clientRaw, 'user-agent'),
  };
}

export function clientResponseHeaders(upstreamRaw: readonly string[]): string[] {
  return keepEndToEnd(upstreamRaw, new Set());
}
