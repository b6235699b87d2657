import { decodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/gateway.js';
import { crashStage } from './crash-support.js';
import {
  describeEnding,
  EVENTS,
  expectExactStream,
  expectLifecycle,
  failoverCandidates,
  PROGRESS,
  range,
  redisUrl,
  sleep,
  startFailover,
  storedEvents,
  summary,
  syncInventory,
  withDb,
  type Candidate,
  type GatewayProcess,
  type ReceivedEvent,
  type Subscriber,
} from './failover-events-support.js';

/**
 * A failback followed by one of two gateway instances (real processes on one
 * PostgreSQL database, Redis between them, one simulator for EM and the
 * backup servers' REST APIs), killed with SIGKILL: no shutdown, its lease
 * left behind. B, the survivor, runs throughout; each test starts the
 * instance it kills.
 *
 * - Killed while the failback's VBR session runs: B takes the operation over
 *   once the lease expires, follows the session to its end through its own
 *   VBR client (the replica reaching ReadyToSwitch, then Failback), and every
 *   watcher gets the events 1..N without a gap or a duplicate: one on B from
 *   the start (the dead instance's events reach it through Redis), one
 *   resuming there with the last sequence it saw on the dead instance, and
 *   failoverEvents on B.
 * - Killed while its failback POST waits for an answer that never comes (VBR
 *   started the session): B finds the operation still DISPATCHING with an
 *   expired lease, takes it for lost, finds its session among the server's
 *   and follows it to its end. Nothing is posted again.
 */
describe('a gateway instance killed mid-failback', () => {
  /** The sync, then the switch (automatic): the kill comes in the sync, so the survivor sees both phases. */
  const FAILBACK_MS = 12_000;
  const SWITCH_MS = 6_000;
  const stage = crashStage({
    databasePrefix: 'fg_lc_crash',
    simulatorEnv: { SIM_SIZE: '120', SIM_FAILOVER_MS: '1000' },
    leaseSeconds: 3,
    async configureSimulator(simulatorAdminUrl) {
      const configured = await fetch(`${simulatorAdminUrl}/config`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ vbrSessionDurationsMs: { Failback: FAILBACK_MS, SwitchReplicaToProduction: SWITCH_MS } }),
      });
      expect(configured.status).toBe(200);
    },
    gatewayEnv: (database) => ({
      REDIS_URL: redisUrl,
      REDIS_CHANNEL: `fg-test:${database.name}:failover-events`,
      // Far longer than the test: whatever the survivor delivers live of the other's events came through Redis.
      FAILOVER_EVENT_CATCHUP_MS: '600000',
    }),
  });
  const subscribe = stage.subscribe;

  async function simulatorState(): Promise<{ vbrFaces: Array<{ counters: { byRoute: Record<string, number> } }>; vbrSessions: Array<{ id: string; type: string; name: string; state: string }> }> {
    const response = await fetch(`${stage.simulator.adminUrl}/state`);
    expect(response.status).toBe(200);
    return (await response.json()) as never;
  }
  const posts = async (route: string) => (await simulatorState()).vbrFaces.reduce((sum, face) => sum + (face.counters.byRoute[route] ?? 0), 0);

  async function operationRow(dbId: string) {
    return withDb(stage.database.url, async (client) => {
      const rows = await client.query<{ state: string; leaseOwner: string | null; leaseExpiresAt: Date | null; replicaState: string | null; sequence: number }>(
        `SELECT state::text AS state, "leaseOwner", "leaseExpiresAt", "replicaState", sequence FROM failover_operation WHERE id = $1`,
        [dbId],
      );
      return rows.rows[0]!;
    });
  }

  beforeAll(async () => {
    b = await stage.startGateway();
    admin = await stage.token();
    await syncInventory(b.url, admin);
    const candidates = await failoverCandidates(b.url, admin);
    replicas = candidates.get('VM_REPLICA')!;
  });

  let b: GatewayProcess;
  let admin: string;
  let replicas: Candidate[];

  /** A Ready VM replica failed over through EM (on `via`), its operation ended. */
  async function failedOver(via: GatewayProcess): Promise<Candidate> {
    const replica = replicas.shift();
    expect(replica, 'a Ready VM replica on an Enterprise server').toBeDefined();
    const failover = await startFailover(via.url, admin, replica!, 'before the failback');
    const failoverDbId = decodeGlobalID(failover.id).id;
    for (let i = 0; ; i += 1) {
      if ((await operationRow(failoverDbId)).state === 'SUCCEEDED') return replica!;
      expect(i, 'the failover to end').toBeLessThan(200);
      await sleep(100);
    }
  }

  function failback(via: GatewayProcess, replica: Candidate) {
    return postGraphQL(
      via.url,
      {
        query: `mutation($input: FailbackInput!) { failback(input: $input) { __typename ... on ReplicaActionStarted { operation { id action state } } ... on Error { code message } } }`,
        variables: { input: { replicaId: replica.id, destination: { originalLocation: {} }, switchover: { automatic: true }, reason: 'crash test' } },
      },
      { authorization: `Bearer ${admin}` },
    );
  }

  const failbackSessions = async (replica: Candidate) => (await simulatorState()).vbrSessions.filter((s) => s.type === 'Failback' && s.name.toLowerCase() === replica.name.toLowerCase());
  const FAILBACK_ROUTE = 'POST /api/v1/failback/failbackToProduction/vSphere/snapshot';

  /** Records who owns the operation, every 25 ms, until `stop()`. */
  function watchOwners(dbId: string) {
    const owners: Array<{ owner: string | null; at: number }> = [];
    let watching = true;
    const sample = async () => {
      const row = await operationRow(dbId);
      if (owners.at(-1)?.owner !== row.leaseOwner) owners.push({ owner: row.leaseOwner, at: Date.now() });
    };
    const done = (async () => {
      while (watching) {
        await sample();
        await sleep(25);
      }
      // The operation has ended by now: one more look sees the lease let go.
      await sample();
    })();
    return {
      async stop() {
        watching = false;
        await done;
        return owners;
      },
    };
  }

  /** failoverEvents streams B serves now (its gauge, as Prometheus scrapes it). */
  async function watchersOnB(): Promise<number> {
    const text = await (await fetch(`${new URL(b.url).origin}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('gateway_failover_event_watchers '));
    return Number(line?.split(' ')[1] ?? 0);
  }

  /** Subscribes to the replica's failoverEvents on B and waits until B watches for it (the stream is live only). */
  async function watchReplicaOnB(replica: Candidate): Promise<Subscriber> {
    const before = await watchersOnB();
    const subscriber = subscribe(b, admin, EVENTS, { filter: { replicaId: replica.id } });
    for (let i = 0; (await watchersOnB()) <= before; i += 1) {
      expect(i, 'the failoverEvents stream to watch').toBeLessThan(200);
      await sleep(50);
    }
    return subscriber;
  }

  /** The lease owners seen: the dead instance (maybe), then B, then nobody; B not before `leaseEnd`. */
  function expectTakenOverByB(owners: Array<{ owner: string | null; at: number }>, dead: GatewayProcess, leaseEnd: Date): void {
    const names = owners.map((o) => o.owner);
    expect(names, 'lease owners after the kill').toContain(b.instanceId);
    expect(names.at(-1)).toBeNull();
    expect(names.filter((o) => o !== null && o !== dead.instanceId && o !== b.instanceId)).toEqual([]);
    const takenAt = owners.find((o) => o.owner === b.instanceId)!.at;
    expect(takenAt, "B took the operation before the dead instance's lease expired").toBeGreaterThanOrEqual(leaseEnd.getTime());
  }

  it('killed while the session runs: the other instance finishes it after the lease; the events have no gap or duplicate', { timeout: 240_000 }, async () => {
    const a = await stage.startGateway();
    expect(a.instanceId).not.toBe(b.instanceId);
    const replica = await failedOver(a);

    // Watching the replica on B before the failback starts.
    const eventsOnB = await watchReplicaOnB(replica);

    const postsBefore = await posts(FAILBACK_ROUTE);
    const { json } = await failback(a, replica);
    expect(json.errors, JSON.stringify(json.errors)).toBeUndefined();
    expect(json.data.failback, JSON.stringify(json.data)).toMatchObject({ __typename: 'ReplicaActionStarted', operation: { action: 'FAILBACK', state: 'RUNNING' } });
    const opId: string = json.data.failback.operation.id;
    const dbId = decodeGlobalID(opId).id;

    const onA = subscribe(a, admin, PROGRESS, { operationId: opId, afterSequence: 0 });
    const onB = subscribe(b, admin, PROGRESS, { operationId: opId, afterSequence: 0 });

    // Mid-session: the sync has moved on, the replica is not yet ReadyToSwitch.
    await onA.waitFor((events) => events.some((e) => e.state === 'RUNNING' && e.progress >= 15), 30_000, 'the failback under way');
    const atKill = await operationRow(dbId);
    expect(atKill).toMatchObject({ state: 'RUNNING', leaseOwner: a.instanceId });
    expect(onA.events.some((e) => e.replicaState === 'ReadyToSwitch'), `killed too late: ${summary(onA.events)}`).toBe(false);

    const owners = watchOwners(dbId);

    // A's lease as it stood just before the kill (A may renew it once more; never shorten it).
    const leaseAtKill = (await operationRow(dbId)).leaseExpiresAt!;
    await a.kill();
    const endedOnA = await onA.endedWithin(15_000, 'the subscriber of the killed instance');
    expect(endedOnA.type, describeEnding(endedOnA)).toBe('error');
    const lastSeen = onA.events.at(-1)?.sequence ?? 0;
    expect(onA.events.map((e) => e.sequence)).toEqual(range(1, lastSeen));
    expect(onA.events.some((e) => e.final)).toBe(false);

    // The watcher of the dead instance comes back on the survivor with the last sequence it saw.
    const resumed = subscribe(b, admin, PROGRESS, { operationId: opId, afterSequence: lastSeen });

    for (const [label, subscriber] of [
      ['resumed on B', resumed],
      ['on B from the start', onB],
    ] as const) {
      const ending = await subscriber.endedWithin(120_000, label);
      expect(ending.type, `${label}: ${describeEnding(ending)} ${summary(subscriber.events)}`).toBe('complete');
    }
    await eventsOnB.waitFor((events) => events.some((e) => e.operationId === opId && e.final), 15_000, 'the final event on failoverEvents');
    // B took it over, only once A's lease had run out, and let it go at the end.
    expectTakenOverByB(await owners.stop(), a, leaseAtKill);

    await withDb(stage.database.url, async (client) => {
      const stored = await storedEvents(client, dbId);
      expect(stored.operation).toMatchObject({ state: 'SUCCEEDED', leaseOwner: null });
      // The rest after the reconnect, exactly once; joined with what A delivered, the whole stream.
      expectExactStream(resumed.events, stored, opId, lastSeen);
      expectExactStream([...onA.events, ...resumed.events], stored, opId, 0);
      // On B throughout: A's events came through Redis, B's own after the takeover.
      expectExactStream(onB.events, stored, opId, 0);
      const viaEvents = eventsOnB.events.filter((e: ReceivedEvent) => e.operationId === opId);
      expectExactStream(viaEvents, stored, opId, 0);
      expect(eventsOnB.events.every((e) => e.operationId === opId), summary(eventsOnB.events)).toBe(true);
      expectLifecycle(onB.events, 'failback');
      // The phases the survivor saw: ReadyToSwitch while running, Failback at the end.
      const phases = onB.events.map((e) => e.replicaState).filter((s, i, all) => s !== null && s !== all[i - 1]);
      expect(phases.slice(-2), summary(onB.events)).toEqual(['ReadyToSwitch', 'Failback']);
      expect(onB.events.at(-1)).toMatchObject({ final: true, state: 'SUCCEEDED', replicaState: 'Failback', progress: 100 });
      // Something happened after the kill: at least the switch phase and the end.
      expect(resumed.events.length).toBeGreaterThanOrEqual(2);

      // The inventory shows the new state; the attempt and the end are on the record once each.
      const replicaRow = await client.query<{ state: string }>(`SELECT state FROM "Replica" WHERE id = $1`, [decodeGlobalID(replica.id).id]);
      expect(replicaRow.rows[0]?.state).toBe('Failback');
      const audit = await client.query<{ action: string; decision: string }>(
        `SELECT action, decision::text AS decision FROM audit_entry WHERE action IN ('failback', 'failback.end') AND "subjectId" = $1 ORDER BY seq`,
        [decodeGlobalID(replica.id).id],
      );
      expect(audit.rows.map((r) => `${r.action} ${r.decision}`)).toEqual(['failback ALLOW', 'failback.end ALLOW']);
    });

    // One POST, one session, whatever the crash.
    expect((await posts(FAILBACK_ROUTE)) - postsBefore).toBe(1);
    expect(await failbackSessions(replica)).toHaveLength(1);
  });
  it('killed while its failback POST waits for an answer: the other instance finds the session and follows it; nothing is posted again', { timeout: 240_000 }, async () => {
    const c = await stage.startGateway();
    const replica = await failedOver(c);
    const eventsOnB = await watchReplicaOnB(replica);

    // VBR starts the failback, and never answers the POST.
    const faults = await fetch(`${stage.simulator.adminUrl}/vbr/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: 'failover', failoverResponse: 'hang' }) });
    expect(faults.status).toBe(204);
    const postsBefore = await posts(FAILBACK_ROUTE);
    const pending = failback(c, replica).catch((error: unknown) => error);
    for (let i = 0; (await failbackSessions(replica)).length === 0; i += 1) {
      expect(i, 'the failback session to start').toBeLessThan(200);
      await sleep(50);
    }
    expect((await fetch(`${stage.simulator.adminUrl}/vbr/faults`, { method: 'DELETE' })).status).toBe(204);
    const dbId = await withDb(stage.database.url, async (client) => {
      const rows = await client.query<{ id: string; state: string; leaseOwner: string; leaseExpiresAt: Date }>(
        `SELECT id, state::text AS state, "leaseOwner", "leaseExpiresAt" FROM failover_operation WHERE "replicaId" = $1 AND action = 'FAILBACK'`,
        [decodeGlobalID(replica.id).id],
      );
      expect(rows.rows).toHaveLength(1);
      // Sent, unanswered: still DISPATCHING, held by C.
      expect(rows.rows[0]).toMatchObject({ state: 'DISPATCHING', leaseOwner: c.instanceId });
      return rows.rows[0]!.id;
    });
    const leaseAtKill = (await operationRow(dbId)).leaseExpiresAt!;
    const owners = watchOwners(dbId);
    await c.kill();
    await pending;

    await eventsOnB.waitFor((events) => events.some((e) => e.final), 90_000, 'the final event on failoverEvents');
    expectTakenOverByB(await owners.stop(), c, leaseAtKill);
    const opId = eventsOnB.events[0]!.operationId;
    const replayed = subscribe(b, admin, PROGRESS, { operationId: opId, afterSequence: 0 });
    expect((await replayed.endedWithin(15_000, 'the replay')).type).toBe('complete');

    await withDb(stage.database.url, async (client) => {
      const stored = await storedEvents(client, dbId);
      expect(stored.operation).toMatchObject({ state: 'SUCCEEDED', leaseOwner: null });
      expectExactStream(eventsOnB.events, stored, opId, 0);
      expectExactStream(replayed.events, stored, opId, 0);
      expectLifecycle(eventsOnB.events, 'failback taken for lost');
      const states = eventsOnB.events.map((e) => e.state).filter((state, i, all) => state !== all[i - 1]);
      expect(states, summary(eventsOnB.events)).toEqual(['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING', 'SUCCEEDED']);
      expect(eventsOnB.events.at(-1)).toMatchObject({ replicaState: 'Failback', progress: 100 });
      const row = await client.query<{ restoreSessionId: string }>(`SELECT "restoreSessionId" FROM failover_operation WHERE id = $1`, [dbId]);
      expect(row.rows[0]!.restoreSessionId).toBe((await failbackSessions(replica))[0]!.id);
      const audit = await client.query<{ action: string }>(`SELECT action FROM audit_entry WHERE action IN ('failback', 'failback.end') AND "subjectId" = $1 ORDER BY seq`, [decodeGlobalID(replica.id).id]);
      expect(audit.rows.map((r) => r.action)).toEqual(['failback', 'failback.end']);
    });
    expect((await posts(FAILBACK_ROUTE)) - postsBefore).toBe(1);
    expect(await failbackSessions(replica)).toHaveLength(1);
  });
});
