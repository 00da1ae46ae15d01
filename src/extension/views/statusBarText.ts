/** What the status-bar item says, as plain data: kept apart from `vscode` so it is unit-tested. */
import { formatUsd } from '../../shared/money';
import { formatCount, formatTokens } from '../../shared/format';
import { isRollingPeriod, type Period } from '../../shared/period';
import type { Summary } from '../../shared/queries';
import { budgetRows } from '../budget/alertText';
import type { BudgetStatus } from '../budget/budgetMonitor';

export interface StatusBarText {
  text: string;
  /** Markdown for the tooltip. */
  tooltip: string;
  accessibilityLabel: string;
  /** Which background the item should have: none, the warning colour, or the error colour (budgets). */
  background: 'none' | 'warning' | 'error';
}

export interface StatusBarContext {
  /** Short period label (`24h`, `Nov`, `Nov 1–15`); default: the period itself. */
  periodLabel?: string;
  /** Set when the totals are scoped to the open workspace: its name. */
  workspace?: string | null;
  /** Pro/Max subscription: costs are API-equivalent, not billed. */
  subscription?: boolean;
  budget?: BudgetStatus;
}

export function statusBarText(summary: Summary | undefined, period: Period, costLabel: string, ctx: StatusBarContext = {}): StatusBarText {
  const label = ctx.periodLabel ?? period;
  const icon = ctx.workspace !== undefined && ctx.workspace !== null ? '$(root-folder)' : '$(graph)';
  const where = ctx.workspace ? ` in ${ctx.workspace}` : '';
  const when = isRollingPeriod(period) ? `last ${period}` : label;
  const background = ctx.budget?.level === 'over' ? 'error' : ctx.budget?.level === 'warning' ? 'warning' : 'none';
  if (!summary) {
    return { text: `${icon} … · ${label}`, tooltip: 'Claude Usage is loading…', accessibilityLabel: 'Claude Usage is loading', background };
  }
  const cost = formatUsd(summary.costNanos);
  const unpriced = summary.unpricedCalls > 0 ? ` + ${formatCount(summary.unpricedCalls)} unpriced` : '';
  const eq = ctx.subscription ? ' (API-eq.)' : '';
  const t = summary.tokens;
  const lines = [
    `**Claude usage${where}, ${when}** — ${costLabel}`,
    '',
    `| | |`,
    `|---|---:|`,
    `| ${ctx.subscription ? 'API-equivalent cost' : 'Cost'} | ${cost}${unpriced} |`,
    `| API calls | ${formatCount(summary.calls)} |`,
    `| Input (uncached) | ${formatTokens(t.input)} |`,
    `| Cache writes | ${formatTokens(t.cacheWrite5m + t.cacheWrite1h)} |`,
    `| Cache reads | ${formatTokens(t.cacheRead)} |`,
    `| Output | ${formatTokens(t.output)} |`,
  ];
  if (ctx.budget && ctx.budget.lines.length > 0) lines.push(...budgetRows(ctx.budget.lines));
  if (ctx.subscription) {
    lines.push('', 'You pay by subscription (Pro/Max): these are what the calls would cost at API prices, not what you are billed.');
  }
  if (ctx.budget && ctx.budget.lines.length > 0 && ctx.workspace) lines.push('', 'Budgets count every call, in all workspaces.');
  if (summary.unpricedModels.length > 0) {
    lines.push('', `Unpriced models (no price known): ${summary.unpricedModels.join(', ')}`);
  }
  lines.push('', 'Click to open the Usage dashboard.');
  const over = ctx.budget?.lines.filter((l) => l.level !== 'ok').map((l) => `${l.kind} budget ${l.level === 'over' ? 'reached' : 'nearly used'}`) ?? [];
  return {
    text: `${icon} ${cost}${summary.unpricedCalls > 0 ? '+' : ''}${eq} · ${label}`,
    tooltip: lines.join('\n'),
    accessibilityLabel:
      `Claude usage${where}: ${cost}${unpriced}${ctx.subscription ? ' API-equivalent' : ''} ${isRollingPeriod(period) ? `in the last ${period}` : `in ${label}`}, ` +
      `${formatCount(summary.calls)} calls${over.length ? `; ${over.join(', ')}` : ''}`,
    background,
  };
}
