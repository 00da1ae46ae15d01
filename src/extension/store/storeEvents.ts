/** The listeners of a store's events: one listener's failure never keeps an event from the others. */
import type { StoreEvent } from './storeApi';

export type StoreEventListener = (event: StoreEvent) => void;

export class StoreEvents {
  private readonly listeners = new Set<StoreEventListener>();

  /** `onListenerError`: what to do when a listener throws (default: nothing, the other listeners still run). */
  constructor(private readonly onListenerError?: (error: unknown, event: StoreEvent) => void) {}

  on(listener: StoreEventListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(event: StoreEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e: unknown) {
        this.onListenerError?.(e, event);
      }
    }
  }
}
