/** The upstream URL, checked once at start so a typo in the setting is a clear error rather than 502s later. */

export interface UpstreamTarget {
  https: boolean;
  /** For `http.request` (IPv6 without brackets). */
  hostname: string;
  port: number;
  /** The Host header for upstream requests (`api.anthropic.com`, `gateway:8443`). */
  hostHeader: string;
  /** A path the upstream lives under, without trailing slash (`''` for the root). */
  pathPrefix: string;
  /** Safe to log: scheme, host and path, never credentials or a query. */
  display: string;
}

export function parseUpstream(value: string): UpstreamTarget {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`Recording proxy: the upstream "${value.slice(0, 200)}" is not a URL (expected e.g. https://api.anthropic.com).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Recording proxy: the upstream must be an http or https URL, not ${url.protocol}`);
  }
  const https = url.protocol === 'https:';
  const pathPrefix = url.pathname.replace(/\/+$/, '');
  return {
    https,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : https ? 443 : 80,
    hostHeader: url.host,
    pathPrefix,
    display: `${url.protocol}//${url.host}${pathPrefix}`,
  };
}
