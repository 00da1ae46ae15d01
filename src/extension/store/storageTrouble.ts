/**
 * One voice for everything that keeps usage data from reaching the disk: a failing save (writer), a failing journal
 * append (any instance), a writer lock that cannot be created (a storage folder that is read-only or not a folder,
 * so nobody can become the writer). The user hears `saveFailed` once when the first problem starts, and
 * `saveRecovered` once when the last one is gone — not a flapping pair per source.
 */
import type { StoreEvent } from './storeApi';

export type TroubleKind = 'save' | 'journal' | 'lock';

export class StorageTrouble {
  private readonly problems = new Map<TroubleKind, string>();
  private announced = false;

  constructor(private readonly emit: (event: StoreEvent) => void) {}

  /** The sentence announced for the current trouble, or null. */
  get current(): string | null {
    const first = this.problems.values().next();
    return first.done ? null : first.value;
  }

  has(kind: TroubleKind): boolean {
    return this.problems.has(kind);
  }

  set(kind: TroubleKind, message: string): void {
    this.problems.set(kind, message);
    if (this.announced) return;
    this.announced = true;
    this.emit({ type: 'saveFailed', error: message });
  }

  clear(kind: TroubleKind): void {
    if (!this.problems.delete(kind)) return;
    if (!this.announced || this.problems.size > 0) return;
    this.announced = false;
    this.emit({ type: 'saveRecovered' });
  }
}
