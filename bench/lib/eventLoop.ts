/**
 * How long the host thread could not run: in the extension this thread is VS Code's extension host, so any delay
 * here is the editor's extensions stalling. The histogram samples every 10 ms; its maximum is the longest stall.
 */
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
