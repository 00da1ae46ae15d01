// src/shared/money.ts: exact nano-dollar conversion and formatting at the edge.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUsd, NANOS_PER_USD, nanosToDecimalString, ratePerMTokToNanos } from '../../src/shared/money';

describe('ratePerMTokToNanos', () => {
  it('turns every published rate into a whole number of nanos per token', () => {
    const cases: ReadonlyArray<readonly [number, number]> = [
      [1, 1000],
      [0.01, 10],
      [0.03, 30],
      [0.08, 80],
      [0.125, 125],
      [0.625, 625],
      [1.25, 1250],
      [3.75, 3750],
      [18.75, 18_750],
      [22.5, 22_500],
      [150, 150_000],
    ];
    for (const [usd, nanos] of cases) assert.equal(ratePerMTokToNanos(usd), nanos, String(usd));
  });
});

describe('formatUsd', () => {
  it('shows unpriced, never $0, for null and non-finite values', () => {
    assert.equal(formatUsd(null), 'unpriced');
    assert.equal(formatUsd(null, { unpriced: '—' }), '—');
    assert.equal(formatUsd(Number.NaN), 'unpriced');
    assert.equal(formatUsd(Number.POSITIVE_INFINITY), 'unpriced');
  });

  it('shows dollars and cents from $1', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(4_270_000_000), '$4.27');
    assert.equal(formatUsd(NANOS_PER_USD), '$1.00');
    assert.equal(formatUsd(1_234_567_890_000), '$1,234.57');
    assert.equal(formatUsd(-4_270_000_000), '-$4.27');
  });

  it('rounds half up from the exact integer (no binary-float surprises)', () => {
    assert.equal(formatUsd(4_275_000_000), '$4.28');
    assert.equal(formatUsd(1_005_000_000), '$1.01'); // 1.005 is 1.00499… as a float
    assert.equal(formatUsd(4_274_999_999), '$4.27');
    assert.equal(formatUsd(999_999_999_999), '$1,000.00'); // grouping follows the rounded value
  });

  it('keeps up to 4 decimals between a cent and a dollar', () => {
    assert.equal(formatUsd(32_538_200), '$0.0325');
    assert.equal(formatUsd(15_000_000), '$0.015');
    assert.equal(formatUsd(125_000_000), '$0.125');
    assert.equal(formatUsd(222_000_000), '$0.222');
    assert.equal(formatUsd(999_950_000), '$1.00');
  });

  it('keeps two significant digits below a cent, down to one nano-dollar', () => {
    assert.equal(formatUsd(3_200_000), '$0.0032');
    assert.equal(formatUsd(12_000), '$0.000012');
    assert.equal(formatUsd(12_345), '$0.000012');
    assert.equal(formatUsd(12_500), '$0.000013');
    assert.equal(formatUsd(9_999_999), '$0.01');
    assert.equal(formatUsd(1), '$0.000000001');
    assert.equal(formatUsd(-3_200_000), '-$0.0032');
  });
});

describe('nanosToDecimalString', () => {
  it('is exact to the nano-dollar', () => {
    assert.equal(nanosToDecimalString(32_538_200), '0.0325382');
    assert.equal(nanosToDecimalString(222_000_000), '0.222');
    assert.equal(nanosToDecimalString(0), '0');
    assert.equal(nanosToDecimalString(1), '0.000000001');
    assert.equal(nanosToDecimalString(NANOS_PER_USD), '1');
    assert.equal(nanosToDecimalString(-1_500_000_000), '-1.5');
    assert.equal(nanosToDecimalString(1_005_000_000), '1.005');
    assert.equal(nanosToDecimalString(Number.MAX_SAFE_INTEGER), '9007199.254740991');
  });

  it('sums of exact amounts stay exact', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004; in nanos it is exactly 0.3.
    assert.equal(nanosToDecimalString(100_000_000 + 200_000_000), '0.3');
  });
});
