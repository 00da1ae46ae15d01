/** The sentences of budget and spike notifications and the status bar's budget lines. */
import { formatShare } from '../../shared/format';
import { formatUsd } from '../../shared/money';
import type { Alert } from './budgetMonitor';
import type { BudgetLine } from './budgetRules';

const NAMES = { daily: 'daily', weekly: 'weekly', monthly: 'monthly' } as const;

/** `costWord`: "spent" for API billing, "API-equivalent cost" for subscriptions. */
export function alertMessage(alert: Alert, subscription: boolean): string {
  if (alert.type === 'spike') {
    const v = alert.verdict;
    const what = subscription ? 'API-equivalent cost' : 'Claude usage cost';
    const baseline = v.baselineNanos !== null && v.baselineNanos > 0 ? ` — ${Math.round(v.lastHourNanos / v.baselineNanos)}× the usual ${formatUsd(v.baselineNanos)} per active hour` : '';
    return `Claude Usage: unusual spending — ${what} in the last hour is ${formatUsd(v.lastHourNanos)}${baseline}.`;
  }
  const { line, level } = alert.alert;
  const spent = subscription ? 'API-equivalent cost' : 'spent';
  const share = formatShare(line.spentNanos, line.limitNanos);
  return level === 'over'
    ? `Claude Usage: ${NAMES[line.kind]} budget reached — ${formatUsd(line.spentNanos)} ${spent} ${line.windowLabel}, budget ${formatUsd(line.limitNanos)} (${share}).`
    : `Claude Usage: ${share} of the ${NAMES[line.kind]} budget used — ${formatUsd(line.spentNanos)} ${spent} ${line.windowLabel} of ${formatUsd(line.limitNanos)}.`;
}

/** A tooltip table row per budget: `Daily budget | $3.20 of $5.00 (64%)`. */
export function budgetRows(lines: readonly BudgetLine[]): string[] {
  return lines.map((l) => {
    const mark = l.level === 'over' ? ' $(error)' : l.level === 'warning' ? ' $(warning)' : '';
    const name = `${NAMES[l.kind][0].toUpperCase()}${NAMES[l.kind].slice(1)} budget`;
    return `| ${name}${mark} | ${formatUsd(l.spentNanos)} of ${formatUsd(l.limitNanos)} (${formatShare(l.spentNanos, l.limitNanos)}) |`;
  });
}
