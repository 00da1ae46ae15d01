/** The dashboard's one HTML page: strict CSP, a nonce on the one script, every asset through asWebviewUri. */
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri, uriJoin: (base: vscode.Uri, ...parts: string[]) => vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(uriJoin(extensionUri, 'dist', 'webview', 'dashboard.js'));
  const style = webview.asWebviewUri(uriJoin(extensionUri, 'media', 'dashboard.css'));
  const csp = [
    "default-src 'none'",
    // The toolkit probes :focus-visible with a <style> element; the nonce (read from csp-nonce) lets only that one in.
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Claude Usage</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
