/**
 * How long the host thread could not run: in the extension this thread is VS Code's extension host, so any delay
 * here is the editor's extensions stalling. The histogram samples every 10 ms; its maximum is the longest stall.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LoopDelay {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

export class LoopDelayMonitor {
  private histogram: IntervalHistogram | undefined;

  start(): void {
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
  }

  stop(): LoopDelay {
    const h = this.histogram;
    if (!h) return { maxMs: NaN, p99Ms: NaN, meanMs: NaN };
    h.disable();
    this.histogram = undefined;
    // The histogram reports the delay beyond the 10 ms sampling interval, in nanoseconds.
    return { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6, meanMs: h.mean / 1e6 };
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
