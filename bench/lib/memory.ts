/**
 * Memory of this process while the store works. The store's worker is a thread of this process, so the process's
 * resident set (RSS) is host + worker; the host thread's own share is its V8 heap (`heapUsed` here is the main
 * isolate's only). The kernel's high-water mark (VmHWM) catches peaks between samples; it is reset per phase.
 */
import fs from 'node:fs';

export interface MemoryPeak {
  /** Peak resident set of the whole process (host + worker), bytes. */
  rssPeak: number;
  /** Peak of the host thread's V8 heap, bytes. */
  hostHeapPeak: number;
  /** Whether rssPeak came from the kernel's high-water mark (exact) or from sampling. */
  exact: boolean;
}

export function readVmHwm(pid: number | 'self' = 'self'): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resets the kernel's peak-RSS mark for this process (Linux); false where that is not possible. */
export function resetVmHwm(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private rssPeak = 0;
  private heapPeak = 0;
  private hwmReset = false;

  start(intervalMs = 50): void {
    this.hwmReset = resetVmHwm();
    this.rssPeak = 0;
    this.heapPeak = 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): MemoryPeak {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    const hwm = this.hwmReset ? readVmHwm() : undefined;
    return { rssPeak: Math.max(this.rssPeak, hwm ?? 0), hostHeapPeak: this.heapPeak, exact: hwm !== undefined };
  }

  private sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.rssPeak) this.rssPeak = m.rss;
    if (m.heapUsed > this.heapPeak) this.heapPeak = m.heapUsed;
  }
}
