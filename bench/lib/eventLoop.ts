/**
 * How long the host thread could not run: in the extension this thread is VS Code's extension host, so any delay
 * here is the editor's extensions stalling. The histogram ticks every 10 ms; its maximum is the longest stall.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LoopDelay {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

const RESOLUTION_MS = 10;

export class LoopDelayMonitor {
  private histogram: IntervalHistogram | undefined;

  start(): void {
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
  }

  stop(): LoopDelay {
    const h = this.histogram;
    if (!h) return { maxMs: NaN, p99Ms: NaN, meanMs: NaN };
    h.disable();
    this.histogram = undefined;
    // The histogram records the time between its timer's ticks (ns), so an idle loop reads about the resolution:
    // the delay is what goes beyond it.
    const late = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    return { maxMs: late(h.max), p99Ms: late(h.percentile(99)), meanMs: late(h.mean) };
  }
}

/**
 * CPU time the host (main) thread itself used so far, in ms, from /proc (Linux; undefined elsewhere). Node 20 has no
 * per-thread CPU clock; this tells whether a delay was our work on the host thread or the machine being busy.
 */
export function hostThreadCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start with the state, field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux.
  } catch {
    return undefined;
  }
}
