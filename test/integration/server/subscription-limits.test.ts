import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeartbeatDocument } from '../../generated/graphql.js';
import { startAccessGateway, tokenSigner } from '../../support/access.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { FAILOVER_EVENTS, gauge, RawWs, scrape, scraped, sleep, until } from '../failover/progress-support.js';

/**
 * What one WebSocket may hold and how long it may hang around:
 * WS_MAX_SUBSCRIPTIONS (an extra subscribe is refused for that operation only,
 * TOO_MANY_SUBSCRIPTIONS), WS_IDLE_TIMEOUT_MS (a socket without a subscription
 * for that long is closed, 1000), WS_INIT_TIMEOUT_MS (no connection_init in
 * time: 4408), and a token that expires under open subscriptions (4403, the
 * streams released). The expiry of a socket that only ran queries is in
 * access/transports.test.ts.
 */

const HEARTBEAT = String(HeartbeatDocument);
/** Bounds below are lower bounds only (the gateway must not act early), with slack for timer granularity. */
const SLACK_MS = 50;

const openWs = (gateway: TestGateway) => gauge(gateway, 'gateway_open_subscriptions', { transport: 'ws' });

const refusedCode = (socket: RawWs, id: string) => {
  const end = socket.endOf(id);
  return end?.type === 'error' ? (end.payload as Array<{ extensions?: { code?: string } }>).map((e) => e.extensions?.code) : end?.type;
};

describe('WS_MAX_SUBSCRIPTIONS=3', () => {
  let gateway: TestGateway;
  const sockets: RawWs[] = [];
  const socket = () => {
    const s = new RawWs(gateway.url);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ WS_MAX_SUBSCRIPTIONS: '3' });
  });
  afterAll(async () => {
    for (const s of sockets) if (!s.isClosed) s.close();
    await gateway?.stop();
  });

  it('the fourth subscription on a socket is refused for that operation only; the others stream on, and a freed place is taken again', async () => {
    const baseline = await openWs(gateway);
    const a = socket();
    await a.acked();
    for (const id of ['1', '2', '3']) a.subscribe(id, HEARTBEAT, { intervalMs: 100 });
    await a.waitFor(() => ['1', '2', '3'].every((id) => a.of(id, 'next').length >= 1), 10_000, 'three streams');
    a.subscribe('4', HEARTBEAT, { intervalMs: 100 });
    await a.waitFor(() => a.endOf('4') !== undefined, 10_000, 'the answer to the fourth');
    expect(refusedCode(a, '4')).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(a.of('4', 'next')).toEqual([]);

    // The three go on, on the same socket.
    const counts = ['1', '2', '3'].map((id) => a.of(id, 'next').length);
    await a.waitFor(() => ['1', '2', '3'].every((id, i) => a.of(id, 'next').length >= counts[i]! + 2), 10_000, 'more beats after the refusal');
    expect(['1', '2', '3'].map((id) => a.endOf(id))).toEqual([undefined, undefined, undefined]);
    expect(a.isClosed).toBe(false);

    // Another socket has its own three.
    const b = socket();
    await b.acked();
    for (const id of ['1', '2', '3']) b.subscribe(id, HEARTBEAT, { intervalMs: 100 });
    await b.waitFor(() => ['1', '2', '3'].every((id) => b.of(id, 'next').length >= 1), 10_000, 'three streams on the second socket');
    expect(['1', '2', '3'].map((id) => b.endOf(id))).toEqual([undefined, undefined, undefined]);
    await until(async () => (await openWs(gateway)) === baseline + 6, 5_000, 'six open subscriptions');

    // Completing one frees a place: the next subscribe streams.
    a.complete('1');
    await until(async () => (await openWs(gateway)) === baseline + 5, 5_000, 'the completed subscription to be released');
    a.subscribe('5', HEARTBEAT, { intervalMs: 100 });
    await a.waitFor(() => a.of('5', 'next').length >= 1 || a.endOf('5') !== undefined, 10_000, 'the fifth');
    expect(a.endOf('5')).toBeUndefined();
    // Full again.
    a.subscribe('6', HEARTBEAT, { intervalMs: 100 });
    await a.waitFor(() => a.endOf('6') !== undefined, 10_000, 'the sixth');
    expect(refusedCode(a, '6')).toEqual(['TOO_MANY_SUBSCRIPTIONS']);

    const metrics = await scrape(gateway);
    expect(scraped(metrics, 'gateway_graphql_errors_total', { code: 'TOO_MANY_SUBSCRIPTIONS' })).toBeGreaterThanOrEqual(2);
    a.close();
    b.close();
    await until(async () => (await openWs(gateway)) === baseline, 5_000, 'every subscription released');
  });

  it('a burst of five subscribes at once: exactly three stream, two are refused', async () => {
    const s = socket();
    await s.acked();
    const ids = ['1', '2', '3', '4', '5'];
    for (const id of ids) s.subscribe(id, HEARTBEAT, { intervalMs: 100 });
    await s.waitFor(() => ids.every((id) => s.of(id, 'next').length >= 1 || s.endOf(id) !== undefined), 10_000, 'an answer to each');
    await sleep(300);
    const refused = ids.filter((id) => s.endOf(id) !== undefined);
    expect(refused.map((id) => refusedCode(s, id))).toEqual([['TOO_MANY_SUBSCRIPTIONS'], ['TOO_MANY_SUBSCRIPTIONS']]);
    expect(ids.filter((id) => s.of(id, 'next').length > 0)).toHaveLength(3);
    s.close();
  });

  it('a socket at its subscription limit still runs queries (a query is not a subscription)', async () => {
    const s = socket();
    await s.acked();
    for (const id of ['1', '2', '3']) s.subscribe(id, HEARTBEAT, { intervalMs: 100 });
    await s.waitFor(() => ['1', '2', '3'].every((id) => s.of(id, 'next').length >= 1), 10_000, 'three streams');
    s.subscribe('q', '{ gateway { version } }');
    await s.waitFor(() => s.endOf('q') !== undefined, 10_000, 'the query');
    expect(s.of('q').map((m) => m.type), JSON.stringify(s.of('q'))).toEqual(['next', 'complete']);
    expect(s.of('q', 'next')[0]!.payload.data.gateway.version).toEqual(expect.any(String));
    s.close();
  });

  it('a subscription that completes on its own frees its place', async () => {
    const s = socket();
    await s.acked();
    s.subscribe('1', HEARTBEAT, { intervalMs: 100, count: 2 });
    s.subscribe('2', HEARTBEAT, { intervalMs: 100 });
    s.subscribe('3', HEARTBEAT, { intervalMs: 100 });
    await s.waitFor(() => s.endOf('1')?.type === 'complete', 10_000, 'the first to complete');
    s.subscribe('4', HEARTBEAT, { intervalMs: 100 });
    await s.waitFor(() => s.of('4', 'next').length >= 1 || s.endOf('4') !== undefined, 10_000, 'the fourth');
    expect(s.endOf('4')).toBeUndefined();
    s.close();
  });
});

