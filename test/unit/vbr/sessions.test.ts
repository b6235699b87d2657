import { describe, expect, it } from 'vitest';
import { VbrNotFoundError, VbrRejectedError, VbrUnavailableError } from '../../../src/vbr/index.js';
import { parseSession } from '../../../src/vbr/wire.js';
import { validateResponse, vbrSubset } from '../../contract/vbr-validator.js';
import { fakeConnections } from './fake-connections.js';
import type { Route } from './fake-vbr.js';

const example = (name: string): Record<string, unknown> => structuredClone(vbrSubset.components.examples[name]!.value) as Record<string, unknown>;

const SID = 'f848e90c-7f37-4ff5-9d55-04e33f8a4de3';

/** A lifecycle session as VBR documents SessionModel; `n` orders them in time. */
const session = (n: number, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  sessionType: 'UndoFailover',
  state: 'Working',
  id: `18b8c253-8061-4178-bda2-1962fbbbc${String(n).padStart(3, '0')}`,
  name: `vm-${n}`,
  jobId: 'b57abdb8-8a18-4b3c-8703-6be064b6608f',
  creationTime: new Date(Date.UTC(2025, 5, 1, 10, n)).toISOString(),
  progressPercent: 10 * (n % 10),
  result: { result: 'None', message: '', isCanceled: false },
  usn: n,
  ...over,
});

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/**
 * GET /api/v1/sessions as the published API describes it: typeFilter,
 * createdAfterFilter and nameFilter applied, ordered by creation time, then
 * skip/limit, with pagination.total.
 */
function sessionsRoute(all: Record<string, unknown>[]): Route {
  return (seen) => {
    const q = seen.query;
    const after = q.get('createdAfterFilter');
    let data = all.filter(
      (s) => (!q.get('typeFilter') || s['sessionType'] === q.get('typeFilter')) && (!after || Date.parse(String(s['creationTime'])) > Date.parse(after)) && (!q.get('nameFilter') || s['name'] === q.get('nameFilter')),
    );
    if (q.get('orderColumn') === 'CreationTime') {
      const sign = q.get('orderAsc') === 'true' ? 1 : -1;
      data = [...data].sort((a, b) => sign * (Date.parse(String(a['creationTime'])) - Date.parse(String(b['creationTime']))));
    }
    const skip = Number(q.get('skip') ?? 0);
    const limit = Number(q.get('limit') ?? 200);
    const page = data.slice(skip, skip + limit);
    return { status: 200, body: { data: page, pagination: { total: data.length, count: page.length, skip, limit } } };
  };
}

