/** Entry point. Activation is cheap: construct, hand back the public API; the store opens in its worker afterwards. */
import * as vscode from 'vscode';
import type { ClaudeUsageApi } from './api/publicApi';
import { UsageApp } from './usageApp';

let app: UsageApp | undefined;

export function activate(context: vscode.ExtensionContext): ClaudeUsageApi {
  const log = vscode.window.createOutputChannel('Claude Usage', { log: true });
  context.subscriptions.push(log);
  app = new UsageApp(context, log);
  return app.api;
}

export async function deactivate(): Promise<void> {
  await app?.shutdown();
  app = undefined;
}
