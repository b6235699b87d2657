import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClients, tokenSigner } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import {
  bareAll,
  FAILOVER_EVENTS,
  FAILOVER_PROGRESS,
  gauge,
  progressToEnd,
  recordPart,
  sseSubscribe,
  storedEvents,
  until,
  withTimeout,
  wsClient,
  wsSubscribe,
  type Ev,
  type Sub,
} from '../failover/progress-support.js';
import { eventually, failoverInput, operationDbId, payloadOf, ReplicaPool, runFailover, startFailoverGateway, type FailoverReplica } from '../failover/support.js';

/**
 * Live progress of lifecycle actions after failover, which the backup
 * server's REST API carries out: a failback with automatic switchover
 * reports the replica reaching ReadyToSwitch and then Failback in its
 * events; a manual one ends at ReadyToSwitch and the switch to production
 * is an operation of its own. Each is watched over graphql-ws and
 * Server-Sent Events, with failoverProgress (replay, then live) and with
 * failoverEvents (live only), and every stream is checked against the event
 * table: 1..N in order, no gap, no duplicate, one final event, last.
 */

/** The sync, then the switch part of an automatic failback: long enough for dozens of looks at FAILOVER_POLL_MS = 100. */
const FAILBACK_MS = 3_000;
const SWITCH_MS = 2_000;

const FAILBACK = `mutation($input: FailbackInput!) {
  failback(input: $input) { __typename ... on ReplicaActionStarted { operation { id action state } } ... on Error { code message } }
}`;
const SWITCH = `mutation($input: ReplicaActionInput!) {
  switchToProduction(input: $input) { __typename ... on ReplicaActionStarted { operation { id action state } } ... on Error { code message } }
}`;
const OPERATION = `query($id: ID!) { failoverOperation(id: $id) { id action kind state active progress result replicaState restoreSessionState lastSequence } }`;

const ENDED = ['SUCCEEDED', 'WARNING', 'FAILED', 'NOT_STARTED'];
const NEXT: Record<string, string[]> = {
  DISPATCHING: ['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING', 'NOT_STARTED'],
  OUTCOME_UNKNOWN: ['OUTCOME_UNKNOWN', 'RUNNING', 'NOT_STARTED'],
  RUNNING: ['RUNNING', ...ENDED.slice(0, 3)],
};

let gateway: TestGateway;
let clients: GraphQLClients;
let pool: ReplicaPool;
let admin: string;
let ws: Client;

const sim = () => gateway.simulator!;

beforeAll(async () => {
  gateway = await startFailoverGateway({ SIMULATOR_REPLICAS: '120', FAILOVER_POLL_MS: '100' });
  clients = new GraphQLClients(gateway);
  pool = await ReplicaPool.of(gateway);
  admin = await tokenSigner(gateway).sign({ subject: 'admin', groups: [] });
  ws = wsClient(gateway, admin);
  sim().vbrSessionDurations = { ...sim().vbrSessionDurations, Failback: FAILBACK_MS, SwitchReplicaToProduction: SWITCH_MS };
}, 120_000);

afterAll(async () => {
  await ws?.dispose();
  await clients?.close();
  await gateway?.stop();
});

/** A VM replica failed over through EM (its operation ended). */
async function failedOver(): Promise<FailoverReplica> {
  const replica = pool.take('VM_REPLICA', { where: (r) => r.state === 'Ready' });
  const started = payloadOf(await runFailover(clients, 'http', admin, failoverInput(replica)));
  expect(started.__typename).toBe('FailoverStarted');
  const id = operationDbId(started.operation.id);
  await until(async () => ENDED.includes((await gateway.services.db.prisma.failoverOperation.findUniqueOrThrow({ where: { id } })).state), 30_000, 'the failover to end');
  return replica;
}

async function start(document: string, field: string, input: Record<string, unknown>): Promise<{ id: string; dbId: string }> {
  const result = await clients.run('http', admin, document, { input });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  const payload = result.data![field];
  expect(payload.__typename, JSON.stringify(payload)).toBe('ReplicaActionStarted');
  return { id: payload.operation.id, dbId: operationDbId(payload.operation.id) };
}

const summary = (events: readonly Ev[]) => events.map((e) => `${e.sequence}:${e.state}/${e.progress}/${e.replicaState ?? '-'}${e.final ? '!' : ''}`).join(' ');

/** The replica states the events report, each once in a row (nulls left out). */
const replicaStates = (events: readonly Ev[]) => events.map((e) => e.replicaState).filter((s, i, all): s is string => s !== null && s !== all[i - 1]);

/**
 * One operation's complete stream: 1..N without gap or duplicate, DISPATCHING
 * first, legal moves, progress never going back, one final event and it is
 * the last, exactly what the event table holds.
 */
