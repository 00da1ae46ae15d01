/**
 * The from–to popover of the "Custom" period button: two native date fields (themed by our stylesheet), Apply and
 * Cancel. Enter applies, Escape cancels; focus goes to the first field on open and back to the button on close.
 */
import { customPeriod, isLocalDate, type CustomPeriod } from '../../shared/period';
import { createButton } from '../components';
import { h, setText } from '../dom';
import { TestIds } from '../testIds';

export class CustomRangePopover {
  readonly element: HTMLElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly error: HTMLElement;
  private onClose: ((restoreFocus: boolean) => void) | null = null;

  constructor(private readonly onApply: (period: CustomPeriod) => void) {
    const field = (label: string, input: HTMLInputElement) =>
      h('label', { class: 'custom-field' }, h('span', { class: 'custom-field-label' }, label), input);
    this.from = h('input', { type: 'date', class: 'date-input', testId: TestIds.customFrom, min: '2000-01-01', max: '2100-12-31', required: true });
    this.to = h('input', { type: 'date', class: 'date-input', testId: TestIds.customTo, min: '2000-01-01', max: '2100-12-31', required: true });
    this.error = h('p', { class: 'custom-error', testId: TestIds.customError, role: 'alert', hidden: true });
    const apply = createButton({ label: 'Apply', appearance: 'primary', testId: TestIds.customApply, onClick: () => this.apply() });
    const cancel = createButton({ label: 'Cancel', appearance: 'secondary', testId: TestIds.customCancel, onClick: () => this.close() });
    this.element = h(
      'div',
      { class: 'custom-range', role: 'dialog', 'aria-label': 'Custom range', testId: TestIds.customRange, hidden: true },
      h('div', { class: 'custom-fields' }, field('From', this.from), field('To', this.to)),
      this.error,
      h('div', { class: 'custom-actions' }, cancel.element, apply.element),
    );
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close();
      } else if (e.key === 'Enter' && (e.target === this.from || e.target === this.to)) {
        e.preventDefault();
        this.apply();
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(from: string, to: string, onClose: (restoreFocus: boolean) => void): void {
    this.from.value = from;
    this.to.value = to;
    this.showError('');
    this.onClose = onClose;
    this.element.hidden = false;
    this.from.focus();
  }

  /** `restoreFocus`: false when the user clicked elsewhere (focus goes where they clicked). */
  close(restoreFocus = true): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    const done = this.onClose;
    this.onClose = null;
    done?.(restoreFocus);
  }

  private apply(): void {
    const from = this.from.value;
    const to = this.to.value;
    if (!isLocalDate(from) || !isLocalDate(to)) {
      this.showError('Choose both days (between 2000 and 2100).');
      return;
    }
    if (from > to) {
      this.showError('The first day must not be after the last.');
      return;
    }
    this.close();
    this.onApply(customPeriod(from, to));
  }

  private showError(text: string): void {
    setText(this.error, text);
    this.error.hidden = text === '';
  }
}
