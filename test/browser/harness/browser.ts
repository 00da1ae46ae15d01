/** Launches Debian's chromium through playwright-core and opens the test page wired to a HostBridge. */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { HostBridge } from './hostBridge';
import type { PageServer, ThemeName } from './pageServer';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

export interface OpenOptions {
  theme?: ThemeName;
  /** IANA zone of the page (the buckets follow it). */
  timeZone?: string;
  viewport?: { width: number; height: number };
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, for a "no errors" assertion. */
  errors: string[];
}

export async function openDashboard(browser: Browser, server: PageServer, bridge: HostBridge, o: OpenOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: o.viewport ?? { width: 1280, height: 900 },
    timezoneId: o.timeZone ?? 'Asia/Kolkata',
    locale: 'en-US',
    reducedMotion: 'reduce',
    deviceScaleFactor: 1,
  });
  // Nothing leaves loopback: any other request fails the test visibly.
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await bridge.attach(page);
  await page.goto(server.url(o.theme ?? 'dark'));
  return { context, page, errors };
}

export interface CspViolation {
  directive: string;
  blocked: string;
  sample: string;
  where: string;
}

/** CSP violations the page reported (the stand-in listens for `securitypolicyviolation`). */
export function cspViolations(page: Page): Promise<CspViolation[]> {
  return page.evaluate(() => (globalThis as unknown as { __cspViolations?: CspViolation[] }).__cspViolations ?? []);
}

/**
 * The one tolerated report: FAST (under the toolkit) probes `:focus-visible` support by adding an EMPTY <style>
 * element, which a CSP without a style nonce blocks; nothing is lost (it falls back to `:focus`). Recognised by its
 * empty sample, and in the console by the hash of the empty string.
 */
const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

export function isFastFocusProbe(v: CspViolation): boolean {
  return v.directive === 'style-src-elem' && v.blocked === 'inline' && v.sample === '';
}

export function isFastFocusProbeMessage(text: string): boolean {
  return text.includes('Applying inline style violates') && text.includes(EMPTY_STYLE_HASH);
}
