import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { act, get, operationsOf, pointsOf, session, stateOf, vmPicker, type Vm } from './lifecycle-support.js';
import { em, emSession, login, vbr } from './vbr-support.js';

const V3 = 'vbr-03.lab.local';
const V4 = 'vbr-04.lab.local';
const UNDO = 'StartViVMSnapshotReplicaUndoFailover';
const PERMANENT = 'StartViVMSnapshotReplicaPermanentFailover';
const FAILBACK = 'StartViVMSnapshotReplicaFailback';
const SWITCH = 'StartViVMSnapshotReplicaSwitchToProductionFailback';
const CHANGE = 'ChangeReplicaFailbackSwitchoverTime';
const COMMIT = 'StartViVMSnapshotReplicaCommitFailback';
const UNDO_FAILBACK = 'StartViVMSnapshotReplicaUndoFailback';

describe('simulator VBR faces: the replica lifecycle of vSphere snapshot replicas', () => {
  let sim: RunningSimulator;
  let clock = Date.UTC(2025, 5, 1, 12);
  let pick: ReturnType<typeof vmPicker>;
  let emId: string;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      size: 'small',
      now: () => clock,
      failoverDurationMs: 1_000,
      vbrSessionDurationsMs: { Failback: 2_000, SwitchReplicaToProduction: 500 },
    });
    pick = vmPicker(sim);
    emId = await emSession(sim);
  });
  afterAll(() => sim.close());

  /** Fails a VM over through the VBR face and lets the session end. */
  async function failedOver(server = V3): Promise<Vm> {
    const vm = pick.next(server);
    expect((await act(sim, server, 'failoverNow', { replicaPointIds: [vm.pointId] })).status).toBe(201);
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('Failover');
    return vm;
  }

  /** Fails a VM over and back to ReadyToSwitch with a manual switchover. */
  async function readyToSwitch(): Promise<Vm> {
    const vm = await failedOver();
    expect((await act(sim, V3, 'failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [vm.pointId], failbackMode: { type: 'Manual' } })).status).toBe(201);
    clock += 2_000;
    expect(await stateOf(sim, vm)).toBe('ReadyToSwitch');
    return vm;
  }

  it('fails over now and undoes it: Ready → Failover → Ready, each through a session that progresses and ends', async () => {
    const vm = pick.next(V3);
    const started = clock;
    const a = await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId], reason: 'DR drill' });
    expect(a.status).toBe(201);
    expect(a.json.pagination).toEqual({ total: 1, count: 1, skip: 0, limit: 1 });
    const s = a.json.data[0];
    expect(s).toMatchObject({ sessionType: 'Failover', state: 'Starting', progressPercent: 0, name: vm.name, result: { result: 'None' }, initiatedBy: 'vbr-admin', platformName: 'VMware', usn: 0 });
    expect(s.resourceId).toBe(s.id);
    expect(Date.parse(s.creationTime)).toBe(started);
    expect(s.endTime).toBeUndefined();
    // A failover shows at once; no operation while its session runs.
    expect(await stateOf(sim, vm)).toBe('Failover');
    expect(await operationsOf(sim, vm)).toEqual([]);

    clock += 500;
    const working = (await session(sim, V3, s.id)).json;
    expect(working).toMatchObject({ state: 'Working', result: { result: 'None' } });
    expect(working.progressPercent).toBeGreaterThan(0);
    expect(working.progressPercent).toBeLessThan(100);
    clock += 500;
    const done = (await session(sim, V3, s.id)).json;
    expect(done).toMatchObject({ state: 'Stopped', progressPercent: 100, result: { result: 'Success', message: 'Success', isCanceled: false }, usn: 3 });
    expect(Date.parse(done.endTime)).toBe(started + 1_000);
    expect(await operationsOf(sim, vm)).toEqual([UNDO, PERMANENT, FAILBACK]);

    const u = await act(sim, V3, 'undoFailover', { replicaPointIds: [vm.pointId] }, 'vbr-restore');
    expect(u.status).toBe(201);
    expect(u.json.data[0]).toMatchObject({ sessionType: 'UndoFailover', initiatedBy: 'vbr-restore', name: vm.name });
    // Until it ends, the replica stays where it was.
    expect(await stateOf(sim, vm)).toBe('Failover');
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('Ready');
    expect(await operationsOf(sim, vm, vm.pointIds[0])).toEqual(['StartViVMSnapshotReplicaFailover', 'StartViVMSnapshotReplicaPlannedFailover', 'StartFlrRestore']);
    expect((await session(sim, V3, u.json.data[0].id)).json).toMatchObject({ state: 'Stopped', result: { result: 'Success' } });
  });

  it('plans a failover from an older point: that point is the one the replica then runs from', async () => {
    const vm = pick.next(V3);
    const older = vm.pointIds[0]!;
    const a = await act(sim, V3, 'plannedFailover', { replicaPointIds: [older] }, 'vbr-restore');
    expect(a.status).toBe(201);
    expect(a.json.data[0].sessionType).toBe('PlannedFailover');
    clock += 1_000;
    expect(await operationsOf(sim, vm, older)).toEqual([UNDO, PERMANENT, FAILBACK]);
    expect(await operationsOf(sim, vm, vm.pointId)).toEqual([]);
    const wrong = await act(sim, V3, 'undoFailover', { replicaPointIds: [vm.pointId] });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ errorCode: 'UnexpectedContent', resourceId: vm.pointId });
    expect(wrong.json.message).toContain(`runs from restore point ${older}`);
    expect((await act(sim, V3, 'undoFailover', { replicaPointIds: [older] })).status).toBe(201);
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('Ready');
  });

  it('is one world with EM: an EM failover is a Failover session on the server, a VBR undo makes the replica Ready for EM again', async () => {
    const vm = pick.next(V3);
    const point = vm.pointIds[1]!;
    expect((await em(sim, emId, 'POST', `/vmReplicaPoints/${point}?action=failover`)).status).toBe(202);
    const listed = await get(sim, V3, `/api/v1/sessions?typeFilter=Failover&nameFilter=${vm.name}`);
    expect(listed.json.data).toHaveLength(1);
    expect(listed.json.data[0]).toMatchObject({ sessionType: 'Failover', name: vm.name, result: { result: 'None' } });
    const restoreSession = sim.dump().tasks.find((t) => t.displayName === vm.name)!.restoreSessionId;
    expect(listed.json.data[0].id).toBe(restoreSession);
    expect(await stateOf(sim, vm)).toBe('Failover');
    // EM refuses a second failover; VBR refuses undo while EM's session runs.
    expect((await em(sim, emId, 'POST', `/vmReplicaPoints/${point}?action=failover`)).status).toBe(400);
    expect((await act(sim, V3, 'undoFailover', { replicaPointIds: [point] })).json.message).toContain(`Session ${restoreSession} (Failover) is running`);
    clock += 1_000;
    expect((await session(sim, V3, restoreSession)).json).toMatchObject({ state: 'Stopped', result: { result: 'Success' } });
    expect(await operationsOf(sim, vm, point)).toEqual([UNDO, PERMANENT, FAILBACK]);
    expect((await act(sim, V3, 'undoFailover', { replicaPointIds: [point] })).status).toBe(201);
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('Ready');
    expect((await em(sim, emId, 'POST', `/vmReplicaPoints/${vm.pointId}?action=failover`)).status).toBe(202);
    clock += 1_000;
    expect(await operationsOf(sim, vm, vm.pointId)).toEqual([UNDO, PERMANENT, FAILBACK]);
  });

  it('fails over several points in one call (one session each), then permanently: the VM leaves both faces, and its job-level replica once no VM is left', async () => {
    const inv = sim.inventory;
    // A job whose VMs are all Ready (the generator leaves about one in ten VMs in another state).
    let job = -1;
    for (let j = 0; j < inv.counts.vmJobs && job < 0; j++) {
      const [first, last] = inv.vmReplicasOfJob(j);
      let ready = true;
      for (let v = first; v < last; v++) ready &&= inv.initialState('vm', v) === 'Ready';
      if (ready) job = j;
    }
    expect(job).toBeGreaterThanOrEqual(0);
    const face = inv.backupServer(inv.replica(job)!.backupServer)!.name;
    const vms = pick.all(face, job);
    const replicaId = vms[0]!.replicaId;
    const a = await act(sim, face, 'failoverNow', { replicaPointIds: vms.map((v) => v.pointId) });
    expect(a.status).toBe(201);
    expect(a.json.data.map((s: { name: string }) => s.name)).toEqual(vms.map((v) => v.name));
    expect(new Set(a.json.data.map((s: { id: string }) => s.id)).size).toBe(vms.length);
    clock += 1_000;

    const [first, ...rest] = vms;
    const p = await act(sim, face, 'permanentFailover', { replicaPointIds: [first!.pointId], reason: 'site lost' });
    expect(p.json.data[0].sessionType).toBe('PermanentFailover');
    expect(await stateOf(sim, first!)).toBe('PermanentFailover');
    expect(await operationsOf(sim, first!)).toEqual([]);
    expect((await get(sim, face, `/api/v1/replicas/${replicaId}`)).json.state).toBe('PermanentFailover');
    clock += 1_000;
    expect(await stateOf(sim, first!)).toBe('gone');
    expect((await session(sim, face, p.json.data[0].id)).json).toMatchObject({ state: 'Stopped', result: { result: 'Success' } });
    const gone = await act(sim, face, 'undoFailover', { replicaPointIds: [first!.pointId] });
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ errorCode: 'NotFound', resourceId: first!.pointId });
    const all = (await get(sim, face, '/api/v1/replicaPoints?limit=100000')).json;
    expect(all.data.some((x: { name: string }) => x.name === first!.name)).toBe(false);
    expect(all.pagination.total).toBe(all.data.length);
    expect((await get(sim, face, `/api/v1/replicas/${replicaId}`)).json.state).toBe('Failover');
    // EM: the VM's points are gone from every list, and cannot be failed over.
    expect((await em(sim, emId, 'GET', `/vmReplicaPoints/${first!.pointId}?format=Entity`)).status).toBe(404);
    expect((await em(sim, emId, 'POST', `/vmReplicaPoints/${first!.pointId}?action=failover`)).status).toBe(404);
    const byName = await em(sim, emId, 'GET', `/query?type=VmReplicaPoint&format=Entities&filter=VmDisplayName=="${first!.name}"`);
    expect(byName.json.Entities.VmReplicaPoints.VmReplicaPoints).toEqual([]);
    const jobPoints = await em(sim, emId, 'GET', `/replicas/${replicaId}/vmReplicaPoints?format=Entities`);
    const names = jobPoints.json.Entities.VmReplicaPoints.VmReplicaPoints.map((x: { VmDisplayName: string }) => x.VmDisplayName);
    expect(names).toHaveLength(rest.length * first!.pointIds.length);
    expect(names).not.toContain(first!.name);

    const emReplicasBefore = (await em(sim, emId, 'GET', '/replicas')).json.Refs.length;
    expect((await act(sim, face, 'permanentFailover', { replicaPointIds: rest.map((v) => v.pointId) })).status).toBe(201);
    clock += 1_000;
    expect((await get(sim, face, `/api/v1/replicas/${replicaId}`)).status).toBe(404);
    expect((await get(sim, face, '/api/v1/replicas?limit=1000')).json.data.some((r: { id: string }) => r.id === replicaId)).toBe(false);
    expect((await em(sim, emId, 'GET', `/replicas/${replicaId}?format=Entity`)).status).toBe(404);
    expect((await em(sim, emId, 'GET', '/replicas')).json.Refs.length).toBe(emReplicasBefore - 1);
    const replicaQuery = await em(sim, emId, 'GET', `/query?type=Replica&format=Entities&filter=Name=="${inv.replica(job)!.name}"`);
    expect(replicaQuery.json.Entities.Replicas.Replicas).toEqual([]);
    expect(sim.dump().replicas.filter((r) => r.kind === 'vm' && vms.some((v) => v.unit === r.unit)).every((r) => r.removed === true)).toBe(true);
  });

  it('fails back with a manual switchover, switches and commits: Failover → ReadyToSwitch → Failback → Ready', async () => {
    const vm = await failedOver();
    const fb = await act(sim, V3, 'failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [vm.pointId], powerOnTargetVM: true, quickRollback: false, failbackMode: { type: 'Manual' } });
    expect(fb.status).toBe(201);
    expect(fb.json.data[0]).toMatchObject({ sessionType: 'Failback', state: 'Starting' });
    // The sync: the replica keeps running in Failover.
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('Failover');
    expect(await operationsOf(sim, vm)).toEqual([]);
    clock += 1_000;
    expect((await session(sim, V3, fb.json.data[0].id)).json).toMatchObject({ state: 'Stopped', result: { result: 'Success' } });
    expect(await stateOf(sim, vm)).toBe('ReadyToSwitch');
    expect(await operationsOf(sim, vm)).toEqual([SWITCH, CHANGE, UNDO_FAILBACK]);

    const sw = await act(sim, V3, 'switchToProduction', { replicaPointIds: [vm.pointId] });
    expect(sw.status).toBe(201);
    expect(sw.json.data[0].sessionType).toBe('SwitchReplicaToProduction');
    expect(await stateOf(sim, vm)).toBe('ReadyToSwitch');
    clock += 500;
    expect(await stateOf(sim, vm)).toBe('Failback');
    expect(await operationsOf(sim, vm)).toEqual([COMMIT, UNDO_FAILBACK]);

    const commit = await act(sim, V3, 'commitFailback', { replicaPointIds: [vm.pointId] }, 'vbr-restore');
    expect(commit.json.data[0].sessionType).toBe('CommitFailback');
    expect(await stateOf(sim, vm)).toBe('Failback');
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('Ready');
  });

  it('fails back to a recovered VM or a customized location; without failbackMode the switch is manual', async () => {
    const a = await failedOver();
    const host = { platform: 'VSphere', hostName: 'vcsa-3.lab.local', name: 'esx-01.lab.local', type: 'Host', objectId: 'host-11' };
    const custom = await act(sim, V3, 'failbackToProduction', { type: 'Customized', replicaPointIds: [a.pointId], destinationhost: [{ replicaPointId: a.pointId, host }], powerOnTargetVM: false });
    expect(custom.status).toBe(201);
    const b = await failedOver();
    const recovered = { platform: 'VSphere', hostName: 'vcsa-3.lab.local', name: `${b.name}-restored`, type: 'VirtualMachine', objectId: 'vm-2042' };
    const original = await act(sim, V3, 'failbackToProduction', { type: 'OriginalVM', replicaPointIds: [b.pointId], targetVM: [{ replicaPointId: b.pointId, destinationVM: recovered }] });
    expect(original.status).toBe(201);
    clock += 2_000;
    expect(await stateOf(sim, a)).toBe('ReadyToSwitch');
    expect(await stateOf(sim, b)).toBe('ReadyToSwitch');
    clock += 60_000;
    expect(await stateOf(sim, a)).toBe('ReadyToSwitch');
  });

  it('an Auto failback passes through ReadyToSwitch to Failback in one session', async () => {
    const vm = await failedOver();
    const fb = await act(sim, V3, 'failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [vm.pointId], failbackMode: { type: 'Auto' } });
    clock += 2_000;
    const mid = (await session(sim, V3, fb.json.data[0].id)).json;
    expect(mid.state).not.toBe('Stopped');
    expect(await stateOf(sim, vm)).toBe('ReadyToSwitch');
    expect(await operationsOf(sim, vm)).toEqual([]);
    clock += 500;
    expect((await session(sim, V3, fb.json.data[0].id)).json).toMatchObject({ state: 'Stopped', progressPercent: 100, result: { result: 'Success' } });
    expect(await stateOf(sim, vm)).toBe('Failback');
    const switches = await get(sim, V3, `/api/v1/sessions?typeFilter=SwitchReplicaToProduction&nameFilter=${vm.name}`);
    expect(switches.json.data).toEqual([]);
  });

  it('a Scheduled failback stops at ReadyToSwitch, and VBR switches by itself at the scheduled time', async () => {
    const vm = await failedOver();
    const at = clock + 10_000;
    const fb = await act(sim, V3, 'failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [vm.pointId], failbackMode: { type: 'Scheduled', scheduledTime: new Date(at).toISOString() } });
    expect(fb.status).toBe(201);
    clock += 2_000;
    expect((await session(sim, V3, fb.json.data[0].id)).json).toMatchObject({ state: 'Stopped', result: { result: 'Success' } });
    expect(await stateOf(sim, vm)).toBe('ReadyToSwitch');
    const query = `/api/v1/sessions?typeFilter=SwitchReplicaToProduction&nameFilter=${vm.name}`;
    expect((await get(sim, V3, query)).json.data).toEqual([]);
    clock = at;
    const sw = (await get(sim, V3, query)).json.data;
    expect(sw).toHaveLength(1);
    expect(sw[0]).toMatchObject({ state: 'Starting', initiatedBy: 'vbr-admin' });
    expect(Date.parse(sw[0].creationTime)).toBe(at);
    expect(await operationsOf(sim, vm)).toEqual([]);
    clock += 500;
    expect(await stateOf(sim, vm)).toBe('Failback');
  });

  it('changes the switchover time of replicas Ready to switch: Manual cancels a schedule, Scheduled moves it, Auto switches now', async () => {
    const vm = await failedOver();
    await act(sim, V3, 'failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [vm.pointId], failbackMode: { type: 'Scheduled', scheduledTime: new Date(clock + 60_000).toISOString() } });
    clock += 2_000;
    const manual = await act(sim, V3, 'changeSwitchoverTime', { replicaPointIds: [vm.pointId], failbackMode: { type: 'Manual' } });
    expect(manual.status).toBe(200);
    expect(manual.json).toEqual({});
    clock += 120_000;
    expect(await stateOf(sim, vm)).toBe('ReadyToSwitch');
    const query = `/api/v1/sessions?typeFilter=SwitchReplicaToProduction&nameFilter=${vm.name}`;
    expect((await get(sim, V3, query)).json.data).toEqual([]);
    expect((await act(sim, V3, 'changeSwitchoverTime', { replicaPointIds: [vm.pointId], failbackMode: { type: 'Scheduled', scheduledTime: new Date(clock + 5_000).toISOString() } }, 'vbr-restore')).status).toBe(200);
    clock += 4_999;
    expect(await stateOf(sim, vm)).toBe('ReadyToSwitch');
    clock += 1;
    expect((await get(sim, V3, query)).json.data[0]).toMatchObject({ initiatedBy: 'vbr-restore' });
    clock += 500;
    expect(await stateOf(sim, vm)).toBe('Failback');

    const other = await readyToSwitch();
    expect((await act(sim, V3, 'changeSwitchoverTime', { replicaPointIds: [other.pointId], failbackMode: { type: 'Auto' } })).status).toBe(200);
    expect(await operationsOf(sim, other)).toEqual([]);
    clock += 500;
    expect(await stateOf(sim, other)).toBe('Failback');
    const refused = await act(sim, V3, 'changeSwitchoverTime', { replicaPointIds: [other.pointId], failbackMode: { type: 'Manual' } });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain('Failback state');
  });

  it('undoes a failback from ReadyToSwitch and from Failback: back to Failover', async () => {
    const before = await readyToSwitch();
    expect((await act(sim, V3, 'undoFailback', { replicaPointIds: [before.pointId] })).json.data[0].sessionType).toBe('UndoFailback');
    expect(await stateOf(sim, before)).toBe('ReadyToSwitch');
    clock += 1_000;
    expect(await stateOf(sim, before)).toBe('Failover');
    expect(await operationsOf(sim, before)).toEqual([UNDO, PERMANENT, FAILBACK]);

    const after = await readyToSwitch();
    await act(sim, V3, 'switchToProduction', { replicaPointIds: [after.pointId] });
    clock += 500;
    expect(await stateOf(sim, after)).toBe('Failback');
    expect((await act(sim, V3, 'undoFailback', { replicaPointIds: [after.pointId] }, 'vbr-restore')).status).toBe(201);
    clock += 1_000;
    expect(await stateOf(sim, after)).toBe('Failover');
  });

  it('an undo of a scheduled failback cancels its switch', async () => {
    const vm = await failedOver();
    await act(sim, V3, 'failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [vm.pointId], failbackMode: { type: 'Scheduled', scheduledTime: new Date(clock + 30_000).toISOString() } });
    clock += 2_000;
    await act(sim, V3, 'undoFailback', { replicaPointIds: [vm.pointId] });
    clock += 60_000;
    expect(await stateOf(sim, vm)).toBe('Failover');
    expect((await get(sim, V3, `/api/v1/sessions?typeFilter=SwitchReplicaToProduction&nameFilter=${vm.name}`)).json.data).toEqual([]);
  });

  describe('refusals', () => {
    const sessionCount = async (): Promise<number> => (await get(sim, V3, '/api/v1/sessions?limit=100000')).json.pagination.total;

    it('a call the replica state does not allow is 400 UnexpectedContent naming the state and the allowed operations; nothing starts', async () => {
      const vm = pick.next(V3);
      const n = await sessionCount();
      const undo = await act(sim, V3, 'undoFailover', { replicaPointIds: [vm.pointId] });
      expect(undo.status).toBe(400);
      expect(undo.json).toMatchObject({ errorCode: 'UnexpectedContent', resourceId: vm.pointId });
      expect(undo.json.message).toContain('Ready state');
      expect(undo.json.message).toContain('StartViVMSnapshotReplicaFailover');
      for (const call of ['permanentFailover', 'switchToProduction', 'commitFailback', 'undoFailback'] as const) {
        expect((await act(sim, V3, call, { replicaPointIds: [vm.pointId] })).status, call).toBe(400);
      }
      expect((await act(sim, V3, 'failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [vm.pointId] })).status).toBe(400);
      const failed = await failedOver();
      expect((await act(sim, V3, 'commitFailback', { replicaPointIds: [failed.pointId] })).json.message).toContain('Failover state');
      expect((await act(sim, V3, 'failoverNow', { replicaPointIds: [failed.pointId] })).status).toBe(400);
      expect(await sessionCount()).toBe(n + 1);
      expect(await stateOf(sim, vm)).toBe('Ready');
    });

    it('a replica busy with a session refuses everything; a call with one bad point starts nothing', async () => {
      const vm = pick.next(V3);
      const a = await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId] });
      const busy = await act(sim, V3, 'undoFailover', { replicaPointIds: [vm.pointId] });
      expect(busy.status).toBe(400);
      expect(busy.json.message).toContain(`Session ${a.json.data[0].id} (Failover) is running`);
      clock += 1_000;
      const ready = pick.next(V3);
      const mixed = await act(sim, V3, 'failoverNow', { replicaPointIds: [ready.pointId, vm.pointId] });
      expect(mixed.status).toBe(400);
      expect(mixed.json.resourceId).toBe(vm.pointId);
      expect(await stateOf(sim, ready)).toBe('Ready');
      const twice = await act(sim, V3, 'failoverNow', { replicaPointIds: [ready.pointIds[0], ready.pointId] });
      expect(twice.status).toBe(400);
      expect(twice.json.message).toContain('same replica');
      expect(await stateOf(sim, ready)).toBe('Ready');
    });

    it('an unknown point, or one of another server, is 404 NotFound with its id', async () => {
      const unknown = randomUUID();
      const a = await act(sim, V3, 'failoverNow', { replicaPointIds: [unknown] });
      expect(a.status).toBe(404);
      expect(a.json).toEqual({ errorCode: 'NotFound', message: 'Resource does not exist', resourceId: unknown });
      const elsewhere = pick.next(V4);
      expect((await act(sim, V3, 'failoverNow', { replicaPointIds: [elsewhere.pointId] })).json).toMatchObject({ errorCode: 'NotFound', resourceId: elsewhere.pointId });
      const s = await session(sim, V3, unknown);
      expect(s.status).toBe(404);
      expect(s.json).toMatchObject({ errorCode: 'NotFound', resourceId: unknown });
    });

    it('CDP and Cloud Director replicas have no lifecycle: their ids are not replica points of the face', async () => {
      const inv = sim.inventory;
      const server = (name: string) => inv.backupServers().find((s) => s.name === name)!.index;
      const vApp = Array.from({ length: inv.counts.vAppReplicaPoints }, (_, i) => inv.vAppReplicaPoint(i)!).find((p) => p.backupServer === server(V3) || p.backupServer === server(V4))!;
      const cdp = Array.from({ length: inv.counts.cdpVms }, (_, i) => inv.cdpVm(i)!).find((v) => v.backupServer === server(V3) || v.backupServer === server(V4))!;
      for (const [id, face] of [
        [vApp.id, inv.backupServer(vApp.backupServer)!.name],
        [cdp.id, inv.backupServer(cdp.backupServer)!.name],
      ] as const) {
        const a = await act(sim, face, 'failoverNow', { replicaPointIds: [id] });
        expect(a.status).toBe(404);
        expect(a.json.resourceId).toBe(id);
      }
      const replicas = (await get(sim, V3, '/api/v1/replicas?limit=1000')).json.data as Array<{ id: string }>;
      expect(replicas.some((r) => inv.replica(inv.replicaIndex(r.id)!)!.platform !== 'VMware')).toBe(false);
    });

    it('malformed bodies are 400 UnexpectedContent before any point is looked up', async () => {
      const vm = pick.next(V3);
      const unknown = randomUUID();
      const cases: Array<[Parameters<typeof act>[2], unknown, string]> = [
        ['failoverNow', {}, 'replicaPointIds'],
        ['failoverNow', { replicaPointIds: [] }, 'replicaPointIds'],
        ['failoverNow', { replicaPointIds: ['not-a-uuid'] }, 'UUIDs'],
        ['failoverNow', { replicaPointIds: [unknown], reason: 7 }, 'reason'],
        ['undoFailover', [unknown], 'JSON object'],
        ['commitFailback', { replicaPointIds: 'x' }, 'UUIDs'],
        ['failbackToProduction', { replicaPointIds: [unknown] }, 'type must be one of'],
        ['failbackToProduction', { type: 'Elsewhere', replicaPointIds: [unknown] }, 'type must be one of'],
        ['failbackToProduction', { type: 'Customized', replicaPointIds: [unknown] }, 'destinationhost is required'],
        ['failbackToProduction', { type: 'Customized', replicaPointIds: [unknown], destinationhost: [{ replicaPointId: unknown, host: { name: 'esx' } }] }, 'inventory object'],
        ['failbackToProduction', { type: 'OriginalVM', replicaPointIds: [unknown], targetVM: [] }, 'no entry for replica point'],
        ['failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [unknown], failbackMode: { type: 'Scheduled' } }, 'scheduledTime'],
        ['failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [unknown], failbackMode: { type: 'Later' } }, 'failbackMode.type'],
        ['changeSwitchoverTime', { replicaPointIds: [unknown] }, 'failbackMode is required'],
      ];
      for (const [call, body, words] of cases) {
        const a = await act(sim, V3, call, body);
        expect(a.status, JSON.stringify(body)).toBe(400);
        expect(a.json.errorCode).toBe('UnexpectedContent');
        expect(a.json.message).toContain(words);
      }
      expect(await stateOf(sim, vm)).toBe('Ready');
    });

    it('needs a bearer token and a revision that has the endpoint', async () => {
      const vm = pick.next(V3);
      const anonymous = await vbr(sim, V3, 'POST', '/api/v1/failover/failoverNow/vSphere/snapshot', { json: { replicaPointIds: [vm.pointId] } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.text).toBe('');
      const token = (await login(sim, V3, 'vbr-admin', '1.1-rev0')).access_token;
      const old = await vbr(sim, V3, 'POST', '/api/v1/failover/failoverNow/vSphere/snapshot', { token, version: '1.1-rev0', json: { replicaPointIds: [vm.pointId] } });
      expect(old.status).toBe(404);
      expect(await stateOf(sim, vm)).toBe('Ready');
      expect((await vbr(sim, V3, 'GET', '/api/v1/failover/failoverNow/vSphere/snapshot', { token: (await login(sim, V3)).access_token })).status).toBe(405);
    });
  });

  it('takes session lengths per type from the options, sim.vbrSessionDurations and PATCH /admin/config', async () => {
    expect(sim.vbrSessionDurations).toMatchObject({ Failover: 1_000, Failback: 2_000, SwitchReplicaToProduction: 500, CommitFailback: 1_000 });
    const patched = await fetch(`${sim.adminUrl}/config`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ vbrSessionDurationsMs: { UndoFailover: 7_000 } }) });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { vbrSessionDurationsMs: Record<string, number> }).vbrSessionDurationsMs).toMatchObject({ UndoFailover: 7_000, Failover: 1_000 });
    const bad = await fetch(`${sim.adminUrl}/config`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ vbrSessionDurationsMs: { Rescan: 1 } }) });
    expect(bad.status).toBe(400);
    const vm = await failedOver();
    const u = await act(sim, V3, 'undoFailover', { replicaPointIds: [vm.pointId] });
    clock += 7_000;
    const s = (await session(sim, V3, u.json.data[0].id)).json;
    expect(Date.parse(s.endTime) - Date.parse(s.creationTime)).toBe(7_000);
    sim.vbrSessionDurations = { ...sim.vbrSessionDurations, UndoFailover: 1_000 };
    expect(sim.dump().vbrSessionDurationsMs.UndoFailover).toBe(1_000);
    expect((await pointsOf(sim, vm)).every((p) => p.state === 'Ready')).toBe(true);
  });
});
