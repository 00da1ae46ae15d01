/**
 * What a failing E2E run prints and keeps: the extension host's log, the extension's own output channel, code-server's
 * output and the browser console, so "the status bar never showed $4.27" comes with the reason.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const TAIL_LINES = 80;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

function allLogs(userDataDir: string): string[] {
  return walk(path.join(userDataDir, 'logs')).filter((file) => file.endsWith('.log'));
}

/**
 * The logs that explain an extension failure, most useful first: our own output channel ("Claude Usage"), then the
 * (remote) extension host's log. Other extensions' channels and empty files are left out of the report.
 */
export function extensionLogFiles(userDataDir: string): string[] {
  const logs = allLogs(userDataDir).filter((file) => statSync(file).size > 0);
  const ours = logs.filter((file) => /claude/i.test(path.basename(file)));
  const host = logs.filter((file) => /exthost\.log$/i.test(path.basename(file)));
  return [...ours, ...host];
}

function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? [`… (${all.length - lines} earlier lines)`] : []).concat(all.slice(-lines)).join('\n');
}

export interface DiagnosticSources {
  userDataDir: string;
  serverOutput: () => string;
  consoleLines: () => readonly string[];
}

/** A readable report for a failure message. */
export function diagnosticReport(sources: DiagnosticSources): string {
  const parts: string[] = [];
  const logs = extensionLogFiles(sources.userDataDir);
  if (logs.length === 0) parts.push(`(no extension host log under ${path.join(sources.userDataDir, 'logs')})`);
  for (const file of logs) {
    parts.push(`----- ${path.relative(sources.userDataDir, file)} -----\n${tail(readFileSync(file, 'utf8'), TAIL_LINES)}`);
  }
  parts.push(`----- code-server output -----\n${tail(sources.serverOutput(), 40)}`);
  const consoleLines = sources.consoleLines();
  if (consoleLines.length > 0) parts.push(`----- browser console (errors and warnings) -----\n${tail(consoleLines.join('\n'), 40)}`);
  return parts.join('\n\n');
}

/** Copies every log to `targetDir` (CI keeps test-output/), so a failure can be read after the run folder is gone. */
export function saveLogs(sources: DiagnosticSources, targetDir: string): void {
  mkdirSync(targetDir, { recursive: true });
  for (const file of allLogs(sources.userDataDir)) {
    const name = path.relative(path.join(sources.userDataDir, 'logs'), file).replace(/[\\/]/g, '__');
    copyFileSync(file, path.join(targetDir, name));
  }
  writeFileSync(path.join(targetDir, 'code-server.log'), sources.serverOutput());
  writeFileSync(path.join(targetDir, 'browser-console.log'), sources.consoleLines().join('\n') + '\n');
}
