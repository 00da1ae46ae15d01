/**
 * Cost over time: a chart.js line or bar chart of `DashboardData.series` (local-time buckets, empty ones zero), with
 * Line/Bar and Hourly/Daily toggles, and a visually hidden table of the same numbers for screen readers (and tests).
 */
import type { Chart as ChartType, ChartConfiguration, TooltipItem } from 'chart.js';
import { formatCount } from '../../shared/format';
import { formatUsd, NANOS_PER_USD } from '../../shared/money';
import type { Granularity, Period } from '../../shared/period';
import type { SeriesPoint } from '../../shared/queries';
import { Chart, prefersReducedMotion, tooltipTheme } from '../charts/chartSetup';
import { createSegmented, type SegmentedHandle } from '../components';
import { h, replaceChildren, setText } from '../dom';
import { TestIds } from '../testIds';
import { withAlpha, type ThemeColors } from '../theme';
import { bucketAxisLabel, bucketFullLabel } from '../timeLabels';
import { createPanel } from './panel';

export type ChartKind = 'line' | 'bar';

export interface CostChartOptions {
  chartType: ChartKind;
  granularity: Granularity;
  theme: ThemeColors;
  onChartType(type: ChartKind): void;
  onGranularity(granularity: Granularity): void;
}

interface Plotted {
  series: SeriesPoint[];
  granularity: Granularity;
  period: Period;
}

