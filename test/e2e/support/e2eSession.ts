/**
 * One E2E session: a fresh run folder (profile, fixture HOME, workspace, TMPDIR, XDG dirs), code-server on
 * 127.0.0.1 with the packaged extension installed, and headless Chromium on the workbench. `dispose()` stops
 * everything it started and removes the run folder; `failureReport()` gathers the logs for a readable failure.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  CODE_SERVER_VERSION,
  codeServerEnv,
  codeServerDir,
  INSTALL_COMMAND,
  installExtension,
  isCodeServerInstalled,
  prepareProfile,
  TEST_SETTINGS,
  REPO_ROOT,
  startCodeServer,
  type Profile,
  type RunningCodeServer,
} from '../../../scripts/e2e/codeServer';
import { diagnosticReport, saveLogs, type DiagnosticSources } from './diagnostics';
import { launchBrowser, openWorkbench, runCommand, screenshot, waitForWorkbench, type BrowserSession } from './workbench';

export type Theme = 'light' | 'dark';
export const THEME_NAMES: Readonly<Record<Theme, string>> = {
  light: 'Default Light Modern',
  dark: 'Default Dark Modern',
};

export const OUTPUT_DIR = path.join(REPO_ROOT, 'test-output');
/** Named in README; CI keeps test-output/. */
export const SCREENSHOT_DIR = path.join(OUTPUT_DIR, 'screenshots', 'e2e');
export const DEFAULT_VSIX = process.env.CLAUDE_USAGE_VSIX || path.join(REPO_ROOT, 'claude-usage.vsix');

export interface RunFolders {
  root: string;
  home: string;
  workspace: string;
}

/** Throws the message a developer needs when code-server or the package is missing. */
export function assertPrerequisites(vsixPath: string): void {
  if (!isCodeServerInstalled()) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed (looked in ${codeServerDir()}).\n` +
        `Install it once (about a minute; needs Debian's ripgrep and libkrb5-dev) with:\n  ${INSTALL_COMMAND}`,
    );
  }
  if (!existsSync(vsixPath)) {
    throw new Error(`the packaged extension ${vsixPath} is missing. Build it with:\n  npm run package`);
  }
}

/** A fresh run folder with an empty HOME and workspace for the caller to fill before `startSession`. */
export function createRunFolders(): RunFolders {
  const root = mkdtempSync(path.join(os.tmpdir(), 'claude-usage-e2e-'));
  const folders = { root, home: path.join(root, 'home'), workspace: path.join(root, 'workspace', 'demo-project') };
  mkdirSync(folders.home, { recursive: true });
  mkdirSync(folders.workspace, { recursive: true });
  return folders;
}

export interface E2ESession {
  folders: RunFolders;
  profile: Profile;
  server: RunningCodeServer;
  page: Page;
  theme: Theme;
  workbenchUrl: string;
  /** Saves `<theme>-<name>.png` in SCREENSHOT_DIR. */
  screenshot(name: string): Promise<string>;
  /** Runs "Developer: Reload Window" and waits for the workbench and our status-bar item to come back. */
  reloadWindow(): Promise<void>;
  /** Logs and output for a failure message; also saves them (and a screenshot) under test-output/e2e-logs/. */
  failureReport(): Promise<string>;
  /** Copies the logs to test-output/e2e-logs/<theme>/ (kept by CI). */
  saveLogs(): void;
  dispose(): Promise<void>;
}

export interface SessionOptions {
  folders: RunFolders;
  theme: Theme;
  vsixPath?: string;
  /** Extra user settings on top of the quiet defaults and the theme. */
  settings?: Record<string, unknown>;
}

export async function startSession(options: SessionOptions): Promise<E2ESession> {
  const { folders, theme } = options;
  const vsixPath = options.vsixPath ?? DEFAULT_VSIX;
  assertPrerequisites(vsixPath);
  const xdg = (name: string): string => {
    const dir = path.join(folders.root, 'xdg', name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const tmpDir = path.join(folders.root, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const profile = prepareProfile(path.join(folders.root, 'profile'), {
    ...TEST_SETTINGS,
    'workbench.colorTheme': THEME_NAMES[theme],
    ...options.settings,
  });
  const env = codeServerEnv({
    HOME: folders.home,
    TMPDIR: tmpDir,
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    XDG_CACHE_HOME: xdg('cache'),
    XDG_RUNTIME_DIR: xdg('runtime'),
  });
  installExtension(profile, vsixPath, env);

  const server = await startCodeServer({ profile, env, folder: folders.workspace });
  let browser: BrowserSession | undefined;
  const sources: DiagnosticSources = {
    userDataDir: profile.userDataDir,
    serverOutput: () => server.process.output(),
    consoleLines: () => browser?.consoleLines ?? [],
  };
  const logDir = path.join(OUTPUT_DIR, 'e2e-logs', theme);
  rmSync(logDir, { recursive: true, force: true });
  const stopAll = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server.stop();
  };
  try {
    browser = await launchBrowser(theme);
    const page = browser.page;
    const workbenchUrl = server.workbenchUrl(folders.workspace);
    try {
      await openWorkbench(page, workbenchUrl);
    } catch (e: unknown) {
      await screenshot(page, logDir, 'failure').catch(() => undefined);
      saveLogs(sources, logDir);
      throw new Error(`the workbench or the Claude Usage status-bar item did not appear: ${message(e)}\n\n${diagnosticReport(sources)}`);
    }
    // The dashboard gets the window's whole width (wider tables and charts in the screenshots).
    await runCommand(page, 'View: Close Primary Side Bar');
    return {
      folders,
      profile,
      server,
      page,
      theme,
      workbenchUrl,
      screenshot: (name) => screenshot(page, SCREENSHOT_DIR, `${theme}-${name}`),
      async reloadWindow() {
        await runCommand(page, 'Developer: Reload Window');
        await page.waitForLoadState('domcontentloaded');
        await waitForWorkbench(page);
      },
      async failureReport() {
        await screenshot(page, logDir, 'failure').catch(() => undefined);
        saveLogs(sources, logDir);
        return diagnosticReport(sources);
      },
      saveLogs: () => saveLogs(sources, logDir),
      async dispose() {
        await stopAll();
        if (!process.env.CLAUDE_USAGE_E2E_KEEP) rmSync(folders.root, { recursive: true, force: true });
      },
    };
  } catch (e: unknown) {
    await stopAll();
    throw e;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
