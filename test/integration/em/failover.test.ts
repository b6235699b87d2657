import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmForbiddenError, EmRejectedError, type EmClient, type EmTask, type RestoreSession, type VmReplicaPoint } from '../../../src/em/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { all, client, eventually, simulatedState, simulator, VbrFaces } from './helpers.js';

/** Polls the task to Finished, then reads its restore session. */
async function finish(em: EmClient, task: EmTask): Promise<{ task: EmTask; session: RestoreSession }> {
  const done = await eventually(async () => {
    const t = await em.getTask(task.id);
    return t.state === 'Finished' ? t : undefined;
  });
  return { task: done, session: await em.getRestoreSession(done.restoreSessionId!) };
}

describe('EM client: the four failovers', () => {
  let sim: RunningSimulator;
  let em: EmClient;
  /** The backup servers' own REST APIs: EM serves neither editions nor replica states. */
  let vbr: VbrFaces;
  let editions: Map<string, string>;
  let canFailover: (serverUid: string | undefined) => boolean;

  beforeAll(async () => {
    sim = await simulator({ accounts: [{ username: 'operator', password: 'operator', role: 'RestoreOperator' }] });
    em = client(sim);
    vbr = new VbrFaces(sim, await em.listBackupServers());
    editions = await vbr.editions();
    const ok = new Set([...editions].filter(([, e]) => e === 'Enterprise' || e === 'EnterprisePlus').map(([uid]) => uid));
    expect(ok.size).toBeGreaterThan(0);
    canFailover = (uid) => uid !== undefined && ok.has(uid);
  });
  afterEach(() => sim.reset());
  afterAll(async () => {
    await vbr.close();
    await em.close();
    await sim.close();
  });

  /** VM replica points on servers that can fail over, whose VM replica is (or is not) Ready on its backup server's REST API. */
  const vmPoints = async (ready: boolean): Promise<VmReplicaPoint[]> => {
    const points = (await all(em.listVmReplicaPoints())).filter((p) => canFailover(p.backupServerUid));
    const states = new Map<string, string>();
    for (const uid of new Set(points.map((p) => p.backupServerUid!))) for (const [key, state] of await vbr.vmReplicaStates(uid)) states.set(key, state);
    return points.filter((p) => (states.get(p.vmReplicaKey) === 'Ready') === ready && states.has(p.vmReplicaKey));
  };
  const readyVmPoint = async () => (await vmPoints(true))[0]!;
  const readyVAppPoint = async () => (await all(em.listVAppReplicaPoints())).find((p) => canFailover(p.backupServerUid) && simulatedState(sim, 'vApp', p.id) === 'Ready')!;
  const readyCdpVms = async () => (await all(em.listAllCdpReplicaVms())).filter((v) => canFailover(v.backupServerUid) && simulatedState(sim, 'cdpVm', v.id) === 'Ready');
  const readyCdpVm = async () => (await readyCdpVms())[0]!;
  const readyCdpVApp = async () => (await all(em.listCdpVApps())).find((v) => canFailover(v.backupServerUid) && simulatedState(sim, 'cdpVApp', v.id) === 'Ready')!;
  /** The ref EM's restore session names: the VM of the point, as the simulator generated it (EM gives a replica point no ref). */
  const vmRefOf = (point: VmReplicaPoint): string => sim.inventory.vmReplicaPoint(sim.inventory.vmReplicaPointIndex(point.id)!)!.vmRef;

  it('VM replica point: 202 task Running, then Finished with a Success restore session; replica goes to Failover', async () => {
    const point = await readyVmPoint();
    const task = await em.failoverVmReplicaPoint(point.id);
    expect(task).toMatchObject({ state: 'Running', operation: 'StartReplicaFailover' });
    expect(task.id).toMatch(/^task-\d+$/);
    expect(task.restoreSessionId).toBeDefined();
    const { task: done, session } = await finish(em, task);
    expect(done.result).toEqual({ success: true, message: 'Ok' });
    expect(session).toMatchObject({ state: 'Stopped', result: 'Success', progress: 100, vmDisplayName: point.vmDisplayName, restoredObjRef: vmRefOf(point) });
    expect(session.restoredObjRef).toMatch(/^urn:VMware:Vm:/);
    expect(await vbr.vmReplicaState(point)).toBe('Failover');
    expect(sim.counters.failoverPosts).toBe(1);
  });

  it('CDP VM: StartFailover to the latest crash-consistent state', async () => {
    const vm = await readyCdpVm();
    const task = await em.failoverCdpVm(vm.cdpReplicaId, vm.id, { kind: 'latestCrashConsistent' });
    expect(task.operation).toBe('StartFailover');
    const { session } = await finish(em, task);
    expect(session).toMatchObject({ state: 'Stopped', result: 'Success' });
    expect(session.restoredObjRef).toBe(vm.vmRef);
    expect(simulatedState(sim, 'cdpVm', vm.id)).toBe('Failover');
  });

  it('vApp replica point: Processing while running, Failover after', async () => {
    sim.timings = { durationMs: 400, collectMs: 50 };
    const point = await readyVAppPoint();
    const task = await em.failoverVAppReplicaPoint(point.id);
    expect(task.operation).toBe('StartReplicaFailover');
    expect(simulatedState(sim, 'vApp', point.id)).toBe('Processing');
    const { session } = await finish(em, task);
    expect(session.result).toBe('Success');
    expect(simulatedState(sim, 'vApp', point.id)).toBe('Failover');
    sim.timings = { durationMs: 60, collectMs: 20 };
  });

  it('CDP vApp (singular /cdpReplica/vApps): to a point in time inside the short-term range', async () => {
    const vApp = await readyCdpVApp();
    const ref = sim.inventory.referenceTime;
    const intervals = await em.getCdpVAppIntervals(vApp.id, { from: new Date(ref - 86_400_000 * 7), to: new Date(ref) });
    const range = intervals.ranges[0]!;
    const at = new Date((range.start.getTime() + range.end.getTime()) / 2);
    const task = await em.failoverCdpVApp(vApp.id, { kind: 'pointInTime', at });
    expect(task.operation).toBe('StartFailover');
    expect(sim.counters.byRoute['POST /cdpReplica/vApps/{id}?action=failover']).toBe(1);
    const { session } = await finish(em, task);
    expect(session.state).toBe('Stopped');
    expect(session.restoredObjRef).toBe(vApp.vAppRef);
    expect(simulatedState(sim, 'cdpVApp', vApp.id)).toBe('Failover');
  });

  it('restore session goes Starting → Working (progress rising) → Stopped', async () => {
    sim.timings = { durationMs: 1_000, collectMs: 100 };
    const point = await readyVmPoint();
    const task = await em.failoverVmReplicaPoint(point.id);
    const seen: Array<{ state: string; progress: number }> = [];
    for (;;) {
      const s = await em.getRestoreSession(task.restoreSessionId!);
      seen.push({ state: s.state, progress: s.progress });
      if (s.state === 'Stopped') break;
      await new Promise((r) => setTimeout(r, 40));
    }
    const states = [...new Set(seen.map((s) => s.state))];
    expect(states[0]).toBe('Starting');
    expect(states).toContain('Working');
    expect(states.at(-1)).toBe('Stopped');
    const progress = seen.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress.filter((p) => p > 1 && p < 100)).size).toBeGreaterThan(2);
    sim.timings = { durationMs: 60, collectMs: 20 };
  });

  it.each([
    ['Warning', true, 'Failover'],
    ['Failed', false, 'FailedFailover'],
  ] as const)('VM failover ending %s: task Success=%s, replica %s', async (result, success, state) => {
    sim.faults = { failoverResult: result };
    const point = await readyVmPoint();
    const { task, session } = await finish(em, await em.failoverVmReplicaPoint(point.id));
    expect(task.result?.success).toBe(success);
    expect(session.result).toBe(result);
    expect(await vbr.vmReplicaState(point)).toBe(state);
  });

  it('a failed vApp failover leaves the vApp Incomplete', async () => {
    sim.faults = { failoverResult: 'Failed' };
    const point = await readyVAppPoint();
    const { session } = await finish(em, await em.failoverVAppReplicaPoint(point.id));
    expect(session.result).toBe('Failed');
    expect(simulatedState(sim, 'vApp', point.id)).toBe('Incomplete');
  });

  it('rejects failover of a replica that is not Ready, synchronously with EM message', async () => {
    const point = await readyVmPoint();
    await em.failoverVmReplicaPoint(point.id);
    const err = await em.failoverVmReplicaPoint(point.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmRejectedError);
    expect(err).toMatchObject({ kind: 'rejected', status: 400 });
    expect((err as EmRejectedError).emMessage).toMatch(/state 'Failover'.*'Ready'/);
    // Another restore point of the same VM replica is refused too.
    const siblings = await all(em.listVmReplicaPoints({ vmDisplayName: point.vmDisplayName }));
    const other = siblings.find((p) => p.id !== point.id)!;
    await expect(em.failoverVmReplicaPoint(other.id)).rejects.toMatchObject({ kind: 'rejected' });
    expect(sim.counters.failoverPosts).toBe(3);
  });

  it('rejects a generated non-Ready replica (FailedFailover, Incomplete, Processing…)', async () => {
    const [notReady] = await vmPoints(false);
    expect(notReady).toBeDefined(); // the seed-42 demo inventory has some
    await expect(em.failoverVmReplicaPoint(notReady!.id)).rejects.toMatchObject({ kind: 'rejected', status: 400 });
  });

  it('refuses failover on a Community or Standard backup server with 403', async () => {
    const [community] = [...editions].find(([, e]) => e === 'Community')!;
    const point = (await all(em.listVmReplicaPoints({ backupServerUid: community })))[0]!;
    const err = await em.failoverVmReplicaPoint(point.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmForbiddenError);
    expect((err as EmForbiddenError).emMessage).toMatch(/Enterprise/);
  });

  it('refuses CDP failover to a Restore Operator with 403 Access denied (REST role matrix)', async () => {
    const operator = client(sim, { username: 'operator', password: 'operator' });
    const vm = await readyCdpVm();
    await expect(operator.failoverCdpVm(vm.cdpReplicaId, vm.id, { kind: 'latestCrashConsistent' })).rejects.toMatchObject({ kind: 'forbidden', emMessage: 'Access denied' });
    // A VM replica point is allowed to the same role.
    const task = await operator.failoverVmReplicaPoint((await readyVmPoint()).id);
    expect(task.state).toBe('Running');
    await operator.close();
  });

  it('accepts both spellings of RestoreAtPointInTime', async () => {
    const ref = sim.inventory.referenceTime;
    const vms = await readyCdpVms();
    const at = new Date(ref - 30_000 - 600_000);
    // The client with the table's spelling…
    const other = client(sim, { pointInTimeField: 'RestoreAtPointinTime' });
    const t1 = await other.failoverCdpVm(vms[0]!.cdpReplicaId, vms[0]!.id, { kind: 'pointInTime', at: new Date(ref - 3_600_000 * 30) });
    expect(t1.state).toBe('Running');
    await other.close();
    // …and raw bodies with each spelling.
    await em.logon();
    const sessionId = sim.dump().sessions.at(-1)!.id;
    for (const [i, fieldName] of [[1, 'RestoreAtPointInTime'], [2, 'RestoreAtPointinTime']] as const) {
      const vm = vms[i]!;
      const res = await fetch(`${sim.url}/cdpReplicas/${vm.cdpReplicaId}/vms/${vm.id}?action=failover`, {
        method: 'POST',
        headers: { 'X-RestSvcSessionId': sessionId, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ RestoreCurrent: false, RestoreCurrentVss: false, [fieldName]: at.toISOString() }),
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ Operation: 'StartFailover', State: 'Running' });
    }
  });

  it('latest application-consistent target; 400 when the point in time is older than all points', async () => {
    const ref = sim.inventory.referenceTime;
    const vms = await readyCdpVms();
    let vss;
    for (const vm of vms) {
      const i = await em.getCdpVmIntervals(vm.cdpReplicaId, vm.id, { from: new Date(ref - 30 * 86_400_000), to: new Date(ref) });
      if (i.hasApplicationConsistentState) {
        vss = vm;
        break;
      }
    }
    expect(vss).toBeDefined();
    const task = await em.failoverCdpVm(vss!.cdpReplicaId, vss!.id, { kind: 'latestApplicationConsistent' });
    expect(task.state).toBe('Running');
    const victim = vms.find((v) => v.id !== vss!.id)!;
    const before = sim.counters.failoverPosts;
    await expect(em.failoverCdpVm(victim.cdpReplicaId, victim.id, { kind: 'pointInTime', at: new Date(ref - 365 * 86_400_000) })).rejects.toMatchObject({ kind: 'rejected', status: 400 });
    // A rejection about the date is not mistaken for a spelling problem: one POST only.
    expect(sim.counters.failoverPosts - before).toBe(1);
  });

  it('accepts the plural /cdpReplicas/vApps alias for CDP vApp failover', async () => {
    const vApp = await readyCdpVApp();
    await em.logon();
    const sessionId = sim.dump().sessions.at(-1)!.id;
    const res = await fetch(`${sim.url}/cdpReplicas/vApps/${vApp.id}?action=failover`, {
      method: 'POST',
      headers: { 'X-RestSvcSessionId': sessionId, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ RestoreCurrent: true, RestoreCurrentVss: false }),
    });
    expect(res.status).toBe(202);
  });

  it('scopes tasks to the logon session: another session gets 404; the restore session stays readable', async () => {
    const task = await em.failoverVmReplicaPoint((await readyVmPoint()).id);
    const other = client(sim);
    await expect(other.getTask(task.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await other.getRestoreSession(task.restoreSessionId!)).id).toBe(task.restoreSessionId);
    await other.close();
  });
});
