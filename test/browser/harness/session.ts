/** One browser and one page server per test file; each test opens its own context wired to its own HostBridge. */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StoreApi } from '../../../src/extension/store/storeApi';
import { cspViolations, isFastFocusProbe, isFastFocusProbeMessage, launchBrowser, openDashboard, type OpenOptions } from './browser';
import { DashboardPage } from './dashboardPage';
import { NOW } from './fixtureCalls';
import { HostBridge, type HostBridgeOptions } from './hostBridge';
import { startPageServer, type PageServer } from './pageServer';

export interface OpenedDashboard {
  bridge: HostBridge;
  page: Page;
  context: BrowserContext;
  d: DashboardPage;
  errors: string[];
}

export class BrowserSession {
  private readonly contexts: BrowserContext[] = [];

  private constructor(
    readonly browser: Browser,
    readonly server: PageServer,
  ) {}

  static async start(): Promise<BrowserSession> {
    const server = await startPageServer();
    try {
      return new BrowserSession(await launchBrowser(), server);
    } catch (e: unknown) {
      await server.close();
      throw e;
    }
  }

  /** Opens the dashboard on `store`; waits for the first snapshot unless `waitLoaded` is false. */
  async open(store: StoreApi, o: OpenOptions & Partial<Omit<HostBridgeOptions, 'store'>> & { waitLoaded?: boolean } = {}): Promise<OpenedDashboard> {
    const bridge = new HostBridge({ now: NOW, ...o, store });
    const { context, page, errors } = await openDashboard(this.browser, this.server, bridge, o);
    this.contexts.push(context);
    const d = new DashboardPage(page);
    if (o.waitLoaded !== false) await d.waitLoaded();
    return { bridge, page, context, d, errors };
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => {});
    await this.browser.close();
    await this.server.close();
  }
}

/** What must hold on any screen: no NaN / undefined / $undefined text, no CSP breach, no script errors. */
export async function assertClean(o: Pick<OpenedDashboard, 'page' | 'd' | 'errors'>): Promise<void> {
  const text = await o.d.bodyText();
  assert.doesNotMatch(text, /\bNaN\b/, 'NaN on screen');
  assert.doesNotMatch(text, /undefined/, '"undefined" on screen');
  assert.doesNotMatch(text, /\bnull\b/, '"null" on screen');
  assert.doesNotMatch(text, /Infinity/, 'Infinity on screen');
  const violations = (await cspViolations(o.page)).filter((v) => !isFastFocusProbe(v));
  assert.deepEqual(violations, [], 'CSP violations');
  assert.deepEqual(o.errors.filter((e) => !isFastFocusProbeMessage(e)), [], 'page errors');
}