async function expectWhole(events: readonly Ev[], operationId: string, dbId: string, label: string): Promise<void> {
  const what = `${label}: ${summary(events)}`;
  expect(events.map((e) => e.sequence), what).toEqual(events.map((_, i) => i + 1));
  expect(events[0]?.state, what).toBe('DISPATCHING');
  for (const [i, event] of events.entries()) {
    expect(event.operationId, what).toBe(operationId);
    expect(event.kind, what).toBe('VM_REPLICA');
    expect(event.final, what).toBe(i === events.length - 1);
    expect(ENDED.includes(event.state), what).toBe(event.final);
    if (i === 0) continue;
    expect(NEXT[events[i - 1]!.state], what).toContain(event.state);
    expect(event.progress, `${what} (progress went back)`).toBeGreaterThanOrEqual(events[i - 1]!.progress);
  }
  expect(recordPart(events), what).toEqual(await storedEvents(gateway, dbId));
}

describe('a failback with automatic switchover, watched live', () => {
  let replica: FailoverReplica;
  let op: { id: string; dbId: string };
  const subs: Record<'wsProgress' | 'sseProgress' | 'wsEvents' | 'sseEvents' | 'wsPart', Sub> = {} as never;

  beforeAll(async () => {
    replica = await failedOver();
    // failoverEvents is live only: watching before the failback starts.
    const watchersBefore = await gauge(gateway, 'gateway_failover_event_watchers');
    subs.wsEvents = wsSubscribe(ws, FAILOVER_EVENTS, { filter: { replicaId: replica.globalId } });
    subs.sseEvents = sseSubscribe(gateway.url, admin, FAILOVER_EVENTS, { filter: { replicaId: replica.globalId } });
    await until(async () => (await gauge(gateway, 'gateway_failover_event_watchers')) >= watchersBefore + 2, 10_000, 'both failoverEvents streams to watch');

    op = await start(FAILBACK, 'failback', { replicaId: replica.globalId, destination: { originalLocation: {} }, switchover: { automatic: true }, powerOnTargetVm: true, reason: 'progress test' });
    subs.wsProgress = wsSubscribe(ws, FAILOVER_PROGRESS, { operationId: op.id });
    subs.sseProgress = sseSubscribe(gateway.url, admin, FAILOVER_PROGRESS, { operationId: op.id });
    // One more that leaves once the replica reached ReadyToSwitch, to resume from there.
    subs.wsPart = wsSubscribe(ws, FAILOVER_PROGRESS, { operationId: op.id });
    await subs.wsPart.until((events) => events.some((e) => e.replicaState === 'ReadyToSwitch'), 20_000, 'ReadyToSwitch');
    subs.wsPart.stop();

    await withTimeout(Promise.all([subs.wsProgress.done, subs.sseProgress.done]), 30_000, 'both failoverProgress streams to complete');
    const final = (events: readonly Ev[]) => events.some((e) => e.operationId === op.id && e.final);
    await Promise.all([subs.wsEvents.until(final, 10_000, 'the final event'), subs.sseEvents.until(final, 10_000, 'the final event')]);
    subs.wsEvents.stop();
    subs.sseEvents.stop();
  }, 90_000);

  it('failoverProgress over graphql-ws: the whole stream, ending SUCCEEDED with the replica in Failback', async () => {
    expect(await subs.wsProgress.done).toEqual({ how: 'complete' });
    expect(subs.wsProgress.payloadErrors).toEqual([]);
    const events = subs.wsProgress.events;
    await expectWhole(events, op.id, op.dbId, 'graphql-ws');
    expect(events.at(-1), summary(events)).toMatchObject({ final: true, state: 'SUCCEEDED', progress: 100, result: 'Success', restoreSessionState: 'Stopped', replicaState: 'Failback' });
    expect(events.at(-1)!.operation).toEqual({ id: op.id, state: 'SUCCEEDED' });
    expect(events.some((e) => e.state === 'RUNNING' && e.progress > 0 && e.progress < 100), summary(events)).toBe(true);
  });

  it('reports the phases: ReadyToSwitch while running, then Failback at the end', async () => {
    const events = subs.wsProgress.events;
    const states = replicaStates(events);
    expect(states.slice(-2), summary(events)).toEqual(['ReadyToSwitch', 'Failback']);
    // ReadyToSwitch is a phase seen while the operation runs, not its end.
    const ready = events.find((e) => e.replicaState === 'ReadyToSwitch')!;
    expect(ready).toMatchObject({ state: 'RUNNING', final: false });
    expect(ready.progress).toBeLessThan(100);
    // Only the states a failback passes through.
    for (const state of states) expect(['Failover', 'ReadyToSwitch', 'Failback'], summary(events)).toContain(state);
  });

  it('failoverProgress over Server-Sent Events: the same stream', async () => {
    expect(await subs.sseProgress.done).toEqual({ how: 'complete' });
    expect(subs.sseProgress.payloadErrors).toEqual([]);
    await expectWhole(subs.sseProgress.events, op.id, op.dbId, 'SSE');
    expect(bareAll(subs.sseProgress.events)).toEqual(bareAll(subs.wsProgress.events));
  });

  it('failoverEvents over graphql-ws and SSE carry the same events of the operation, in order, once each', async () => {
    for (const [label, sub] of [
      ['graphql-ws', subs.wsEvents],
      ['SSE', subs.sseEvents],
    ] as const) {
      expect(sub.payloadErrors, label).toEqual([]);
      // The filter is the replica: nothing of another operation, and this one from its first event (the stream watched before it started).
      expect(sub.events.every((e) => e.operationId === op.id), `${label}: ${summary(sub.events)}`).toBe(true);
      await expectWhole(sub.events, op.id, op.dbId, `failoverEvents over ${label}`);
      expect(bareAll(sub.events), label).toEqual(bareAll(subs.wsProgress.events));
    }
  });

  it('resuming with the last sequence seen at ReadyToSwitch gets exactly the rest, over both transports', async () => {
    const part = subs.wsPart.events.slice();
    const k = part.at(-1)!.sequence;
    expect(part.map((e) => e.sequence)).toEqual(part.map((_, i) => i + 1));
    expect(part.at(-1)!.final).toBe(false);
    const whole = subs.wsProgress.events;
    const overWs = await progressToEnd(ws, op.id, k);
    expect(bareAll([...part, ...overWs])).toEqual(bareAll(whole));
    const sse = sseSubscribe(gateway.url, admin, FAILOVER_PROGRESS, { operationId: op.id, afterSequence: k });
    expect(await withTimeout(sse.done, 10_000, 'the resumed SSE stream')).toEqual({ how: 'complete' });
    expect(bareAll(sse.events)).toEqual(bareAll(whole.slice(k)));
  });

  it('the operation reads back as its last event says', async () => {
    const result = await clients.run('http', admin, OPERATION, { id: op.id });
    expect(result.errors).toBeUndefined();
    const last = subs.wsProgress.events.at(-1)!;
    expect(result.data!.failoverOperation).toEqual({
      id: op.id,
      action: 'FAILBACK',
      kind: 'VM_REPLICA',
      state: 'SUCCEEDED',
      active: false,
      progress: 100,
      result: last.result,
      replicaState: 'Failback',
      restoreSessionState: 'Stopped',
      lastSequence: last.sequence,
    });
  });
});

