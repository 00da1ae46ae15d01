/**
 * Runs the recording proxy while the setting is on, and points new integrated terminals' ANTHROPIC_BASE_URL at it.
 * When the proxy cannot start or is turned off, the variable is removed, so no terminal is left aimed at a dead port.
 */
import type * as vscode from 'vscode';
import type { CallInput } from '../shared/callRecord';
import { applyProxyEnvironment, startRecordingProxy, type RecordingProxy } from './collectors/proxy';
import type { ClaudeUsageConfig } from './config';
import type { StoreApi } from './store/storeApi';

export interface ProxyServiceDeps {
  environment: vscode.GlobalEnvironmentVariableCollection;
  /**
   * Where proxied calls are recorded: durably (journal + fsync before the call counts as recorded), so a call the
   * proxy has seen survives the editor being killed. Calls made before `ready` settles wait for it.
   */
  store: Pick<StoreApi, 'record'>;
  ready: Promise<unknown>;
  log: vscode.LogOutputChannel;
  warn(message: string): void;
}

export class ProxyService {
  private proxy: RecordingProxy | undefined;
  private running: Promise<void> = Promise.resolve();
  private key = '';

  constructor(private readonly deps: ProxyServiceDeps) {}

  get url(): string | undefined {
    return this.proxy?.url;
  }

  /** Starts, restarts or stops the proxy to match the settings; calls are serialized. */
  apply(config: ClaudeUsageConfig): Promise<void> {
    const key = config.proxyEnabled ? `${config.proxyPort}|${this.upstream(config)}` : '';
    if (key === this.key) return this.running;
    this.key = key;
    this.running = this.running.then(() => this.switchTo(config));
    return this.running;
  }

  dispose(): Promise<void> {
    this.key = '';
    this.running = this.running.then(() => this.stop());
    return this.running;
  }

  private upstream(config: ClaudeUsageConfig): string {
    // A user who already routes through a gateway keeps it: the proxy forwards there instead of to Anthropic directly.
    const inherited = process.env.ANTHROPIC_BASE_URL;
    const isDefault = config.proxyUpstream === 'https://api.anthropic.com';
    return isDefault && inherited && !/^https?:\/\/127\.0\.0\.1[:/]/.test(inherited) ? inherited : config.proxyUpstream;
  }

  private async switchTo(config: ClaudeUsageConfig): Promise<void> {
    await this.stop();
    if (!config.proxyEnabled) return;
    const { log } = this.deps;
    try {
      this.proxy = await startRecordingProxy({
        port: config.proxyPort,
        upstream: this.upstream(config),
        record: (call) => this.record(call),
        log: (level, message) => log[level](`proxy: ${message}`),
      });
      applyProxyEnvironment(this.deps.environment, this.proxy.url);
      log.info(`Recording proxy listening on ${this.proxy.url}, forwarding to ${this.upstream(config)}. New terminals get ANTHROPIC_BASE_URL.`);
    } catch (e: unknown) {
      applyProxyEnvironment(this.deps.environment, undefined);
      this.deps.warn(`Claude Usage could not start its recording proxy: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Rejections and disk trouble are logged (the proxy never fails a response because of recording). */
  private async record(call: CallInput): Promise<void> {
    const { store, log } = this.deps;
    await this.deps.ready;
    const result = await store.record([call], { durable: true });
    for (const r of result.rejected) log.warn(`proxy: call ${r.key ?? '?'} not recorded: ${r.message}`);
    if (result.durabilityError) log.warn(`proxy: call ${call.key} is counted but not yet on disk: ${result.durabilityError}`);
  }

  private async stop(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = undefined;
    applyProxyEnvironment(this.deps.environment, undefined);
    await proxy?.close().catch(() => undefined);
  }
}
