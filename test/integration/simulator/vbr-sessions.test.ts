import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { act, get, vmPicker, type Vm } from './lifecycle-support.js';

const V3 = 'vbr-03.lab.local';
const V4 = 'vbr-04.lab.local';

interface SessionJson {
  id: string;
  name: string;
  jobId: string;
  sessionType: string;
  state: string;
  creationTime: string;
  endTime?: string;
  result: { result: string };
  initiatedBy?: string;
}

/** GET /api/v1/sessions with GetAllSessions' query parameters (1.3-rev1). */
describe('simulator VBR faces: the Sessions tag', () => {
  let sim: RunningSimulator;
  let clock = Date.UTC(2025, 5, 1, 12);
  const t0 = clock;
  let a: Vm;
  let b: Vm;
  let c: Vm;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, size: 'demo', now: () => clock, failoverDurationMs: 1_000 });
    const pick = vmPicker(sim);
    [a, b, c] = [pick.next(V3), pick.next(V3), pick.next(V3)];
    // t0: failover a and b; t0+1s: undo a (restore operator); t0+1.5s: failover c, still running at the end.
    const f = await act(sim, V3, 'failoverNow', { replicaPointIds: [a.pointId, b.pointId] });
    ids['failA'] = f.json.data[0].id;
    ids['failB'] = f.json.data[1].id;
    clock += 1_000;
    ids['undoA'] = (await act(sim, V3, 'undoFailover', { replicaPointIds: [a.pointId] }, 'vbr-restore')).json.data[0].id;
    clock += 500;
    ids['failC'] = (await act(sim, V3, 'failoverNow', { replicaPointIds: [c.pointId] })).json.data[0].id;
    clock += 700;
    await act(sim, V4, 'failoverNow', { replicaPointIds: [vmPicker(sim).next(V4).pointId] });
  });
  afterAll(() => sim.close());

  const list = async (query = ''): Promise<{ data: SessionJson[]; pagination: { total: number; count: number; skip: number; limit: number } }> => {
    const answer = await get(sim, V3, `/api/v1/sessions${query}`);
    expect(answer.status, query).toBe(200);
    return answer.json;
  };
  const idsOf = (data: SessionJson[]): string[] => data.map((s) => s.id);

  it('lists this server’s sessions in creation order, paged with skip and limit (default 200)', async () => {
    const all = await list();
    expect(idsOf(all.data)).toEqual([ids['failA'], ids['failB'], ids['undoA'], ids['failC']]);
    expect(all.pagination).toEqual({ total: 4, count: 4, skip: 0, limit: 200 });
    const page = await list('?skip=1&limit=2');
    expect(idsOf(page.data)).toEqual([ids['failB'], ids['undoA']]);
    expect(page.pagination).toEqual({ total: 4, count: 2, skip: 1, limit: 2 });
  });

  it('filters by type (repeated or comma-separated), state, result, name, job id', async () => {
    expect(idsOf((await list('?typeFilter=UndoFailover')).data)).toEqual([ids['undoA']]);
    expect(idsOf((await list('?typeFilter=UndoFailover&typeFilter=Failover')).data)).toHaveLength(4);
    expect(idsOf((await list('?typeFilter=UndoFailover,PermanentFailover')).data)).toEqual([ids['undoA']]);
    expect(idsOf((await list('?stateFilter=Working')).data)).toEqual([ids['failC']]);
    expect(idsOf((await list('?stateFilter=stopped')).data)).toEqual([ids['failA'], ids['failB'], ids['undoA']]);
    expect(idsOf((await list('?resultFilter=None')).data)).toEqual([ids['failC']]);
    expect(idsOf((await list('?resultFilter=Success&resultFilter=Failed')).data)).toHaveLength(3);
    expect(idsOf((await list(`?nameFilter=${a.name}`)).data)).toEqual([ids['failA'], ids['undoA']]);
    expect(idsOf((await list(`?nameFilter=${b.name.slice(0, 3)}*`)).data)).toContain(ids['failB']);
    const one = (await list()).data.find((s) => s.id === ids['failB'])!;
    expect(idsOf((await list(`?jobIdFilter=${one.jobId}`)).data)).toEqual([ids['failB']]);
  });

  it('filters by creation and end time; a running session has not ended', async () => {
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    expect(idsOf((await list(`?createdAfterFilter=${iso(t0)}`)).data)).toEqual([ids['undoA'], ids['failC']]);
    expect(idsOf((await list(`?createdBeforeFilter=${iso(t0 + 1_000)}`)).data)).toEqual([ids['failA'], ids['failB']]);
    expect(idsOf((await list(`?endedAfterFilter=${iso(t0 + 1_500)}`)).data)).toEqual([ids['undoA']]);
    expect(idsOf((await list(`?endedBeforeFilter=${iso(t0 + 1_500)}`)).data)).toEqual([ids['failA'], ids['failB']]);
  });

  it('orders by a column, ascending unless orderAsc=false', async () => {
    const byType = (await list('?orderColumn=SessionType')).data.map((s) => s.sessionType);
    expect(byType).toEqual(['Failover', 'Failover', 'Failover', 'UndoFailover']);
    expect(idsOf((await list('?orderColumn=CreationTime&orderAsc=false')).data)).toEqual([ids['failC'], ids['undoA'], ids['failA'], ids['failB']]);
    expect((await list('?orderColumn=InitiatedBy&orderAsc=false')).data[0]!.initiatedBy).toBe('vbr-restore');
    expect(idsOf((await list('?orderColumn=EndTime')).data).at(-1)).toBe(ids['failC']);
  });

  it('refuses values its enums and formats do not have: 400 UnexpectedContent', async () => {
    for (const query of ['?stateFilter=Sleeping', '?resultFilter=Maybe', '?orderColumn=Size', '?orderAsc=yes', '?createdAfterFilter=yesterday', '?jobIdFilter=42', '?limit=0', '?skip=-1']) {
      const answer = await get(sim, V3, `/api/v1/sessions${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.json.errorCode).toBe('UnexpectedContent');
    }
  });

  it('a session of another server is not found here', async () => {
    const other = (await get(sim, V4, '/api/v1/sessions')).json.data as SessionJson[];
    expect(other).toHaveLength(1);
    const here = await get(sim, V3, `/api/v1/sessions/${other[0]!.id}`);
    expect(here.status).toBe(404);
    expect(here.json.resourceId).toBe(other[0]!.id);
    expect((await get(sim, V4, `/api/v1/sessions/${other[0]!.id}`)).json.id).toBe(other[0]!.id);
  });

  it('a reset forgets the sessions and the states they made', async () => {
    sim.reset();
    expect((await list()).data).toEqual([]);
    expect((await get(sim, V3, `/api/v1/sessions/${ids['failA']}`)).status).toBe(404);
  });
});
