/**
 * Top consumers: conversations and agents ranked by cost or tokens. Choosing one filters the records table to it
 * (choosing it again clears the filter).
 */
import { formatCount, formatTokens } from '../../shared/format';
import { formatUsd } from '../../shared/money';
import type { ConsumerStat, TopBy } from '../../shared/queries';
import { createSegmented, createSourceBadge, type SegmentedHandle } from '../components';
import { h, replaceChildren } from '../dom';
import { TestIds, topByButtonId } from '../testIds';
import { createPanel } from './panel';

export interface TopConsumersOptions {
  topBy: TopBy;
  onTopBy(by: TopBy): void;
  onSelect(consumer: { key: string; name: string } | null): void;
}

export function consumerCostText(c: Pick<ConsumerStat, 'costNanos' | 'unpricedCalls' | 'calls'>): string {
  return c.costNanos === 0 && c.unpricedCalls > 0 && c.unpricedCalls === c.calls ? 'unpriced' : formatUsd(c.costNanos);
}

export class TopConsumersView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly empty: HTMLElement;
  private readonly toggle: SegmentedHandle<TopBy>;
  private items: ConsumerStat[] = [];
  private topBy: TopBy;
  private selectedKey: string | null = null;

  constructor(private readonly o: TopConsumersOptions) {
    this.topBy = o.topBy;
    const panel = createPanel({ title: 'Top consumers', testId: TestIds.topConsumers, className: 'panel-top' });
    this.toggle = createSegmented<TopBy>({
      label: 'Rank by',
      value: o.topBy,
      options: [
        { value: 'cost', label: 'Cost', testId: topByButtonId('cost'), title: 'Rank by cost' },
        { value: 'tokens', label: 'Tokens', testId: topByButtonId('tokens'), title: 'Rank by tokens' },
      ],
      onChange: (by) => o.onTopBy(by),
    });
    panel.actions.append(this.toggle.element);
    this.list = h('ol', { class: 'consumer-list', 'aria-label': 'Top consumers' });
    this.empty = h('p', { class: 'muted-note', testId: TestIds.topConsumersEmpty, hidden: true }, 'No conversations or agents in this period.');
    panel.body.append(this.list, this.empty);
    this.element = panel.element;
  }

  update(items: ConsumerStat[], topBy: TopBy, selectedKey: string | null): void {
    this.items = items;
    this.topBy = topBy;
    this.selectedKey = selectedKey;
    this.toggle.setValue(topBy);
    this.render();
  }

  setSelected(key: string | null): void {
    if (key === this.selectedKey) return;
    this.selectedKey = key;
    this.rendered = JSON.stringify([this.topBy, key, this.items]);
    for (const b of this.list.querySelectorAll<HTMLElement>('button.consumer')) {
      b.setAttribute('aria-pressed', String(b.dataset.key === key));
    }
  }

  private rendered = '';

  private render(): void {
    // A live refresh that changes nothing leaves the list alone: no churn under the pointer, hover or focus.
    const signature = JSON.stringify([this.topBy, this.selectedKey, this.items]);
    if (signature === this.rendered) return;
    this.rendered = signature;
    // Keep keyboard focus on the same consumer across live refreshes.
    const active = document.activeElement;
    const focusedKey = active instanceof HTMLElement && this.list.contains(active) ? active.dataset.key : undefined;
    const max = Math.max(1, ...this.items.map((c) => this.metric(c)));
    replaceChildren(this.list, ...this.items.map((c, i) => h('li', {}, this.item(c, i + 1, max))));
    this.empty.hidden = this.items.length > 0;
    if (focusedKey !== undefined) {
      for (const b of this.list.querySelectorAll<HTMLElement>('button.consumer')) if (b.dataset.key === focusedKey) b.focus();
    }
  }

  private metric(c: ConsumerStat): number {
    return this.topBy === 'cost' ? c.costNanos : c.tokens;
  }

  private item(c: ConsumerStat, rank: number, max: number): HTMLElement {
    const cost = consumerCostText(c);
    const tokens = `${formatTokens(c.tokens)} tokens`;
    const value = this.topBy === 'cost' ? cost : tokens;
    const other = this.topBy === 'cost' ? tokens : cost;
    const fill = h('span', { class: `consumer-bar-fill source-${c.source}` });
    fill.style.width = `${Math.max(0, Math.min(100, (this.metric(c) / max) * 100)).toFixed(1)}%`;
    const button = h(
      'button',
      {
        type: 'button',
        class: 'consumer',
        testId: TestIds.topConsumerItem,
        'data-key': c.key,
        'aria-pressed': String(c.key === this.selectedKey),
        title: `${c.name}\nShow only this ${c.source === 'agent' ? 'agent' : 'conversation'}'s calls`,
      },
      h('span', { class: 'consumer-rank' }, String(rank)),
      h('span', { class: 'consumer-line' }, createSourceBadge(c.source), h('span', { class: 'consumer-name', testId: TestIds.topConsumerName }, c.name || '(unnamed)')),
      h('span', { class: `consumer-value${value === 'unpriced' ? ' is-unpriced' : ''}`, testId: TestIds.topConsumerValue }, value),
      h('span', { class: 'consumer-bar', 'aria-hidden': 'true' }, fill),
      h('span', { class: 'consumer-meta' }, `${other} · ${formatCount(c.calls)} ${c.calls === 1 ? 'call' : 'calls'}`),
    );
    button.addEventListener('click', () => {
      this.o.onSelect(c.key === this.selectedKey ? null : { key: c.key, name: c.name });
    });
    return button;
  }
}
