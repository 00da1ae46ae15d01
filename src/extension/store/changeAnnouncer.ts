/**
 * Turns stored changes into `changed` events with an increasing revision. Changes from the API are announced at
 * once; changes from a collector are announced when it reports a finished batch, or shortly after if it does not.
 */
import type { StoreEvent } from './storeApi';

const LATE_MS = 250;

export class ChangeAnnouncer {
  private revision = 0;
  private inserted = 0;
  private updated = 0;
  private other = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly emit: (event: StoreEvent) => void) {}

  note(inserted: number, updated: number, other = false): void {
    this.inserted += inserted;
    this.updated += updated;
    this.other ||= other;
    if (this.pending && !this.timer) {
      this.timer = setTimeout(() => this.flush(), LATE_MS);
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const event: StoreEvent = { type: 'changed', revision: ++this.revision, inserted: this.inserted, updated: this.updated };
    this.inserted = 0;
    this.updated = 0;
    this.other = false;
    this.emit(event);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private get pending(): boolean {
    return this.inserted > 0 || this.updated > 0 || this.other;
  }
}
