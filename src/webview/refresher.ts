/**
 * Runs one fetch at a time and applies only the newest answer: a trigger while a fetch is in flight queues exactly
 * one more run (with the state as it is then), and the in-flight answer is dropped because it is already stale. So
 * fast typing or a burst of live updates never paints old rows over newer ones, and never piles up requests.
 */
export class LatestOnly<T> {
  private running = false;
  private queued = false;
  private busyShown = false;

  constructor(
    private readonly fetch: () => Promise<T>,
    private readonly apply: (result: T) => void,
    private readonly fail: (error: unknown) => void,
    private readonly busy: (busy: boolean) => void = () => {},
  ) {}

  trigger(): void {
    if (this.running) {
      this.queued = true;
      return;
    }
    this.running = true;
    if (!this.busyShown) {
      this.busyShown = true;
      this.busy(true);
    }
    let promise: Promise<T>;
    try {
      promise = this.fetch();
    } catch (e: unknown) {
      promise = Promise.reject(e);
    }
    promise
      .then(
        (result) => {
          if (!this.queued) this.apply(result);
        },
        (error: unknown) => {
          if (!this.queued) this.fail(error);
        },
      )
      .finally(() => {
        this.running = false;
        if (this.queued) {
          this.queued = false;
          this.trigger();
        } else {
          this.busyShown = false;
          this.busy(false);
        }
      });
  }
}
