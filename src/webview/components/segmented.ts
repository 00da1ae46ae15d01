/**
 * A segmented control: a labelled group of toggle buttons, exactly one pressed (aria-pressed). Native buttons, so
 * each is a tab stop with the theme's focus ring, and a click or Enter/Space changes the value.
 */
import { h } from '../dom';

export interface SegmentOption<T extends string> {
  value: T;
  label: string;
  title?: string;
  testId?: string;
}

export interface SegmentedOptions<T extends string> {
  /** Accessible name of the group. */
  label: string;
  options: readonly SegmentOption<T>[];
  value: T;
  testId?: string;
  className?: string;
  onChange(value: T): void;
}

export interface SegmentedHandle<T extends string> {
  element: HTMLElement;
  value: T;
  /** A value that is not an option presses none of the buttons. */
  setValue(value: T): void;
  /** Greys one option out (still focusable, so its title explains why). */
  setDisabled(value: T, disabled: boolean, title?: string): void;
}

export function createSegmented<T extends string>(o: SegmentedOptions<T>): SegmentedHandle<T> {
  const group = h('div', { class: `segmented ${o.className ?? ''}`.trim(), role: 'group', 'aria-label': o.label, testId: o.testId });
  const buttons = new Map<T, HTMLButtonElement>();
  const handle: SegmentedHandle<T> = {
    element: group,
    value: o.value,
    setValue(value) {
      handle.value = value;
      for (const [v, b] of buttons) b.setAttribute('aria-pressed', String(v === value));
    },
    setDisabled(value, disabled, title) {
      const b = buttons.get(value);
      if (!b) return;
      b.setAttribute('aria-disabled', String(disabled));
      const fallback = o.options.find((x) => x.value === value)?.title;
      if (disabled && title) b.title = title;
      else if (fallback) b.title = fallback;
      else b.removeAttribute('title');
    },
  };
  for (const opt of o.options) {
    const b = h('button', { type: 'button', class: 'segment', title: opt.title, testId: opt.testId, 'data-value': opt.value }, opt.label);
    b.addEventListener('click', () => {
      if (handle.value === opt.value || b.getAttribute('aria-disabled') === 'true') return;
      handle.setValue(opt.value);
      o.onChange(opt.value);
    });
    buttons.set(opt.value, b);
    group.appendChild(b);
  }
  handle.setValue(o.value);
  return handle;
}
