/**
 * Import progress for the host (files and calls done), at most every PROGRESS_MS: the host thread receives a few
 * small events a second, whatever the size of the import. A scan that is not the first import reports only once it
 * proves slow, so a live update of one line never flashes a progress notification.
 */
import type { CollectorDeps } from '../collector';

const PROGRESS_MS = 200;
const SLOW_SCAN_MS = 250;

export interface ProgressRequest {
  /** Report progress at all. */
  progress: boolean;
  /** The first import: shown from the start. */
  initial?: boolean;
}

export class ProgressReporter {
  private lastEmit = 0;
  private emitted = false;

  constructor(
    private readonly deps: Pick<CollectorDeps, 'onProgress'>,
    private readonly request: ProgressRequest,
    private readonly t0: number,
    private readonly total: number,
  ) {
    if (request.progress && request.initial) this.emit(true, 0, 0);
  }

  update(done: number, calls: number): void {
    if (!this.request.progress) return;
    const now = performance.now();
    if (!this.request.initial && now - this.t0 < SLOW_SCAN_MS) return;
    if (now - this.lastEmit < PROGRESS_MS) return;
    this.emit(true, done, calls);
  }

  done(filesDone: number, calls: number): void {
    if (this.emitted) this.deps.onProgress({ running: false, filesDone, filesTotal: this.total, calls });
  }

  private emit(running: boolean, done: number, calls: number): void {
    this.emitted = true;
    this.lastEmit = performance.now();
    this.deps.onProgress({ running, filesDone: done, filesTotal: this.total, calls });
  }
}
