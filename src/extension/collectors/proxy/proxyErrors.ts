/**
 * Errors the proxy answers itself, in the Anthropic API's error shape so SDKs show them like any API error
 * (`{"type":"error","error":{"type":…,"message":…}}`).
 */
import type { ServerResponse } from 'node:http';

export type ProxyErrorType = 'api_error' | 'invalid_request_error';

export function sendProxyError(res: ServerResponse, status: number, type: ProxyErrorType, message: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ type: 'error', error: { type, message } });
  try {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-claude-usage-proxy': 'error',
    });
    res.end(body);
  } catch {
    res.destroy(); // the client still learns the call failed
  }
}

/** Marks an upstream request we ended because upstream went silent for too long. */
export class UpstreamTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response from upstream for ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'UpstreamTimeoutError';
  }
}

/** A short, key-free description of a network error for messages and logs. */
export function describeNetworkError(err: unknown): string {
  if (err instanceof UpstreamTimeoutError) return err.message;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code ? `${code}: ${err.message}`.slice(0, 200) : err.message.slice(0, 200);
  }
  return 'unknown error';
}
