/**
 * Prompt caching: the cache hit ratio (cache reads over everything sent), what reading from the cache saved against
 * uncached input, and what writing to it cost — with the net after the write premium.
 */
import { formatCount, formatTokens } from '../../shared/format';
import { formatUsd, nanosToDecimalString } from '../../shared/money';
import type { CacheStats } from '../../shared/queries';
import { h, setText } from '../dom';
import { TestIds } from '../testIds';
import { createPanel } from './panel';

/** "87%", "87.5%" under 100 with one decimal when it matters; "—" without prompt tokens. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const pct = ratio * 100;
  if (pct > 0 && pct < 1) return '<1%';
  if (pct > 99 && pct < 100) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

export class CachePanelView {
  readonly element: HTMLElement;
  private readonly ratio: HTMLElement;
  private readonly meterFill: HTMLElement;
  private readonly meter: HTMLElement;
  private readonly tokens: HTMLElement;
  private readonly saved: HTMLElement;
  private readonly net: HTMLElement;
  private readonly writeCost: HTMLElement;
  private readonly readCost: HTMLElement;
  private readonly note: HTMLElement;
  private readonly basis: HTMLElement;

  constructor() {
    const panel = createPanel({ title: 'Prompt caching', testId: TestIds.cache, className: 'panel-cache' });
    this.ratio = h('div', { class: 'cache-ratio', testId: TestIds.cacheHitRatio }, '—');
    this.meterFill = h('div', { class: 'cache-meter-fill' });
    this.meter = h('div', { class: 'cache-meter', role: 'meter', 'aria-label': 'Cache hit ratio', 'aria-valuemin': '0', 'aria-valuemax': '100' }, this.meterFill);
    this.tokens = h('div', { class: 'cache-tokens', testId: TestIds.cacheTokens });
    this.saved = h('dd', { class: 'cache-amount is-saved', testId: TestIds.cacheSaved });
    this.net = h('dd', { class: 'cache-amount', testId: TestIds.cacheNet });
    this.writeCost = h('dd', { class: 'cache-amount', testId: TestIds.cacheWriteCost });
    this.readCost = h('dd', { class: 'cache-amount', testId: TestIds.cacheReadCost });
    this.note = h('p', { class: 'muted-note cache-note', testId: TestIds.cacheNote, hidden: true });
    this.basis = h('p', { class: 'muted-note cache-note', hidden: true });
    const row = (label: string, title: string, value: HTMLElement) => h('div', { class: 'cache-row', title }, h('dt', {}, label), value);
    panel.body.append(
      h('div', { class: 'cache-hit' }, this.ratio, h('div', { class: 'cache-hit-label' }, 'of prompt tokens read from cache')),
      this.meter,
      this.tokens,
      h(
        'dl',
        { class: 'cache-figures' },
        row('Saved by cache reads', 'What the cache reads would have cost as uncached input, minus what they cost', this.saved),
        row('Cache reads cost', 'What reading from the cache cost', this.readCost),
        row('Cache writes cost', 'What writing to the cache (5-minute and 1-hour) cost', this.writeCost),
        row('Net saving', 'Savings minus the write premium (what the writes cost beyond plain input)', this.net),
      ),
      this.note,
      this.basis,
    );
    this.element = panel.element;
  }

  update(c: CacheStats | undefined, subscription: boolean): void {
    const stats = c ?? {
      hitRatio: null, promptTokens: 0, readTokens: 0, writeTokens: 0, readCostNanos: 0, readAtInputRateNanos: 0, savedNanos: 0,
      writeCostNanos: 0, writePremiumNanos: 0, unsplitCalls: 0,
    };
    const ratio = formatRatio(stats.hitRatio);
    setText(this.ratio, ratio);
    const pct = stats.hitRatio === null ? 0 : Math.max(0, Math.min(100, stats.hitRatio * 100));
    this.meterFill.style.width = `${pct.toFixed(1)}%`;
    this.meter.setAttribute('aria-valuenow', String(Math.round(pct)));
    this.meter.setAttribute('aria-valuetext', ratio);
    setText(this.tokens, `${formatTokens(stats.readTokens)} read · ${formatTokens(stats.writeTokens)} written · ${formatTokens(stats.promptTokens)} sent`);
    this.tokens.title = `${formatCount(stats.readTokens)} cache-read, ${formatCount(stats.writeTokens)} cache-write and ${formatCount(stats.promptTokens)} prompt tokens in all`;
    this.money(this.saved, stats.savedNanos);
    this.money(this.readCost, stats.readCostNanos);
    this.money(this.writeCost, stats.writeCostNanos);
    this.money(this.net, stats.savedNanos - stats.writePremiumNanos);
    this.net.classList.toggle('is-saved', stats.savedNanos - stats.writePremiumNanos > 0);
    const left = stats.unsplitCalls;
    setText(this.note, left > 0 ? `${formatCount(left)} ${left === 1 ? 'call' : 'calls'} priced by your own rates are not split by category and are left out of these amounts.` : '');
    this.note.hidden = left === 0;
    setText(this.basis, subscription ? 'Amounts at API prices (API-equivalent): your subscription is billed differently.' : '');
    this.basis.hidden = !subscription;
  }

  private money(el: HTMLElement, nanos: number): void {
    setText(el, formatUsd(nanos));
    el.title = `$${nanosToDecimalString(nanos)}`;
  }
}