describe('the default WS_MAX_SUBSCRIPTIONS is 100', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('100 subscriptions stream on one socket, the 101st is refused', async () => {
    const s = new RawWs(gateway.url);
    await s.acked();
    const ids = Array.from({ length: 101 }, (_, i) => String(i + 1));
    // One beat at once, the next a minute later: each open stream says so with its first message.
    for (const id of ids.slice(0, 100)) s.subscribe(id, HEARTBEAT, { intervalMs: 60_000 });
    await s.waitFor(() => ids.slice(0, 100).every((id) => s.of(id, 'next').length === 1), 20_000, 'a hundred streams');
    s.subscribe('101', HEARTBEAT, { intervalMs: 60_000 });
    await s.waitFor(() => s.endOf('101') !== undefined, 10_000, 'the 101st');
    expect(refusedCode(s, '101')).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    expect(ids.slice(0, 100).filter((id) => s.endOf(id) !== undefined)).toEqual([]);
    expect(await openWs(gateway)).toBe(100);
    s.close();
    await until(async () => (await openWs(gateway)) === 0, 5_000, 'the hundred released');
  });
});

describe('WS_IDLE_TIMEOUT_MS and WS_INIT_TIMEOUT_MS', () => {
  const IDLE_MS = 1_000;
  const INIT_MS = 400;
  let gateway: TestGateway;
  let signer: ReturnType<typeof tokenSigner>;

  beforeAll(async () => {
    gateway = await startAccessGateway({ WS_IDLE_TIMEOUT_MS: String(IDLE_MS), WS_INIT_TIMEOUT_MS: String(INIT_MS), JWT_CLOCK_TOLERANCE_SECONDS: '0' });
    signer = tokenSigner(gateway);
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
  });

  it('a socket that never subscribes is closed with 1000 once idle for WS_IDLE_TIMEOUT_MS, not before', async () => {
    const s = new RawWs(gateway.url);
    await s.acked();
    const closed = await s.closed;
    expect(closed.code).toBe(1000);
    expect(closed.at - s.ackedAt!).toBeGreaterThanOrEqual(IDLE_MS - SLACK_MS);
  });

  it('a socket with a subscription open longer than the idle timeout stays; it is closed once idle after the subscription completes', async () => {
    const s = new RawWs(gateway.url);
    await s.acked();
    // 25 beats, 100 ms apart: about 2.5 × the idle timeout.
    s.subscribe('1', HEARTBEAT, { intervalMs: 100, count: 25 });
    await s.waitFor(() => s.endOf('1') !== undefined, 20_000, 'the subscription to complete');
    const completedAt = Date.now();
    expect(s.endOf('1')!.type).toBe('complete');
    expect(s.of('1', 'next')).toHaveLength(25);
    expect(s.isClosed).toBe(false);
    const closed = await s.closed;
    expect(closed.code).toBe(1000);
    // Idle counts from the end of the last subscription, not from the socket's start or the subscribe.
    expect(closed.at - completedAt).toBeGreaterThanOrEqual(IDLE_MS - SLACK_MS);
  });

  it('a subscription the client completes after longer than the idle timeout: the socket gets a full idle period after it', async () => {
    const s = new RawWs(gateway.url);
    await s.acked();
    s.subscribe('1', HEARTBEAT, { intervalMs: 100 });
    await s.waitFor(() => s.of('1', 'next').length >= 20, 20_000, 'twenty beats');
    expect(s.isClosed).toBe(false);
    s.complete('1');
    const completedAt = Date.now();
    const closed = await s.closed;
    expect(closed.code).toBe(1000);
    expect(closed.at - completedAt).toBeGreaterThanOrEqual(IDLE_MS - SLACK_MS);
  });

  it('a subscription started before the idle timeout keeps the socket past it', async () => {
    const s = new RawWs(gateway.url);
    await s.acked();
    await sleep(IDLE_MS / 2);
    expect(s.isClosed).toBe(false);
    s.subscribe('1', HEARTBEAT, { intervalMs: 100 });
    await sleep(IDLE_MS * 2);
    expect(s.isClosed).toBe(false);
    expect(s.endOf('1')).toBeUndefined();
    s.close();
    expect((await s.closed).code).toBe(1000);
  });

  it('a socket that does not send connection_init within WS_INIT_TIMEOUT_MS is closed with 4408; one that does is acknowledged', async () => {
    const silent = new RawWs(gateway.url, { connectionParams: false });
    const openedAt = await silent.openedAt;
    const closed = await silent.closed;
    expect(closed.code).toBe(4408);
    expect(closed.at - openedAt).toBeGreaterThanOrEqual(INIT_MS - SLACK_MS);
    expect(silent.messages).toEqual([]);

    // Late but within the limit: acknowledged, and then subject to the idle timeout only.
    const late = new RawWs(gateway.url, { connectionParams: false });
    await late.openedAt;
    await sleep(INIT_MS / 2);
    late.init();
    await late.acked();
    const lateClosed = await late.closed;
    expect(lateClosed.code).toBe(1000);
  });

  it('a token that expires under open subscriptions closes the socket with 4403 and releases every stream', async () => {
    const subscriptionsBefore = await openWs(gateway);
    const watchersBefore = await gauge(gateway, 'gateway_failover_event_watchers');
    const token = await signer.sign({ subject: 'admin', groups: [] }, 3);
    const s = new RawWs(gateway.url, { connectionParams: { authorization: `Bearer ${token}` } });
    await s.acked();
    s.subscribe('events', FAILOVER_EVENTS);
    s.subscribe('beat', HEARTBEAT, { intervalMs: 100 });
    await s.waitFor(() => s.of('beat', 'next').length >= 1, 10_000, 'a beat');
    await until(async () => (await gauge(gateway, 'gateway_failover_event_watchers')) === watchersBefore + 1, 5_000, 'the event stream to watch');
    expect(await openWs(gateway)).toBe(subscriptionsBefore + 2);

    const closed = await s.closed;
    expect(closed.code).toBe(4403);
    // Not closed as idle (it had subscriptions), and not before the token's expiry.
    expect(closed.at - s.ackedAt!).toBeGreaterThan(IDLE_MS);
    expect(s.endOf('events')).toBeUndefined();
    await until(async () => (await openWs(gateway)) === subscriptionsBefore, 5_000, 'the streams to be released');
    await until(async () => (await gauge(gateway, 'gateway_failover_event_watchers')) === watchersBefore, 5_000, 'the event watcher to be released');
  });
});
