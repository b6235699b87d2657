import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HeartbeatDocument } from '../../generated/graphql.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { sseStream } from '../../support/sse.js';

async function openSubscriptions(gateway: TestGateway, transport: 'ws' | 'sse'): Promise<number> {
  const metric = await gateway.metrics.openSubscriptions.get();
  return metric.values.find((value) => value.labels.transport === transport)?.value ?? 0;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('subscriptions', () => {
  let gateway: TestGateway;
  let client: Client;
  beforeAll(async () => {
    gateway = await startTestGateway();
    client = createClient({ url: gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  });
  afterAll(async () => {
    await client?.dispose();
    await gateway?.stop();
  });

  it('stream over graphql-ws on the same port and path, then complete', async () => {
    const beats: number[] = [];
    for await (const result of client.iterate({ query: String(HeartbeatDocument), variables: { intervalMs: 100, count: 3 } })) {
      expect(result.errors).toBeUndefined();
      beats.push((result.data as { heartbeat: { sequence: number } }).heartbeat.sequence);
    }
    expect(beats).toEqual([1, 2, 3]);
  });

  it('stream over Server-Sent Events, then complete', async () => {
    const events = [];
    for await (const event of sseStream(gateway.url, { query: String(HeartbeatDocument), variables: { intervalMs: 100, count: 2 } })) {
      events.push(event);
    }
    expect(events.map((event) => event.event)).toEqual(['next', 'next', 'complete']);
    expect(JSON.parse(events[1]!.data).data.heartbeat.sequence).toBe(2);
  });

  it('count open subscriptions per transport and release them when clients leave', async () => {
    expect(await openSubscriptions(gateway, 'ws')).toBe(0);
    const iterator = client.iterate({ query: String(HeartbeatDocument), variables: { intervalMs: 100 } });
    await iterator.next();
    await eventually(async () => (await openSubscriptions(gateway, 'ws')) === 1);
    await iterator.return?.();
    await eventually(async () => (await openSubscriptions(gateway, 'ws')) === 0);

    const stream = sseStream(gateway.url, { query: String(HeartbeatDocument), variables: { intervalMs: 100 } });
    await stream.next();
    await eventually(async () => (await openSubscriptions(gateway, 'sse')) === 1);
    await stream.return(undefined);
    await eventually(async () => (await openSubscriptions(gateway, 'sse')) === 0);
  });

  it('report bad arguments as errors on both transports', async () => {
    const viaWs = [];
    for await (const result of client.iterate({ query: String(HeartbeatDocument), variables: { intervalMs: 1 } })) {
      viaWs.push(result);
    }
    expect(viaWs[0]?.errors?.[0]?.message).toMatch(/intervalMs must be from 100/);
    const viaSse = [];
    for await (const event of sseStream(gateway.url, { query: String(HeartbeatDocument), variables: { intervalMs: 100, count: 0 } })) {
      viaSse.push(event);
    }
    expect(JSON.parse(viaSse[0]!.data).errors[0].message).toMatch(/count must be at least 1/);
  });

  it('apply the same operation limits over WebSocket as over HTTP', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: gateway { version }`).join(' ');
    const error = await new Promise<unknown>((resolve, reject) => {
      client.subscribe({ query: `{ ${aliases} }` }, {
        next: (value) => reject(new Error(`expected an error, got ${JSON.stringify(value)}`)),
        error: resolve,
        complete: () => reject(new Error('expected an error, got completion')),
      });
    });
    // graphql-ws delivers a refused operation as its `error` message: a list of GraphQL errors.
    expect(error).toEqual([
      expect.objectContaining({
        message: 'Aliases limit of 30 exceeded, found 40.',
        extensions: expect.objectContaining({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxAliases' }),
      }),
    ]);
  });
});
