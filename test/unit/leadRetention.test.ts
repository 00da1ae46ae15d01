// The retention setting through the real store: records older than N days go, newer ones and the totals of what is
// kept stay exact; turning the setting off keeps everything from then on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetentionScheduler } from '../../src/extension/retentionScheduler';
import { makeCall, testStore } from './storeFixtures';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26, 12);

test('prunes records older than the retention period, keeps the rest', async () => {
  const store = testStore();
  await store.open({});
  const ages = [1, 5, 9, 11, 40, 400];
  await store.record(ages.map((d, i) => makeCall({ key: `msg_${i}`, ts: NOW - d * DAY })));
  const logs: string[] = [];
  const retention = new RetentionScheduler(store, (_level, m) => logs.push(m), () => NOW);
  try {
    await retention.apply(10);
    const all = await store.summary({ from: 0, to: NOW + 1 });
    assert.equal(all.calls, 3);
    assert.equal(all.firstTs, NOW - 9 * DAY);
    assert.match(logs.join('\n'), /removed 3 records older than 10 days/);

    await retention.apply(null);
    await store.record([makeCall({ key: 'msg_old', ts: NOW - 100 * DAY })]);
    await retention.prune();
    assert.equal((await store.summary({ from: 0, to: NOW + 1 })).calls, 4);
  } finally {
    retention.dispose();
    await store.close();
  }
});
