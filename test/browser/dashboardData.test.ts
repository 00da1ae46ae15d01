/**
 * The numbers a person reads on the dashboard — cards, the cost-over-time points, the donut's shares and the top
 * consumers — against expectations computed from the fixture calls alone, in the real bundle on a real store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { promptTokens, SOURCE_LABELS, SOURCES } from '../../src/shared/callRecord';
import { formatCount, formatShare, formatTokens } from '../../src/shared/format';
import { formatUsd } from '../../src/shared/money';
import type { StoreApi } from '../../src/extension/store/storeApi';
import { cardValueId, TestIds, type CardId } from '../../src/webview/testIds';
import { eventually } from './harness/eventually';
import { expectedBySource, expectedSeries, expectedTop, periodCalls, summarize, ZONE_OFFSET_MIN } from './harness/expected';
import { fixtureCalls, NOW, toInputs } from './harness/fixtureCalls';
import { assertClean, BrowserSession } from './harness/session';
import { openStore } from './harness/store';

const calls = fixtureCalls();
const day = periodCalls(calls, '24h', NOW);
let session: BrowserSession;
let store: StoreApi;

before(async () => {
  store = await openStore(toInputs(calls));
  session = await BrowserSession.start();
});

after(async () => {
  await session?.close();
  await store?.close();
});

describe('stats cards', () => {
  test('show the 24h totals, with the input split and the unpriced call flagged', async () => {
    const o = await session.open(store);
    const s = summarize(day);
    assert.equal(s.calls, 45);
    assert.equal(s.unpriced, 1);
    const expected: Record<CardId, string> = {
      totalCost: formatUsd(s.costNanos),
      inputTokens: formatTokens(promptTokens(s.tokens)),
      outputTokens: formatTokens(s.tokens.output),
      apiCalls: '45',
      avgPerCall: formatUsd(s.costNanos / (s.calls - s.unpriced)),
    };
    for (const [card, text] of Object.entries(expected)) assert.equal(await o.d.cardValue(card as CardId), text, card);
    // Concrete values, so a formatting regression cannot hide behind the shared formatter.
    assert.equal(expected.totalCost, '$1.31');
    assert.equal(expected.inputTokens, '1.2M');

    const t = s.tokens;
    assert.equal(
      await o.d.text(TestIds.inputBreakdown),
      `${formatTokens(t.input)} uncached · ${formatTokens(t.cacheWrite5m + t.cacheWrite1h)} cache write · ${formatTokens(t.cacheRead)} cache read`,
    );
    assert.equal(await o.d.text(TestIds.unpricedNote), '1 unpriced');
    assert.match((await o.d.byId(TestIds.unpricedNote).locator('[title]').getAttribute('title')) ?? '', /claude-experimental-9/);
    assert.equal(await o.d.pressed('period-24h'), true);
    await assertClean(o);
  });

  test('follow the period: 7d and 30d include older calls', async () => {
    const o = await session.open(store);
    for (const period of ['7d', '30d'] as const) {
      await o.d.choosePeriod(period);
      const s = summarize(periodCalls(calls, period, NOW));
      await eventually(async () => assert.equal(await o.d.cardValue('apiCalls'), formatCount(s.calls)));
      assert.equal(await o.d.cardValue('totalCost'), formatUsd(s.costNanos));
      assert.equal(await o.d.pressed(`period-${period}`), true);
      assert.equal(await o.d.pressed('period-24h'), false);
    }
    assert.equal(o.bridge.period, '30d', 'the host (and with it the status bar) follows the period');
    assert.ok(o.bridge.fromPage.some((m) => JSON.stringify(m) === JSON.stringify({ type: 'setPeriod', period: '7d' })));
    await assertClean(o);
  });
});

describe('cost over time', () => {
  async function assertSeries(o: Awaited<ReturnType<BrowserSession['open']>>, expected: ReturnType<typeof expectedSeries>): Promise<void> {
    await eventually(async () => assert.equal((await o.d.chartRows()).length, expected.length));
    const rows = await o.d.chartRows();
    assert.deepEqual(
      rows.map((r) => [r.start, r.costNanos]),
      expected.map((p) => [p.start, p.costNanos]),
    );
    assert.deepEqual(
      rows.map((r) => r.cost),
      expected.map((p) => formatUsd(p.costNanos)),
    );
    assert.equal(await o.d.byId(TestIds.costChart).locator('[data-points]').getAttribute('data-points'), String(expected.length));
  }

  test('plots one point per local hour in Asia/Kolkata (+5:30), empty hours as zero', async () => {
    const o = await session.open(store, { timeZone: 'Asia/Kolkata' });
    const expected = expectedSeries(calls, '24h', 'hour', NOW, ZONE_OFFSET_MIN['Asia/Kolkata']);
    assert.equal(expected.length, 25);
    assert.ok(expected.some((p) => p.costNanos === 0), 'the fixture has empty hours');
    await assertSeries(o, expected);
    // Buckets start on the local hour: :30 past the UTC hour in this zone.
    assert.ok(expected.every((p) => new Date(p.start).getUTCMinutes() === 30));
    assert.equal(await o.d.pressed(TestIds.granularityHour), true);
    assert.match((await o.d.chartRows())[0].label, /8:00\sPM/, 'labels in local time');
    await assertClean(o);
  });

  test('follows Asia/Kathmandu (+5:45) buckets', async () => {
    const o = await session.open(store, { timeZone: 'Asia/Kathmandu' });
    await assertSeries(o, expectedSeries(calls, '24h', 'hour', NOW, ZONE_OFFSET_MIN['Asia/Kathmandu']));
  });

  test('daily by default for 7d and 30d, hourly when chosen, line or bar', async () => {
    const o = await session.open(store, { timeZone: 'Asia/Kolkata' });
    const off = ZONE_OFFSET_MIN['Asia/Kolkata'];
    await o.d.choosePeriod('7d');
    await assertSeries(o, expectedSeries(calls, '7d', 'day', NOW, off));
    assert.equal(await o.d.pressed(TestIds.granularityDay), true);

    await o.d.byId(TestIds.granularityHour).click();
    await assertSeries(o, expectedSeries(calls, '7d', 'hour', NOW, off));

    await o.d.choosePeriod('30d');
    await assertSeries(o, expectedSeries(calls, '30d', 'hour', NOW, off));
    await o.d.byId(TestIds.granularityDay).click();
    await assertSeries(o, expectedSeries(calls, '30d', 'day', NOW, off));

    assert.equal(await o.d.pressed(TestIds.chartTypeBar), true);
    await o.d.byId(TestIds.chartTypeLine).click();
    assert.equal(await o.d.pressed(TestIds.chartTypeLine), true);
    await assertSeries(o, expectedSeries(calls, '30d', 'day', NOW, off));
    await assertClean(o);
  });
});

describe('cost by source', () => {
  test('lists Chat, Agent and Memory with amounts and shares that match the calls', async () => {
    const o = await session.open(store);
    const by = expectedBySource(day);
    const total = SOURCES.reduce((a, s) => a + by[s].costNanos, 0);
    let shareSum = 0;
    for (const s of SOURCES) {
      const item = await o.d.legend(s);
      assert.equal(item.amount, formatUsd(by[s].costNanos), `${s} amount`);
      assert.equal(item.percent, formatShare(by[s].costNanos, total), `${s} share`);
      assert.ok(Math.abs(item.share - by[s].costNanos / total) < 1e-4, `${s} share value`);
      assert.ok(item.text.startsWith(SOURCE_LABELS[s]));
      shareSum += item.share;
    }
    assert.ok(Math.abs(shareSum - 1) < 1e-3);
    assert.match((await o.d.legend('chat')).text, /1 unpriced/);
    await assertClean(o);
  });

  test('keeps a source with no cost in the legend at 0%', async () => {
    const chatOnly = await openStore(toInputs(day.filter((c) => c.source === 'chat')));
    try {
      const o = await session.open(chatOnly);
      for (const s of ['agent', 'memory'] as const) {
        const item = await o.d.legend(s);
        assert.equal(item.amount, '$0.00');
        assert.equal(item.percent, '0%');
      }
      assert.equal((await o.d.legend('chat')).percent, '100%');
      await assertClean(o);
    } finally {
      await chatOnly.close();
    }
  });
});

describe('top consumers', () => {
  test('ranks by cost, then by tokens, with source badges', async () => {
    const o = await session.open(store);
    const byCost = expectedTop(day, 'cost');
    assert.deepEqual(await o.d.consumerNames(), byCost.map((c) => c.name));
    const values = await o.d.consumerValues();
    assert.deepEqual(values.slice(0, -1), byCost.slice(0, -1).map((c) => formatUsd(c.costNanos)));
    assert.equal(values[values.length - 1], 'unpriced', 'a consumer with only unpriced calls is not shown as $0');
    assert.equal(await o.d.byId(TestIds.topConsumerItem).first().locator('.source-badge').innerText(), 'Chat');

    await o.d.rankBy('tokens');
    const byTokens = expectedTop(day, 'tokens');
    await eventually(async () => assert.deepEqual(await o.d.consumerNames(), byTokens.map((c) => c.name)));
    assert.deepEqual(await o.d.consumerValues(), byTokens.map((c) => `${formatTokens(c.tokens)} tokens`));
    assert.notDeepEqual(byTokens.map((c) => c.key), byCost.map((c) => c.key), 'the fixture ranks differently by tokens');
    await assertClean(o);
  });
});

test('card value ids are unique on the page', async () => {
  const o = await session.open(store);
  for (const id of ['totalCost', 'inputTokens', 'outputTokens', 'apiCalls', 'avgPerCall'] as const) {
    assert.equal(await o.d.byId(cardValueId(id)).count(), 1);
  }
});

test('a period with only unpriced calls shows no $0 anywhere: dashes and "unpriced" instead', async () => {
  const unpricedOnly = await openStore(toInputs(day.filter((c) => c.expectedCostNanos === null)));
  try {
    const o = await session.open(unpricedOnly);
    assert.equal(await o.d.cardValue('totalCost'), '—');
    assert.equal(await o.d.cardValue('avgPerCall'), '—');
    assert.equal(await o.d.cardValue('apiCalls'), '1');
    assert.equal(await o.d.text(TestIds.unpricedNote), '1 unpriced');
    assert.equal(await o.d.text(TestIds.costChartEmpty), 'Calls in this period have no known price');
    assert.equal((await o.d.legend('chat')).amount, '—');
    assert.deepEqual(await o.d.consumerValues(), ['unpriced']);
    assert.equal((await o.d.rows())[0].cost, 'unpriced');
    assert.doesNotMatch(await o.d.text(TestIds.cards), /\$0\.00/);
    await assertClean(o);
  } finally {
    await unpricedOnly.close();
  }
});
