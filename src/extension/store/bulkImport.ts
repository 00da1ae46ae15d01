/**
 * A large import's two ends, as the store sees them: the recorder's bulk mode (see Recorder.beginBulk) and the
 * saver's minute-apart timed saves go on and off together, and the indexes the import left out are built once the
 * store has been idle a moment after it (IndexBuild). Failures are reported, never thrown: the import goes on
 * recording as usual, and every open makes sure the deferred indexes exist.
 */
import type { Recorder } from '../recorder/recorder';
import type { DatabaseFile } from './databaseFile';
import { errorText } from './persistence';
import type { StoreEvent } from './storeApi';

/**
 * How long after a large import its indexes are built: long enough for the requests its end sets off (the
 * dashboard's refresh, the status bar's) to go first, since the build holds the store's thread for ~0.5 s at 176k
 * calls.
 */
export const INDEX_BUILD_DELAY_MS = 500;

export interface BulkParts {
  recorder: Recorder;
  file: DatabaseFile | null;
  indexBuild: IndexBuild;
}

export function beginBulkImport({ recorder, file }: BulkParts, expectedCalls: number, emit: (event: StoreEvent) => void): void {
  try {
    if (recorder.beginBulk(expectedCalls)) file?.saver.hold(true);
  } catch (e: unknown) {
    emit({ type: 'log', level: 'warn', message: `Large import: bulk recording could not start (${errorText(e)}); recording as usual.` });
  }
}

/** Timed saves resume (the next one soon), and the deferred indexes are built shortly. */
export function endBulkImport({ recorder, file, indexBuild }: BulkParts): void {
  if (!recorder.inBulk) return;
  recorder.endBulk();
  indexBuild.schedule();
  file?.markDirty();
  file?.saver.hold(false);
}

/**
 * Builds the indexes a large import deferred (Recorder.buildDeferredIndexes): on a timer, one index per turn of the
 * worker's event loop so a request that arrives meanwhile waits for one sort at most, or all at once (before a save).
 */
export class IndexBuild {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly recorder: Recorder,
    private readonly emit: (event: StoreEvent) => void,
  ) {}

  schedule(): void {
    if (this.timer || !this.recorder.indexesDeferred) return;
    this.timer = setTimeout(() => this.step(), INDEX_BUILD_DELAY_MS);
  }

  /** Builds every index still due now (not during an import). */
  now(): void {
    this.cancel();
    this.build(Infinity);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private step(): void {
    this.timer = undefined;
    if (this.build(1) && this.recorder.indexesDeferred) this.timer = setTimeout(() => this.step(), 0);
  }

  /** False when a build failed (reported; the next save or open tries again). */
  private build(count: number): boolean {
    try {
      if (this.recorder.buildDeferredIndexes(count) && !this.recorder.indexesDeferred) {
        this.emit({ type: 'log', level: 'info', message: `Built the import's deferred indexes in ${Math.round(this.recorder.indexBuildMs ?? 0)} ms.` });
      }
      return true;
    } catch (e: unknown) {
      this.emit({ type: 'log', level: 'error', message: `Could not build the indexes the import deferred (${errorText(e)}); the next save or start builds them.` });
      return false;
    }
  }
}
