/**
 * Cost by model: horizontal bars of the models' cost or tokens (a toggle), and a table of every model with calls,
 * tokens, cost and share — the chart's accessible text, and where a switch from one model to another shows.
 */
import type { Chart as ChartType, ChartConfiguration, TooltipItem } from 'chart.js';
import { promptTokens, totalTokens } from '../../shared/callRecord';
import { formatCount, formatShare, formatTokens } from '../../shared/format';
import { formatUsd, NANOS_PER_USD } from '../../shared/money';
import type { ModelStat, TopBy } from '../../shared/queries';
import { Chart, prefersReducedMotion, tooltipTheme } from '../charts/chartSetup';
import { createSegmented, createTag, type SegmentedHandle } from '../components';
import { h, replaceChildren } from '../dom';
import { modelByButtonId, TestIds } from '../testIds';
import { withAlpha, type ThemeColors } from '../theme';
import { createPanel } from './panel';

/** Bars drawn; the table lists every model. */
export const MAX_MODEL_BARS = 8;
const BAR_HEIGHT = 26;

export class ModelBreakdownView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly canvasBox: HTMLElement;
  private readonly tableBody: HTMLTableSectionElement;
  private readonly empty: HTMLElement;
  private readonly toggle: SegmentedHandle<TopBy>;
  private chart: ChartType<'bar', number[], string> | null = null;
  private models: ModelStat[] = [];
  private by: TopBy;
  private theme: ThemeColors;

  constructor(o: { by: TopBy; theme: ThemeColors; onBy(by: TopBy): void }) {
    this.by = o.by;
    this.theme = o.theme;
    const panel = createPanel({ title: 'Cost by model', testId: TestIds.models, className: 'panel-models' });
    this.toggle = createSegmented<TopBy>({
      label: 'Measure',
      value: o.by,
      options: [
        { value: 'cost', label: 'Cost', testId: modelByButtonId('cost'), title: 'Bars show cost' },
        { value: 'tokens', label: 'Tokens', testId: modelByButtonId('tokens'), title: 'Bars show tokens' },
      ],
      onChange: (by) => {
        this.by = by;
        this.rebuild();
        o.onBy(by);
      },
    });
    panel.actions.append(this.toggle.element);
    this.canvas = h('canvas', { testId: TestIds.modelsCanvas, role: 'img', 'aria-label': 'Cost by model chart; the table that follows lists the numbers' });
    this.canvasBox = h('div', { class: 'chart-box chart-box-models' }, this.canvas);
    this.tableBody = h('tbody');
    const th = (label: string, numeric = true) => h('th', { scope: 'col', class: numeric ? 'num' : undefined }, label);
    const table = h(
      'table',
      { class: 'models-table', testId: TestIds.modelsTable },
      h('caption', { class: 'visually-hidden' }, 'Cost and tokens by model'),
      h('thead', {}, h('tr', {}, th('Model', false), th('Calls'), th('Input'), th('Output'), th('Cache read'), th('Cost'), th('Share'))),
      this.tableBody,
    );
    this.empty = h('p', { class: 'muted-note', hidden: true }, 'No calls in this period.');
    panel.body.append(this.canvasBox, h('div', { class: 'table-wrap' }, table), this.empty);
    this.element = panel.element;
  }

  update(models: readonly ModelStat[]): void {
    this.models = [...models];
    this.empty.hidden = models.length > 0;
    this.canvasBox.hidden = models.length === 0;
    this.canvasBox.setAttribute('data-bars', String(Math.min(MAX_MODEL_BARS, models.length)));
    this.renderTable();
    this.rebuild();
  }

  setTheme(theme: ThemeColors): void {
    this.theme = theme;
    this.rebuild();
  }

  private value(m: ModelStat): number {
    return this.by === 'cost' ? m.costNanos / NANOS_PER_USD : totalTokens(m.tokens);
  }

  private renderTable(): void {
    const total = this.models.reduce((a, m) => a + m.costNanos, 0);
    replaceChildren(
      this.tableBody,
      ...this.models.map((m) => {
        const unpriced = m.unpricedCalls === m.calls;
        const t = m.tokens;
        return h(
          'tr',
          { testId: TestIds.modelRow, 'data-model': m.model, 'data-cost-nanos': m.costNanos, 'data-tokens': totalTokens(t) },
          h('th', { scope: 'row', class: 'model-name', title: m.model }, m.model),
          h('td', { class: 'num' }, formatCount(m.calls)),
          h('td', { class: 'num', title: `${formatCount(promptTokens(t))} tokens sent` }, formatTokens(promptTokens(t))),
          h('td', { class: 'num', title: `${formatCount(t.output)} tokens` }, formatTokens(t.output)),
          h('td', { class: 'num', title: `${formatCount(t.cacheRead)} tokens` }, formatTokens(t.cacheRead)),
          h('td', { class: 'num' }, unpriced ? createTag('unpriced', 'warning', `No price known for ${m.model}`) : formatUsd(m.costNanos)),
          h('td', { class: 'num muted' }, unpriced ? '—' : formatShare(m.costNanos, total)),
        );
      }),
    );
  }

  private rebuild(): void {
    this.chart?.destroy();
    this.chart = null;
    const shown = [...this.models].sort((a, b) => this.value(b) - this.value(a)).slice(0, MAX_MODEL_BARS);
    if (shown.length === 0) return;
    // CSSOM, not a style attribute: the CSP allows it. The chart is as tall as its bars need.
    this.canvasBox.style.height = `${shown.length * BAR_HEIGHT + 28}px`;
    const t = this.theme;
    const color = this.by === 'cost' ? t.cost : t.tokens;
    const config: ChartConfiguration<'bar', number[], string> = {
      type: 'bar',
      data: {
        labels: shown.map((m) => m.model),
        datasets: [{ data: shown.map((m) => this.value(m)), backgroundColor: withAlpha(color, 0.85), hoverBackgroundColor: color, borderRadius: 2, barThickness: BAR_HEIGHT - 10 }],
      },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: prefersReducedMotion() ? false : { duration: 250 },
        layout: { padding: { right: 8 } },
        scales: {
          x: {
            beginAtZero: true,
            grid: { color: t.grid },
            border: { display: false },
            ticks: {
              color: t.muted,
              maxTicksLimit: 5,
              callback: (v) => (this.by === 'cost' ? formatUsd(Math.round(Number(v) * NANOS_PER_USD)) : formatTokens(Number(v))),
            },
          },
          y: { grid: { display: false }, border: { color: t.grid }, ticks: { color: t.foreground, autoSkip: false } },
        },
        plugins: {
          tooltip: {
            ...tooltipTheme(t),
            callbacks: {
              label: (item: TooltipItem<'bar'>) => {
                const m = shown[item.dataIndex];
                if (!m) return '';
                const cost = m.unpricedCalls === m.calls ? 'unpriced' : formatUsd(m.costNanos);
                return `${cost} · ${formatTokens(totalTokens(m.tokens))} tokens · ${formatCount(m.calls)} calls`;
              },
            },
          },
        },
      },
    };
    this.chart = new Chart(this.canvas, config);
  }
}
