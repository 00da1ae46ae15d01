import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReportArgs } from '../../src/cli/args';
import { localDayStart } from '../../src/shared/period';

const localMidnightUtc = (y: number, m: number, d: number, tz: string) =>
  localDayStart(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, tz);

test('local midnight in zones with DST and with :30 / :45 offsets', () => {
  assert.equal(new Date(localMidnightUtc(2026, 11, 20, 'UTC')).toISOString(), '2026-11-20T00:00:00.000Z');
  assert.equal(new Date(localMidnightUtc(2026, 11, 20, 'Asia/Kolkata')).toISOString(), '2026-11-19T18:30:00.000Z');
  assert.equal(new Date(localMidnightUtc(2026, 11, 20, 'Asia/Kathmandu')).toISOString(), '2026-11-19T18:15:00.000Z');
  assert.equal(new Date(localMidnightUtc(2026, 3, 8, 'America/New_York')).toISOString(), '2026-03-08T05:00:00.000Z');
  assert.equal(new Date(localMidnightUtc(2026, 3, 9, 'America/New_York')).toISOString(), '2026-03-09T04:00:00.000Z');
  assert.equal(new Date(localMidnightUtc(2026, 11, 1, 'America/New_York')).toISOString(), '2026-11-01T04:00:00.000Z');
});

test('report options are parsed and checked', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  const r = parseReportArgs(['report', '--config-dir', 'a', '--config-dir', 'b', '--since', '2026-11-01', '--until', '2026-11-02T00:00:00Z', '--tz', 'Asia/Kolkata', '--json'], now);
  assert.deepEqual(r, {
    kind: 'report',
    args: {
      configDirs: ['a', 'b'],
      db: undefined,
      from: Date.parse('2026-10-31T18:30:00Z'),
      to: Date.parse('2026-11-02T00:00:00Z'),
      timeZone: 'Asia/Kolkata',
      json: true,
    },
  });
  const defaults = parseReportArgs([], now);
  assert.ok(defaults.kind === 'report' && defaults.args.from === 0 && defaults.args.to === now + 1);
  assert.equal(parseReportArgs(['--help'], now).kind, 'help');
});

test('mistakes get a clear message', () => {
  const now = Date.now();
  const msg = (argv: string[]) => {
    const r = parseReportArgs(argv, now);
    return r.kind === 'error' ? r.message : '';
  };
  assert.match(msg(['--tz', 'Moon/Base']), /time zone/);
  assert.match(msg(['--since', 'last week']), /--since/);
  assert.match(msg(['--since', '2026-02-30']), /--since/);
  assert.match(msg(['--since', '2026-11-02', '--until', '2026-11-01']), /after/);
  assert.match(msg(['export']), /unknown command/);
  assert.match(msg(['--bogus']), /bogus/);
});
