import { useSyncExternalStore } from 'react';

/** The WebSocket's state as the page tells it: live, reconnecting after a drop, or not needed yet. */
export interface ConnectionStatus {
  state: 'idle' | 'connected' | 'reconnecting';
  /** Rises by one at every connection after the first: pages refresh what a drop may have hidden. */
  reconnects: number;
}

export interface ConnectionStatusStore {
  get(): ConnectionStatus;
  subscribe(listener: () => void): () => void;
  connected(): void;
  dropped(): void;
  /** The socket was closed on purpose (no subscription needs it). */
  idle(): void;
}

export function createConnectionStatus(): ConnectionStatusStore {
  let status: ConnectionStatus = { state: 'idle', reconnects: 0 };
  let everConnected = false;
  const listeners = new Set<() => void>();
  const set = (next: ConnectionStatus) => {
    status = next;
    for (const listener of listeners) listener();
  };
  return {
    get: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connected() {
      set({ state: 'connected', reconnects: everConnected ? status.reconnects + 1 : status.reconnects });
      everConnected = true;
    },
    dropped() {
      if (status.state === 'connected') set({ ...status, state: 'reconnecting' });
    },
    idle() {
      if (status.state !== 'idle') set({ ...status, state: 'idle' });
    },
  };
}

export function useConnectionStatus(store: ConnectionStatusStore): ConnectionStatus {
  return useSyncExternalStore(store.subscribe, store.get);
}
