/** Command-line arguments of `claude-usage report`, parsed and checked before anything is imported. */
import { parseArgs } from 'node:util';
import { isTimeZone } from '../extension/views/dashboard/validateMessage';
import { isLocalDate, localDayStart } from '../shared/period';

export const USAGE = `Usage: claude-usage report [options]

Imports Claude Code transcripts with the same collector, recorder and store the VS Code extension uses, and prints totals.

Options:
  --config-dir DIR   a Claude Code config directory holding projects/ (repeatable; default: CLAUDE_CONFIG_DIR,
                     else ~/.claude and ~/.config/claude)
  --db FILE          the database to import into and read (default: a temporary file, deleted afterwards)
  --since DATE       start, inclusive: YYYY-MM-DD (local midnight in --tz) or an ISO 8601 time (default: everything)
  --until DATE       end, exclusive: YYYY-MM-DD (local midnight in --tz) or an ISO 8601 time (default: now)
  --tz ZONE          IANA time zone for days and dates (default: this machine's, ${Intl.DateTimeFormat().resolvedOptions().timeZone})
  --json             print JSON instead of tables
  -h, --help         show this help`;

export interface ReportArgs {
  configDirs: string[];
  db: string | undefined;
  from: number;
  to: number;
  timeZone: string;
  json: boolean;
}

export type ParsedArgs = { kind: 'help' } | { kind: 'report'; args: ReportArgs } | { kind: 'error'; message: string };

export function parseReportArgs(argv: string[], now: number): ParsedArgs {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'config-dir': { type: 'string', multiple: true },
        db: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        tz: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e: unknown) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  if (values.help) return { kind: 'help' };
  const [command, ...rest] = positionals;
  if (command !== undefined && command !== 'report') return { kind: 'error', message: `unknown command "${command}" (only "report" exists)` };
  if (rest.length > 0) return { kind: 'error', message: `unexpected argument "${rest[0]}"` };
  const timeZone = values.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) return { kind: 'error', message: `unknown time zone "${timeZone}"` };
  const from = values.since === undefined ? 0 : parseTime(values.since, timeZone);
  if (Number.isNaN(from)) return { kind: 'error', message: `--since: "${values.since}" is neither YYYY-MM-DD nor an ISO 8601 time` };
  const to = values.until === undefined ? now + 1 : parseTime(values.until, timeZone);
  if (Number.isNaN(to)) return { kind: 'error', message: `--until: "${values.until}" is neither YYYY-MM-DD nor an ISO 8601 time` };
  if (to <= from) return { kind: 'error', message: '--until must be after --since' };
  return {
    kind: 'report',
    args: { configDirs: values['config-dir'] ?? [], db: values.db, from, to, timeZone, json: values.json === true },
  };
}

function parseTime(text: string, timeZone: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return isLocalDate(text) ? localDayStart(text, timeZone) : Number.NaN;
  return /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
}
