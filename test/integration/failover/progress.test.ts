import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, GraphQLClients, tokenSigner, type GqlError } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import {
  bare,
  bareAll,
  expectEndedAs,
  expectWellFormed,
  FAILOVER_EVENTS,
  FAILOVER_PROGRESS,
  FINAL_STATE,
  gauge,
  operationGlobalId,
  progressToEnd,
  recordPart,
  RESULTS,
  sleep,
  sseSubscribe,
  storedEvents,
  until,
  withTimeout,
  wsClient,
  wsSubscribe,
  type EmResult,
  type Ev,
  type Sub,
} from './progress-support.js';
import {
  FAILOVER_KINDS,
  FAILOVER_OPERATION,
  failoverInput,
  operationDbId,
  payloadOf,
  ReplicaPool,
  runFailover,
  startFailoverGateway,
  type FailoverReplica,
  type Kind,
} from './support.js';

/**
 * Live failover progress (issue 6) against a real gateway with the embedded
 * simulator and PGlite: failoverProgress over graphql-ws and SSE for every
 * kind and every EM result, replay from any sequence, the seam between replay
 * and live under subscribers arriving at random moments, what a restricted
 * caller may watch, and failoverEvents' filters. Each stream is checked
 * against the event table and the operation read back at the end.
 *
 * One gateway for the file. The simulator decides a failover's result when
 * the failover POST arrives (its fault config) and its duration from its
 * timings at that moment, so each test sets them before it starts its own
 * failovers and every failover uses its own Ready replica.
 */

/** The simulator's failover: long enough for a few dozen progress looks at FAILOVER_POLL_MS = 100. */
const FAILOVER_MS = 2_000;
const TIMINGS = { durationMs: FAILOVER_MS, collectMs: 200 };

let gateway: TestGateway;
let clients: GraphQLClients;
let pool: ReplicaPool;
let adminToken: string;
let operatorToken: string;
let nobodyToken: string;
/** One socket per caller for most subscriptions. */
let adminWs: Client;
let operatorWs: Client;
const ownClients: Client[] = [];

/** Replicas in the restricted operator's scope. */
const inScope = {} as { isolation: FailoverReplica; filter: FailoverReplica };
const OPERATOR = 'fe-operator';

const sim = () => gateway.simulator!;

beforeAll(async () => {
  gateway = await startFailoverGateway({ SIMULATOR_REPLICAS: '300', SIMULATOR_FAILOVER_MS: String(FAILOVER_MS), FAILOVER_POLL_MS: '100' });
  clients = new GraphQLClients(gateway);
  pool = await ReplicaPool.of(gateway);
  inScope.isolation = pool.take('VM_REPLICA');
  inScope.filter = pool.take('VCD_VAPP_REPLICA');
  await createAccount(gateway, { type: 'USER', name: OPERATOR, roles: ['RESTORE_OPERATOR'], scope: [inScope.isolation.objectRef!, inScope.filter.objectRef!] });
  const signer = tokenSigner(gateway);
  adminToken = await signer.sign({ subject: 'admin', groups: [] });
  operatorToken = await signer.sign({ subject: OPERATOR, groups: [] });
  nobodyToken = await signer.sign({ subject: 'nobody', groups: [] });
  adminWs = wsClient(gateway, adminToken);
  operatorWs = wsClient(gateway, operatorToken);
}, 90_000);

afterAll(async () => {
  await Promise.all([adminWs, operatorWs, ...ownClients].filter(Boolean).map((client) => client.dispose()));
  await clients?.close();
  await gateway?.stop();
});

interface Started {
  replica: FailoverReplica;
  kind: Kind;
  /** Global id. */
  id: string;
  dbId: string;
}

/** Starts a real failover of `replica` and returns its operation. */
async function start(replica: FailoverReplica, token = adminToken): Promise<Started> {
  const payload = payloadOf(await runFailover(clients, 'http', token, failoverInput(replica, { reason: 'progress test' })));
  expect(payload.__typename, JSON.stringify(payload)).toBe('FailoverStarted');
  return { replica, kind: replica.kind, id: payload.operation.id, dbId: operationDbId(payload.operation.id) };
}

