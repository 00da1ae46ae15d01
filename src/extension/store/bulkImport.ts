/**
 * A large import's two ends, as the store sees them: the recorder's bulk mode (see Recorder.beginBulk) and the
 * saver's minute-apart timed saves go on and off together. Failures are reported, never thrown: the import goes on
 * recording as usual, and every open makes sure the dedup index exists.
 */
import type { Recorder } from '../recorder/recorder';
import type { DatabaseFile } from './databaseFile';
import { errorText } from './persistence';
import type { StoreEvent } from './storeApi';

export interface BulkParts {
  recorder: Recorder;
  file: DatabaseFile | null;
}

export function beginBulkImport({ recorder, file }: BulkParts, expectedCalls: number, emit: (event: StoreEvent) => void): void {
  try {
    if (recorder.beginBulk(expectedCalls)) file?.saver.hold(true);
  } catch (e: unknown) {
    emit({ type: 'log', level: 'warn', message: `Large import: bulk recording could not start (${errorText(e)}); recording as usual.` });
  }
}

/** The dedup index is built again, and timed saves resume (the next one soon). */
export function endBulkImport({ recorder, file }: BulkParts, emit: (event: StoreEvent) => void): void {
  if (!recorder.inBulk) return;
  try {
    recorder.endBulk();
  } catch (e: unknown) {
    emit({ type: 'log', level: 'error', message: `Could not rebuild the dedup index after the import (${errorText(e)}).` });
  }
  file?.markDirty();
  file?.saver.hold(false);
}
