/** First / previous / next / last and "41–60 of 1,234"; the buttons show only when there is more than one page. */
import { formatPageLabel } from '../../shared/format';
import { createButton, type ButtonHandle } from '../components';
import { h, iconOf, setText, type IconName } from '../dom';
import { pageButtonId, TestIds, type PageButton } from '../testIds';

export class PaginationView {
  readonly element: HTMLElement;
  private readonly label: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly buttons = new Map<PageButton, ButtonHandle>();
  private page = 1;
  private pageCount = 1;

  constructor(onPage: (page: number) => void) {
    this.label = h('span', { class: 'page-label', testId: TestIds.pageLabel, 'aria-live': 'polite' });
    this.controls = h('div', { class: 'page-buttons', role: 'group', 'aria-label': 'Pages' });
    const defs: [PageButton, string, IconName, () => number][] = [
      ['first', 'First page', 'first', () => 1],
      ['prev', 'Previous page', 'prev', () => this.page - 1],
      ['next', 'Next page', 'next', () => this.page + 1],
      ['last', 'Last page', 'last', () => this.pageCount],
    ];
    for (const [id, label, ic, target] of defs) {
      const b = createButton({ appearance: 'icon', ariaLabel: label, start: iconOf(ic), testId: pageButtonId(id), onClick: () => onPage(target()) });
      this.buttons.set(id, b);
      this.controls.appendChild(b.element);
    }
    this.element = h('div', { class: 'pagination', testId: TestIds.pagination }, this.label, this.controls);
  }

  update(page: number, pageSize: number, total: number): void {
    this.page = page;
    this.pageCount = Math.max(1, Math.ceil(total / pageSize));
    setText(this.label, formatPageLabel(page, pageSize, total));
    this.controls.hidden = this.pageCount <= 1;
    this.buttons.get('first')?.setDisabled(page <= 1);
    this.buttons.get('prev')?.setDisabled(page <= 1);
    this.buttons.get('next')?.setDisabled(page >= this.pageCount);
    this.buttons.get('last')?.setDisabled(page >= this.pageCount);
  }
}
