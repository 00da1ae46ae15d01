/**
 * Transcripts dated as Claude Code leaves them: each file last modified when its last timed line was written. A
 * year of conversations is mostly long finished, and the collector treats conversations whose files changed in the
 * last two days as active (their folders are watched, their keys kept per scan); files all dated the moment the
 * generator ran would make every conversation active.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Enough of a file's end to hold its last timed line (title and snapshot lines after it are short). */
const TAIL_BYTES = 256 * 1024;
const TIMESTAMP = /"timestamp":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"/g;

/** Dates every transcript under `dir` by its last timestamp (one without any keeps its time). */
export function dateTranscripts(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) dateTranscripts(p);
    else if (entry.name.endsWith('.jsonl')) {
      const ms = lastTimestampMs(p);
      if (ms !== undefined) fs.utimesSync(p, ms / 1000, ms / 1000);
    }
  }
}

/** The last `timestamp` written in a transcript, in UTC ms; undefined when its end holds none. */
function lastTimestampMs(file: string): number | undefined {
  const size = fs.statSync(file).size;
  const length = Math.min(size, TAIL_BYTES);
  const tail = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, tail, 0, length, size - length);
  } finally {
    fs.closeSync(fd);
  }
  let last: string | undefined;
  for (const m of tail.toString('latin1').matchAll(TIMESTAMP)) last = m[1];
  return last === undefined ? undefined : Date.parse(last);
}
