/**
 * Deterministic randomness and identifiers for the corpus. Everything derives from one seed, so a corpus of a given
 * size and generator version is the same bytes on every machine (its expected totals can be trusted).
 */
import { mulberry32 } from '../../test/support/seededRandom';

/** mulberry32: small, fast, deterministic. */
export const prng = mulberry32;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class Rand {
  readonly next: () => number;
  private serial = 0;

  constructor(seed: number) {
    this.next = prng(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[[item, weight], …]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** Log-normal around `median` (sigma in natural-log units), clamped: most values near the median, a long tail. */
  logNormal(median: number, sigma: number, min: number, max: number): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * z))));
  }

  hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  base62(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += BASE62[Math.floor(this.next() * 62)];
    return s;
  }

  /**
   * A unique id in the shape of Anthropic's (`msg_01…`, `req_011C…`, `toolu_01…`): a serial part guarantees uniqueness
   * (so the expected call count is exact), a random part gives realistic entropy and length.
   */
  uniqueId(prefix: string, length: number): string {
    const serial = (this.serial++).toString(36).padStart(6, '0');
    return prefix + serial + this.base62(Math.max(0, length - serial.length));
  }
}
