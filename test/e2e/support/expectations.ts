/**
 * The texts a person should see, computed from the fixture's expected calls with the very formatters the UI uses.
 * Periods are evaluated at the moment of the check (the window slides with the clock); the fixture keeps its calls
 * away from the period edges, which `assertClearOfEdges` verifies so a slow run cannot flip a call in or out.
 */
import { promptTokens, type Source, type TokenCounts } from '../../../src/shared/callRecord';
import { formatCount, formatPageLabel, formatTokens } from '../../../src/shared/format';
import { formatUsd } from '../../../src/shared/money';
import { periodRange, PERIODS, type Period } from '../../../src/shared/period';
import { RECORDS_PAGE_SIZE } from '../../../src/shared/queries';
import type { CardTexts, RowTexts } from './dashboardPage';

export interface ExpectedCall {
  ts: number;
  source: Source;
  name: string;
  tokens: TokenCounts;
  /** null = unpriced model. */
  costNanos: number | null;
}

export interface Totals {
  calls: number;
  pricedCalls: number;
  unpricedCalls: number;
  costNanos: number;
  tokens: TokenCounts;
}

const SOURCE_TEXT: Readonly<Record<Source, string>> = { chat: 'Chat', agent: 'Agent', memory: 'Memory' };

export function inPeriod(calls: readonly ExpectedCall[], period: Period, now = Date.now()): ExpectedCall[] {
  const { from, to } = periodRange(period, now);
  return calls.filter((c) => c.ts >= from && c.ts < to);
}

export function totals(calls: readonly ExpectedCall[]): Totals {
  const t: Totals = { calls: 0, pricedCalls: 0, unpricedCalls: 0, costNanos: 0, tokens: { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 } };
  for (const c of calls) {
    t.calls++;
    if (c.costNanos === null) t.unpricedCalls++;
    else {
      t.pricedCalls++;
      t.costNanos += c.costNanos;
    }
    t.tokens.input += c.tokens.input;
    t.tokens.cacheWrite5m += c.tokens.cacheWrite5m;
    t.tokens.cacheWrite1h += c.tokens.cacheWrite1h;
    t.tokens.cacheRead += c.tokens.cacheRead;
    t.tokens.output += c.tokens.output;
  }
  return t;
}

/** "$4.27 · 24h" (a "+" after the cost when some calls are unpriced), as the status bar shows it without its icon. */
export function statusBarExpected(t: Totals, period: Period): string {
  return `${formatUsd(t.costNanos)}${t.unpricedCalls > 0 ? '+' : ''} · ${period}`;
}

/** Lines of the status-bar tooltip's breakdown, whitespace collapsed. */
export function tooltipExpected(t: Totals): string[] {
  return [
    `Cost ${formatUsd(t.costNanos)}`,
    `API calls ${formatCount(t.calls)}`,
    `Input (uncached) ${formatTokens(t.tokens.input)}`,
    `Cache writes ${formatTokens(t.tokens.cacheWrite5m + t.tokens.cacheWrite1h)}`,
    `Cache reads ${formatTokens(t.tokens.cacheRead)}`,
    `Output ${formatTokens(t.tokens.output)}`,
  ];
}

/** The five card values; Avg / Call may be rounded to whole nano-dollars by the store, so both forms are accepted. */
export function cardsMatch(seen: CardTexts, t: Totals): boolean {
  const allUnpriced = t.calls > 0 && t.pricedCalls === 0;
  const avg = t.pricedCalls > 0 ? t.costNanos / t.pricedCalls : null;
  const avgTexts = avg === null ? ['—'] : [formatUsd(avg), formatUsd(Math.round(avg)), formatUsd(Math.floor(avg))];
  return (
    seen.totalCost === (allUnpriced ? '—' : formatUsd(t.costNanos)) &&
    seen.inputTokens === formatTokens(promptTokens(t.tokens)) &&
    seen.outputTokens === formatTokens(t.tokens.output) &&
    seen.apiCalls === formatCount(t.calls) &&
    avgTexts.includes(seen.avgPerCall)
  );
}

export function cardsExpected(t: Totals): CardTexts {
  return {
    totalCost: t.calls > 0 && t.pricedCalls === 0 ? '—' : formatUsd(t.costNanos),
    inputTokens: formatTokens(promptTokens(t.tokens)),
    outputTokens: formatTokens(t.tokens.output),
    apiCalls: formatCount(t.calls),
    avgPerCall: t.pricedCalls > 0 ? formatUsd(t.costNanos / t.pricedCalls) : '—',
  };
}

/** Newest first, as the records table sorts by default. */
export function newestFirst(calls: readonly ExpectedCall[]): ExpectedCall[] {
  return [...calls].sort((a, b) => b.ts - a.ts);
}

export function rowExpected(c: ExpectedCall): RowTexts {
  return {
    source: SOURCE_TEXT[c.source],
    name: c.name,
    input: formatTokens(promptTokens(c.tokens)),
    output: formatTokens(c.tokens.output),
    cost: c.costNanos === null ? 'unpriced' : formatUsd(c.costNanos),
  };
}

export function pageLabelExpected(page: number, total: number): string {
  return formatPageLabel(page, RECORDS_PAGE_SIZE, total);
}

export function sourceText(source: Source): string {
  return SOURCE_TEXT[source];
}

/** Throws when a call lies within `marginMs` of a period's start, where the sliding window could flip it during the run. */
export function assertClearOfEdges(calls: readonly ExpectedCall[], now: number, marginMs: number): void {
  for (const period of PERIODS) {
    const { from } = periodRange(period, now);
    const near = calls.filter((c) => c.ts >= from - marginMs && c.ts < from + marginMs);
    if (near.length > 0) {
      throw new Error(`fixture has ${near.length} call(s) within ${marginMs / 60_000} min of the ${period} window's start; the E2E checks would be flaky`);
    }
  }
}
