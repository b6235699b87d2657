import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { validateRequestBody, validateResponse } from '../../contract/vbr-validator.js';
import { LIFECYCLE, vmPicker, type LifecycleCall, type Vm } from '../simulator/lifecycle-support.js';
import { em, emSession, login, vbr } from '../simulator/vbr-support.js';

const V3 = 'vbr-03.lab.local';

interface Exchange {
  method: 'GET' | 'POST';
  /** The path as the OpenAPI document templates it. */
  template: string;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
}

/**
 * Every answer of the lifecycle and Sessions endpoints, checked against
 * Veeam's published OpenAPI document (the subset in test/contract): a script
 * walks every transition, failback type and mode, a failed and a warning
 * session, an EM-started failover, and the refusals (wrong state, malformed
 * body, unknown point or session), and each answer must have a status the
 * operation documents and a body that matches it.
 */
describe('the VBR lifecycle and session answers against the published OpenAPI document', () => {
  let sim: RunningSimulator;
  let clock = Date.UTC(2025, 5, 1, 12);
  const exchanges: Exchange[] = [];
  const sessionIds: string[] = [];
  let token: string;

  async function post(call: LifecycleCall, json: unknown): Promise<{ status: number; json: any }> {
    const a = await vbr(sim, V3, 'POST', LIFECYCLE[call], { token, json });
    exchanges.push({ method: 'POST', template: LIFECYCLE[call], status: a.status, requestBody: json, responseBody: a.json });
    if (a.status === 201) sessionIds.push(...a.json.data.map((s: { id: string }) => s.id));
    return a;
  }

  async function getSession(id: string): Promise<void> {
    const a = await vbr(sim, V3, 'GET', `/api/v1/sessions/${id}`, { token });
    exchanges.push({ method: 'GET', template: '/api/v1/sessions/{id}', status: a.status, responseBody: a.json });
  }

  async function listSessions(query: string): Promise<void> {
    const a = await vbr(sim, V3, 'GET', `/api/v1/sessions${query}`, { token });
    exchanges.push({ method: 'GET', template: '/api/v1/sessions', status: a.status, responseBody: a.json });
  }

  /** Lets every session end, reading each one on the way (Starting, Working, Stopped). */
  async function settle(ms: number): Promise<void> {
    for (const id of sessionIds) await getSession(id);
    clock += ms / 2;
    for (const id of sessionIds) await getSession(id);
    clock += ms;
    for (const id of sessionIds.splice(0)) await getSession(id);
  }

  const points = (...vms: Vm[]) => ({ replicaPointIds: vms.map((v) => v.pointId) });
  const host = { platform: 'VSphere', hostName: 'vcsa-3.lab.local', name: 'esx-01.lab.local', type: 'Host', objectId: 'host-11' };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, size: 'small', now: () => clock, failoverDurationMs: 1_000 });
    token = (await login(sim, V3)).access_token;
    const pick = vmPicker(sim);
    const [a, b, c, d, e, f, g] = Array.from({ length: 7 }, () => pick.next(V3));

    await post('failoverNow', { ...points(a!, c!, d!, e!), reason: 'contract' });
    await post('plannedFailover', points(b!));
    await settle(1_000);
    await post('undoFailover', points(a!));
    await post('permanentFailover', { ...points(b!), reason: 'site lost' });
    await post('failbackToProduction', { type: 'OriginalLocation', ...points(c!), powerOnTargetVM: true, quickRollback: false, failbackMode: { type: 'Manual' } });
    await post('failbackToProduction', {
      type: 'Customized',
      ...points(d!),
      destinationhost: [{ replicaPointId: d!.pointId, host }],
      failbackMode: { type: 'Scheduled', scheduledTime: new Date(clock + 60_000).toISOString() },
    });
    await post('failbackToProduction', {
      type: 'OriginalVM',
      ...points(e!),
      targetVM: [{ replicaPointId: e!.pointId, destinationVM: { ...host, name: `${e!.name}-restored`, type: 'VirtualMachine', objectId: 'vm-2042' } }],
      failbackMode: { type: 'Auto' },
    });
    await settle(2_000);
    await post('switchToProduction', points(c!));
    await post('changeSwitchoverTime', { ...points(d!), failbackMode: { type: 'Manual' } });
    await post('undoFailback', points(e!));
    await settle(1_000);
    await post('commitFailback', points(c!));
    await post('undoFailback', points(d!));
    await settle(1_000);

    sim.setVbrFaults({ failoverResult: 'Failed' }, V3);
    await post('failoverNow', points(f!));
    sim.setVbrFaults({ failoverResult: 'Warning' }, V3);
    await post('plannedFailover', points(g!));
    sim.setVbrFaults({}, V3);
    await settle(1_000);

    // A failover EM had the server run.
    const emVm = pick.next(V3);
    expect((await em(sim, await emSession(sim), 'POST', `/vmReplicaPoints/${emVm.pointId}?action=failover`)).status).toBe(202);
    await listSessions(`?typeFilter=Failover&nameFilter=${emVm.name}`);
    await getSession((exchanges.at(-1)!.responseBody as { data: Array<{ id: string }> }).data[0]!.id);

    // Refusals.
    const ready = pick.next(V3);
    await post('undoFailover', points(ready));
    await post('commitFailback', points(ready));
    await post('failoverNow', { replicaPointIds: [randomUUID()] });
    await post('failoverNow', { replicaPointIds: ['nope'] });
    await post('failbackToProduction', { type: 'Customized', ...points(ready) });
    await post('undoFailover', points(b!));
    await getSession(randomUUID());

    await listSessions('');
    await listSessions('?typeFilter=Failback&typeFilter=UndoFailback&orderColumn=CreationTime&orderAsc=false&limit=3');
    await listSessions('?resultFilter=Failed&stateFilter=Stopped');
  });

  afterAll(() => sim.close());

  it('the script used every lifecycle and session endpoint, and saw 200, 201, 400 and 404', () => {
    const used = new Set(exchanges.map((e) => `${e.method} ${e.template}`));
    for (const path of Object.values(LIFECYCLE)) expect(used, path).toContain(`POST ${path}`);
    expect(used).toContain('GET /api/v1/sessions');
    expect(used).toContain('GET /api/v1/sessions/{id}');
    expect(new Set(exchanges.map((e) => e.status))).toEqual(new Set([200, 201, 400, 404]));
    const results = exchanges.flatMap((e) => ((e.responseBody as { data?: Array<{ result?: { result: string } }> } | undefined)?.data ?? []).map((s) => s.result?.result));
    expect(new Set(results)).toEqual(new Set(['None', 'Success', 'Warning', 'Failed']));
  });

  it('every answer matches the document (status and body)', () => {
    const failures = exchanges
      .map((e) => ({ e, result: validateResponse(e.method, e.template, e.status, e.responseBody) }))
      .filter(({ result }) => !result.valid)
      .map(({ e, result }) => `${e.method} ${e.template} ${e.status}: ${result.errors.slice(0, 3).join('; ')}`);
    expect(failures).toEqual([]);
    expect(exchanges.length).toBeGreaterThan(40);
  });

  it('every well-formed request the script sent matches the document, so the answers are to documented requests', () => {
    const failures = exchanges
      .filter((e) => e.method === 'POST' && e.status !== 400)
      .map((e) => ({ e, result: validateRequestBody(e.method, e.template, e.requestBody) }))
      .filter(({ result }) => !result.valid)
      .map(({ e, result }) => `${e.method} ${e.template}: ${result.errors.slice(0, 3).join('; ')}`);
    expect(failures).toEqual([]);
  });
});
