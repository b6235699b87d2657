import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmClient, EmOutcomeUnknownError, EmUnavailableError, type EmClient, type VmReplicaPoint } from '../../../src/em/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { all, client, simulator, VbrFaces } from './helpers.js';

describe('EM client under injected faults', () => {
  let sim: RunningSimulator;
  let em: EmClient;
  let points: VmReplicaPoint[];
  /** The backup servers' own REST APIs, where editions and VM replica states live (EM serves neither). */
  let vbr: VbrFaces;

  beforeAll(async () => {
    sim = await simulator();
    em = client(sim, { timeoutMs: 300, readRetries: 3 });
    vbr = new VbrFaces(sim, await em.listBackupServers());
    const ok = [...(await vbr.editions())].filter(([, e]) => e.startsWith('Enterprise')).map(([uid]) => uid);
    const ready = new Set<string>();
    for (const uid of ok) for (const [key, state] of await vbr.vmReplicaStates(uid)) if (state === 'Ready') ready.add(key);
    // One Ready point per VM replica, so each test fails over a different replica.
    const byKey = new Map<string, VmReplicaPoint>();
    for (const p of await all(em.listVmReplicaPoints())) if (ready.has(p.vmReplicaKey) && ok.includes(p.backupServerUid!)) byKey.set(p.vmReplicaKey, p);
    points = [...byKey.values()];
    expect(points.length).toBeGreaterThanOrEqual(6);
  });
  beforeEach(() => {
    sim.faults = {};
    sim.resetCounters();
  });
  afterAll(async () => {
    await vbr.close();
    await em.close();
    await sim.close();
  });

  const reads = () => sim.counters.byRoute['GET /query?type=BackupServer'] ?? 0;

  it('retries reads on 503 and succeeds when the fault clears', async () => {
    sim.faults = { target: 'reads', errorCount: 2, errorStatus: 503 };
    expect(await em.listBackupServers()).toHaveLength(4);
    expect(reads()).toBe(3);
  });

  it('gives up on a read after the configured retries of a persistent 500', async () => {
    sim.faults = { target: 'reads', errorRate: 1, errorStatus: 500 };
    const err = await em.listBackupServers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmUnavailableError);
    expect(err).toMatchObject({ kind: 'unavailable', status: 500 });
    expect(reads()).toBe(4);
  });

  it('retries a read whose connection was dropped', async () => {
    sim.faults = { target: 'reads', dropCount: 1 };
    expect(await em.listBackupServers()).toHaveLength(4);
    expect(reads()).toBe(2);
  });

  it('times out slow reads, retries them, then reports unavailable', async () => {
    sim.faults = { target: 'reads', latencyMs: 500 };
    const fast = client(sim, { timeoutMs: 100, readRetries: 1 });
    await fast.logon();
    const started = Date.now();
    await expect(fast.listBackupServers()).rejects.toMatchObject({ kind: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(reads()).toBe(2);
    sim.faults = {};
    await fast.close();
  });

  it('tolerates latency within the timeout', async () => {
    sim.faults = { latencyMs: 50 };
    expect(await em.listBackupServers()).toHaveLength(4);
  });

  it('retries the logon itself on 503', async () => {
    sim.faults = { target: 'logon', errorCount: 1 };
    const fresh = client(sim);
    await fresh.logon();
    expect(sim.counters.byRoute['POST /sessionMngr']).toBe(2);
    await fresh.close();
  });

  it('failover POST with a dropped connection: outcome unknown, sent exactly once', async () => {
    sim.faults = { target: 'failover', dropCount: 1 };
    const err = await em.failoverVmReplicaPoint(points[0]!.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmOutcomeUnknownError);
    expect(err).toMatchObject({ kind: 'outcome_unknown', method: 'POST' });
    expect(sim.counters.failoverPosts).toBe(1);
  });

  it('failover POST that hangs after starting: outcome unknown, sent once, and reconcilable', async () => {
    const point = points[1]!;
    const createdAfter = new Date(Date.now() - 1_000);
    sim.faults = { failoverResponse: 'hang' };
    const err = await em.failoverVmReplicaPoint(point.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmOutcomeUnknownError);
    expect(sim.counters.failoverPosts).toBe(1);
    sim.faults = {};
    // The failover did start: the gateway finds it instead of resending.
    const found = await em.findRestoreSessions({ vmDisplayName: point.vmDisplayName, createdAfter });
    expect(found).toHaveLength(1);
    expect(found[0]!.restoredObjRef).toBe(sim.inventory.vmReplicaPoint(sim.inventory.vmReplicaPointIndex(point.id)!)!.vmRef);
    expect(await vbr.vmReplicaState(point)).toBe('Failover');
    expect(sim.counters.failoverPosts).toBe(1);
  });

  it('failover POST whose socket is destroyed after starting: outcome unknown, sent once', async () => {
    sim.faults = { failoverResponse: 'drop' };
    await expect(em.failoverVmReplicaPoint(points[2]!.id)).rejects.toBeInstanceOf(EmOutcomeUnknownError);
    expect(sim.counters.failoverPosts).toBe(1);
    expect(sim.dump().tasks.some((t) => t.displayName === points[2]!.vmDisplayName)).toBe(true);
  });

  it('failover POST slower than the timeout: outcome unknown, not retried', async () => {
    sim.faults = { target: 'failover', latencyMs: 600 };
    await expect(em.failoverVmReplicaPoint(points[3]!.id)).rejects.toMatchObject({ kind: 'outcome_unknown' });
    expect(sim.counters.failoverPosts).toBe(1);
  });

  it('failover POST answered 503: unavailable (EM said no), not retried', async () => {
    sim.faults = { target: 'failover', errorCount: 1, errorStatus: 503 };
    await expect(em.failoverVmReplicaPoint(points[4]!.id)).rejects.toMatchObject({ kind: 'unavailable', status: 503 });
    expect(sim.counters.failoverPosts).toBe(1);
  });

  it('failover after a forced session expiry: 401 is resent once with a new session (EM refused it unprocessed)', async () => {
    await em.logon();
    sim.expireSessions();
    const task = await em.failoverVmReplicaPoint(points[5]!.id);
    expect(task.state).toBe('Running');
    expect(sim.counters.failoverPosts).toBe(2);
    expect(sim.dump().tasks.filter((t) => t.displayName === points[5]!.vmDisplayName)).toHaveLength(1);
  });

  it('connection refused on a failover is unavailable, not outcome unknown (nothing was sent)', async () => {
    const closed = await simulator();
    const url = closed.url;
    const em2 = createEmClient({ url, username: 'em-admin', password: 'em-admin', timeoutMs: 300, readRetries: 0 });
    await em2.logon();
    await closed.close();
    await expect(em2.failoverVmReplicaPoint(points[0]!.id)).rejects.toMatchObject({ kind: 'unavailable' });
    await em2.close();
  });

  it('exposes faults and counters over the admin endpoints', async () => {
    const put = await fetch(`${sim.adminUrl}/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ target: 'reads', errorCount: 1 }) });
    expect(put.status).toBe(200);
    expect(sim.faults).toEqual({ target: 'reads', errorCount: 1 });
    expect(await em.listBackupServers()).toHaveLength(4);
    const counters = (await (await fetch(`${sim.adminUrl}/counters`)).json()) as { byRoute: Record<string, number> };
    expect(counters.byRoute['GET /query?type=BackupServer']).toBe(2);
    const bad = await fetch(`${sim.adminUrl}/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ errorRate: 2 }) });
    expect(bad.status).toBe(400);
    expect((await (await fetch(`${sim.adminUrl}/sessions/expire`, { method: 'POST' })).json()) as { expired: number }).toMatchObject({ expired: expect.any(Number) });
    expect((await fetch(`${sim.adminUrl}/reset`, { method: 'POST' })).status).toBe(204);
    expect(sim.counters.total).toBe(0);
    const state = (await (await fetch(`${sim.adminUrl}/state`)).json()) as { tasks: unknown[]; seed: number };
    expect(state).toMatchObject({ seed: 42, tasks: [] });
  });
});