describe('a failback with manual switchover, then the switch to production', () => {
  it('the failback ends at ReadyToSwitch; the switch is an operation of its own ending in Failback; both streams whole over both transports', async () => {
    const replica = await failedOver();
    const failback = await start(FAILBACK, 'failback', { replicaId: replica.globalId, destination: { originalLocation: {} }, switchover: { manual: true } });
    const sse = sseSubscribe(gateway.url, admin, FAILOVER_PROGRESS, { operationId: failback.id });
    const events = await progressToEnd(ws, failback.id);
    await expectWhole(events, failback.id, failback.dbId, 'manual failback');
    expect(events.at(-1), summary(events)).toMatchObject({ final: true, state: 'SUCCEEDED', replicaState: 'ReadyToSwitch' });
    expect(replicaStates(events)).not.toContain('Failback');
    expect(await withTimeout(sse.done, 10_000, 'SSE')).toEqual({ how: 'complete' });
    expect(bareAll(sse.events)).toEqual(bareAll(events));

    const switched = await start(SWITCH, 'switchToProduction', { replicaId: replica.globalId });
    const switchSse = sseSubscribe(gateway.url, admin, FAILOVER_PROGRESS, { operationId: switched.id });
    const switchEvents = await progressToEnd(ws, switched.id);
    await expectWhole(switchEvents, switched.id, switched.dbId, 'switch to production');
    expect(switchEvents.at(-1), summary(switchEvents)).toMatchObject({ final: true, state: 'SUCCEEDED', replicaState: 'Failback' });
    expect(await withTimeout(switchSse.done, 10_000, 'SSE')).toEqual({ how: 'complete' });
    expect(bareAll(switchSse.events)).toEqual(bareAll(switchEvents));
    // The replica's state in the inventory follows.
    expect(await eventually(async () => ((await gateway.services.db.prisma.replica.findUniqueOrThrow({ where: { id: replica.id } })).state === 'Failback' ? true : undefined))).toBe(true);
  });
});
