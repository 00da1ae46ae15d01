/**
 * The dashboard's sections, laid out: cards; cost over time beside cost by source; cost by model beside prompt
 * caching; top consumers beside the records. The app hands each the part of the data it shows.
 */
import type { Granularity, Period } from '../../shared/period';
import type { DashboardData, RecordsPage, TopBy } from '../../shared/queries';
import { h, setText } from '../dom';
import type { ThemeColors } from '../theme';
import { CachePanelView } from './cachePanel';
import { CardsView } from './cards';
import { CostChartView, type ChartKind } from './costChart';
import { ModelBreakdownView } from './modelBreakdown';
import { RecordsPanel, type RecordsFilters, type RecordsPanelCallbacks } from './recordsPanel';
import { SourceDonutView } from './sourceDonut';
import { TopConsumersView } from './topConsumers';

export interface BodyOptions {
  theme: ThemeColors;
  chartType: ChartKind;
  granularity: Granularity;
  topBy: TopBy;
  modelBy: TopBy;
  filters: RecordsFilters;
  onChartType(type: ChartKind): void;
  onGranularity(granularity: Granularity): void;
  onTopBy(by: TopBy): void;
  onModelBy(by: TopBy): void;
  onSelectConsumer(consumer: { key: string; name: string } | null): void;
  onMostExpensive(): void;
  records: RecordsPanelCallbacks;
}

export class DashboardBody {
  readonly element: HTMLElement;
  readonly cards: CardsView;
  readonly costChart: CostChartView;
  readonly donut: SourceDonutView;
  readonly models: ModelBreakdownView;
  readonly cache = new CachePanelView();
  readonly top: TopConsumersView;
  readonly records: RecordsPanel;

  constructor(o: BodyOptions) {
    this.cards = new CardsView(o.onMostExpensive);
    this.costChart = new CostChartView({
      chartType: o.chartType,
      granularity: o.granularity,
      theme: o.theme,
      onChartType: o.onChartType,
      onGranularity: o.onGranularity,
    });
    this.donut = new SourceDonutView(o.theme);
    this.models = new ModelBreakdownView({ by: o.modelBy, theme: o.theme, onBy: o.onModelBy });
    this.top = new TopConsumersView({ topBy: o.topBy, onTopBy: o.onTopBy, onSelect: o.onSelectConsumer });
    this.records = new RecordsPanel(o.filters, o.records);
    this.element = h(
      'div',
      { class: 'dashboard-body' },
      this.cards.element,
      h('div', { class: 'grid grid-charts' }, this.costChart.element, this.donut.element),
      h('div', { class: 'grid grid-models' }, this.models.element, this.cache.element),
      h('div', { class: 'grid grid-lower' }, this.top.element, this.records.element),
    );
  }

  /** Views are updated only while visible, so the charts measure a laid-out canvas. */
  show(data: DashboardData, o: { granularity: Granularity; period: Period; topBy: TopBy; selectedKey: string | null; costLabel: string; subscription: boolean; allowsHourly: boolean }): void {
    this.setCostBasis(o.subscription);
    this.cards.update(data.summary, o.costLabel, o.subscription);
    this.costChart.setHourlyAllowed(o.allowsHourly);
    this.costChart.update(data.series, o.granularity, o.period);
    this.donut.update(data.bySource);
    this.models.update(data.byModel ?? []);
    this.cache.update(data.cache, o.subscription);
    this.top.update(data.topConsumers, o.topBy, o.selectedKey);
  }

  /** With a subscription every money panel says its amounts are API-equivalent. */
  private setCostBasis(subscription: boolean): void {
    for (const panel of [this.costChart.element, this.donut.element, this.models.element, this.top.element]) {
      const subtitle = panel.querySelector('.panel-subtitle');
      if (subtitle) setText(subtitle, subscription ? 'API-equivalent' : '');
    }
    this.records.setCostHeader(subscription ? 'API-eq. cost' : 'Cost');
  }

  showRecords(page: RecordsPage, now: number, avgCostNanos: number | null): void {
    this.records.render(page, now, avgCostNanos);
  }

  setTheme(theme: ThemeColors): void {
    this.costChart.setTheme(theme);
    this.donut.setTheme(theme);
    this.models.setTheme(theme);
  }
}
