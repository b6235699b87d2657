import { describe, expect, it } from 'vitest';
import { createConnectionStatus } from '../src/graphql/connection-status';

describe('the WebSocket status the page shows', () => {
  it('reports a drop only after a connection, and counts reconnections (not the first connection)', () => {
    const status = createConnectionStatus();
    const seen: string[] = [];
    status.subscribe(() => seen.push(`${status.get().state}:${status.get().reconnects}`));
    status.dropped();
    expect(status.get()).toEqual({ state: 'idle', reconnects: 0 });
    status.connected();
    status.dropped();
    status.dropped();
    status.connected();
    status.idle();
    expect(seen).toEqual(['connected:0', 'reconnecting:0', 'connected:1', 'idle:1']);
  });
});
