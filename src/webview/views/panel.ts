/** A titled section of the dashboard: header (title, optional subtitle and actions) and a body. */
import { h, type Child } from '../dom';

export interface PanelHandle {
  element: HTMLElement;
  body: HTMLElement;
  actions: HTMLElement;
  subtitle: HTMLElement;
}

export function createPanel(o: { title: string; testId?: string; className?: string; titleExtra?: Child }): PanelHandle {
  const titleId = `panel-title-${o.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const subtitle = h('span', { class: 'panel-subtitle' });
  const actions = h('div', { class: 'panel-actions' });
  const body = h('div', { class: 'panel-body' });
  const element = h(
    'section',
    { class: `panel ${o.className ?? ''}`.trim(), testId: o.testId, 'aria-labelledby': titleId },
    h('header', { class: 'panel-header' }, h('h2', { class: 'panel-title', id: titleId }, o.title), o.titleExtra ?? null, subtitle, actions),
    body,
  );
  return { element, body, actions, subtitle };
}
