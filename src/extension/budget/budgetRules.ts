/**
 * Budget levels and the notifications they raise, as pure functions of spending, settings and what was already
 * said. One notification per threshold crossing per window: the level already announced in a window is remembered
 * (persisted by the caller), so neither more calls nor a window reload repeat it; a new window starts afresh.
 */
import type { Nanos } from '../../shared/money';
import { BUDGET_KINDS, type BudgetKind } from './budgetWindows';

export type BudgetLevel = 'ok' | 'warning' | 'over';

export interface BudgetSettings {
  /** USD per window; null or 0 = no budget. */
  limitsUsd: Readonly<Record<BudgetKind, number | null>>;
  /** Warn at this share of a budget, in percent (1–100). */
  warningPercent: number;
  notify: boolean;
}

export interface BudgetLine {
  kind: BudgetKind;
  windowKey: string;
  windowLabel: string;
  spentNanos: Nanos;
  limitNanos: Nanos;
  level: BudgetLevel;
}

/** What was announced, per budget: the window and the highest level told in it. */
export type AnnouncedLevels = Partial<Record<BudgetKind, { window: string; level: Exclude<BudgetLevel, 'ok'> }>>;

export interface BudgetAlert {
  kind: BudgetKind;
  level: Exclude<BudgetLevel, 'ok'>;
  line: BudgetLine;
}

const RANK: Readonly<Record<BudgetLevel, number>> = { ok: 0, warning: 1, over: 2 };

export function usdToNanos(usd: number): Nanos {
  return Math.round(usd * 1_000_000_000);
}

/** A budget limit from a setting value: a positive finite number of USD, else no budget. */
export function budgetLimitNanos(usd: unknown): Nanos | null {
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd <= 0) return null;
  return usdToNanos(usd);
}

export function levelOf(spentNanos: Nanos, limitNanos: Nanos, warningPercent: number): BudgetLevel {
  if (spentNanos >= limitNanos) return 'over';
  // Integer comparison: spent / limit >= percent / 100.
  return spentNanos * 100 >= limitNanos * clampPercent(warningPercent) ? 'warning' : 'ok';
}

export function clampPercent(p: number): number {
  return Number.isFinite(p) ? Math.min(100, Math.max(1, p)) : 80;
}

/** The worst level among the lines (ok when there are none). */
export function worstLevel(lines: readonly BudgetLine[]): BudgetLevel {
  return lines.reduce<BudgetLevel>((worst, l) => (RANK[l.level] > RANK[worst] ? l.level : worst), 'ok');
}

/**
 * Which lines deserve a notification now, and what is announced afterwards. A crossing straight past both
 * thresholds is one notification (the higher one).
 */
export function budgetAlerts(lines: readonly BudgetLine[], announced: AnnouncedLevels, notify: boolean): { alerts: BudgetAlert[]; announced: AnnouncedLevels } {
  const next: AnnouncedLevels = {};
  const alerts: BudgetAlert[] = [];
  for (const kind of BUDGET_KINDS) {
    const line = lines.find((l) => l.kind === kind);
    const before = announced[kind];
    if (!line) continue;
    const told = before && before.window === line.windowKey ? before.level : undefined;
    if (line.level !== 'ok' && RANK[line.level] > (told ? RANK[told] : 0)) {
      if (notify) alerts.push({ kind, level: line.level, line });
      next[kind] = { window: line.windowKey, level: line.level };
    } else if (told) {
      next[kind] = { window: line.windowKey, level: told };
    }
  }
  return { alerts, announced: next };
}

/** Parses persisted announcements; anything damaged is forgotten (at worst one notification repeats). */
export function parseAnnounced(value: unknown): AnnouncedLevels {
  const out: AnnouncedLevels = {};
  if (typeof value !== 'object' || value === null) return out;
  const record = value as Record<string, unknown>;
  for (const kind of BUDGET_KINDS) {
    const entry = record[kind];
    if (typeof entry !== 'object' || entry === null) continue;
    const { window, level } = entry as Record<string, unknown>;
    if (typeof window === 'string' && (level === 'warning' || level === 'over')) out[kind] = { window, level };
  }
  return out;
}
