/** The panel's top bar: title, what the costs mean, import progress text, and the 24h / 7d / 30d period buttons. */
import { PERIODS, type Period } from '../../shared/period';
import { createSegmented, type SegmentedHandle } from '../components';
import { h, iconOf, setText } from '../dom';
import { periodButtonId, TestIds } from '../testIds';

const PERIOD_TITLES: Record<Period, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' };

export class NavbarView {
  readonly element: HTMLElement;
  private readonly periods: SegmentedHandle<Period>;
  private readonly costLabel: HTMLElement;
  readonly statusSlot: HTMLElement;

  constructor(period: Period, onPeriod: (p: Period) => void) {
    this.periods = createSegmented<Period>({
      label: 'Period',
      value: period,
      testId: TestIds.periodBar,
      className: 'period-buttons',
      options: PERIODS.map((p) => ({ value: p, label: p, title: PERIOD_TITLES[p], testId: periodButtonId(p) })),
      onChange: onPeriod,
    });
    this.costLabel = h('span', { class: 'navbar-cost-label', testId: TestIds.costLabel });
    this.statusSlot = h('div', { class: 'navbar-status' });
    this.element = h(
      'header',
      { class: 'navbar' },
      h('div', { class: 'navbar-title' }, h('span', { class: 'navbar-logo' }, iconOf('chart')), h('h1', {}, 'Claude Usage'), this.costLabel),
      this.statusSlot,
      this.periods.element,
    );
  }

  setPeriod(period: Period): void {
    this.periods.setValue(period);
  }

  setCostLabel(label: string): void {
    setText(this.costLabel, label);
    this.costLabel.hidden = label === '';
  }

  static periodTitle(period: Period): string {
    return PERIOD_TITLES[period];
  }
}
