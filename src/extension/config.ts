/**
 * Settings, read into one typed object that mirrors `contributes.configuration` in package.json.
 * Only this file knows the setting names.
 */
import * as vscode from 'vscode';
import type { Billing } from '../shared/protocol';
import type { AlertSettings } from './budget/budgetMonitor';

export const CONFIG_SECTION = 'claudeUsage';

export interface ClaudeUsageConfig {
  /** Read Claude Code transcripts (`~/.claude/projects`, `CLAUDE_CONFIG_DIR`). */
  claudeCodeEnabled: boolean;
  /** More Claude Code config directories to read (a synced folder from another machine, a WSL path). */
  claudeCodeExtraDirectories: string[];
  /** User prices in USD per million tokens, by model id; validated in the store's worker. */
  priceOverrides: unknown;
  /** Show the selected period's cost in the status bar. */
  statusBarEnabled: boolean;
  /** Run the loopback recording proxy and point integrated terminals' ANTHROPIC_BASE_URL at it. */
  proxyEnabled: boolean;
  /** Proxy port on 127.0.0.1; 0 picks a free port. */
  proxyPort: number;
  /** Where the proxy forwards to. */
  proxyUpstream: string;
  /** How the user pays: per token (API key) or a Pro/Max subscription, whose costs are then API-equivalent. */
  billing: Billing;
  /** Budgets, warning share and spike alerts. */
  alerts: AlertSettings;
  /** Keep records for this many days; null keeps them forever. */
  retentionDays: number | null;
}

export function readConfig(): ClaudeUsageConfig {
  const c = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const extra = c.get<unknown>('claudeCode.extraDirectories', []);
  const port = c.get<unknown>('proxy.port', 0);
  return {
    claudeCodeEnabled: c.get<boolean>('claudeCode.enabled', true) !== false,
    claudeCodeExtraDirectories: Array.isArray(extra) ? extra.filter((d): d is string => typeof d === 'string' && d.trim() !== '') : [],
    // Settings objects come back as proxies that cannot cross to the worker: send a plain copy.
    priceOverrides: plainCopy(c.get<unknown>('priceOverrides', {})),
    statusBarEnabled: c.get<boolean>('statusBar.enabled', true) !== false,
    proxyEnabled: c.get<boolean>('proxy.enabled', false) === true,
    proxyPort: typeof port === 'number' && Number.isInteger(port) && port >= 0 && port < 65536 ? port : 0,
    proxyUpstream: c.get<string>('proxy.upstream', 'https://api.anthropic.com') || 'https://api.anthropic.com',
    billing: c.get<unknown>('billing', 'api') === 'subscription' ? 'subscription' : 'api',
    alerts: {
      limitsUsd: {
        daily: usd(c.get<unknown>('budget.daily', null)),
        weekly: usd(c.get<unknown>('budget.weekly', null)),
        monthly: usd(c.get<unknown>('budget.monthly', null)),
      },
      warningPercent: percent(c.get<unknown>('budget.warningPercent', 80)),
      notify: c.get<boolean>('budget.notifications', true) !== false,
      spikeAlerts: c.get<boolean>('alerts.spikes', true) !== false,
      spikeMinimumUsd: usd(c.get<unknown>('alerts.spikeMinimumUsd', 2)) ?? 2,
    },
    retentionDays: days(c.get<unknown>('retentionDays', null)),
  };
}

/** A budget amount: a positive number of USD, else none. */
function usd(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** A retention period: a whole number of days, at least one; anything else keeps records forever. */
function days(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : null;
}

function percent(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(100, Math.max(1, value)) : 80;
}

function plainCopy(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? {})) as unknown;
  } catch {
    return {};
  }
}
