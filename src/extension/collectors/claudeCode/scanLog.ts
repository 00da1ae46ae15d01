/**
 * Rate-limited messages about bad input, so a million-line broken file yields a handful of lines in the output
 * channel, not a million: the first few bad lines of each file with file:line and a reason (never the line's text),
 * then one count per file, and a cap per scan. Problems with folders and files (unreadable, vanished) are reported
 * once until they go away.
 */
import type { CollectorLog } from '../collector';

const DETAILS_PER_FILE = 3;
const DETAILS_PER_SCAN = 20;
const FILE_SUMMARIES_PER_SCAN = 20;

export class ScanLog {
  private detailsThisScan = 0;
  private summariesThisScan = 0;
  private suppressedFiles = 0;
  private suppressedLines = 0;
  private readonly reported = new Set<string>();

  constructor(private readonly log: CollectorLog) {}

  beginScan(): void {
    this.detailsThisScan = 0;
    this.summariesThisScan = 0;
    this.suppressedFiles = 0;
    this.suppressedLines = 0;
  }

  /** A bad line, described when the budgets allow; returns whether it was. */
  badLine(file: string, line: number, reason: string, indexInFile: number): boolean {
    if (indexInFile >= DETAILS_PER_FILE || this.detailsThisScan >= DETAILS_PER_SCAN) return false;
    this.detailsThisScan++;
    this.log('warn', `Claude Code transcript ${file}:${line}: skipped a line (${reason}).`);
    return true;
  }

  /** After a file: how many of its bad lines were not described one by one. */
  fileBadLines(file: string, count: number, described: number): void {
    const rest = count - described;
    if (rest <= 0) return;
    if (this.summariesThisScan >= FILE_SUMMARIES_PER_SCAN) {
      this.suppressedFiles++;
      this.suppressedLines += rest;
      return;
    }
    this.summariesThisScan++;
    this.log('warn', `Claude Code transcript ${file}: ${rest} more line(s) skipped as malformed.`);
  }

  endScan(): void {
    if (this.suppressedFiles > 0) {
      this.log('warn', `Claude Code transcripts: ${this.suppressedLines} more malformed line(s) skipped in ${this.suppressedFiles} more file(s).`);
    }
  }

  /** Reports a problem with a path once, until `clear(path)`. */
  once(path: string, level: 'info' | 'warn' | 'error', message: string): void {
    if (this.reported.has(path)) return;
    this.reported.add(path);
    this.log(level, message);
  }

  clear(path: string): void {
    this.reported.delete(path);
  }

  /** Counted but unrelated to a file, e.g. the recorder rejecting a call. */
  limited(message: string): void {
    if (this.detailsThisScan >= DETAILS_PER_SCAN) return;
    this.detailsThisScan++;
    this.log('warn', message);
  }
}
