// Periods beyond the rolling three: this calendar month and custom ranges of local days, resolved to UTC ranges in
// any zone (DST, :30/:45 offsets, a midnight skipped by DST), their validation, labels and chart granularity.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allowsHourly, customPeriod, defaultGranularity, isPeriod, localDate, localDayStart, parseCustomPeriod, periodRange,
  periodShortLabel, periodTitle,
} from '../../src/shared/period';

const NOW = Date.UTC(2026, 10, 20, 15, 10, 0); // Fri 20 Nov 2026, 15:10 UTC

describe('period values', () => {
  it('accepts the presets and well-formed custom ranges only', () => {
    for (const p of ['24h', '7d', '30d', 'month', 'custom:2026-11-01..2026-11-15', 'custom:2026-02-28..2026-02-28']) assert.equal(isPeriod(p), true, p);
    for (const p of ['1y', '', 'custom:', 'custom:2026-11-15..2026-11-01', 'custom:2026-02-30..2026-03-01', 'custom:2026-1-1..2026-1-2', 'custom:1999-12-31..2000-01-01', 'custom:2026-11-01..2026-11-15 ', null, 7]) {
      assert.equal(isPeriod(p), false, String(p));
    }
    assert.equal(customPeriod('2026-11-15', '2026-11-01'), 'custom:2026-11-01..2026-11-15', 'given backwards, swapped');
    assert.deepEqual(parseCustomPeriod('custom:2026-11-01..2026-11-15'), { from: '2026-11-01', to: '2026-11-15' });
    assert.throws(() => customPeriod('2026-13-01', '2026-11-01'), /real days/);
  });
});

describe('ranges', () => {
  it('rolling periods end now, as before', () => {
    assert.deepEqual(periodRange('24h', NOW, 'Asia/Kolkata'), { from: NOW - 86_400_000, to: NOW + 1 });
  });

  it('this month starts at the local first of the month, in each zone', () => {
    assert.deepEqual(periodRange('month', NOW, 'UTC'), { from: Date.UTC(2026, 10, 1), to: NOW + 1 });
    assert.equal(periodRange('month', NOW, 'Asia/Kolkata').from, Date.UTC(2026, 9, 31, 18, 30));
    assert.equal(periodRange('month', NOW, 'Asia/Kathmandu').from, Date.UTC(2026, 9, 31, 18, 15));
    // New York is still on daylight time at 00:00 on 1 Nov 2026 (DST ends at 2:00 that day).
    assert.equal(periodRange('month', NOW, 'America/New_York').from, Date.UTC(2026, 10, 1, 4));
    // Early on the 1st in Tokyo it is still October in UTC: the local month wins.
    const tokyoFirst = Date.UTC(2026, 9, 31, 16, 0);
    assert.equal(periodRange('month', tokyoFirst, 'Asia/Tokyo').from, Date.UTC(2026, 9, 31, 15));
  });

  it('a custom range covers its first to its last local day, both whole, across a DST change', () => {
    // Europe/Berlin: clocks go forward on 29 Mar 2026, so that day has 23 hours.
    const r = periodRange('custom:2026-03-28..2026-03-29', NOW, 'Europe/Berlin');
    assert.equal(r.from, Date.UTC(2026, 2, 27, 23));
    assert.equal(r.to, Date.UTC(2026, 2, 29, 22));
    assert.equal(r.to - r.from, 47 * 3_600_000);
    const single = periodRange('custom:2026-11-20..2026-11-20', NOW, 'Asia/Kathmandu');
    assert.equal(single.to - single.from, 86_400_000);
    assert.equal(single.from, Date.UTC(2026, 10, 19, 18, 15));
  });

  it('a day whose midnight is skipped starts at its first instant', () => {
    // America/Santiago moves clocks from 24:00 to 01:00 on 6 Sep 2026.
    const start = localDayStart('2026-09-06', 'America/Santiago');
    assert.equal(localDate(start, 'America/Santiago'), '2026-09-06');
    assert.equal(localDate(start - 1000, 'America/Santiago'), '2026-09-05');
  });
});

describe('labels and granularity', () => {
  it('short labels for the status bar', () => {
    assert.equal(periodShortLabel('7d', NOW, 'UTC'), '7d');
    assert.equal(periodShortLabel('month', NOW, 'UTC'), 'Nov');
    assert.equal(periodShortLabel('custom:2026-11-01..2026-11-15', NOW, 'UTC'), 'Nov 1–15');
    assert.equal(periodShortLabel('custom:2026-10-28..2026-11-03', NOW, 'UTC'), 'Oct 28 – Nov 3');
    assert.equal(periodShortLabel('custom:2026-11-05..2026-11-05', NOW, 'UTC'), 'Nov 5');
    assert.equal(periodShortLabel('custom:2025-12-28..2026-01-03', NOW, 'UTC'), 'Dec 28, 2025 – Jan 3, 2026');
  });

  it('titles', () => {
    assert.equal(periodTitle('30d', NOW, 'UTC'), 'Last 30 days');
    assert.equal(periodTitle('month', NOW, 'UTC'), 'This month (November 2026)');
    assert.equal(periodTitle('custom:2026-11-01..2026-11-15', NOW, 'UTC'), 'Nov 1–15, 2026');
  });

  it('hourly for 24h and short custom ranges; hourly refused for very long ranges', () => {
    assert.equal(defaultGranularity('24h'), 'hour');
    assert.equal(defaultGranularity('month'), 'day');
    assert.equal(defaultGranularity('custom:2026-11-19..2026-11-20'), 'hour');
    assert.equal(defaultGranularity('custom:2026-11-01..2026-11-20'), 'day');
    assert.equal(allowsHourly('30d'), true);
    assert.equal(allowsHourly('custom:2026-01-01..2026-12-31'), false);
  });
});