/** The operation as failoverOperation(id) reads it now. */
async function readOperation(id: string, token = adminToken): Promise<any> {
  const result = await clients.run('http', token, `query Op($id: ID!) { failoverOperation(id: $id) { id kind state active progress result message taskState restoreSessionState replicaState lastSequence updatedAt } }`, { id });
  expect(result.errors).toBeUndefined();
  return result.data.failoverOperation;
}

/** Waits for the operation to end (read from the database). */
async function ended(op: Started): Promise<void> {
  await until(
    async () => !['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING'].includes((await gateway.services.db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: op.dbId } })).state),
    30_000,
    `operation ${op.dbId} to end`,
  );
}

const watchers = () => gauge(gateway, 'gateway_failover_event_watchers');

/** Seeded, so a failing run can be repeated: mulberry32. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Events of one operation out of a failoverEvents stream. */
const eventsOf = (events: readonly Ev[], operationId: string) => events.filter((event) => event.operationId === operationId);

// ---------------------------------------------------------------------------------------------

describe('failoverProgress: every kind × every EM result', () => {
  interface Case {
    result: EmResult;
    kind: Kind;
    op: Started;
    ws: Sub;
    /** Also followed over SSE (two kinds of the Success group). */
    sse?: Sub;
  }
  const cases: Case[] = [];
  const SSE_KINDS: readonly Kind[] = ['VM_REPLICA', 'VCD_CDP_VAPP'];

  beforeAll(async () => {
    sim().timings = TIMINGS;
    // The result is fixed when EM accepts the failover: start each group of four under its own fault config.
    for (const result of RESULTS) {
      sim().faults = { failoverResult: result };
      const group = await Promise.all(
        FAILOVER_KINDS.map(async (kind) => {
          const op = await start(pool.take(kind));
          // Right after the mutation answers: events 1 and 2 are stored already and come as replay, the rest live.
          const ws = wsSubscribe(adminWs, FAILOVER_PROGRESS, { operationId: op.id });
          const sse = result === 'Success' && SSE_KINDS.includes(kind) ? sseSubscribe(gateway.url, adminToken, FAILOVER_PROGRESS, { operationId: op.id }) : undefined;
          return { result, kind, op, ws, sse };
        }),
      );
      cases.push(...group);
    }
    sim().faults = {};
    await withTimeout(Promise.all(cases.flatMap((c) => [c.ws.done, c.sse?.done])), 45_000, 'every failoverProgress stream to complete');
  }, 90_000);

  const labels = RESULTS.flatMap((result) => FAILOVER_KINDS.map((kind) => ({ result, kind })));

  it.each(labels)('$kind ending $result: the whole stream over graphql-ws, in order, ending as EM says', async ({ result, kind }) => {
    const c = cases.find((x) => x.result === result && x.kind === kind)!;
    expect(await c.ws.done).toEqual({ how: 'complete' });
    expect(c.ws.payloadErrors).toEqual([]);
    const events = c.ws.events;
    expectEndedAs(events, { operationId: c.op.id, kind, result, label: `${kind}/${result}` });
    for (const event of events) expect(event.operation?.id).toBe(c.op.id);
    // The operation field is read when the event goes out: after the final event the operation has ended.
    expect(events.at(-1)!.operation).toEqual({ id: c.op.id, state: FINAL_STATE[result] });

    // The stream is the record: the event table, and the operation read back.
    expect(recordPart(events)).toEqual(await storedEvents(gateway, c.op.dbId));
    const operation = await readOperation(c.op.id);
    const last = events.at(-1)!;
    expect(operation).toEqual({
      id: c.op.id,
      kind,
      state: last.state,
      active: false,
      progress: last.progress,
      result: last.result,
      message: last.message,
      taskState: last.taskState,
      restoreSessionState: last.restoreSessionState,
      replicaState: last.replicaState,
      lastSequence: last.sequence,
      updatedAt: expect.any(String),
    });
    expect(Date.parse(operation.updatedAt)).toBe(Date.parse(last.at));
  });

  it.each(SSE_KINDS)('%s: the same stream over Server-Sent Events as over graphql-ws', async (kind) => {
    const c = cases.find((x) => x.result === 'Success' && x.kind === kind)!;
    expect(await c.sse!.done).toEqual({ how: 'complete' });
    expect(c.sse!.payloadErrors).toEqual([]);
    expect(bareAll(c.sse!.events)).toEqual(bareAll(c.ws.events));
    expectEndedAs(c.sse!.events, { operationId: c.op.id, kind, result: 'Success', label: `${kind} over SSE` });
  });

  describe('replay', () => {
    const some = () => cases.find((x) => x.result === 'Warning' && x.kind === 'CDP_VM')!;

    it('subscribing after the operation ended replays all of it, then completes', async () => {
      for (const c of [some(), cases.find((x) => x.result === 'Failed' && x.kind === 'VCD_VAPP_REPLICA')!]) {
        const replayed = await progressToEnd(adminWs, c.op.id);
        expect(bareAll(replayed)).toEqual(bareAll(c.ws.events));
        // afterSequence 0 said out loud is the default.
        expect(bareAll(await progressToEnd(adminWs, c.op.id, 0))).toEqual(bareAll(c.ws.events));
      }
    });

    it('afterSequence = k gets exactly events k+1..N', async () => {
      const full = some().ws.events;
      const n = full.length;
      for (const k of [1, 2, Math.floor(n / 2), n - 1]) {
        const rest = await progressToEnd(adminWs, some().op.id, k);
        expect(rest.map((e) => e.sequence), `after ${k}`).toEqual(full.slice(k).map((e) => e.sequence));
        expect(bareAll(rest), `after ${k}`).toEqual(bareAll(full.slice(k)));
      }
    });

    it('afterSequence at or past the end completes with nothing; a negative one is refused', async () => {
      const n = some().ws.events.length;
      for (const k of [n, n + 1, n + 1000]) expect(await progressToEnd(adminWs, some().op.id, k), `after ${k}`).toEqual([]);
      const negative = wsSubscribe(adminWs, FAILOVER_PROGRESS, { operationId: some().op.id, afterSequence: -1 });
      const outcome = await withTimeout(negative.done, 10_000, 'the refusal');
      const errors = outcome.how === 'errors' ? outcome.errors : negative.payloadErrors;
      expect(errors.map((e) => e.extensions?.code), JSON.stringify(outcome)).toEqual(['BAD_USER_INPUT']);
      expect(negative.events).toEqual([]);
    });

    it('resuming a running operation in the middle: the two parts join into the whole stream', async () => {
      sim().timings = { durationMs: 3_000, collectMs: 200 };
      const op = await start(pool.take('VM_REPLICA'));
      const whole = wsSubscribe(adminWs, FAILOVER_PROGRESS, { operationId: op.id });
      const first = wsSubscribe(adminWs, FAILOVER_PROGRESS, { operationId: op.id });
      await first.until((events) => events.length >= 4, 10_000, 'four events');
      first.stop();
      const part = first.events.slice();
      const k = part.at(-1)!.sequence;
      expect(part.map((e) => e.sequence)).toEqual(part.map((_, i) => i + 1));
      // Still running when resumed: the rest comes partly replayed, partly live.
      expect(part.at(-1)!.final).toBe(false);
      const rest = await progressToEnd(adminWs, op.id, k);
      expect(rest[0]?.sequence).toBe(k + 1);
      await withTimeout(whole.done, 20_000, 'the whole stream');
      expectEndedAs(whole.events, { operationId: op.id, kind: 'VM_REPLICA', result: 'Success' });
      expect(bareAll([...part, ...rest])).toEqual(bareAll(whole.events));
      sim().timings = TIMINGS;
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('the seam between replay and live', () => {
  it('subscribers starting at random moments of a running failover each receive exactly 1..N', async () => {
    const seed = Number(process.env.PROGRESS_SEED ?? Date.now() % 1_000_000);
    const rnd = random(seed);
    const durationMs = 4_000;
    sim().timings = { durationMs, collectMs: 200 };
    const op = await start(pool.take('CDP_VM'));
    sim().timings = TIMINGS;
    const startedAt = Date.now();

    // 40 subscribers: on the shared admin socket, on sockets of their own, and over SSE.
    const subs: Array<{ at: number; via: string; sub: Sub }> = [];
    const launches = Array.from({ length: 40 }, (_, i) => {
      const delay = i === 0 ? 0 : Math.floor(rnd() * (durationMs - 200));
      const via = i % 4 === 0 ? 'sse' : i % 4 === 1 ? 'own-ws' : 'shared-ws';
      return sleep(delay).then(() => {
        let sub: Sub;
        if (via === 'sse') sub = sseSubscribe(gateway.url, adminToken, FAILOVER_PROGRESS, { operationId: op.id, afterSequence: 0 });
        else if (via === 'own-ws') {
          const client = wsClient(gateway, adminToken);
          ownClients.push(client);
          sub = wsSubscribe(client, FAILOVER_PROGRESS, { operationId: op.id, afterSequence: 0 });
        } else sub = wsSubscribe(adminWs, FAILOVER_PROGRESS, { operationId: op.id, afterSequence: 0 });
        subs.push({ at: Date.now(), via, sub });
      });
    });
    await Promise.all(launches);
    await withTimeout(Promise.all(subs.map((s) => s.sub.done)), 30_000, 'every subscriber to complete');

    const stored = await storedEvents(gateway, op.dbId);
    const n = stored.length;
    expect(n, `seed ${seed}`).toBeGreaterThanOrEqual(10);
    const reference = subs[0]!.sub.events;
    expectEndedAs(reference, { operationId: op.id, kind: 'CDP_VM', result: 'Success', label: `seed ${seed}` });
    for (const [i, { via, at, sub }] of subs.entries()) {
      const label = `subscriber ${i} (${via}, +${at - startedAt} ms, seed ${seed})`;
      expect(await sub.done, label).toEqual({ how: 'complete' });
      expect(sub.events.map((e) => e.sequence), label).toEqual(stored.map((e) => e.sequence));
      expect(recordPart(sub.events), label).toEqual(stored);
      expect(bareAll(sub.events), label).toEqual(bareAll(reference));
    }
    // The premise: most subscribers joined while the operation was running, so they crossed from replay to live.
    const finalAt = Date.parse(reference.at(-1)!.at);
    expect(subs.filter((s) => s.at < finalAt).length, `seed ${seed}`).toBeGreaterThanOrEqual(20);
  });
});

// ---------------------------------------------------------------------------------------------

describe('isolation: a restricted caller watches only what it may see', () => {
  const PROGRESS_ERROR = `subscription P($id: ID!) { failoverProgress(operationId: $id) { sequence } }`;

  /** The only thing a refused failoverProgress may say: errors, with the operation id made neutral. */
  async function refusal(client: Client, id: string): Promise<GqlError[]> {
    const sub = wsSubscribe(client, PROGRESS_ERROR, { id });
    const outcome = await withTimeout(sub.done, 10_000, 'the refusal');
    expect(sub.events).toEqual([]);
    const errors = outcome.how === 'errors' ? outcome.errors : sub.payloadErrors;
    expect(errors.length, JSON.stringify(outcome)).toBeGreaterThan(0);
    return errors.map((error) => ({ ...error, message: error.message.split(id).join('<id>') }));
  }

  it('failoverProgress of an operation outside the scope is NOT_FOUND, exactly as an unknown id; failoverEvents carries only in-scope events, an admin\'s carries both', async () => {
    const before = await watchers();
    const restricted = wsSubscribe(operatorWs, FAILOVER_EVENTS);
    const admin = wsSubscribe(adminWs, FAILOVER_EVENTS);
    await until(async () => (await watchers()) >= before + 2, 10_000, 'both failoverEvents streams to watch');

    const outside = pool.take('CDP_VM');
    expect(outside.refs.some((ref) => [inScope.isolation.objectRef, inScope.filter.objectRef].includes(ref))).toBe(false);
    const [mine, theirs] = await Promise.all([start(inScope.isolation), start(outside)]);

    // While both run: the one outside the scope does not exist for the operator, on either transport.
    const hidden = await refusal(operatorWs, theirs.id);
    const unknownId = operationGlobalId(randomUUID());
    const unknown = await refusal(operatorWs, unknownId);
    expect(hidden.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(hidden).toEqual(unknown);
    const overSse = sseSubscribe(gateway.url, operatorToken, PROGRESS_ERROR, { id: theirs.id });
    const sseOutcome = await withTimeout(overSse.done, 10_000, 'the SSE refusal');
    const sseErrors = sseOutcome.how === 'errors' ? sseOutcome.errors : overSse.payloadErrors;
    expect(sseErrors.map((e) => e.extensions?.code), JSON.stringify(sseOutcome)).toEqual(['NOT_FOUND']);
    expect(overSse.events).toEqual([]);
    // A caller without a role sees neither; an administrator's unknown id is NOT_FOUND too.
    const nobody = wsClient(gateway, nobodyToken);
    ownClients.push(nobody);
    expect((await refusal(nobody, mine.id)).map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect((await refusal(adminWs, unknownId)).map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    // Its own scope's operation it follows to the end.
    const own = await progressToEnd(operatorWs, mine.id);
    expectEndedAs(own, { operationId: mine.id, kind: 'VM_REPLICA', result: 'Success' });

    await Promise.all([ended(mine), ended(theirs)]);
    await admin.until((events) => eventsOf(events, mine.id).some((e) => e.final) && eventsOf(events, theirs.id).some((e) => e.final), 20_000, 'both final events for the admin');
    await restricted.until((events) => eventsOf(events, mine.id).some((e) => e.final), 20_000, 'the in-scope final event for the operator');
    // Anything the operator was wrongly sent would have arrived by now: the admin got everything already.
    await sleep(500);
    restricted.stop();
    admin.stop();

    expect(restricted.payloadErrors).toEqual([]);
    expect(restricted.events.filter((e) => e.operationId !== mine.id), 'events outside the scope').toEqual([]);
    // Subscribed before the operation started: every event of it, in order.
    expect(recordPart(restricted.events)).toEqual(await storedEvents(gateway, mine.dbId));
    expectEndedAs(restricted.events, { operationId: mine.id, kind: 'VM_REPLICA', result: 'Success', label: 'operator failoverEvents' });
    for (const op of [mine, theirs]) {
      const events = eventsOf(admin.events, op.id);
      expect(recordPart(events), op.kind).toEqual(await storedEvents(gateway, op.dbId));
      expectEndedAs(events, { operationId: op.id, kind: op.kind, result: 'Success', label: `admin failoverEvents ${op.kind}` });
    }
  });

  it('without a token: UNAUTHENTICATED on both subscriptions', async () => {
    const anonymous = wsClient(gateway, null);
    ownClients.push(anonymous);
    const progress = wsSubscribe(anonymous, PROGRESS_ERROR, { id: operationGlobalId(randomUUID()) });
    const events = wsSubscribe(anonymous, FAILOVER_EVENTS);
    for (const sub of [progress, events]) {
      const outcome = await withTimeout(sub.done, 10_000, 'the refusal');
      const errors = outcome.how === 'errors' ? outcome.errors : sub.payloadErrors;
      expect(errors.map((e) => e.extensions?.code), JSON.stringify(outcome)).toEqual(['UNAUTHENTICATED']);
      expect(sub.events).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('failoverEvents filters', () => {
  it('kinds, replicaId, initiator and operationIds each pass exactly their operations', async () => {
    const replicas = {
      VM_REPLICA: pool.take('VM_REPLICA'),
      CDP_VM: pool.take('CDP_VM'),
      VCD_VAPP_REPLICA: inScope.filter,
      VCD_CDP_VAPP: pool.take('VCD_CDP_VAPP'),
    } satisfies Record<Kind, FailoverReplica>;
    const before = await watchers();
    const subs = {
      all: wsSubscribe(adminWs, FAILOVER_EVENTS),
      cdpVmAndVApp: wsSubscribe(adminWs, FAILOVER_EVENTS, { filter: { kinds: ['CDP_VM', 'VCD_VAPP_REPLICA'] } }),
      vm: wsSubscribe(adminWs, FAILOVER_EVENTS, { filter: { kinds: ['VM_REPLICA'] } }),
      replica: wsSubscribe(adminWs, FAILOVER_EVENTS, { filter: { replicaId: replicas.VCD_CDP_VAPP.globalId } }),
      byOperator: wsSubscribe(adminWs, FAILOVER_EVENTS, { filter: { initiator: OPERATOR } }),
      // Filters combine: the vApp replica is the operator's, so an admin-initiated vApp stream gets nothing.
      none: wsSubscribe(adminWs, FAILOVER_EVENTS, { filter: { kinds: ['VCD_VAPP_REPLICA'], initiator: 'admin' } }),
      unknownOperation: wsSubscribe(adminWs, FAILOVER_EVENTS, { filter: { operationIds: [operationGlobalId(randomUUID())] } }),
    };
    await until(async () => (await watchers()) >= before + Object.keys(subs).length, 10_000, 'every filtered stream to watch');

    sim().timings = { durationMs: 3_000, collectMs: 200 };
    const ops = {} as Record<Kind, Started>;
    await Promise.all(
      FAILOVER_KINDS.map(async (kind) => {
        ops[kind] = await start(replicas[kind], kind === 'VCD_VAPP_REPLICA' ? operatorToken : adminToken);
      }),
    );
    sim().timings = TIMINGS;
    // Known only once started: from then on, these two operations' events and no others.
    const byIds = wsSubscribe(adminWs, FAILOVER_EVENTS, { filter: { operationIds: [ops.CDP_VM.id, ops.VCD_CDP_VAPP.id] } });

    await Promise.all(FAILOVER_KINDS.map((kind) => ended(ops[kind])));
    await subs.all.until((events) => FAILOVER_KINDS.every((kind) => eventsOf(events, ops[kind].id).some((e) => e.final)), 20_000, 'every final event');
    await byIds.until((events) => [ops.CDP_VM, ops.VCD_CDP_VAPP].every((op) => eventsOf(events, op.id).some((e) => e.final)), 20_000, 'final events by id');
    await sleep(500);
    for (const sub of [...Object.values(subs), byIds]) {
      sub.stop();
      expect(sub.payloadErrors).toEqual([]);
    }

    const stored = Object.fromEntries(await Promise.all(FAILOVER_KINDS.map(async (kind) => [kind, await storedEvents(gateway, ops[kind].dbId)] as const))) as Record<Kind, Awaited<ReturnType<typeof storedEvents>>>;
    /** The sub got every event of exactly these operations (it watched from before they started). */
    const expectExactly = (name: string, sub: Sub, kinds: readonly Kind[]) => {
      const ids = kinds.map((kind) => ops[kind].id);
      expect(sub.events.filter((e) => !ids.includes(e.operationId)).map(bare), `${name}: events of other operations`).toEqual([]);
      for (const kind of kinds) expect(recordPart(eventsOf(sub.events, ops[kind].id)), `${name}: ${kind}`).toEqual(stored[kind]);
    };
    expectExactly('all', subs.all, FAILOVER_KINDS);
    expectExactly('kinds CDP_VM, VCD_VAPP_REPLICA', subs.cdpVmAndVApp, ['CDP_VM', 'VCD_VAPP_REPLICA']);
    expectExactly('kinds VM_REPLICA', subs.vm, ['VM_REPLICA']);
    expectExactly('replicaId', subs.replica, ['VCD_CDP_VAPP']);
    expectExactly('initiator', subs.byOperator, ['VCD_VAPP_REPLICA']);
    expectExactly('kinds + initiator', subs.none, []);
    expectExactly('unknown operationId', subs.unknownOperation, []);

    // By ids, subscribed after the start: a gapless tail of each of the two, ending with its final event.
    expect(byIds.events.filter((e) => e.operationId !== ops.CDP_VM.id && e.operationId !== ops.VCD_CDP_VAPP.id).map(bare)).toEqual([]);
    for (const kind of ['CDP_VM', 'VCD_CDP_VAPP'] as const) {
      const tail = recordPart(eventsOf(byIds.events, ops[kind].id));
      expect(tail.length, kind).toBeGreaterThan(0);
      expect(tail, kind).toEqual(stored[kind].slice(stored[kind].length - tail.length));
    }
    for (const kind of FAILOVER_KINDS) expectWellFormed(eventsOf(subs.all.events, ops[kind].id), { operationId: ops[kind].id, kind });
  });

  it('failoverEvents is live: a new subscriber gets nothing of an operation that ended before it subscribed', async () => {
    // Nobody watches while the operation runs and ends.
    await until(async () => (await watchers()) === 0, 10_000, 'no watchers');
    sim().timings = { durationMs: 600, collectMs: 50 };
    const op = await start(pool.take('VM_REPLICA'));
    sim().timings = TIMINGS;
    await ended(op);
    const sub = wsSubscribe(adminWs, FAILOVER_EVENTS);
    await until(async () => (await watchers()) === 1, 10_000, 'the stream to watch');
    // Long enough for the hub's look at the event table (FAILOVER_EVENT_CATCHUP_MS, 2 s) to run twice.
    await sleep(4_500);
    sub.stop();
    expect(recordPart(eventsOf(sub.events, op.id)), 'events of an operation that had ended before the subscription').toEqual([]);
  });

  it('failoverEvents is live: after a time without watchers, a new subscriber does not get the events it missed', async () => {
    await until(async () => (await watchers()) === 0, 10_000, 'no watchers');
    sim().timings = { durationMs: 6_000, collectMs: 200 };
    const op = await start(pool.take('VCD_CDP_VAPP'));
    sim().timings = TIMINGS;
    // A first subscriber sees some of it, and leaves.
    const first = wsSubscribe(adminWs, FAILOVER_EVENTS);
    await first.until((events) => eventsOf(events, op.id).length >= 2, 10_000, 'two events');
    first.stop();
    await until(async () => (await watchers()) === 0, 10_000, 'no watchers');
    await sleep(1_500);
    // A second one comes later: from the operation's sequence at that moment on.
    const second = wsSubscribe(adminWs, FAILOVER_EVENTS);
    await until(async () => (await watchers()) === 1, 10_000, 'the stream to watch');
    const sequenceThen = (await gateway.services.db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: op.dbId } })).sequence;
    await second.until((events) => eventsOf(events, op.id).some((e) => e.final), 20_000, 'the final event');
    second.stop();
    const got = eventsOf(second.events, op.id).map((e) => e.sequence);
    // At most the event being published as it subscribed may be older than that moment.
    expect(got.filter((sequence) => sequence < sequenceThen), `sequence ${sequenceThen} when it subscribed; got ${got.join(',')}`).toEqual([]);
    expect(got).toEqual(got.map((_, i) => got[0]! + i));
  });

  it('a malformed id in a filter is refused as BAD_USER_INPUT, not streamed as nothing', async () => {
    for (const filter of [{ operationIds: ['not-a-global-id'] }, { replicaId: operationGlobalId(randomUUID()) }]) {
      const sub = wsSubscribe(adminWs, FAILOVER_EVENTS, { filter });
      const outcome = await withTimeout(sub.done, 10_000, 'the refusal');
      const errors = outcome.how === 'errors' ? outcome.errors : sub.payloadErrors;
      expect(errors.map((e) => e.extensions?.code), JSON.stringify(filter)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
