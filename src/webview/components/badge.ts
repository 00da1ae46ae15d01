/** Badges: the colour-coded source badge and a small count badge in the theme's badge colours. */
import { SOURCE_LABELS, type Source } from '../../shared/callRecord';
import { h } from '../dom';

/** "● Chat" in the source's colour; the colour comes from `.source-<id>` in dashboard.css (shared with the donut). */
export function createSourceBadge(source: Source): HTMLElement {
  return h(
    'span',
    { class: `source-badge source-${source}`, 'data-source': source },
    h('span', { class: 'source-dot', 'aria-hidden': 'true' }),
    SOURCE_LABELS[source],
  );
}

/** A colour swatch for legends, same colour as the badge. */
export function createSourceSwatch(source: Source): HTMLElement {
  return h('span', { class: `source-swatch source-${source}`, 'aria-hidden': 'true' });
}

export function createCountBadge(text: string, ariaLabel?: string): HTMLElement {
  return h('span', { class: 'count-badge', 'aria-label': ariaLabel }, text);
}

/** A small inline tag, e.g. "unpriced" in the warning colour. */
export function createTag(text: string, kind: 'warning' | 'info', title?: string): HTMLElement {
  return h('span', { class: `tag tag-${kind}`, title }, text);
}
