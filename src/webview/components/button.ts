/** A themed push button (toolkit `vscode-button`). */
import { h, type Child } from '../dom';

export type ButtonAppearance = 'primary' | 'secondary' | 'icon';

export interface ButtonOptions {
  label?: string;
  /** Content before the label, e.g. an icon. */
  start?: Child;
  appearance?: ButtonAppearance;
  /** Accessible name, required for icon-only buttons. */
  ariaLabel?: string;
  title?: string;
  testId?: string;
  className?: string;
  onClick(): void;
}

export interface ButtonHandle {
  element: HTMLElement;
  setDisabled(disabled: boolean): void;
}

export function createButton(o: ButtonOptions): ButtonHandle {
  const start = o.start ? h('span', { slot: o.appearance === 'icon' ? undefined : 'start', class: 'button-icon' }, o.start) : null;
  const el = h(
    'vscode-button',
    {
      appearance: o.appearance ?? 'secondary',
      'aria-label': o.ariaLabel,
      title: o.title ?? o.ariaLabel,
      testId: o.testId,
      class: o.className,
    },
    start,
    o.label ?? null,
  );
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) o.onClick();
  });
  return {
    element: el,
    setDisabled(disabled) {
      el.toggleAttribute('disabled', disabled);
    },
  };
}
