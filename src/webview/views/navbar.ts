/**
 * The panel's top bar: title, what the costs mean, import progress text, the All / This workspace scope, and the
 * period: 24h / 7d / 30d / Month buttons and a Custom button that opens a from–to popover.
 */
import {
  addDays, isRollingPeriod, localDate, parseCustomPeriod, periodShortLabel, periodTitle, type CustomPeriod, type Period,
} from '../../shared/period';
import type { WorkspaceInfo } from '../../shared/protocol';
import type { Scope } from '../../shared/queries';
import { createSegmented, type SegmentedHandle } from '../components';
import { h, iconOf, setText } from '../dom';
import { periodButtonId, scopeButtonId, TestIds } from '../testIds';
import { localTimeZone } from '../timeLabels';
import { CustomRangePopover } from './customRange';

type Preset = '24h' | '7d' | '30d' | 'month';
type PresetChoice = Preset | 'custom';

export interface NavbarCallbacks {
  onPeriod(period: Period): void;
  onScope(scope: Scope): void;
  /** The host's clock (labels name this month and today by it). */
  now(): number;
}

export class NavbarView {
  readonly element: HTMLElement;
  readonly statusSlot: HTMLElement;
  private readonly periods: SegmentedHandle<PresetChoice>;
  private readonly scopes: SegmentedHandle<Scope>;
  private readonly customButton: HTMLButtonElement;
  private readonly customText: HTMLElement;
  private readonly popover: CustomRangePopover;
  private readonly costLabel: HTMLElement;
  private period: Period;

  constructor(period: Period, private readonly cb: NavbarCallbacks) {
    this.period = period;
    const now = cb.now();
    this.periods = createSegmented<PresetChoice>({
      label: 'Period',
      value: 'custom',
      testId: TestIds.periodBar,
      className: 'period-buttons',
      options: (['24h', '7d', '30d', 'month'] as const).map((p) => ({
        value: p,
        label: p === 'month' ? 'Month' : p,
        title: periodTitle(p, now, localTimeZone()),
        testId: periodButtonId(p),
      })),
      onChange: (p) => {
        if (p !== 'custom') cb.onPeriod(p);
      },
    });
    this.customText = h('span', {}, 'Custom');
    this.customButton = h(
      'button',
      { type: 'button', class: 'segment segment-custom', testId: TestIds.periodCustom, 'aria-haspopup': 'dialog', 'aria-expanded': 'false', title: 'A range of days of your choice' },
      iconOf('calendar'),
      this.customText,
    );
    this.periods.element.appendChild(this.customButton);
    this.popover = new CustomRangePopover((p: CustomPeriod) => cb.onPeriod(p));
    this.customButton.addEventListener('click', () => this.togglePopover());

    this.scopes = createSegmented<Scope>({
      label: 'Scope',
      value: 'all',
      testId: TestIds.scopeBar,
      className: 'scope-buttons',
      options: [
        { value: 'all', label: 'All', title: 'Every recorded call', testId: scopeButtonId('all') },
        { value: 'workspace', label: 'This workspace', title: 'Calls made in this workspace’s folders', testId: scopeButtonId('workspace') },
      ],
      onChange: (s) => cb.onScope(s),
    });
    this.costLabel = h('span', { class: 'navbar-cost-label', testId: TestIds.costLabel });
    this.statusSlot = h('div', { class: 'navbar-status' });
    const periodWrap = h('div', { class: 'period-wrap' }, this.periods.element, this.popover.element);
    this.element = h(
      'header',
      { class: 'navbar' },
      h('div', { class: 'navbar-title' }, h('span', { class: 'navbar-logo' }, iconOf('chart')), h('h1', {}, 'Claude Usage'), this.costLabel),
      this.statusSlot,
      h('div', { class: 'navbar-controls' }, this.scopes.element, periodWrap),
    );
    // A click elsewhere closes the popover, like a menu.
    document.addEventListener('mousedown', (e) => {
      if (this.popover.isOpen && e.target instanceof Node && !periodWrap.contains(e.target)) this.popover.close(false);
    });
    this.setPeriod(period);
  }

  setPeriod(period: Period): void {
    this.period = period;
    const custom = parseCustomPeriod(period);
    this.periods.setValue(custom ? 'custom' : (period as Preset));
    this.customButton.setAttribute('aria-pressed', String(custom !== null));
    const now = this.cb.now();
    setText(this.customText, custom ? periodShortLabel(period, now, localTimeZone()) : 'Custom');
    this.customButton.title = custom ? `${periodTitle(period, now, localTimeZone())} — choose other days` : 'A range of days of your choice';
    const month = this.periods.element.querySelector<HTMLElement>('[data-value="month"]');
    if (month) month.title = periodTitle('month', now, localTimeZone());
  }

  setScope(scope: Scope, workspace: WorkspaceInfo): void {
    this.scopes.setValue(scope);
    const none = workspace.folders === 0;
    this.scopes.setDisabled('workspace', none && scope !== 'workspace', 'Open a folder to see only the calls made in it');
    const ws = this.scopes.element.querySelector<HTMLElement>('[data-value="workspace"]');
    if (ws && !none) ws.title = `Calls made in ${workspace.name ?? 'this workspace'}’s folders`;
  }

  setCostLabel(label: string): void {
    setText(this.costLabel, label);
    this.costLabel.hidden = label === '';
  }

  private togglePopover(): void {
    if (this.popover.isOpen) {
      this.popover.close();
      return;
    }
    const today = localDate(this.cb.now(), localTimeZone());
    const current = parseCustomPeriod(this.period);
    const from = current?.from ?? (isRollingPeriod(this.period) || this.period === 'month' ? addDays(today, -6) : today);
    this.customButton.setAttribute('aria-expanded', 'true');
    this.popover.open(from, current?.to ?? today, (restoreFocus) => {
      this.customButton.setAttribute('aria-expanded', 'false');
      if (restoreFocus) this.customButton.focus();
    });
  }
}
