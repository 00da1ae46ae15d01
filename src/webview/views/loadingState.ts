/** Shown until the first snapshot arrives. */
import { createProgressRing } from '../components';
import { h } from '../dom';
import { TestIds } from '../testIds';

export function createLoadingState(): HTMLElement {
  return h(
    'div',
    { class: 'loading-state', testId: TestIds.loading, role: 'status', 'aria-live': 'polite' },
    createProgressRing('Loading usage'),
    h('span', {}, 'Loading usage…'),
  );
}
