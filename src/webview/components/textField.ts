/** A themed single-line text field (toolkit `vscode-text-field`) with an optional leading icon. */
import { h, type Child } from '../dom';

export interface TextFieldOptions {
  placeholder?: string;
  value?: string;
  ariaLabel: string;
  maxLength?: number;
  start?: Child;
  testId?: string;
  className?: string;
  onInput(value: string): void;
}

export interface TextFieldHandle {
  element: HTMLElement;
  readonly value: string;
  setValue(value: string): void;
  focus(): void;
}

interface ValueElement extends HTMLElement {
  value: string;
}

function hasValue(el: HTMLElement): el is ValueElement {
  return typeof (el as Partial<ValueElement>).value === 'string';
}

export function createTextField(o: TextFieldOptions): TextFieldHandle {
  const el = h(
    'vscode-text-field',
    {
      placeholder: o.placeholder,
      'aria-label': o.ariaLabel,
      maxlength: o.maxLength,
      testId: o.testId,
      class: o.className,
      value: o.value ?? '',
    },
    o.start ? h('span', { slot: 'start', class: 'field-icon' }, o.start) : null,
  );
  const read = (): string => (hasValue(el) ? el.value : (el.getAttribute('value') ?? ''));
  let last = o.value ?? '';
  // The inner input's composed `input` event reaches the host; the toolkit may echo it, so only real changes count.
  el.addEventListener('input', () => {
    const v = read();
    if (v === last) return;
    last = v;
    o.onInput(v);
  });
  return {
    element: el,
    get value() {
      return read();
    },
    setValue(value) {
      last = value;
      if (hasValue(el)) el.value = value;
      el.setAttribute('value', value);
    },
    focus() {
      el.focus();
    },
  };
}
