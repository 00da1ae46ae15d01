/**
 * Serves the test page on loopback: the panel's REAL HTML (dashboardHtml: same CSP, a fresh nonce per load) with this
 * server as the webview's cspSource, plus the theme variables VS Code would inject and the acquireVsCodeApi stand-in;
 * the REAL built bundle (dist/webview/dashboard.js) and stylesheet (media/dashboard.css). Only these files are
 * served; everything else is a 404.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dashboardHtml } from '../../../src/extension/views/dashboard/dashboardHtml';

// CommonJS under tsx (package.json has no "type": "module"), so __dirname is this file's folder.
const ROOT = path.resolve(__dirname, '..', '..', '..');

const FILES: Record<string, { file: string; type: string }> = {
  '/page/theme.css': { file: 'test/browser/page/theme.css', type: 'text/css' },
  '/page/vscodeStandIn.js': { file: 'test/browser/page/vscodeStandIn.js', type: 'text/javascript' },
  '/dist/webview/dashboard.js': { file: 'dist/webview/dashboard.js', type: 'text/javascript' },
  '/dist/webview/dashboard.js.map': { file: 'dist/webview/dashboard.js.map', type: 'application/json' },
};

/** The stylesheets media/dashboard.css imports: .css files under media/, nothing outside it. */
function mediaStylesheet(pathname: string): { file: string; type: string } | undefined {
  return /^\/media\/[a-zA-Z0-9_-]+(\/[a-zA-Z0-9_-]+)*\.css$/.test(pathname) ? { file: pathname.slice(1), type: 'text/css' } : undefined;
}

export type ThemeName = 'dark' | 'light' | 'high-contrast';

const BODY_CLASS: Record<ThemeName, string> = {
  dark: 'vscode-dark',
  light: 'vscode-light',
  'high-contrast': 'vscode-high-contrast',
};

export interface PageServer {
  origin: string;
  url(theme: ThemeName): string;
  close(): Promise<void>;
}

type HtmlArgs = Parameters<typeof dashboardHtml>;

interface FakeUri {
  path: string;
  toString(): string;
}

function fakeUri(p: string): FakeUri {
  return { path: p, toString: () => p };
}

/** The panel's HTML as VS Code would serve it, with the test-only theme variables and host stand-in added. */
export function panelHtml(origin: string, bodyClass: string): string {
  const webview = { cspSource: origin, asWebviewUri: (u: FakeUri) => u } as unknown as HtmlArgs[0];
  const join = ((base: FakeUri, ...parts: string[]) => fakeUri([base.path, ...parts].join('/'))) as unknown as HtmlArgs[2];
  const html = dashboardHtml(webview, fakeUri('') as unknown as HtmlArgs[1], join);
  const nonce = /<script nonce="([^"]+)"/.exec(html)?.[1];
  if (!nonce || !html.includes('<link rel="stylesheet"') || !html.includes('<body>')) {
    throw new Error('dashboardHtml changed shape: expected <body>, a stylesheet <link> and a <script nonce="…">');
  }
  return html
    .replace('<link rel="stylesheet"', '<link rel="stylesheet" href="/page/theme.css">\n<link rel="stylesheet"')
    .replace('<script nonce=', `<script nonce="${nonce}" src="/page/vscodeStandIn.js"></script>\n<script nonce=`)
    .replace('<body>', `<body class="${bodyClass}" data-vscode-theme-kind="${bodyClass}">`);
}

export async function startPageServer(): Promise<PageServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/') {
      const theme = url.searchParams.get('theme');
      const bodyClass = theme === 'light' || theme === 'high-contrast' ? BODY_CLASS[theme] : BODY_CLASS.dark;
      send(200, 'text/html; charset=utf-8', panelHtml(origin, bodyClass));
      return;
    }
    const entry = FILES[url.pathname] ?? mediaStylesheet(url.pathname);
    if (!entry) {
      send(404, 'text/plain', 'not found');
      return;
    }
    readFile(path.join(ROOT, entry.file)).then(
      (body) => send(200, entry.type, body),
      () => send(404, 'text/plain', 'not built'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (theme) => `${origin}/?theme=${theme}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