describe('VBR client: sessions and replicas', () => {
  const setup = fakeConnections();

  it("reads Veeam's SessionModel example, documented fields only", async () => {
    const { fake, conn } = await setup();
    fake.routes.set(`GET /api/v1/sessions/${SID}`, () => ({ status: 200, body: { ...example('SessionModelExample'), somethingNew: { a: 1 } } }));
    await expect(conn.client.getSession(SID)).resolves.toEqual({
      id: SID,
      name: 'Backup Configuration Job',
      sessionType: 'ConfigurationBackup',
      state: 'Stopped',
      progressPercent: 100,
      creationTime: new Date('2023-11-08T09:00:12.560Z'),
      endTime: new Date('2023-11-08T09:00:34.017Z'),
      result: { result: 'Success', message: 'Success', isCanceled: false },
    });
    expect(fake.calls(`GET /api/v1/sessions/${SID}`)[0]!.version).toBe('1.3-rev1');
  });

  it('a running session: no endTime (nor .NET MinValue), result None, progress kept', () => {
    const running = session(3, { endTime: '0001-01-01T00:00:00', progressPercent: 37 });
    expect(parseSession(running)).toEqual({
      id: '18b8c253-8061-4178-bda2-1962fbbbc003',
      name: 'vm-3',
      sessionType: 'UndoFailover',
      state: 'Working',
      progressPercent: 37,
      creationTime: new Date('2025-06-01T10:03:00Z'),
      result: { result: 'None', isCanceled: false },
    });
    expect(parseSession(running)!.endTime).toBeUndefined();
    // Tolerant of what it need not read, absent optional fields included.
    const { result: _r, progressPercent: _p, jobId: _j, usn: _u, ...bare } = session(4);
    expect(parseSession({ ...bare, progressPercent: 'lots', initiatedBy: 'svc' })).toEqual(expect.objectContaining({ id: bare['id'], progressPercent: undefined, result: undefined }));
  });

  it.each(['id', 'name', 'sessionType', 'state', 'creationTime'])('a session without %s is unreadable', (field) => {
    const broken = session(1);
    delete broken[field];
    expect(parseSession(broken)).toBeUndefined();
  });

  it('a session whose result lacks its required result, or whose creationTime is no date, is unreadable', () => {
    expect(parseSession(session(1, { result: { message: 'Success' } }))).toBeUndefined();
    expect(parseSession(session(1, { result: 'Success' }))).toBeUndefined();
    expect(parseSession(session(1, { creationTime: 'yesterday' }))).toBeUndefined();
  });

  it('getSession: an unreadable session fails unavailable, a missing one not_found', async () => {
    const { fake, conn } = await setup({}, { readRetries: 0 });
    fake.routes.set(`GET /api/v1/sessions/${SID}`, () => ({ status: 200, body: session(1, { state: undefined }) }));
    await expect(conn.client.getSession(SID)).rejects.toBeInstanceOf(VbrUnavailableError);
    await expect(conn.client.getSession('18b8c253-0000-4178-bda2-1962fbbbc999')).rejects.toBeInstanceOf(VbrNotFoundError);
    await expect(conn.client.getSession('')).rejects.toBeInstanceOf(VbrRejectedError);
  });

  it('listSessions pages oldest first with the documented filters: the sessions of a type created after an attempt', async () => {
    const { fake, conn } = await setup({}, { pageSize: 2 });
    const all = [
      ...Array.from({ length: 7 }, (_, i) => session(i)),
      session(8, { sessionType: 'Failover' }),
      session(9, { sessionType: 'ReplicaJob', name: 'Replication Job 1' }),
    ].reverse();
    expect(validateResponse('get', '/api/v1/sessions', 200, { data: all, pagination: { total: all.length, count: all.length, skip: 0, limit: 200 } })).toEqual({ valid: true, errors: [] });
    fake.routes.set('GET /api/v1/sessions', sessionsRoute(all));

    const attempt = new Date('2025-06-01T10:01:30Z');
    const pages = await collect(conn.client.listSessions({ type: 'UndoFailover', createdAfter: attempt }));
    expect(pages.map((p) => p.map((s) => s.name))).toEqual([['vm-2', 'vm-3'], ['vm-4', 'vm-5'], ['vm-6']]);
    const sent = fake.calls('GET /api/v1/sessions').map((s) => Object.fromEntries(s.query));
    expect(sent).toEqual([0, 2, 4].map((skip) => ({ skip: String(skip), limit: '2', orderColumn: 'CreationTime', orderAsc: 'true', createdAfterFilter: '2025-06-01T10:01:30.000Z', typeFilter: 'UndoFailover' })));
  });

  it('listSessions sends every filter the published API has under its name', async () => {
    const { fake, conn } = await setup();
    fake.routes.set('GET /api/v1/sessions', sessionsRoute([]));
    await collect(
      conn.client.listSessions({
        createdAfter: new Date('2025-06-01T00:00:00Z'),
        createdBefore: new Date('2025-06-02T00:00:00Z'),
        endedAfter: new Date('2025-06-01T01:00:00Z'),
        endedBefore: new Date('2025-06-02T01:00:00Z'),
        type: 'Failback',
        state: 'Stopped',
        result: 'Failed',
        name: 'apache04',
        jobId: 'b57abdb8-8a18-4b3c-8703-6be064b6608f',
      }),
    );
    expect(Object.fromEntries(fake.calls('GET /api/v1/sessions')[0]!.query)).toEqual({
      skip: '0',
      limit: '500',
      orderColumn: 'CreationTime',
      orderAsc: 'true',
      createdAfterFilter: '2025-06-01T00:00:00.000Z',
      createdBeforeFilter: '2025-06-02T00:00:00.000Z',
      endedAfterFilter: '2025-06-01T01:00:00.000Z',
      endedBeforeFilter: '2025-06-02T01:00:00.000Z',
      typeFilter: 'Failback',
      stateFilter: 'Stopped',
      resultFilter: 'Failed',
      nameFilter: 'apache04',
      jobIdFilter: 'b57abdb8-8a18-4b3c-8703-6be064b6608f',
    });
    const documented = (vbrSubset.paths['/api/v1/sessions']!['get'] as unknown as { parameters: Array<{ name: string; in: string }> }).parameters.filter((p) => p.in === 'query').map((p) => p.name);
    for (const name of fake.calls('GET /api/v1/sessions')[0]!.query.keys()) expect(documented).toContain(name);
  });

  it('listSessions skips unreadable sessions and refuses a bad filter before sending', async () => {
    const { fake, conn } = await setup();
    fake.routes.set('GET /api/v1/sessions', sessionsRoute([session(1), session(2, { name: '' })]));
    expect((await collect(conn.client.listSessions())).flat().map((s) => s.name)).toEqual(['vm-1']);
    const before = fake.seen.length;
    expect(() => conn.client.listSessions({ createdAfter: new Date('nope') })).toThrow(/createdAfter must be a valid date/);
    expect(() => conn.client.listSessions({ type: '' })).toThrow(VbrRejectedError);
    expect(fake.seen).toHaveLength(before);
  });

  it('getReplica reads one replica with its state', async () => {
    const { fake, conn } = await setup();
    const id = '0a2d4c6e-1111-4222-8333-444455556666';
    const body = { id, type: 'Regular', jobId: '0a2d4c6e-1111-4222-8333-444455556667', name: 'SQL replication', platformName: 'VMware', creationTime: '2025-05-31T22:00:00Z', state: 'Failover' };
    expect(validateResponse('get', '/api/v1/replicas/{id}', 200, body)).toEqual({ valid: true, errors: [] });
    fake.routes.set(`GET /api/v1/replicas/${id}`, () => ({ status: 200, body }));
    await expect(conn.client.getReplica(id)).resolves.toEqual({ ...body, creationTime: new Date('2025-05-31T22:00:00Z'), platformId: undefined });
    await expect(conn.client.getReplica('')).rejects.toBeInstanceOf(VbrRejectedError);
  });
});
