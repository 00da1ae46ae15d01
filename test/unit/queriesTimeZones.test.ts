// Cost-over-time buckets are the user's local hours and days: UTC, New York across both 2026 DST changes,
// Kolkata (+5:30), Kathmandu (+5:45), and whatever zone TZ= gives this process. Empty buckets are zeros.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localBuckets } from '../../src/extension/queries/localBuckets';
import type { StoreApi } from '../../src/extension/store/storeApi';
import type { Granularity, TimeRange } from '../../src/shared/period';
import { referenceSeries, referenceStarts, priced } from './queriesReference';
import { makeCall, testStore, tokens } from './storeFixtures';

const H = 3_600_000;
const utc = (s: string): number => Date.parse(s);

describe('local bucket starts', () => {
  it('UTC: hours and days on the hour and at midnight; the first bucket holds the range start', () => {
    const now = utc('2026-11-20T14:37:12.345Z');
    const hours = localBuckets({ from: now - 24 * H, to: now + 1 }, 'UTC', 'hour');
    assert.equal(hours.starts.length, 25);
    assert.equal(hours.starts[0], utc('2026-11-19T14:00:00Z'));
    assert.equal(hours.starts[24], utc('2026-11-20T14:00:00Z'));
    assert.equal(hours.end, utc('2026-11-20T15:00:00Z'));
    const days = localBuckets({ from: now - 7 * 24 * H, to: now + 1 }, 'UTC', 'day');
    assert.deepEqual(days.starts.map((t) => new Date(t).toISOString().slice(0, 10)), [
      '2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20',
    ]);
  });

  it('America/New_York, 2026-03-08: the local day has 23 hours and 2 AM does not exist', () => {
    const day = { from: utc('2026-03-08T05:00:00Z'), to: utc('2026-03-09T04:00:00Z') };
    const hours = localBuckets(day, 'America/New_York', 'hour');
    assert.equal(hours.starts.length, 23);
    assert.equal(hours.starts[1], utc('2026-03-08T06:00:00Z'), '1 AM EST');
    assert.equal(hours.starts[2], utc('2026-03-08T07:00:00Z'), '3 AM EDT follows 1 AM');
    const days = localBuckets({ from: utc('2026-03-07T12:00:00Z'), to: utc('2026-03-09T12:00:00Z') }, 'America/New_York', 'day');
    assert.deepEqual(days.starts, [utc('2026-03-07T05:00:00Z'), utc('2026-03-08T05:00:00Z'), utc('2026-03-09T04:00:00Z')]);
  });

  it('America/New_York, 2026-11-01: the local day has 25 hours and 1 AM happens twice', () => {
    const day = { from: utc('2026-11-01T04:00:00Z'), to: utc('2026-11-02T05:00:00Z') };
    const hours = localBuckets(day, 'America/New_York', 'hour');
    assert.equal(hours.starts.length, 25);
    assert.equal(hours.starts[1], utc('2026-11-01T05:00:00Z'), '1 AM EDT');
    assert.equal(hours.starts[2], utc('2026-11-01T06:00:00Z'), '1 AM EST, its own bucket');
    assert.equal(hours.starts[3], utc('2026-11-01T07:00:00Z'), '2 AM EST');
    const days = localBuckets(day, 'America/New_York', 'day');
    assert.deepEqual(days.starts, [utc('2026-11-01T04:00:00Z')]);
    assert.equal(days.end, utc('2026-11-02T05:00:00Z'));
  });

  it('Asia/Kolkata (+5:30) and Asia/Kathmandu (+5:45): days and hours start off the UTC hour', () => {
    const range = { from: utc('2026-11-19T20:00:00Z'), to: utc('2026-11-20T20:00:00Z') };
    assert.deepEqual(localBuckets(range, 'Asia/Kolkata', 'day').starts, [utc('2026-11-19T18:30:00Z'), utc('2026-11-20T18:30:00Z')]);
    assert.deepEqual(localBuckets(range, 'Asia/Kathmandu', 'day').starts, [utc('2026-11-19T18:15:00Z'), utc('2026-11-20T18:15:00Z')]);
    const hours = localBuckets(range, 'Asia/Kathmandu', 'hour');
    assert.equal(hours.starts[0], utc('2026-11-19T19:15:00Z'));
    assert.ok(hours.starts.every((t) => new Date(t).getUTCMinutes() === 15));
  });

  it('agrees with a clock walk in many zones, periods and granularities', () => {
    const zones = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Santiago', 'Europe/Berlin', 'Pacific/Chatham'];
    const nows = [utc('2026-03-08T09:41:07Z'), utc('2026-11-01T06:30:00Z'), utc('2026-10-04T12:00:00Z'), utc('2026-04-05T15:12:00Z')];
    for (const timeZone of zones) {
      for (const now of nows) {
        for (const [span, granularity] of [[24 * H, 'hour'], [7 * 24 * H, 'day'], [30 * 24 * H, 'day'], [7 * 24 * H, 'hour']] as const) {
          const range = { from: now - span, to: now + 1 };
          assert.deepEqual(localBuckets(range, timeZone, granularity), referenceStarts(range, timeZone, granularity), `${timeZone} ${granularity} ${new Date(now).toISOString()}`);
        }
      }
    }
  });

  it('refuses unknown zones and absurd lengths with clear errors', () => {
    assert.throws(() => localBuckets({ from: 0, to: H }, 'Mars/Olympus_Mons', 'hour'), /Unknown time zone "Mars\/Olympus_Mons"/);
    assert.throws(() => localBuckets({ from: 0, to: 10 * 365 * 24 * H }, 'UTC', 'hour'), /too long for hourly buckets/);
  });
});

