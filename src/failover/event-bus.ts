import type { FailoverEvent } from './events.js';

export type EventListener = (event: FailoverEvent) => void;

/**
 * Wakes this instance's watchers, and with Redis the other instances', when an
 * operation changes. Delivery is at most once: the event table is the record,
 * and watchers repair what they missed from it.
 */
export interface FailoverEventBus {
  /** Hands the event to this instance's listeners at once and to the other instances' (with Redis). Never throws. */
  publish(event: FailoverEvent): void;
  /** Listens to every instance's events; returns the unsubscribe. */
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}

/**
 * Listeners of this process, shared by the in-process bus and the Redis bus's
 * local half. A listener that throws is reported to `onError` and does not
 * stop the others, nor the writer that published.
 */
export function createListenerSet(onError: (error: unknown) => void = () => {}): {
  add(listener: EventListener): () => void;
  emit(event: FailoverEvent): void;
  readonly size: number;
} {
  const listeners = new Set<EventListener>();
  return {
    add(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onError(error);
        }
      }
    },
    get size() {
      return listeners.size;
    },
  };
}

/** The single-instance default: events never leave the process. */
export function createLocalEventBus(onError?: (error: unknown) => void): FailoverEventBus {
  const listeners = createListenerSet(onError);
  return {
    publish: (event) => listeners.emit(event),
    subscribe: (listener) => listeners.add(listener),
    close: async () => {},
  };
}
