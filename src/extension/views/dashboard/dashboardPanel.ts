/**
 * The Usage dashboard's webview panel: one at a time, restored after a window reload by the serializer, and fed by a
 * DashboardController. No retainContextWhenHidden: when the panel comes back into view the webview restarts from its
 * saved UI state and the controller sends a fresh snapshot on its `ready`.
 */
import * as vscode from 'vscode';
import { VIEW_TYPE_DASHBOARD } from '../../commands';
import { Disposable } from '../../util/disposable';
import { DashboardController, type DashboardControllerOptions } from './dashboardController';
import { dashboardHtml } from './dashboardHtml';

export type PanelDeps = Omit<DashboardControllerOptions, 'post'>;

export class DashboardPanel extends Disposable {
  private static current: DashboardPanel | undefined;

  static createOrShow(extensionUri: vscode.Uri, deps: PanelDeps): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE_DASHBOARD, 'Claude Usage', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    return (DashboardPanel.current = new DashboardPanel(panel, extensionUri, deps));
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, deps: PanelDeps): DashboardPanel {
    DashboardPanel.current?.dispose();
    panel.webview.options = webviewOptions(extensionUri);
    return (DashboardPanel.current = new DashboardPanel(panel, extensionUri, deps));
  }

  /** The open panel's controller, for pushing updates; undefined when no dashboard is open. */
  static get controller(): DashboardController | undefined {
    return DashboardPanel.current?.controller;
  }

  private readonly controller: DashboardController;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    deps: PanelDeps,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.controller = new DashboardController({
      ...deps,
      post: (message) => {
        // A message posted to a panel being torn down is simply dropped.
        void panel.webview.postMessage(message).then(undefined, () => undefined);
      },
    });
    panel.webview.html = dashboardHtml(panel.webview, extensionUri, vscode.Uri.joinPath);
    this._register(panel.webview.onDidReceiveMessage((msg: unknown) => {
      this.controller.handle(msg).catch((e: unknown) => deps.log?.(`Dashboard request failed: ${e instanceof Error ? e.message : String(e)}`));
    }));
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
