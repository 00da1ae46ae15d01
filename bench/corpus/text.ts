/**
 * Filler text for transcript lines, already escaped for a JSON string. Building megabytes of text character by
 * character (and JSON.stringify on every line) would make the generator slower than the importers it feeds, so one
 * pool is escaped once and lines take slices of it. Slices start and end at spaces, which never sit inside an escape
 * sequence, so every slice is a valid JSON string body.
 */
import type { Rand } from './random';

const FRAGMENTS = [
  'export async function handler(req: Request, res: Response): Promise<void> {\n',
  '  const limit = Number(process.env["RATE_LIMIT"] ?? "10");\n',
  '  if (!req.headers["x-api-key"]) return res.status(401).send("missing key \\"x-api-key\\"");\n',
  '  const root = "C:\\\\Users\\\\dev\\\\src\\\\app";\n',
  '  // naïve cache — ünïcödé ✓ 日本語のテキスト 😀 handled here\n',
  '  for (const item of items) { total += item.price * item.quantity; }\n',
  '  return res.json({ ok: true, limit, total });\n}\n\n',
  'import { describe, it } from "node:test";\nimport assert from "node:assert/strict";\n',
  '\tat Object.<anonymous> (/home/dev/work/api/src/server.ts:42:17)\n\tat Module._compile (node:internal/modules/cjs/loader:1358:14)\n',
  'drwxr-xr-x  2 dev dev  4096 Nov 20 14:02 src\n-rw-r--r--  1 dev dev 18211 Nov 20 14:02 package.json\n',
  'The failing test expects the limiter to reset after the window, but the clock is never advanced in the fixture. ',
  'I will update the middleware so that the window is computed from the request time rather than from module load. ',
  'Let me check how the configuration is loaded before changing the default, since other routes depend on it. ',
  'All 128 tests pass now. The remaining warning comes from a deprecated option in the bundler configuration. ',
  '  SELECT id, name, created_at FROM users WHERE org_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC;\n',
  '<div class="card">\n  <h2>{{ title }}</h2>\n  <p>{{ description | truncate: 120 }}</p>\n</div>\n',
  '{"name": "acme-api", "version": "2.4.1", "scripts": {"test": "vitest run", "build": "tsc -p ."}}\n',
  'error TS2345: Argument of type \'string | undefined\' is not assignable to parameter of type \'string\'.\n',
  '+    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;\n-    const timeout = 5000;\n',
  'Überprüfe die Eingabe, bevor sie gespeichert wird — sonst gehen Änderungen verloren. ',
];

const POOL_CHARS = 1 << 21;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export class TextPool {
  private readonly pool: string;
  private readonly signatures: string;
  /** Positions of spaces in `pool`: the only places a slice starts or ends. */
  private readonly cuts: Int32Array;

  constructor(rand: Rand) {
    const raw: string[] = [];
    let length = 0;
    while (length < POOL_CHARS) {
      const f = rand.pick(FRAGMENTS);
      raw.push(f);
      length += f.length;
    }
    this.pool = JSON.stringify(raw.join('')).slice(1, -1);
    const cuts: number[] = [];
    for (let i = 0; i < this.pool.length; i++) if (this.pool.charCodeAt(i) === 0x20) cuts.push(i);
    this.cuts = Int32Array.from(cuts);
    const sig: string[] = [];
    for (let i = 0; i < 1 << 16; i++) sig.push(BASE64[Math.floor(rand.next() * 64)]);
    this.signatures = sig.join('');
  }

  /** A thinking block's signature: opaque base64, hundreds of bytes on real lines. */
  signature(rand: Rand, chars: number): string {
    const n = Math.min(chars, this.signatures.length);
    const start = Math.floor(rand.next() * (this.signatures.length - n));
    return this.signatures.slice(start, start + n);
  }

  /** About `chars` characters of escaped text (at least one word). */
  text(rand: Rand, chars: number): string {
    if (chars <= 0) return '';
    const parts: string[] = [];
    let left = chars;
    while (left > 0) {
      const take = Math.min(left, this.pool.length >> 1);
      const startIdx = Math.floor(rand.next() * (this.cuts.length >> 1));
      const start = this.cuts[startIdx];
      const endIdx = this.cutAtOrAfter(start + take, startIdx + 1);
      parts.push(this.pool.slice(start, this.cuts[endIdx]));
      left -= take;
    }
    return parts.join('');
  }

  private cutAtOrAfter(pos: number, from: number): number {
    let lo = from;
    let hi = this.cuts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cuts[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const TITLE_VERBS = ['Fix', 'Add', 'Refactor', 'Debug', 'Speed up', 'Document', 'Test', 'Migrate', 'Review', 'Clean up'];
const TITLE_NOUNS = [
  'auth middleware', 'rate limiting on login', 'billing webhook', 'flaky CI job', 'search indexer', 'dashboard chart',
  'CSV export', 'database migrations', 'retry logic', 'session cookies', 'image upload', 'GraphQL resolvers',
  'payment refunds', 'email templates', 'feature flags', 'websocket reconnect', 'Docker build', 'i18n strings',
];

export function title(rand: Rand): string {
  return `${rand.pick(TITLE_VERBS)} ${rand.pick(TITLE_NOUNS)}`;
}

const PROMPTS = [
  'Can you look at why the tests fail on CI but pass locally?',
  'Add pagination to the records endpoint and update the client to use it',
  'Refactor the auth middleware so it no longer reads the config on every request',
  'The dashboard chart shows the wrong totals for last week, find out why',
  'Write tests for the billing webhook handler, including the retry path',
  'Explain what this migration does and whether it is safe to run twice',
  'Make the search indexer incremental instead of rebuilding everything',
];

export function prompt(rand: Rand): string {
  return rand.pick(PROMPTS);
}

