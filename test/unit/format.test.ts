// src/shared/format.ts: token counts, durations, relative times, page labels, shares.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatCount,
  formatDuration,
  formatPageLabel,
  formatRelativeTime,
  formatShare,
  formatTokens,
} from '../../src/shared/format';

describe('formatTokens', () => {
  it('matches the spec: 1,500,000 → "1.5M", 45,000 → "45.0K"', () => {
    assert.equal(formatTokens(1_500_000), '1.5M');
    assert.equal(formatTokens(45_000), '45.0K');
  });

  it('keeps small counts whole and uses K/M/B above', () => {
    assert.equal(formatTokens(0), '0');
    assert.equal(formatTokens(999), '999');
    assert.equal(formatTokens(1000), '1.0K');
    assert.equal(formatTokens(1500), '1.5K');
    assert.equal(formatTokens(2_500_000_000), '2.5B');
    assert.equal(formatTokens(-45_000), '-45.0K');
    assert.equal(formatTokens(Number.NaN), '—');
  });

  it('moves to the next unit instead of showing "1000.0K"', () => {
    assert.equal(formatTokens(999_949), '999.9K');
    assert.equal(formatTokens(999_950), '1.0M');
    assert.equal(formatTokens(999_950_000), '1.0B');
  });
});

describe('formatCount and formatShare', () => {
  it('groups thousands', () => {
    assert.equal(formatCount(1_234_567), '1,234,567');
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(Number.NaN), '—');
  });

  it('shows percentages, "<1%" for tiny non-zero shares', () => {
    assert.equal(formatShare(1, 3), '33%');
    assert.equal(formatShare(1, 1000), '<1%');
    assert.equal(formatShare(0, 5), '0%');
    assert.equal(formatShare(5, 0), '0%');
    assert.equal(formatShare(5, 5), '100%');
  });
});

describe('formatDuration', () => {
  it('uses ms, seconds, then minutes and hours', () => {
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(12_400), '12.4 s');
    assert.equal(formatDuration(125_000), '2m 5s');
    assert.equal(formatDuration(3_725_000), '1h 2m');
  });

  it('never shows "1000 ms" or "60.0 s"', () => {
    assert.equal(formatDuration(999.4), '999 ms');
    assert.equal(formatDuration(999.6), '1.0 s');
    assert.equal(formatDuration(59_940), '59.9 s');
    assert.equal(formatDuration(59_960), '1m 0s');
  });

  it('shows unknown durations as a dash, never invents one', () => {
    assert.equal(formatDuration(null), '—');
    assert.equal(formatDuration(undefined), '—');
    assert.equal(formatDuration(-1), '—');
    assert.equal(formatDuration(Number.NaN), '—');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.UTC(2026, 10, 20, 12, 0, 0);
  const ago = (ms: number) => formatRelativeTime(now - ms, now);
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const DAY = 24 * HOUR;

  it('reads naturally from seconds to years', () => {
    assert.equal(ago(0), 'just now');
    assert.equal(ago(44_999), 'just now');
    assert.equal(ago(45_000), '1 min ago');
    assert.equal(ago(3 * MIN), '3 min ago');
    assert.equal(ago(59 * MIN), '59 min ago');
    assert.equal(ago(2 * HOUR), '2 h ago');
    assert.equal(ago(DAY), '1 day ago');
    assert.equal(ago(5 * DAY), '5 days ago');
    assert.equal(ago(90 * DAY), '3 months ago');
    assert.equal(ago(800 * DAY), '2 years ago');
  });

  it('rolls over at unit edges instead of "60 min ago" or "24 h ago"', () => {
    assert.equal(ago(59.9 * MIN), '1 h ago');
    assert.equal(ago(23.9 * HOUR), '1 day ago');
  });

  it('treats future times (clock skew) as just now', () => {
    assert.equal(ago(-5000), 'just now');
    assert.equal(formatRelativeTime(Number.NaN, now), 'just now');
  });
});

describe('formatPageLabel', () => {
  it('shows the 1-based range of the page and the total', () => {
    assert.equal(formatPageLabel(1, 20, 5), '1–5 of 5');
    assert.equal(formatPageLabel(3, 20, 1234), '41–60 of 1,234');
    assert.equal(formatPageLabel(62, 20, 1234), '1,221–1,234 of 1,234');
    assert.equal(formatPageLabel(1, 20, 0), '0 of 0');
  });
});
