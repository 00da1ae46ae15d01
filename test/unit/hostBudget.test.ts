// Budgets and spike alerts without VS Code: windows in the user's zone, levels, one notification per crossing per
// window (also across a reload, through the persisted record), spikes called out once — on a real in-process store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallInput } from '../../src/shared/callRecord';
import { alertMessage, budgetRows } from '../../src/extension/budget/alertText';
import { BudgetMonitor, type Alert, type AlertSettings } from '../../src/extension/budget/budgetMonitor';
import { budgetAlerts, levelOf, parseAnnounced, type BudgetLine } from '../../src/extension/budget/budgetRules';
import { budgetWindow } from '../../src/extension/budget/budgetWindows';
import { judgeSpike, median, spikeTransition, type HourCost } from '../../src/extension/budget/spike';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { makeCall, testStore, tokens } from './storeFixtures';

const HOUR = 3_600_000;
// The fake pricer of storeFixtures prices model-a at 3 nano-dollars per token.

describe('budget windows', () => {
  const now = Date.UTC(2026, 10, 20, 15, 10); // a Friday
  it('today, this week (from Monday) and this month, in the user’s zone', () => {
    const d = budgetWindow('daily', now, 'Asia/Kolkata');
    assert.deepEqual(d.range, { from: Date.UTC(2026, 10, 19, 18, 30), to: now + 1 });
    assert.equal(d.key, '2026-11-20');
    const w = budgetWindow('weekly', now, 'UTC');
    assert.equal(w.key, 'week-2026-11-16');
    assert.equal(w.range.from, Date.UTC(2026, 10, 16));
    const sunday = budgetWindow('weekly', Date.UTC(2026, 10, 22, 12), 'UTC');
    assert.equal(sunday.key, 'week-2026-11-16', 'Sunday still belongs to the week that began on Monday');
    const m = budgetWindow('monthly', now, 'America/New_York');
    assert.equal(m.key, '2026-11');
    assert.equal(m.range.from, Date.UTC(2026, 10, 1, 4));
  });
});

describe('levels and crossings', () => {
  it('warning at the configured share, over at the budget', () => {
    assert.equal(levelOf(79, 100, 80), 'ok');
    assert.equal(levelOf(80, 100, 80), 'warning');
    assert.equal(levelOf(99, 100, 80), 'warning');
    assert.equal(levelOf(100, 100, 80), 'over');
    assert.equal(levelOf(50, 100, 50), 'warning');
  });

  const line = (level: BudgetLine['level'], windowKey = '2026-11-20'): BudgetLine => ({
    kind: 'daily', windowKey, windowLabel: 'today', spentNanos: level === 'ok' ? 1 : level === 'warning' ? 85 : 120, limitNanos: 100, level,
  });

  it('announces each threshold once per window, skips a crossed-over warning, and re-arms in a new window', () => {
    let told = parseAnnounced(undefined);
    const steps: Array<[BudgetLine, string[]]> = [
      [line('ok'), []],
      [line('warning'), ['warning']],
      [line('warning'), []],
      [line('ok'), []], // budget raised: quiet, and no repeat when it climbs again
      [line('warning'), []],
      [line('over'), ['over']],
      [line('over'), []],
      [line('over', '2026-11-21'), ['over']], // a new day straight over: one alert, not two
      [line('warning', '2026-11-21'), []],
    ];
    for (const [l, expected] of steps) {
      const r = budgetAlerts([l], told, true);
      assert.deepEqual(r.alerts.map((a) => a.level), expected, JSON.stringify(l));
      told = parseAnnounced(JSON.parse(JSON.stringify(r.announced)));
    }
  });

  it('with notifications off nothing is announced (and nothing is remembered as told)', () => {
    const r = budgetAlerts([line('over')], {}, false);
    assert.deepEqual(r.alerts, []);
  });

  it('messages and tooltip rows', () => {
    const over: BudgetLine = { kind: 'monthly', windowKey: '2026-11', windowLabel: 'this month', spentNanos: 123_450_000_000, limitNanos: 100_000_000_000, level: 'over' };
    assert.equal(alertMessage({ type: 'budget', alert: { kind: 'monthly', level: 'over', line: over } }, false), 'Claude Usage: monthly budget reached — $123.45 spent this month, budget $100.00 (123%).');
    assert.match(alertMessage({ type: 'budget', alert: { kind: 'monthly', level: 'over', line: over } }, true), /API-equivalent cost this month/);
    assert.deepEqual(budgetRows([over]), ['| Monthly budget $(error) | $123.45 of $100.00 (123%) |']);
    assert.equal(
      alertMessage({ type: 'spike', verdict: { spike: true, lastHourNanos: 12_000_000_000, baselineNanos: 1_000_000_000 } }, false),
      'Claude Usage: unusual spending — Claude usage cost in the last hour is $12.00 — 12× the usual $1.00 per active hour.',
    );
  });
});

