/** What the status-bar item says, as plain data: kept apart from `vscode` so it is unit-tested. */
import { formatUsd } from '../../shared/money';
import { formatCount, formatTokens } from '../../shared/format';
import type { Period } from '../../shared/period';
import type { Summary } from '../../shared/queries';

export interface StatusBarText {
  text: string;
  /** Markdown for the tooltip. */
  tooltip: string;
  accessibilityLabel: string;
}

export function statusBarText(summary: Summary | undefined, period: Period, costLabel: string): StatusBarText {
  if (!summary) {
    return { text: `$(graph) … · ${period}`, tooltip: 'Claude Usage is loading…', accessibilityLabel: 'Claude Usage is loading' };
  }
  const cost = formatUsd(summary.costNanos);
  const unpriced = summary.unpricedCalls > 0 ? ` + ${formatCount(summary.unpricedCalls)} unpriced` : '';
  const t = summary.tokens;
  const lines = [
    `**Claude usage, last ${period}** — ${costLabel}`,
    '',
    `| | |`,
    `|---|---:|`,
    `| Cost | ${cost}${unpriced} |`,
    `| API calls | ${formatCount(summary.calls)} |`,
    `| Input (uncached) | ${formatTokens(t.input)} |`,
    `| Cache writes | ${formatTokens(t.cacheWrite5m + t.cacheWrite1h)} |`,
    `| Cache reads | ${formatTokens(t.cacheRead)} |`,
    `| Output | ${formatTokens(t.output)} |`,
  ];
  if (summary.unpricedModels.length > 0) {
    lines.push('', `Unpriced models (no price known): ${summary.unpricedModels.join(', ')}`);
  }
  lines.push('', 'Click to open the Usage dashboard.');
  return {
    text: `$(graph) ${cost}${summary.unpricedCalls > 0 ? '+' : ''} · ${period}`,
    tooltip: lines.join('\n'),
    accessibilityLabel: `Claude usage: ${cost}${unpriced} in the last ${period}, ${formatCount(summary.calls)} calls`,
  };
}
