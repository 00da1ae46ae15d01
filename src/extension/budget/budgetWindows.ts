/**
 * The calendar windows budgets are measured in, in the user's time zone: today, this week (Monday to Sunday, as ISO
 * 8601 counts weeks) and this month, each so far. A window's key changes when a new window starts, which is what
 * re-arms its notifications.
 */
import { addDays, localDate, localDayStart, type TimeRange } from '../../shared/period';

export type BudgetKind = 'daily' | 'weekly' | 'monthly';
export const BUDGET_KINDS: readonly BudgetKind[] = ['daily', 'weekly', 'monthly'];

export interface BudgetWindow {
  kind: BudgetKind;
  /** Stable id of the window, e.g. `2026-11-20`, `week-2026-11-16`, `2026-11`. */
  key: string;
  range: TimeRange;
  /** "today", "this week", "this month". */
  label: string;
}

const LABELS: Readonly<Record<BudgetKind, string>> = { daily: 'today', weekly: 'this week', monthly: 'this month' };

export function budgetWindow(kind: BudgetKind, now: number, timeZone: string): BudgetWindow {
  const today = localDate(now, timeZone);
  let first: string;
  let key: string;
  switch (kind) {
    case 'daily':
      first = today;
      key = today;
      break;
    case 'weekly': {
      const weekday = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 = Sunday
      first = addDays(today, -((weekday + 6) % 7));
      key = `week-${first}`;
      break;
    }
    case 'monthly':
      first = `${today.slice(0, 8)}01`;
      key = today.slice(0, 7);
      break;
  }
  return { kind, key, range: { from: localDayStart(first, timeZone), to: now + 1 }, label: LABELS[kind] };
}
