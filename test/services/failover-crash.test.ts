import { decodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/gateway.js';
import { crashStage } from './crash-support.js';
import {
  describeEnding,
  expectExactStream,
  expectLifecycle,
  failoverCandidates,
  KINDS,
  PROGRESS,
  range,
  simulatorCounters,
  startFailover,
  storedEvents,
  summary,
  syncInventory,
  withDb,
  type Candidate,
  type Kind,
} from './failover-events-support.js';

/**
 * The crash test of live progress: the EM simulator and the gateway as real
 * processes on PostgreSQL; failovers of all four kinds, each followed by a
 * failoverProgress subscriber over graphql-ws; the gateway killed with SIGKILL
 * half-way (no shutdown, its leases left behind); a new gateway process on the
 * same database and EM. The new process has a new instance id, so it takes
 * the operations over only once the dead one's leases expire
 * (FAILOVER_LEASE_SECONDS keeps that short). Every operation must still end,
 * and every subscriber that comes back with its last sequence as
 * afterSequence must receive the rest exactly once.
 */
describe('a gateway killed mid-failover', () => {
  const FAILOVER_MS = 20_000;
  const PER_KIND = 2;
  const stage = crashStage({
    databasePrefix: 'fg_crash',
    simulatorEnv: { SIM_SIZE: '120', SIM_FAILOVER_MS: String(FAILOVER_MS) },
    leaseSeconds: 3,
    gatewayEnv: () => ({
      FAILOVER_EVENT_CATCHUP_MS: '500',
      // One instance at a time: the in-process bus, whatever the environment says.
      REDIS_URL: '',
    }),
  });

  it('every operation ends, and every subscriber resuming with its last sequence gets the rest exactly once', { timeout: 300_000 }, async () => {
    const first = await stage.startGateway();
    const admin = await stage.token();
    await syncInventory(first.url, admin);

    // Failovers of every kind, PER_KIND of each where the inventory has them.
    const candidates = await failoverCandidates(first.url, admin);
    const picked: Candidate[] = [];
    for (const kind of KINDS) {
      const ofKind = candidates.get(kind)!;
      expect(ofKind.length, `Ready ${kind} replicas on Enterprise servers`).toBeGreaterThan(0);
      picked.push(...ofKind.slice(0, PER_KIND));
    }
    const postsBefore = (await simulatorCounters(stage.simulator.adminUrl)).failoverPosts;
    const operations: Array<{ id: string; dbId: string; kind: Kind }> = [];
    for (const candidate of picked) {
      const started = await startFailover(first.url, admin, candidate, 'crash test');
      operations.push({ ...started, dbId: decodeGlobalID(started.id).id });
    }

    // One subscriber per operation, each on its own socket, from the start of the operation.
    const before = operations.map((op) => stage.subscribe(first, admin, PROGRESS, { operationId: op.id, afterSequence: 0 }));

    // Under way: every subscriber has seen its failover running with a fifth of its progress.
    await Promise.all(before.map((s, i) => s.waitFor((events) => events.some((e) => e.state === 'RUNNING' && e.progress >= 20), 60_000, `progress of ${operations[i]!.kind}`)));
    const ownersAtKill = await withDb(stage.database.url, async (client) =>
      (await client.query<{ id: string; state: string; leaseOwner: string | null }>(`SELECT id, state::text AS state, "leaseOwner" FROM failover_operation WHERE id = ANY($1::uuid[])`, [operations.map((op) => op.dbId)])).rows,
    );
    await first.kill();

    // The kill closes every socket: each subscriber ends with an error, not a completion.
    const endings = await Promise.all(before.map((s) => s.endedWithin(15_000, 'subscriber of the killed gateway')));
    for (const ending of endings) expect(ending.type, describeEnding(ending)).toBe('error');
    const lastSeen = before.map((s) => s.events.at(-1)?.sequence ?? 0);
    // The test means something only if the kill came mid-way: every operation was running, owned by the dead instance, not ended.
    for (const [i, s] of before.entries()) expect(s.events.some((e) => e.final), `${operations[i]!.kind} ended before the kill: ${summary(s.events)}`).toBe(false);
    expect(ownersAtKill).toHaveLength(operations.length);
    for (const row of ownersAtKill) expect(row).toMatchObject({ state: 'RUNNING', leaseOwner: first.instanceId });

    // A new process on the same database and EM: a new instance id, so it waits for the leases to expire.
    const second = await stage.startGateway();
    expect(second.instanceId).not.toBe(first.instanceId);
    const after = operations.map((op, i) => stage.subscribe(second, admin, PROGRESS, { operationId: op.id, afterSequence: lastSeen[i] }));

    const resumed = await Promise.all(after.map((s, i) => s.endedWithin(120_000, `resumed subscriber of ${operations[i]!.kind}`)));
    for (const [i, ending] of resumed.entries()) expect(ending.type, `${operations[i]!.kind}: ${describeEnding(ending)} ${summary(after[i]!.events)}`).toBe('complete');

    await withDb(stage.database.url, async (client) => {
      for (const [i, op] of operations.entries()) {
        const stored = await storedEvents(client, op.dbId);
        const label = `${op.kind} ${op.id}`;
        // The operation ended for real, and the new instance let its lease go.
        expect(['SUCCEEDED', 'WARNING', 'FAILED'], label).toContain(stored.operation.state);
        expect(stored.operation.leaseOwner, label).toBeNull();
        // After the reconnect: exactly the events after the last one seen, each once, final last.
        expectExactStream(after[i]!.events, stored, op.id, lastSeen[i]);
        // Before the kill: a prefix of the stream, from the first event, without gap or duplicate.
        expect(before[i]!.events.map((e) => e.sequence), label).toEqual(range(1, lastSeen[i]!));
        // Together: 1..N, contiguous, no duplicates, one final, the whole lifecycle.
        const union = [...before[i]!.events, ...after[i]!.events];
        expectExactStream(union, stored, op.id, 0);
        expectLifecycle(union, label);
        // The after-stream is not empty: the operation was still running at the kill, so at least its end came later.
        expect(after[i]!.events.length, label).toBeGreaterThan(0);
      }
      // Nothing sent twice: one failover POST per operation, whatever the crash.
      expect((await simulatorCounters(stage.simulator.adminUrl)).failoverPosts - postsBefore).toBe(operations.length);
      // Every operation's end is on the record.
      const ends = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'failover.end' AND details->>'operationId' = ANY($1::text[])`, [
        operations.map((op) => op.dbId),
      ]);
      expect(ends.rows[0]!.n).toBe(operations.length);
    });

    // The operations read back through the new instance as ended.
    const reads = operations.map((op, i) => `o${i}: failoverOperation(id: ${JSON.stringify(op.id)}) { id state active progress }`).join('\n');
    const { json } = await postGraphQL(second.url, { query: `{ ${reads} }` }, { authorization: `Bearer ${admin}` });
    expect(json.errors).toBeUndefined();
    for (const [i, op] of operations.entries()) expect(json.data[`o${i}`], op.kind).toMatchObject({ id: op.id, active: false, progress: 100 });
  });
});
