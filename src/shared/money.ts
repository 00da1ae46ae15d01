/**
 * Money is integer nano-dollars (1e-9 USD) from pricing to storage to queries, and formatted only at the edge.
 *
 * Why nano and not micro: published rates go down to $0.01 per million tokens (1e-8 USD a token), so a single
 * call's exact cost is not a whole number of micro-dollars. Every published per-token rate is a whole number of
 * nano-dollars, so a call's cost is an exact integer, and sums stay exact up to Number.MAX_SAFE_INTEGER
 * nano-dollars (about $9 million).
 */
export type Nanos = number;

export const NANOS_PER_USD = 1_000_000_000;

/** USD per million tokens → nano-dollars per token ($1/Mtok = 1,000 n$/token). Exact for rates with ≤ 3 decimals. */
export function ratePerMTokToNanos(usdPerMTok: number): Nanos {
  return Math.round(usdPerMTok * 1000);
}

/**
 * "$4.27", "$0.0325", "$0.000012"; small values keep enough significant digits to mean something.
 * `null` (unpriced) is never shown as $0.
 */
export function formatUsd(nanos: Nanos | null, opts: { unpriced?: string } = {}): string {
  if (nanos === null || !Number.isFinite(nanos)) return opts.unpriced ?? 'unpriced';
  const negative = nanos < 0;
  // Rounded from the integer (half up), never through a binary float, so $1.005 reads $1.01 like $4.275 reads $4.28.
  const abs = Math.round(Math.abs(nanos));
  let text: string;
  if (abs === 0) text = '0.00';
  else if (abs >= 999_950_000) {
    const cents = divRoundHalfUp(abs, 10_000_000);
    const whole = (cents - (cents % 100)) / 100;
    text = `${whole.toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;
  } else if (abs >= 10_000_000) {
    text = trimDecimals(`0.${String(divRoundHalfUp(abs, 100_000)).padStart(4, '0')}`, 2);
  } else {
    // Two significant digits below one cent: $0.0032, $0.000012 (at most 9 decimals, i.e. whole nano-dollars).
    const digits = Math.min(9, 11 - String(abs).length);
    const scaled = divRoundHalfUp(abs, 10 ** (9 - digits));
    text = trimDecimals(`0.${String(scaled).padStart(digits, '0')}`, 2);
  }
  return `${negative ? '-' : ''}$${text}`;
}

/** Exact `round(value / unit)`, half up, for non-negative safe integers (remainder arithmetic, no float division). */
function divRoundHalfUp(value: number, unit: number): number {
  const rest = value % unit;
  return (value - rest) / unit + (rest * 2 >= unit ? 1 : 0);
}

function trimDecimals(fixed: string, minDecimals: number): string {
  const [whole, frac = ''] = fixed.split('.');
  let f = frac.replace(/0+$/, '');
  if (f.length < minDecimals) f = f.padEnd(minDecimals, '0');
  return `${whole}.${f}`;
}

/** Exact decimal string of a nano-dollar amount, for exports and JSON: 32538200 → "0.0325382". */
export function nanosToDecimalString(nanos: Nanos): string {
  const negative = nanos < 0;
  const abs = Math.abs(Math.trunc(nanos));
  const whole = Math.floor(abs / NANOS_PER_USD);
  const frac = String(abs % NANOS_PER_USD).padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}
