/**
 * Watches spending against the budgets and for spikes, without `vscode`: it reads totals from the store, keeps what
 * it has announced in a small persisted record (the extension's globalState), and hands alerts to `notify`. Budgets
 * count every call (all projects): they are about the bill, not about one workspace.
 */
import type { Nanos } from '../../shared/money';
import type { DashboardData, Summary, SummaryQuery } from '../../shared/queries';
import type { DashboardQuery } from '../../shared/queries';
import {
  budgetAlerts, budgetLimitNanos, levelOf, parseAnnounced, usdToNanos, worstLevel, type BudgetAlert, type BudgetLevel,
  type BudgetLine, type BudgetSettings,
} from './budgetRules';
import { BUDGET_KINDS, budgetWindow } from './budgetWindows';
import { judgeSpike, parseSpikeState, spikeTransition, type SpikeVerdict } from './spike';

const HOUR_MS = 3_600_000;

export interface AlertSettings extends BudgetSettings {
  spikeAlerts: boolean;
  /** A spike must cost at least this much in its hour, USD. */
  spikeMinimumUsd: number;
}

export interface BudgetStatus {
  level: BudgetLevel;
  lines: BudgetLine[];
  spike: SpikeVerdict | null;
}

export type Alert = { type: 'budget'; alert: BudgetAlert } | { type: 'spike'; verdict: SpikeVerdict };

export interface MonitorDeps {
  store: { summary(query: SummaryQuery): Promise<Summary>; dashboard(query: DashboardQuery): Promise<DashboardData> };
  /** Persisted record of what was announced (globalState). */
  memory: { get(): unknown; set(value: unknown): PromiseLike<void> | void };
  settings(): AlertSettings;
  now(): number;
  timeZone(): string;
  notify(alert: Alert): void;
}

interface Memory {
  budgets: ReturnType<typeof parseAnnounced>;
  spike: ReturnType<typeof parseSpikeState>;
}

export class BudgetMonitor {
  private last: BudgetStatus = { level: 'ok', lines: [], spike: null };

  constructor(private readonly deps: MonitorDeps) {}

  get status(): BudgetStatus {
    return this.last;
  }

  /** Reads the totals, updates the status, announces crossings and spikes (each once), and saves what was said. */
  async check(): Promise<BudgetStatus> {
    const d = this.deps;
    const settings = d.settings();
    const now = d.now();
    const timeZone = d.timeZone();
    const memory = this.readMemory();

    const lines: BudgetLine[] = [];
    for (const kind of BUDGET_KINDS) {
      const limitNanos = budgetLimitNanos(settings.limitsUsd[kind]);
      if (limitNanos === null) continue;
      const window = budgetWindow(kind, now, timeZone);
      const spent = (await d.store.summary(window.range)).costNanos;
      lines.push({ kind, windowKey: window.key, windowLabel: window.label, spentNanos: spent, limitNanos, level: levelOf(spent, limitNanos, settings.warningPercent) });
    }
    const budgets = budgetAlerts(lines, memory.budgets, settings.notify);

    let spike: SpikeVerdict | null = null;
    let spikeState = memory.spike;
    if (settings.spikeAlerts) {
      spike = await this.judgeSpike(now, usdToNanos(Math.max(0, settings.spikeMinimumUsd)));
      const t = spikeTransition(spikeState, spike, now);
      spikeState = t.state;
      if (t.announce) d.notify({ type: 'spike', verdict: spike });
    }
    for (const alert of budgets.alerts) d.notify({ type: 'budget', alert });

    const next: Memory = { budgets: budgets.announced, spike: spikeState };
    if (JSON.stringify(next) !== JSON.stringify(memory)) await d.memory.set(next);
    this.last = { level: worstLevel(lines), lines, spike };
    return this.last;
  }

  /** Last hour (sliding) against the 24 whole UTC hours before it. */
  private async judgeSpike(now: number, floorNanos: Nanos): Promise<SpikeVerdict> {
    const lastHour = await this.deps.store.summary({ from: now - HOUR_MS, to: now + 1 });
    const end = Math.floor((now - HOUR_MS) / HOUR_MS) * HOUR_MS;
    const previous = await this.deps.store.dashboard({
      range: { from: end - 24 * HOUR_MS, to: end },
      timeZone: 'UTC',
      granularity: 'hour',
      topBy: 'cost',
      topLimit: 1,
    });
    return judgeSpike(previous.series, lastHour.costNanos, floorNanos);
  }

  private readMemory(): Memory {
    const raw = this.deps.memory.get();
    const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    return { budgets: parseAnnounced(record.budgets), spike: parseSpikeState(record.spike) };
  }
}
