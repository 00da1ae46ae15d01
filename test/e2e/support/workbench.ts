/**
 * Driving the VS Code workbench in headless Debian Chromium: the status bar, the command palette, the hover, window
 * reloads, and the dashboard webview (two iframes deep).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { testSel, TestIds } from '../../../src/webview/testIds';

export const CHROMIUM_PATH = process.env.CLAUDE_USAGE_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A size that reads well in README and keeps the dashboard's cards, charts and table on one screen. */
export const VIEWPORT = { width: 1440, height: 1000 };

/** Publisher.name.itemId of the cost item (publisher and name from package.json, item id from commands.ts). */
export const STATUS_BAR_ITEM_DOM_ID = 'claude-usage.claude-usage.claudeUsage.cost';

export interface BrowserSession {
  browser: Browser;
  page: Page;
  /** Console errors and page errors seen so far, for failure reports. */
  consoleLines: string[];
  close(): Promise<void>;
}

/** Launches Chromium (playwright gives it a fresh temporary profile) with one page. */
export async function launchBrowser(colorScheme: 'light' | 'dark'): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const consoleLines: string[] = [];
    const keep = (line: string): void => {
      consoleLines.push(line);
      if (consoleLines.length > 300) consoleLines.shift();
    };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') keep(`[${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => keep(`[pageerror] ${e.message}`));
    return { browser, page, consoleLines, close: () => browser.close() };
  } catch (e: unknown) {
    await browser.close();
    throw e;
  }
}

/** Loads the workbench URL and waits until the status bar shows our item. */
export async function openWorkbench(page: Page, url: string, timeoutMs = 60_000): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await waitForWorkbench(page, timeoutMs);
}

export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await statusBarItem(page).waitFor({ state: 'visible', timeout: timeoutMs });
}

export function statusBarItem(page: Page): Locator {
  return page.locator(`[id="${STATUS_BAR_ITEM_DOM_ID}"]`);
}

/** The item's visible text without the codicon, whitespace collapsed: "$4.27 · 24h". */
export async function statusBarText(page: Page): Promise<string> {
  return collapse(await statusBarItem(page).innerText());
}

/** Hovers the item and returns the tooltip's text (the rendered markdown). */
export async function statusBarTooltip(page: Page, mustContain: string, timeoutMs = 15_000): Promise<string> {
  const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: mustContain });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
    await statusBarItem(page).hover();
    try {
      await hover.first().waitFor({ state: 'visible', timeout: 3000 });
      return (await hover.first().innerText()).replace(/[ \t]+/g, ' ');
    } catch (e: unknown) {
      if (Date.now() > deadline) throw e;
    }
  }
}

export async function dismissHover(page: Page): Promise<void> {
  await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 3);
  await page.keyboard.press('Escape');
}

/** F1, type the command's title, pick the exact entry. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    await page.locator('.monaco-workbench').press('F1').catch(() => page.keyboard.press('F1'));
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch (e: unknown) {
      if (attempt >= 2) throw e;
    }
  }
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * The webview frame showing the dashboard. VS Code nests the extension's page two iframes deep, so search every
 * frame for the dashboard root instead of relying on the nesting.
 */
export async function dashboardFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const count = await frame.locator(testSel(TestIds.dashboard)).count().catch(() => 0);
      if (count > 0) return frame;
    }
    if (Date.now() > deadline) {
      const urls = page.frames().map((f) => f.url() || '(no url)');
      throw new Error(`no webview frame with the dashboard after ${timeoutMs} ms; frames: ${urls.join(', ')}`);
    }
    await page.waitForTimeout(200);
  }
}

/** Polls `read` until `accept` says yes, or throws with the last value seen. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (e: unknown) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const seen = lastError !== undefined ? `error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