export class CostChartView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly canvasBox: HTMLElement;
  private readonly tableBody: HTMLTableSectionElement;
  private readonly note: HTMLElement;
  private readonly typeToggle: SegmentedHandle<ChartKind>;
  private readonly granularityToggle: SegmentedHandle<Granularity>;
  private chart: ChartType | null = null;
  private chartType: ChartKind;
  private theme: ThemeColors;
  private plotted: Plotted | null = null;

  constructor(o: CostChartOptions) {
    this.chartType = o.chartType;
    this.theme = o.theme;
    const panel = createPanel({ title: 'Cost over time', testId: TestIds.costChart, className: 'panel-cost-chart' });
    this.typeToggle = createSegmented<ChartKind>({
      label: 'Chart type',
      value: o.chartType,
      options: [
        { value: 'bar', label: 'Bar', testId: TestIds.chartTypeBar, title: 'Show as bars' },
        { value: 'line', label: 'Line', testId: TestIds.chartTypeLine, title: 'Show as a line' },
      ],
      onChange: (t) => {
        this.chartType = t;
        this.rebuild();
        o.onChartType(t);
      },
    });
    this.granularityToggle = createSegmented<Granularity>({
      label: 'Granularity',
      value: o.granularity,
      options: [
        { value: 'hour', label: 'Hourly', testId: TestIds.granularityHour, title: 'One point per hour' },
        { value: 'day', label: 'Daily', testId: TestIds.granularityDay, title: 'One point per day' },
      ],
      onChange: (g) => o.onGranularity(g),
    });
    panel.actions.append(this.granularityToggle.element, this.typeToggle.element);

    this.canvas = h('canvas', { testId: TestIds.costChartCanvas, role: 'img', 'aria-label': 'Cost over time chart; the numbers are in the table that follows' });
    this.note = h('div', { class: 'chart-note', testId: TestIds.costChartEmpty, hidden: true });
    this.canvasBox = h('div', { class: 'chart-box chart-box-line' }, this.canvas, this.note);
    this.tableBody = h('tbody');
    const table = h(
      'table',
      { class: 'visually-hidden', testId: TestIds.costChartTable },
      h('caption', {}, 'Cost over time'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Cost'), h('th', { scope: 'col' }, 'Calls'))),
      this.tableBody,
    );
    panel.body.append(this.canvasBox, table);
    this.element = panel.element;
  }

  update(series: SeriesPoint[], granularity: Granularity, period: Period): void {
    this.plotted = { series, granularity, period };
    this.granularityToggle.setValue(granularity);
    this.canvasBox.setAttribute('data-points', String(series.length));
    this.renderTable();
    this.renderNote();
    if (!this.chart) this.rebuild();
    else {
      const { labels, values } = this.chartData();
      this.chart.data.labels = labels;
      this.chart.data.datasets[0].data = values;
      this.chart.update();
    }
  }

  setTheme(theme: ThemeColors): void {
    this.theme = theme;
    this.rebuild();
  }

  /** Long custom ranges chart by the day only (the store refuses thousands of hourly buckets). */
  setHourlyAllowed(allowed: boolean): void {
    this.granularityToggle.setDisabled('hour', !allowed, 'Hourly points are offered for ranges of up to 93 days');
  }

  /** For restoring state without a redraw loop. */
  setGranularity(granularity: Granularity): void {
    this.granularityToggle.setValue(granularity);
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  private chartData(): { labels: string[]; values: number[] } {
    const p = this.plotted;
    if (!p) return { labels: [], values: [] };
    return {
      labels: p.series.map((pt) => bucketAxisLabel(pt.start, p.granularity)),
      values: p.series.map((pt) => pt.costNanos / NANOS_PER_USD),
    };
  }

  private renderTable(): void {
    const p = this.plotted;
    if (!p) return;
    replaceChildren(
      this.tableBody,
      ...p.series.map((pt) =>
        h(
          'tr',
          { testId: TestIds.costChartRow, 'data-start': pt.start, 'data-cost-nanos': pt.costNanos },
          h('th', { scope: 'row' }, bucketFullLabel(pt.start, p.granularity)),
          h('td', {}, formatUsd(pt.costNanos)),
          h('td', {}, pt.unpricedCalls > 0 ? `${formatCount(pt.calls)} (${formatCount(pt.unpricedCalls)} unpriced)` : formatCount(pt.calls)),
        ),
      ),
    );
  }

  private renderNote(): void {
    const series = this.plotted?.series ?? [];
    const cost = series.reduce((a, p) => a + p.costNanos, 0);
    const unpriced = series.reduce((a, p) => a + p.unpricedCalls, 0);
    const text = cost > 0 ? '' : unpriced > 0 ? 'Calls in this period have no known price' : 'No cost in this period';
    setText(this.note, text);
    this.note.hidden = text === '';
  }

  private rebuild(): void {
    this.chart?.destroy();
    const { labels, values } = this.chartData();
    const t = this.theme;
    const p = this.plotted;
    const series = p?.series ?? [];
    const granularity = p?.granularity ?? 'hour';
    const line = this.chartType === 'line';
    const config: ChartConfiguration<'bar' | 'line', number[], string> = {
      type: this.chartType,
      data: {
        labels,
        datasets: [
          {
            label: 'Cost',
            data: values,
            borderColor: t.cost,
            backgroundColor: line ? withAlpha(t.cost, 0.18) : withAlpha(t.cost, 0.85),
            hoverBackgroundColor: t.cost,
            borderWidth: line ? 2 : 0,
            borderRadius: line ? 0 : 2,
            fill: line,
            tension: 0.25,
            pointRadius: line && series.length <= 48 ? 2.5 : 0,
            pointHoverRadius: 4,
            pointBackgroundColor: t.cost,
            maxBarThickness: 28,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: prefersReducedMotion() ? false : { duration: 250 },
        interaction: { mode: 'index', intersect: false },
        layout: { padding: { top: 4, right: 4 } },
        scales: {
          x: {
            grid: { display: false },
            border: { color: t.grid },
            ticks: { color: t.muted, autoSkip: true, maxRotation: 0, autoSkipPadding: 12 },
          },
          y: {
            beginAtZero: true,
            suggestedMax: values.some((v) => v > 0) ? undefined : 1,
            grid: { color: t.grid },
            border: { display: false },
            ticks: {
              color: t.muted,
              maxTicksLimit: 6,
              callback: (v) => formatUsd(Math.round(Number(v) * NANOS_PER_USD)),
            },
          },
        },
        plugins: {
          tooltip: {
            ...tooltipTheme(t),
            callbacks: {
              title: (items: TooltipItem<'bar' | 'line'>[]) => {
                const pt = series[items[0]?.dataIndex ?? -1];
                return pt ? bucketFullLabel(pt.start, granularity) : '';
              },
              label: (item: TooltipItem<'bar' | 'line'>) => {
                const pt = series[item.dataIndex];
                return pt ? `Cost: ${formatUsd(pt.costNanos)}` : '';
              },
              afterLabel: (item: TooltipItem<'bar' | 'line'>) => {
                const pt = series[item.dataIndex];
                if (!pt) return '';
                const calls = `${formatCount(pt.calls)} ${pt.calls === 1 ? 'call' : 'calls'}`;
                return pt.unpricedCalls > 0 ? `${calls} (${formatCount(pt.unpricedCalls)} unpriced)` : calls;
              },
            },
          },
        },
      },
    };
    this.chart = new Chart(this.canvas, config);
  }
}
