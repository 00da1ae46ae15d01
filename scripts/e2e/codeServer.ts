/**
 * code-server (VS Code 1.100.3 with a real Node extension host) as used by the E2E suite and by `npm start`:
 * where it is installed, a profile folder, installing a .vsix, and a server bound to 127.0.0.1 only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnGroup, type GroupProcess } from './processGroups';

export const CODE_SERVER_VERSION = '4.100.3';
// CommonJS under tsx (package.json has no "type": "module"), so __dirname is this file's folder.
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'e2e', 'install-code-server.sh');
export const INSTALL_COMMAND = 'bash scripts/e2e/install-code-server.sh';

/** Cache shared by local runs and CI: code-server itself and `npm start`'s persistent profile. */
export function e2eCacheDir(): string {
  return process.env.CLAUDE_USAGE_E2E_CACHE || path.join(os.homedir(), '.cache', 'claude-usage-e2e');
}

export function codeServerDir(): string {
  return path.join(e2eCacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerEntry(): string {
  return path.join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export function isCodeServerInstalled(): boolean {
  return existsSync(path.join(codeServerDir(), '.complete')) && existsSync(codeServerEntry());
}

/** Runs the install script (a no-op when already installed); output goes to this process's stderr. */
export function installCodeServer(): void {
  const result = spawnSync('bash', [INSTALL_SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`installing code-server failed (${INSTALL_COMMAND}, exit ${result.status})`);
}

/** Settings that keep the workbench quiet: no telemetry, start page, trust prompt, updates or recommendations. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
};

/** For tests only, on top of QUIET_SETTINGS: a plain, deterministic window (nothing a real user would want off). */
export const TEST_SETTINGS: Readonly<Record<string, unknown>> = {
  ...QUIET_SETTINGS,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  'editor.minimap.enabled': false,
};

export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
  settingsFile: string;
}

/**
 * A profile folder: user data, extensions, a config.yaml without auth. Settings are written when `settings` is given
 * (the test writes them every run; `npm start` only the first time, so the user's changes stay).
 */
export function prepareProfile(root: string, settings: Record<string, unknown> | undefined): Profile {
  const profile: Profile = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    configFile: path.join(root, 'config.yaml'),
    settingsFile: path.join(root, 'user-data', 'User', 'settings.json'),
  };
  mkdirSync(path.dirname(profile.settingsFile), { recursive: true });
  mkdirSync(profile.extensionsDir, { recursive: true });
  // bind-addr here is only a fallback: the command line always passes one.
  writeFileSync(profile.configFile, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  if (settings) writeFileSync(profile.settingsFile, JSON.stringify(settings, null, 2) + '\n');
  return profile;
}

/**
 * The server's environment: no gallery look-ups, no inherited VS Code variables that would point at another window,
 * no CLAUDE_CONFIG_DIR unless kept (tests read only their fixture HOME; `npm start` keeps the user's), plus the
 * caller's overrides (HOME, TMPDIR, XDG_* for tests).
 */
export function codeServerEnv(overrides: Record<string, string>, options: { keepClaudeConfigDir?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'CLAUDE_CONFIG_DIR' && !options.keepClaudeConfigDir) continue;
    if (key.startsWith('VSCODE_') || key === 'PASSWORD' || key === 'HASHED_PASSWORD') continue;
    if (key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_OPTIONS' || key.startsWith('npm_')) continue;
    env[key] = value;
  }
  env.EXTENSIONS_GALLERY = '{}';
  return { ...env, ...overrides };
}

function profileArgs(profile: Profile): string[] {
  return ['--config', profile.configFile, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** `code-server --install-extension x.vsix --force`; throws with code-server's output when it fails. */
export function installExtension(profile: Profile, vsixPath: string, env: NodeJS.ProcessEnv): void {
  if (!existsSync(vsixPath)) throw new Error(`no extension package at ${vsixPath} (build it with \`npm run package\`)`);
  const result = spawnSync(
    process.execPath,
    [codeServerEntry(), ...profileArgs(profile), '--install-extension', vsixPath, '--force'],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${path.basename(vsixPath)} into code-server failed (exit ${result.status}):\n${output}`);
  }
}

export interface RunningCodeServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  process: GroupProcess;
  /** The workbench URL with `?folder=`. */
  workbenchUrl(folder: string): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  profile: Profile;
  env: NodeJS.ProcessEnv;
  /** The folder opened when the URL has no `?folder=` of its own. */
  folder: string;
  /** 0 (default) lets the OS choose a free port; code-server prints the one it got. */
  port?: number;
  readyTimeoutMs?: number;
}

const LISTENING = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/;

/** Starts code-server on 127.0.0.1 and resolves once `/healthz` answers 200. */
export async function startCodeServer(options: StartOptions): Promise<RunningCodeServer> {
  if (!isCodeServerInstalled()) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed in ${codeServerDir()}. Install it with:\n  ${INSTALL_COMMAND}`);
  }
  const requestedPort = options.port ?? 0;
  const server = spawnGroup(
    process.execPath,
    [
      codeServerEntry(),
      ...profileArgs(options.profile),
      '--bind-addr',
      `127.0.0.1:${requestedPort}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      options.folder,
    ],
    { env: options.env, cwd: options.folder },
  );
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    let port = requestedPort;
    while (port === 0) {
      const match = LISTENING.exec(server.output());
      if (match) port = Number(match[1]);
      else await waitOrThrow(server, deadline, 'to print its port');
    }
    const origin = `http://127.0.0.1:${port}`;
    while (!(await healthy(origin))) await waitOrThrow(server, deadline, `to answer ${origin}/healthz`);
    return {
      origin,
      port,
      process: server,
      workbenchUrl: (folder: string) => `${origin}/?folder=${encodeURIComponent(folder)}`,
      stop: () => server.stop(),
    };
  } catch (e: unknown) {
    await server.stop();
    throw e;
  }
}

async function waitOrThrow(server: GroupProcess, deadline: number, what: string): Promise<void> {
  if (!server.isAlive()) throw new Error(`code-server exited before it was ready. Its output:\n${server.output()}`);
  if (Date.now() > deadline) throw new Error(`code-server did not get ready in time (waiting ${what}). Its output:\n${server.output()}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}

async function healthy(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}
