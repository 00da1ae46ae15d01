/**
 * The recording proxy's public shapes. The proxy is vscode-free: the extension (or a test) starts it, hands it a
 * `record` function and a log, and closes it.
 */
import type { CallInput } from '../../../shared/callRecord';

export type ProxyLogLevel = 'info' | 'warn' | 'error';

export interface ProxyLog {
  (level: ProxyLogLevel, message: string): void;
}

export interface RecordingProxyOptions {
  /** Port on 127.0.0.1; 0 picks any free port. */
  port: number;
  /** Where requests go, e.g. `https://api.anthropic.com` (the default). A path prefix is kept. */
  upstream?: string;
  /** Receives one call per recorded Messages API response. Rejections are logged, never thrown. */
  record(call: CallInput): Promise<void>;
  log: ProxyLog;
  /**
   * Upstream inactivity limit: no byte from upstream for this long ends the request (504 before the response
   * started, a cut stream after). Default 10 minutes, the official SDKs' own default request timeout.
   */
  requestTimeoutMs?: number;
  /** Largest (decoded) JSON response body kept for reading usage; larger bodies are forwarded but not recorded. */
  maxJsonBodyBytes?: number;
}

export interface RecordingProxy {
  port: number;
  /** `http://127.0.0.1:<port>` — the value for `ANTHROPIC_BASE_URL`. */
  url: string;
  /** Stops listening, cuts open connections, waits for calls being recorded. */
  close(): Promise<void>;
}

export const DEFAULT_UPSTREAM = 'https://api.anthropic.com';
export const DEFAULT_REQUEST_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_JSON_BODY_BYTES = 20 * 1024 * 1024;

/** Request headers a caller can use to label its calls; never forwarded upstream. */
export const SOURCE_HEADER = 'x-claude-usage-source';
export const NAME_HEADER = 'x-claude-usage-name';
