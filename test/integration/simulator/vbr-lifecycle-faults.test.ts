import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { act, get, LIFECYCLE, operationsOf, session, stateOf, vmPicker, type Vm } from './lifecycle-support.js';
import { login, vbr } from './vbr-support.js';

const V3 = 'vbr-03.lab.local';
const V4 = 'vbr-04.lab.local';

/**
 * The EM face's faults, on the lifecycle POSTs of a VBR face: 5xx before the
 * action, an answer lost after it (the state changes, the socket is
 * destroyed or never answered), failed and warning sessions, token expiry
 * and a refresh token used twice.
 */
describe('simulator VBR faces: faults on the lifecycle calls', () => {
  let sim: RunningSimulator;
  let clock = Date.UTC(2025, 5, 1, 12);
  let pick: ReturnType<typeof vmPicker>;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, size: 'small', now: () => clock, failoverDurationMs: 1_000 });
    pick = vmPicker(sim);
  });
  afterEach(() => sim.setVbrFaults({}));
  afterAll(() => sim.close());

  /** The sessions of one VM on the face. */
  const sessionsOf = async (server: string, vm: Vm): Promise<Array<{ id: string; sessionType: string; result: { result: string; message?: string } }>> =>
    (await get(sim, server, `/api/v1/sessions?nameFilter=${vm.name}`)).json.data;

  /** A POST through raw fetch, for answers that never come. */
  async function rawPost(server: string, path: string, json: unknown, timeoutMs?: number): Promise<Response> {
    const token = (await login(sim, server)).access_token;
    return fetch(`${sim.vbrUrls[server]}${path}`, {
      method: 'POST',
      headers: { 'x-api-version': '1.3-rev1', Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(json),
      ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
    });
  }

  it('a 5xx on the lifecycle POSTs (target failover) comes before the action: nothing starts, reads are untouched', async () => {
    const vm = pick.next(V3);
    sim.setVbrFaults({ target: 'failover', errorCount: 1, errorStatus: 500 }, V3);
    const refused = await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId] });
    expect(refused.status).toBe(500);
    expect(refused.json.errorCode).toBe('ServiceUnavailable');
    expect(await stateOf(sim, vm)).toBe('Ready');
    expect(await sessionsOf(V3, vm)).toEqual([]);
    expect((await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId] })).status).toBe(201);
    expect(sim.vbrCounters(V3).byRoute['POST /api/v1/failover/failoverNow/vSphere/snapshot']).toBe(2);
  });

  it('a dropped connection before the action (dropCount) starts nothing', async () => {
    const vm = pick.next(V3);
    sim.setVbrFaults({ target: 'failover', dropCount: 1 }, V3);
    await expect(rawPost(V3, LIFECYCLE.failoverNow, { replicaPointIds: [vm.pointId] })).rejects.toThrow();
    expect(await stateOf(sim, vm)).toBe('Ready');
  });

  it('an answer lost after the action (failoverResponse drop): the socket is destroyed, the replica has moved and its session runs', async () => {
    const vm = pick.next(V3);
    sim.setVbrFaults({ failoverResponse: 'drop' }, V3);
    await expect(rawPost(V3, LIFECYCLE.failoverNow, { replicaPointIds: [vm.pointId] })).rejects.toThrow();
    sim.setVbrFaults({}, V3);
    expect(await stateOf(sim, vm)).toBe('Failover');
    const sessions = await sessionsOf(V3, vm);
    expect(sessions.map((s) => s.sessionType)).toEqual(['Failover']);
    // A resent POST is refused: the replica is busy, then no longer Ready.
    expect((await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId] })).status).toBe(400);
    clock += 1_000;
    expect((await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId] })).status).toBe(400);
  });

  it('an answer that never comes (failoverResponse hang), here on undo failover: the undo happened all the same', async () => {
    const vm = pick.next(V3);
    await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId] });
    clock += 1_000;
    sim.setVbrFaults({ failoverResponse: 'hang' }, V3);
    await expect(rawPost(V3, LIFECYCLE.undoFailover, { replicaPointIds: [vm.pointId] }, 300)).rejects.toThrow();
    sim.setVbrFaults({}, V3);
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('Ready');
    expect((await sessionsOf(V3, vm)).map((s) => s.sessionType)).toEqual(['Failover', 'UndoFailover']);
  });

  it('changeSwitchoverTime loses its answer too, after the change', async () => {
    const vm = pick.next(V3);
    await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId] });
    clock += 1_000;
    await act(sim, V3, 'failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [vm.pointId] });
    clock += 1_000;
    sim.setVbrFaults({ failoverResponse: 'drop' }, V3);
    await expect(rawPost(V3, LIFECYCLE.changeSwitchoverTime, { replicaPointIds: [vm.pointId], failbackMode: { type: 'Auto' } })).rejects.toThrow();
    sim.setVbrFaults({}, V3);
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('Failback');
  });

  it('failed sessions leave the replica where the table says; a failed failover can be undone; a failed permanent failover removes nothing', async () => {
    sim.setVbrFaults({ failoverResult: 'Failed' }, V3);
    const vm = pick.next(V3);
    await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId] });
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('FailedFailover');
    const [failover] = await sessionsOf(V3, vm);
    expect(failover!.result).toEqual({ result: 'Failed', message: 'Failover failed: the replica could not be powered on.', isCanceled: false });
    expect(await operationsOf(sim, vm)).toEqual(['StartViVMSnapshotReplicaUndoFailover']);
    sim.setVbrFaults({}, V3);
    await act(sim, V3, 'undoFailover', { replicaPointIds: [vm.pointId] });
    clock += 1_000;
    expect(await stateOf(sim, vm)).toBe('Ready');

    const other = pick.next(V3);
    await act(sim, V3, 'failoverNow', { replicaPointIds: [other.pointId] });
    clock += 1_000;
    sim.setVbrFaults({ failoverResult: 'Failed' }, V3);
    await act(sim, V3, 'permanentFailover', { replicaPointIds: [other.pointId] });
    clock += 1_000;
    expect(await stateOf(sim, other)).toBe('Failover');
    await act(sim, V3, 'failbackToProduction', { type: 'OriginalLocation', replicaPointIds: [other.pointId], failbackMode: { type: 'Scheduled', scheduledTime: new Date(clock).toISOString() } });
    clock += 5_000;
    expect(await stateOf(sim, other)).toBe('Failover');
    expect((await sessionsOf(V3, other)).map((s) => `${s.sessionType}:${s.result.result}`)).toEqual(['Failover:Success', 'PermanentFailover:Failed', 'Failback:Failed']);
  });

  it('a warning counts as done, with its message', async () => {
    sim.setVbrFaults({ failoverResult: 'Warning' }, V3);
    const vm = pick.next(V3);
    const a = await act(sim, V3, 'plannedFailover', { replicaPointIds: [vm.pointId] });
    clock += 1_000;
    expect((await session(sim, V3, a.json.data[0].id)).json.result).toEqual({ result: 'Warning', message: 'Planned failover completed with warnings.', isCanceled: false });
    expect(await stateOf(sim, vm)).toBe('Failover');
  });

  it('faults are per face, and set through the admin API as well', async () => {
    const put = await fetch(`${sim.adminUrl}/vbr/faults/${V4}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ target: 'failover', errorCount: 1 }) });
    expect(put.status).toBe(204);
    const here = pick.next(V3);
    expect((await act(sim, V3, 'failoverNow', { replicaPointIds: [here.pointId] })).status).toBe(201);
    const there = pick.next(V4);
    const refused = await act(sim, V4, 'failoverNow', { replicaPointIds: [there.pointId] });
    expect(refused.status).toBe(503);
    expect(await stateOf(sim, there)).toBe('Ready');
  });

  it('an expired token is 401 with an empty body and nothing starts; the refresh token gets a new one, once', async () => {
    const vm = pick.next(V3);
    const t = await login(sim, V3, 'vbr-restore');
    expect(sim.expireVbrTokens(V3)).toBeGreaterThanOrEqual(1);
    const expired = await vbr(sim, V3, 'POST', LIFECYCLE.failoverNow, { token: t.access_token, json: { replicaPointIds: [vm.pointId] } });
    expect(expired.status).toBe(401);
    expect(expired.text).toBe('');
    expect(await stateOf(sim, vm)).toBe('Ready');
    const refreshed = await vbr(sim, V3, 'POST', '/api/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    expect(refreshed.status).toBe(200);
    const again = await vbr(sim, V3, 'POST', '/api/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    expect(again.status).toBe(400);
    expect(again.json.errorCode).toBe('InvalidToken');
    const ok = await vbr(sim, V3, 'POST', LIFECYCLE.failoverNow, { token: refreshed.json.access_token, json: { replicaPointIds: [vm.pointId] } });
    expect(ok.status).toBe(201);
    expect(ok.json.data[0].initiatedBy).toBe('vbr-restore');
  });

  it('a refresh token the face treats as used already (failNextVbrRefresh) is 400 InvalidToken; a password logon still works', async () => {
    const t = await login(sim, V3);
    sim.failNextVbrRefresh(V3);
    const raced = await vbr(sim, V3, 'POST', '/api/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    expect(raced.status).toBe(400);
    expect(raced.json.errorCode).toBe('InvalidToken');
    const vm = pick.next(V3);
    expect((await act(sim, V3, 'failoverNow', { replicaPointIds: [vm.pointId] })).status).toBe(201);
  });
});
