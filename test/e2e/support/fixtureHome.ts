/**
 * The fixture HOME for the E2E suite: the collector's generated Claude Code transcripts (test/support/
 * claudeCodeFixtures.ts, with their exact expected records and oracle costs) under `<home>/.claude`, plus enough
 * recent calls that the records table has more than one page.
 *
 * Only `<home>/.claude` is read by the extension here (default discovery, no CLAUDE_CONFIG_DIR), so records of the
 * fixture's second config dir are left out of the expectations.
 */
import path from 'node:path';
import { appendCall, writeClaudeCodeFixture, type ExpectedRecord } from '../../support/claudeCodeFixtures';
import type { ExpectedCall } from './expectations';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Oracle-priced models of the fixture, so appended calls have exact expected costs. */
const MODELS = ['claude-opus-5-5', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'] as const;
/** With the fixture's own recent calls this makes 31 calls in 7d: two pages, and page 2 starts on a unique time. */
const EXTRA_CALLS = 18;

export interface E2EFixture {
  homeDir: string;
  /** The calls the extension must show, including every one appended since. */
  calls(): ExpectedCall[];
  /** Part of one conversation's title (typed into the search box); its first letters match other names too. */
  searchText: string;
  /** Appends a new call (stamped a moment ago) to the "Login route rate limiting" conversation. */
  appendCall(): Promise<ExpectedCall>;
}

function toCall(r: ExpectedRecord): ExpectedCall {
  return { ts: r.ts, source: r.source, name: r.consumer.name, tokens: r.tokens, costNanos: r.costNanos };
}

export async function writeE2EFixture(rootDir: string, now: number): Promise<E2EFixture> {
  const fixture = writeClaudeCodeFixture(rootDir, { now, seed: 5 });
  // The second config dir's only conversation; everything else lives under <home>/.claude.
  const alt = fixture.sessions.alt;
  if (alt.configDir === path.join(fixture.homeDir, '.claude')) throw new Error('the fixture layout changed: alt session is under HOME');
  const records: ExpectedRecord[] = fixture.records.filter((r) => r.consumer.key !== alt.consumerKey);

  // Recent calls spread over the last day, taking turns between a chat, the VS Code conversation and the headless
  // agent run, each with its own size and model: a lively 24h chart and two pages of records.
  const targets = [fixture.sessions.resumed, fixture.sessions.vscode, fixture.sessions.headless];
  for (let i = 0; i < EXTRA_CALLS; i++) {
    records.push(
      appendCall(targets[i % targets.length], {
        ts: now - 20 * HOUR + i * 65 * MINUTE,
        seed: 1000 + i,
        model: MODELS[(i + Math.floor(i / 3)) % MODELS.length],
        usage: { input: 3 + i, cacheWrite5m: 200 + 37 * i, cacheRead: 20_000 + 1_000 * i, output: 100 + 23 * i },
      }),
    );
  }

  let appended = 0;
  return {
    homeDir: fixture.homeDir,
    calls: () => records.map(toCall),
    searchText: 'Login',
    async appendCall() {
      appended++;
      const r = appendCall(fixture.sessions.cli, {
        ts: Date.now() - 2000,
        seed: 5000 + appended,
        model: 'claude-opus-5-5',
        usage: { input: 7, cacheWrite5m: 4200, cacheRead: 61_000, output: 2_345 },
      });
      records.push(r);
      return toCall(r);
    },
  };
}
