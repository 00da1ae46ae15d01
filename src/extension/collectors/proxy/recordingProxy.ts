/**
 * The loopback recording proxy: an HTTP server on 127.0.0.1 that forwards everything to the Anthropic API (or the
 * configured upstream) and records one call per Messages API response. Point `ANTHROPIC_BASE_URL` at its url.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CallInput } from '../../../shared/callRecord';
import { CallerIdentityReader } from './callerIdentity';
import { type ExchangeContext, handleExchange } from './proxiedExchange';
import { describeNetworkError, sendProxyError } from './proxyErrors';
import {
  DEFAULT_MAX_JSON_BODY_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_UPSTREAM,
  type ProxyLog,
  type RecordingProxy,
  type RecordingProxyOptions,
} from './proxyTypes';
import { parseUpstream } from './upstreamTarget';

const LOOPBACK = '127.0.0.1';
const IDLE_UPSTREAM_SOCKET_MS = 15_000;

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why =
        err.code === 'EADDRINUSE'
          ? `port ${port} on ${LOOPBACK} is already in use; choose another port (0 picks a free one)`
          : err.code === 'EACCES'
            ? `not allowed to listen on port ${port}; choose a port above 1023 (0 picks a free one)`
            : describeNetworkError(err);
      reject(new Error(`Recording proxy could not start: ${why}.`));
    };
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const { port } = options;
  const log: ProxyLog = (level, message) => {
    try {
      options.log(level, message);
    } catch {
      // A failing logger must never break forwarding.
    }
  };
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Recording proxy: port must be an integer from 0 to 65535, got ${String(port)}.`);
  }
  const target = parseUpstream(options.upstream ?? DEFAULT_UPSTREAM);
  // Reused connections save a TLS handshake per call; idle ones are dropped well before a server would drop them.
  const agentOptions = { keepAlive: true, timeout: IDLE_UPSTREAM_SOCKET_MS };
  const agent = target.https ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    const settled = work.then(
      () => undefined,
      (err: unknown) => log('error', `Recording proxy: ${describeNetworkError(err)}`),
    );
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  };
  const record = (call: CallInput): void => {
    track(
      Promise.resolve()
        .then(() => options.record(call))
        .catch((err: unknown) => {
          const why = err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
          log('error', `Recording proxy: could not record call ${call.key}: ${why}`);
        }),
    );
  };
  const ctx: ExchangeContext = {
    target,
    agent,
    timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxJsonBodyBytes: options.maxJsonBodyBytes ?? DEFAULT_MAX_JSON_BODY_BYTES,
    log,
    identities: new CallerIdentityReader(log),
    record,
    track,
  };

  const server = http.createServer((req, res) => {
    try {
      handleExchange(ctx, req, res);
    } catch (err: unknown) {
      // Never let one odd request throw out of the server (in the extension host that would be an uncaught error).
      log('error', `Recording proxy: ${req.method ?? ''} request failed: ${describeNetworkError(err)}`);
      sendProxyError(res, 502, 'api_error', 'The Claude Usage recording proxy could not forward this request.');
    }
  });
  let boundPort: number;
  try {
    boundPort = await listen(server, port);
  } catch (err: unknown) {
    agent.destroy();
    throw err;
  }
  server.on('error', (err) => log('error', `Recording proxy: ${describeNetworkError(err)}`));
  const url = `http://${LOOPBACK}:${boundPort}`;
  log('info', `Recording proxy listening on ${url}, forwarding to ${target.display}.`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // open streams are cut; their calls are concluded (and recorded if complete)
      await stopped;
      agent.destroy();
      while (pending.size > 0) await Promise.all([...pending]);
      log('info', 'Recording proxy stopped.');
    })();
    return closing;
  };
  return { port: boundPort, url, close };
}
