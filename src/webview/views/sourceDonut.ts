/**
 * Cost by source: a chart.js doughnut of Chat / Agent / Memory with the total in its hole, and a legend listing every
 * source (zero ones too) with its amount and share. Colours come from the same CSS as the badges.
 */
import type { Chart as ChartType, ChartConfiguration, TooltipItem } from 'chart.js';
import { SOURCE_LABELS, SOURCES } from '../../shared/callRecord';
import { formatCount, formatShare } from '../../shared/format';
import { formatUsd } from '../../shared/money';
import type { SourceSlice } from '../../shared/queries';
import { Chart, prefersReducedMotion, tooltipTheme } from '../charts/chartSetup';
import { createSourceSwatch, createTag } from '../components';
import { h, replaceChildren, setText } from '../dom';
import { legendItemId, TestIds } from '../testIds';
import type { ThemeColors } from '../theme';
import { createPanel } from './panel';

export class SourceDonutView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly centerValue: HTMLElement;
  private readonly legend: HTMLElement;
  private chart: ChartType<'doughnut', number[], string> | null = null;
  private theme: ThemeColors;
  private slices: SourceSlice[] = [];

  constructor(theme: ThemeColors) {
    this.theme = theme;
    const panel = createPanel({ title: 'Cost by source', testId: TestIds.sourceDonut, className: 'panel-donut' });
    this.canvas = h('canvas', { testId: TestIds.sourceDonutCanvas, role: 'img', 'aria-label': 'Cost by source chart; the legend lists the numbers' });
    this.centerValue = h('div', { class: 'donut-center-value' });
    const center = h('div', { class: 'donut-center', 'aria-hidden': 'true' }, this.centerValue, h('div', { class: 'donut-center-label' }, 'total'));
    this.legend = h('ul', { class: 'donut-legend', testId: TestIds.sourceLegend, 'aria-label': 'Cost by source' });
    panel.body.append(h('div', { class: 'donut-layout' }, h('div', { class: 'donut-box' }, this.canvas, center), this.legend));
    this.element = panel.element;
  }

  update(bySource: SourceSlice[]): void {
    // Always all three sources in a fixed order, even if the host left one out.
    this.slices = SOURCES.map(
      (s) => bySource.find((x) => x.source === s) ?? { source: s, costNanos: 0, calls: 0, unpricedCalls: 0, tokens: 0 },
    );
    const total = this.slices.reduce((a, s) => a + s.costNanos, 0);
    const anyUnpriced = this.slices.some((s) => s.unpricedCalls > 0);
    setText(this.centerValue, total === 0 && anyUnpriced ? '—' : formatUsd(total));
    this.renderLegend(total);
    if (!this.chart) this.rebuild();
    else {
      this.chart.data.labels = this.labels();
      this.chart.data.datasets[0].data = this.values();
      this.chart.data.datasets[0].backgroundColor = this.colors();
      const tooltip = this.chart.options.plugins?.tooltip;
      if (tooltip) tooltip.enabled = total > 0;
      this.chart.update();
    }
  }

  setTheme(theme: ThemeColors): void {
    this.theme = theme;
    this.rebuild();
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  private total(): number {
    return this.slices.reduce((a, s) => a + s.costNanos, 0);
  }

  /** With nothing to share out, one muted ring keeps the shape instead of a blank box. */
  private values(): number[] {
    return this.total() > 0 ? this.slices.map((s) => s.costNanos) : [1];
  }

  private labels(): string[] {
    return this.total() > 0 ? this.slices.map((s) => SOURCE_LABELS[s.source]) : ['No cost'];
  }

  private colors(): string[] {
    return this.total() > 0 ? this.slices.map((s) => this.theme.source[s.source]) : [this.theme.grid];
  }

  private renderLegend(total: number): void {
    replaceChildren(
      this.legend,
      ...this.slices.map((s) => {
        const share = formatShare(s.costNanos, total);
        return h(
          'li',
          { class: 'legend-item', testId: legendItemId(s.source), 'data-share': total > 0 ? (s.costNanos / total).toFixed(4) : '0' },
          createSourceSwatch(s.source),
          h('span', { class: 'legend-label' }, SOURCE_LABELS[s.source]),
          h('span', { class: 'legend-amount' }, s.costNanos === 0 && s.unpricedCalls > 0 && s.unpricedCalls === s.calls ? '—' : formatUsd(s.costNanos)),
          h('span', { class: 'legend-share' }, share),
          h(
            'span',
            { class: 'legend-meta' },
            `${formatCount(s.calls)} ${s.calls === 1 ? 'call' : 'calls'}`,
            s.unpricedCalls > 0 ? createTag(`${formatCount(s.unpricedCalls)} unpriced`, 'warning', 'Not included in the amount: no known price') : null,
          ),
        );
      }),
    );
  }

  private rebuild(): void {
    this.chart?.destroy();
    const t = this.theme;
    const config: ChartConfiguration<'doughnut', number[], string> = {
      type: 'doughnut',
      data: {
        labels: this.labels(),
        datasets: [{ data: this.values(), backgroundColor: this.colors(), borderColor: t.background, borderWidth: 2, hoverOffset: 4 }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        cutout: '68%',
        animation: prefersReducedMotion() ? false : { duration: 250 },
        plugins: {
          tooltip: {
            ...tooltipTheme(t),
            enabled: this.total() > 0,
            callbacks: {
              label: (item: TooltipItem<'doughnut'>) => {
                const s: SourceSlice | undefined = this.slices[item.dataIndex];
                if (!s) return '';
                return `${SOURCE_LABELS[s.source]}: ${formatUsd(s.costNanos)} (${formatShare(s.costNanos, this.total())})`;
              },
            },
          },
        },
      },
    };
    this.chart = new Chart(this.canvas, config);
  }
}
