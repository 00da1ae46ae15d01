/** Shown until the first snapshot arrives; after a while it says so and offers the log, rather than spin forever. */
import { createButton, createProgressRing } from '../components';
import { h } from '../dom';
import { TestIds } from '../testIds';

export const SLOW_LOADING_MS = 12_000;

export class LoadingState {
  readonly element: HTMLElement;
  private readonly hint: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(onShowLog: () => void) {
    this.hint = h(
      'div',
      { class: 'loading-slow', hidden: true },
      h('p', {}, 'This is taking longer than usual. The log may say why.'),
      createButton({ label: 'Show log', onClick: onShowLog }).element,
    );
    this.element = h(
      'div',
      { class: 'loading-state', testId: TestIds.loading, role: 'status', 'aria-live': 'polite' },
      h('div', { class: 'loading-line' }, createProgressRing('Loading usage'), h('span', {}, 'Loading usage…')),
      this.hint,
    );
    this.timer = setTimeout(() => (this.hint.hidden = false), SLOW_LOADING_MS);
  }

  done(): void {
    clearTimeout(this.timer);
    this.element.hidden = true;
  }
}