describe('dashboard series in local time', () => {
  let store: StoreApi;
  before(async () => {
    store = testStore();
    await store.open({});
  });
  after(() => store.close());

  async function series(range: TimeRange, timeZone: string, granularity: Granularity) {
    return (await store.dashboard({ range, timeZone, granularity, topBy: 'cost' })).series;
  }

  it('puts calls at bucket edges in the right local bucket and keeps empty buckets as zeros', async () => {
    const edge = utc('2026-11-20T18:15:00Z'); // Kathmandu midnight
    const calls = [
      makeCall({ key: 'before-midnight', ts: edge - 1, tokens: tokens({ input: 1 }) }),
      makeCall({ key: 'at-midnight', ts: edge, tokens: tokens({ input: 2 }) }),
      makeCall({ key: 'in-dst-repeat', ts: utc('2026-11-01T06:20:00Z'), tokens: tokens({ input: 4 }) }),
    ];
    await store.record(calls);
    const range = { from: utc('2026-11-18T00:00:00Z'), to: utc('2026-11-22T00:00:00Z') };
    const days = await series(range, 'Asia/Kathmandu', 'day');
    assert.deepEqual(days.map((p) => p.tokens), [0, 0, 1, 2, 0]);
    assert.deepEqual(days.map((p) => p.calls), [0, 0, 1, 1, 0]);
    assert.ok(days.every((p) => Number.isFinite(p.costNanos)));
    const ny = await series({ from: utc('2026-11-01T04:00:00Z'), to: utc('2026-11-02T05:00:00Z') }, 'America/New_York', 'hour');
    assert.equal(ny.length, 25);
    assert.equal(ny[2].tokens, 4, 'the call at 1:20 AM EST is in the second 1 AM bucket');
    assert.equal(ny.filter((p) => p.calls > 0).length, 1);
  });

  it('matches a brute-force computation in the process time zone (run with TZ=… to change it)', async () => {
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const calls = Array.from({ length: 300 }, (_, i) =>
      makeCall({ key: `tz-${i}`, ts: utc('2026-10-25T00:00:00Z') + ((i * 7_919_113) % (12 * 24 * H)), model: i % 5 === 0 ? 'mystery' : 'model-b', tokens: tokens({ input: i, output: 3 }) }),
    );
    const fresh = testStore();
    await fresh.open({});
    await fresh.record(calls);
    const ref = priced([...calls]);
    const range = { from: utc('2026-10-26T13:07:00Z'), to: utc('2026-11-04T02:01:00Z') };
    for (const granularity of ['hour', 'day'] as const) {
      const actual = (await fresh.dashboard({ range, timeZone, granularity, topBy: 'cost' })).series;
      assert.deepEqual(actual, referenceSeries(ref, range, timeZone, granularity), `${timeZone} ${granularity}`);
    }
    await fresh.close();
  });
});