describe('spikes', () => {
  const hours = (costs: number[]): HourCost[] => costs.map((c) => ({ costNanos: c, calls: c > 0 ? 1 : 0 }));

  it('the baseline is the median of the active hours; idle hours do not make every busy hour a spike', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 3);
    const workday = hours([...Array(16).fill(0), 2, 2, 3, 2, 2, 3, 2, 2]);
    assert.equal(judgeSpike(workday, 5, 1).spike, false, 'a normal busy hour after a night');
    assert.deepEqual(judgeSpike(workday, 7, 1), { spike: true, lastHourNanos: 7, baselineNanos: 2 });
    assert.equal(judgeSpike(workday, 7, 10).spike, false, 'below the floor');
    assert.equal(judgeSpike(hours([0, 0, 5, 5]), 100, 1).spike, false, 'too few active hours to judge');
  });

  it('called out once: not again while it lasts, nor within three hours after', () => {
    const yes = { spike: true, lastHourNanos: 9, baselineNanos: 1 };
    const no = { spike: false, lastHourNanos: 1, baselineNanos: 1 };
    let state = { active: false, announcedAt: null as number | null };
    const said: number[] = [];
    for (const [t, verdict] of [[0, yes], [10, yes], [20, no], [30, yes], [4 * HOUR, no], [5 * HOUR, yes], [5 * HOUR + 1, yes]] as const) {
      const r = spikeTransition(state, verdict, t);
      if (r.announce) said.push(t);
      state = r.state;
    }
    assert.deepEqual(said, [0, 5 * HOUR]);
  });
});

describe('the monitor on a store', () => {
  const NOW = Date.UTC(2026, 10, 20, 15, 10);
  let store: StoreApi;
  const settings: AlertSettings = {
    limitsUsd: { daily: 0.01, weekly: null, monthly: 1 },
    warningPercent: 80,
    notify: true,
    spikeAlerts: true,
    spikeMinimumUsd: 0.001,
  };

  before(async () => {
    store = testStore();
    await store.open({});
  });
  after(() => store.close());

  const call = (ts: number, input: number): CallInput => makeCall({ ts, model: 'model-a', tokens: tokens({ input }) });

  it('spending over a day: one warning, one "reached", nothing per call, nothing again after a reload', async () => {
    let memory: unknown;
    const said: Alert[] = [];
    let now = NOW;
    const monitor = () =>
      new BudgetMonitor({
        store,
        memory: { get: () => memory, set: (v) => void (memory = JSON.parse(JSON.stringify(v))) },
        settings: () => ({ ...settings, spikeAlerts: false }),
        now: () => now,
        timeZone: () => 'UTC',
        notify: (a) => said.push(a),
      });
    const m = monitor();
    assert.equal((await m.check()).level, 'ok');
    // $0.01 daily budget = 3,333,333 tokens of model-a; spend in small steps.
    for (let i = 0; i < 12; i++) {
      now += 60_000;
      await store.record([call(now - 1000, 300_000)]);
      await m.check();
    }
    assert.deepEqual(said.map((a) => (a.type === 'budget' ? `${a.alert.kind}:${a.alert.level}` : a.type)), ['daily:warning', 'daily:over']);
    assert.equal(m.status.level, 'over');
    assert.equal(m.status.lines.find((l) => l.kind === 'daily')?.spentNanos, 12 * 300_000 * 3);
    const reloaded = monitor();
    await reloaded.check();
    assert.equal(said.length, 2, 'a reload does not repeat them');
    assert.equal(reloaded.status.level, 'over');
    // The next day starts below the budget.
    now = Date.UTC(2026, 10, 21, 9);
    assert.equal((await reloaded.check()).lines.find((l) => l.kind === 'daily')?.level, 'ok');
  });

  it('a spike in the last hour is announced once', async () => {
    const spikeStore = testStore();
    await spikeStore.open({});
    try {
      const base = Date.UTC(2026, 10, 20, 0);
      const calls: CallInput[] = [];
      for (let h = 0; h < 20; h++) calls.push(call(base + h * HOUR + 600_000, 200_000)); // $0.0006 an hour
      await spikeStore.record(calls);
      let memory: unknown;
      const said: Alert[] = [];
      const now = base + 21 * HOUR + 300_000;
      const m = new BudgetMonitor({
        store: spikeStore,
        memory: { get: () => memory, set: (v) => void (memory = v) },
        settings: () => ({ ...settings, limitsUsd: { daily: null, weekly: null, monthly: null } }),
        now: () => now,
        timeZone: () => 'UTC',
        notify: (a) => said.push(a),
      });
      assert.equal((await m.check()).spike?.spike, false);
      await spikeStore.record([call(now - 60_000, 2_000_000)]); // $0.006 in the last hour, 10× the baseline
      const status = await m.check();
      assert.equal(status.spike?.spike, true);
      assert.equal(status.spike?.baselineNanos, 600_000);
      await m.check();
      assert.deepEqual(said.map((a) => a.type), ['spike']);
    } finally {
      await spikeStore.close();
    }
  });
});
