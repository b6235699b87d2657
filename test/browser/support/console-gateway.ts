import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { launchBrowser } from './browser.js';

/**
 * A TCP relay in front of the gateway: the browser talks to the relay, and a
 * test can cut every connection through it (the WebSocket included) and refuse
 * new ones for a while, as a network drop would.
 */
export interface Relay {
  origin: string;
  /** Destroys every open connection and refuses new ones until `restore()`. */
  cut(): void;
  /** Accepts connections again; what the gateway sends from then on is recorded (WebSocket frames are plain text on the wire). */
  restore(): void;
  /** What the gateway sent since the last `restore()`. */
  sinceRestore(): string;
  close(): Promise<void>;
}

export async function startRelay(target: { host: string; port: number }): Promise<Relay> {
  const sockets = new Set<Socket>();
  let refusing = false;
  let recorded: Buffer[] = [];
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => recorded.push(chunk));
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    cut() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      recorded = [];
      refusing = false;
    },
    sinceRestore() {
      return Buffer.concat(recorded).toString('latin1');
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A gateway on its embedded defaults (simulator, PGlite, demo accounts) with
 * short failovers, ready once the first inventory sync made the demo accounts.
 */
export async function startConsoleGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const gateway = await startTestGateway({ SIMULATOR_FAILOVER_MS: '3000', FAILOVER_POLL_MS: '150', FAILOVER_EVENT_CATCHUP_MS: '500', ...env });
  await gateway.services.inventory.syncNow();
  return gateway;
}

/** A describe block's gateway and Chromium, started before its tests and closed after them. */
export function consoleSuite(env: Record<string, string> = {}): { gateway: TestGateway; browser: Browser } {
  const suite = {} as { gateway: TestGateway; browser: Browser };
  beforeAll(async () => {
    [suite.gateway, suite.browser] = await Promise.all([startConsoleGateway(env), launchBrowser()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.gateway?.stop();
  });
  return suite;
}
