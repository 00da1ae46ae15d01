/** The five stats cards: Total Cost, Input Tokens, Output Tokens, API Calls, Avg / Call. */
import { promptTokens, totalTokens } from '../../shared/callRecord';
import { formatCount, formatTokens } from '../../shared/format';
import { formatUsd, nanosToDecimalString } from '../../shared/money';
import type { Summary } from '../../shared/queries';
import { createTag } from '../components';
import { h, iconOf, replaceChildren, setText, type Child } from '../dom';
import { cardId, cardValueId, TestIds, type CardId } from '../testIds';

interface Card {
  root: HTMLElement;
  label: HTMLElement;
  value: HTMLElement;
  sub: HTMLElement;
}

const LABELS: Record<CardId, string> = {
  totalCost: 'Total Cost',
  inputTokens: 'Input Tokens',
  outputTokens: 'Output Tokens',
  apiCalls: 'API Calls',
  avgPerCall: 'Avg / Call',
};

export class CardsView {
  readonly element: HTMLElement;
  private readonly cards = new Map<CardId, Card>();

  private readonly mostExpensive: HTMLButtonElement;

  /** `onMostExpensive`: the Total Cost card's link to the most expensive calls (the anomaly view). */
  constructor(onMostExpensive: () => void) {
    this.element = h('section', { class: 'cards', testId: TestIds.cards, 'aria-label': 'Totals for the selected period' });
    for (const id of Object.keys(LABELS) as CardId[]) {
      const value = h('div', { class: 'card-value', testId: cardValueId(id) }, '—');
      const sub = h('div', { class: 'card-sub' });
      const label = h('div', { class: 'card-label' }, LABELS[id]);
      const root = h('div', { class: `card card-${id}`, testId: cardId(id) }, label, value, sub);
      this.cards.set(id, { root, label, value, sub });
      this.element.appendChild(root);
    }
    this.mostExpensive = h(
      'button',
      { type: 'button', class: 'link-button', testId: TestIds.mostExpensiveLink, title: 'Sort the usage records by cost, most expensive first' },
      'Most expensive calls',
      iconOf('arrowDown'),
    );
    this.mostExpensive.addEventListener('click', () => onMostExpensive());
  }

  /** `subscription`: costs are API-equivalent (Pro/Max), and the cost cards say so. */
  update(s: Summary, costLabel: string, subscription = false): void {
    const allUnpriced = s.calls > 0 && s.pricedCalls === 0;
    const unpricedTitle = s.unpricedModels.length ? `No price known for: ${s.unpricedModels.join(', ')}` : 'No price known for these calls';
    setText(this.card('totalCost').label, subscription ? 'API-equivalent cost' : LABELS.totalCost);
    setText(this.card('avgPerCall').label, subscription ? 'Avg / Call (API-eq.)' : LABELS.avgPerCall);
    const exact = subscription ? ' at API prices (not billed: subscription)' : ' exactly';

    this.set('totalCost', allUnpriced ? '—' : formatUsd(s.costNanos), allUnpriced ? 'No priced calls in this period' : `$${nanosToDecimalString(s.costNanos)}${exact}`,
      [
        s.unpricedCalls > 0 ? createTag(`${formatCount(s.unpricedCalls)} unpriced not included`, 'warning', unpricedTitle) : null,
        s.pricedCalls > 0 ? this.mostExpensive : s.unpricedCalls > 0 ? null : costLabel,
      ]);
    this.card('totalCost').root.classList.toggle('card-warning', s.unpricedCalls > 0);

    const t = s.tokens;
    const cacheWrite = t.cacheWrite5m + t.cacheWrite1h;
    const sent = promptTokens(t);
    const breakdown = h(
      'span',
      {
        testId: TestIds.inputBreakdown,
        title: [
          `Uncached input: ${formatCount(t.input)}`,
          `Cache write (5 min): ${formatCount(t.cacheWrite5m)}`,
          `Cache write (1 h): ${formatCount(t.cacheWrite1h)}`,
          `Cache read: ${formatCount(t.cacheRead)}`,
        ].join('\n'),
      },
      `${formatTokens(t.input)} uncached · ${formatTokens(cacheWrite)} cache write · ${formatTokens(t.cacheRead)} cache read`,
    );
    this.set('inputTokens', formatTokens(sent), `${formatCount(sent)} tokens sent`, [breakdown]);

    const all = totalTokens(t);
    this.set('outputTokens', formatTokens(t.output), `${formatCount(t.output)} tokens generated`,
      [all > 0 ? `${formatTokens(all)} tokens in total` : 'Responses and tool calls']);

    this.set('apiCalls', formatCount(s.calls), `${formatCount(s.calls)} calls`,
      s.unpricedCalls > 0
        ? [h('span', { testId: TestIds.unpricedNote }, createTag(`${formatCount(s.unpricedCalls)} unpriced`, 'warning', unpricedTitle))]
        : [s.calls > 0 ? 'All priced' : 'None in this period']);

    const avg = s.avgCostNanos;
    this.set('avgPerCall', avg === null ? '—' : formatUsd(avg), avg === null ? 'No priced calls' : `$${nanosToDecimalString(Math.round(avg))} exactly`,
      [s.pricedCalls > 0 ? `over ${formatCount(s.pricedCalls)} priced ${s.pricedCalls === 1 ? 'call' : 'calls'}` : 'No priced calls']);
  }

  private card(id: CardId): Card {
    const c = this.cards.get(id);
    if (!c) throw new Error(`unknown card ${id}`);
    return c;
  }

  private set(id: CardId, value: string, title: string, sub: Child[]): void {
    const c = this.card(id);
    setText(c.value, value);
    c.value.title = title;
    replaceChildren(c.sub, ...sub);
  }
}
