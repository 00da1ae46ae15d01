/**
 * A tiny element builder. Everything on the page is created from script (the CSP forbids inline styles in markup),
 * and text always goes in through `textContent`, never `innerHTML`, so names from transcripts cannot inject markup.
 */

export type AttrValue = string | number | boolean | null | undefined;
export type Child = Node | string | null | undefined | false;

export interface Attrs {
  class?: string;
  /** Sets `data-testid`. */
  testId?: string;
  [attr: string]: AttrValue;
}

/** Creates an element: attributes (false/null/undefined are skipped, true sets an empty attribute) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, ...children);
  return el;
}

export function setAttrs(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    const attr = name === 'testId' ? 'data-testid' : name;
    if (value === false || value === null || value === undefined) el.removeAttribute(attr);
    else el.setAttribute(attr, value === true ? '' : String(value));
  }
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces all children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Sets text only when it changed, so live refreshes do not disturb a screen reader or a text selection. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A small stroke icon from path data (24×24 view box), decorative unless given a label. */
export function icon(paths: string[], label?: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else {
    svg.setAttribute('aria-hidden', 'true');
  }
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}

export const ICONS = {
  search: ['M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13z', 'M15.5 15.5 20 20'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  first: ['M17 6l-6 6 6 6', 'M7 6v12'],
  prev: ['M15 6l-6 6 6 6'],
  next: ['M9 6l6 6-6 6'],
  last: ['M7 6l6 6-6 6', 'M17 6v12'],
  warning: ['M12 4 2.5 20h19z', 'M12 10v4.5', 'M12 17.2v.3'],
  refresh: ['M19.5 12a7.5 7.5 0 1 1-2.2-5.3', 'M19.5 4v4.5H15'],
  settings: ['M4 7h9', 'M17 7h3', 'M15 5v4', 'M4 17h3', 'M11 17h9', 'M9 15v4'],
  output: ['M4 5h16v14H4z', 'M8 9l3 3-3 3', 'M13 15h3'],
  chart: ['M4 20V4', 'M4 20h16', 'M8 16v-4', 'M12 16V8', 'M16 16v-6'],
  download: ['M12 4v11', 'M7.5 10.5 12 15l4.5-4.5', 'M5 19.5h14'],
  calendar: ['M4.5 6.5h15v13h-15z', 'M4.5 10.5h15', 'M8.5 4v4', 'M15.5 4v4'],
  folder: ['M3.5 7.5V18a1 1 0 0 0 1 1h15a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-8l-2-2.5h-5a1 1 0 0 0-1 1z'],
  arrowDown: ['M12 5v14', 'M6.5 13.5 12 19l5.5-5.5'],
} as const satisfies Record<string, readonly string[]>;

export type IconName = keyof typeof ICONS;

export function iconOf(name: IconName, label?: string): SVGSVGElement {
  return icon([...ICONS[name]], label);
}
