/** A small inline banner for failed requests; dismissable, replaced by the next error, cleared on the next success. */
import { h, iconOf, setText } from '../dom';
import { TestIds } from '../testIds';

export class ErrorBanner {
  readonly element: HTMLElement;
  private readonly message: HTMLElement;

  constructor() {
    this.message = h('span', { class: 'error-message' });
    const dismiss = h('button', { type: 'button', class: 'error-dismiss', testId: TestIds.errorDismiss, 'aria-label': 'Dismiss', title: 'Dismiss' }, iconOf('close'));
    dismiss.addEventListener('click', () => this.clear());
    this.element = h('div', { class: 'error-banner', role: 'alert', testId: TestIds.errorBanner, hidden: true }, iconOf('warning'), this.message, dismiss);
  }

  show(text: string): void {
    setText(this.message, text);
    this.element.hidden = false;
  }

  clear(): void {
    this.element.hidden = true;
    setText(this.message, '');
  }
}
