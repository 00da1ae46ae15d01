/** Progress indicators: a spinning ring and a thin determinate/indeterminate bar, both drawn by our stylesheet. */
import { h } from '../dom';

export function createProgressRing(label: string): HTMLElement {
  return h('span', { class: 'progress-ring', role: 'progressbar', 'aria-label': label });
}

export interface ProgressBarHandle {
  element: HTMLElement;
  /** 0…1, or null for an indeterminate bar. */
  setFraction(fraction: number | null): void;
}

export function createProgressBar(label: string, testId?: string): ProgressBarHandle {
  const fill = h('div', { class: 'progress-bar-fill' });
  const el = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-label': label, testId }, fill);
  return {
    element: el,
    setFraction(fraction) {
      if (fraction === null || !Number.isFinite(fraction)) {
        el.classList.add('indeterminate');
        el.removeAttribute('aria-valuenow');
        fill.style.width = '';
        return;
      }
      const pct = Math.max(0, Math.min(100, fraction * 100));
      el.classList.remove('indeterminate');
      el.setAttribute('aria-valuemin', '0');
      el.setAttribute('aria-valuemax', '100');
      el.setAttribute('aria-valuenow', String(Math.round(pct)));
      fill.style.width = `${pct}%`;
    },
  };
}
