/**
 * The `claudeUsage.retentionDays` setting: prunes older records in the store's worker (never on this thread), once
 * when the setting applies and then every few hours, since the cut-off slides with the clock.
 */
import type { StoreApi } from './store/storeApi';

const DAY_MS = 86_400_000;
const EVERY_MS = 6 * 3_600_000;

export class RetentionScheduler {
  private timer: ReturnType<typeof setInterval> | undefined;
  private days: number | null = null;

  constructor(
    private readonly store: Pick<StoreApi, 'pruneBefore'>,
    private readonly log: (level: 'info' | 'warn', message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts, changes or stops pruning; null keeps everything. */
  apply(days: number | null): Promise<void> {
    if (days === this.days) return Promise.resolve();
    this.days = days;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (days === null) return Promise.resolve();
    this.timer = setInterval(() => void this.prune(), EVERY_MS);
    return this.prune();
  }

  async prune(): Promise<void> {
    const days = this.days;
    if (days === null) return;
    try {
      const { removed } = await this.store.pruneBefore(this.now() - days * DAY_MS);
      if (removed > 0) this.log('info', `Retention: removed ${removed} records older than ${days} days.`);
    } catch (e: unknown) {
      this.log('warn', `Retention: could not remove old records: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
