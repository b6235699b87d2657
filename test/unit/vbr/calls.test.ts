import { describe, expect, it } from 'vitest';
import {
  connectVbr,
  VbrForbiddenError,
  VbrNotFoundError,
  VbrNotImplementedError,
  VbrOutcomeUnknownError,
  VbrRejectedError,
  VbrUnavailableError,
  type VbrClientOptions,
} from '../../../src/vbr/index.js';
import { fakeConnections } from './fake-connections.js';
import { paged } from './fake-vbr.js';

const replica = (i: number): Record<string, unknown> => ({
  id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
  type: 'Regular',
  jobId: 'job-1',
  name: `job ${i}`,
  platformName: 'VMware',
  platformId: 'p-1',
  creationTime: '2025-06-01T10:00:00+02:00',
  state: 'Ready',
  policyUniqueId: 'ignored',
  somethingNew: { nested: [1, 2] },
});

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** The objects of fingerprinted pages, page by page. */
async function* itemsOf<T>(pages: AsyncIterable<{ items(): T[] }>): AsyncIterable<T[]> {
  for await (const page of pages) yield page.items();
}

describe('VBR client: calls, retries, errors, paging', () => {
  const setup = fakeConnections();

  it('retries a read on 503 and returns the answer that follows', async () => {
    const { fake, conn } = await setup();
    let calls = 0;
    fake.routes.set('GET /api/v1/license', () =>
      ++calls <= 2
        ? { status: 503, body: { errorCode: 'ServiceUnavailable', message: 'busy' } }
        : { status: 200, body: { status: 'Valid', edition: 'EnterprisePlus', type: 'Rental', instanceLicenseSummary: { package: 'Suite', licensedInstancesNumber: 10 }, expirationDate: '2026-01-01T00:00:00Z', licensedTo: 'x' } },
    );
    await expect(conn.client.getLicense()).resolves.toEqual({ status: 'Valid', edition: 'EnterprisePlus', type: 'Rental', package: 'Suite', expirationDate: new Date('2026-01-01T00:00:00Z') });
    expect(fake.calls('GET /api/v1/license')).toHaveLength(3);
  });

  it('stops retrying after readRetries and reports unavailable with VBR body', async () => {
    const { fake, conn } = await setup({}, { readRetries: 2 });
    fake.routes.set('GET /api/v1/serverInfo', () => ({ status: 500, body: { errorCode: 'ServiceUnavailable', message: 'internal error' } }));
    const err = await conn.client.getServerInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrUnavailableError);
    expect(err).toMatchObject({ errorCode: 'ServiceUnavailable', message: 'internal error', status: 500, method: 'GET' });
    expect(fake.calls('GET /api/v1/serverInfo')).toHaveLength(3);
  });

  it('sends a changing POST once: a connection dropped after sending is outcome_unknown', async () => {
    const { fake, conn } = await setup();
    fake.routes.set('POST /api/v1/failover/undoFailover/vSphere/snapshot', () => 'drop');
    const err = await conn.session
      .call({ method: 'POST', path: '/api/v1/failover/undoFailover/vSphere/snapshot', body: { replicaPointIds: ['p-1'] }, kind: 'change' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrOutcomeUnknownError);
    const sent = fake.calls('POST /api/v1/failover/undoFailover/vSphere/snapshot');
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!.body)).toEqual({ replicaPointIds: ['p-1'] });
  });

  it('sends a changing POST again once after a 401: VBR refused it before acting', async () => {
    const { fake, conn } = await setup();
    fake.routes.set('POST /api/v1/replicas/rescan', () => ({ status: 201, body: { id: 's-1', sessionType: 'ConfigurationResynchronize' } }));
    await conn.client.logon();
    fake.expireAccessTokens();
    await expect(conn.session.call({ method: 'POST', path: '/api/v1/replicas/rescan', body: {}, kind: 'change' })).resolves.toEqual({ id: 's-1', sessionType: 'ConfigurationResynchronize' });
    expect(fake.calls('POST /api/v1/replicas/rescan').map((s) => s.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('does not retry a changing POST answered 5xx: unavailable, sent once', async () => {
    const { fake, conn } = await setup();
    fake.routes.set('POST /api/v1/replicas/rescan', () => ({ status: 503 }));
    await expect(conn.session.call({ method: 'POST', path: '/api/v1/replicas/rescan', kind: 'change' })).rejects.toBeInstanceOf(VbrUnavailableError);
    expect(fake.calls('POST /api/v1/replicas/rescan')).toHaveLength(1);
  });

  it('reports a changing POST answered 500 as outcome_unknown (VBR may have acted), sent once; a read stays unavailable', async () => {
    const { fake, conn } = await setup({}, { readRetries: 0 });
    fake.routes.set('POST /api/v1/replicas/rescan', () => ({ status: 500, body: { errorCode: 'ServiceUnavailable', message: 'internal error' } }));
    const err = await conn.session.call({ method: 'POST', path: '/api/v1/replicas/rescan', kind: 'change' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrOutcomeUnknownError);
    expect(err).toMatchObject({ status: 500, errorCode: 'ServiceUnavailable' });
    expect(fake.calls('POST /api/v1/replicas/rescan')).toHaveLength(1);
    fake.routes.set('GET /api/v1/serverInfo', () => ({ status: 500, body: { errorCode: 'ServiceUnavailable', message: 'internal error' } }));
    await expect(conn.client.getServerInfo()).rejects.toBeInstanceOf(VbrUnavailableError);
  });

  it('reports a changing POST to a closed port as unavailable (nothing sent), not outcome_unknown', async () => {
    const { fake, conn } = await setup();
    await conn.client.logon();
    await fake.close();
    const err = await conn.session.call({ method: 'POST', path: '/api/v1/replicas/rescan', kind: 'change' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrUnavailableError);
  });

  it('maps VBR error bodies: 404 with resourceId, 403, 400, 400 NotImplemented', async () => {
    const { fake, conn } = await setup();
    fake.routes.set('GET /api/v1/jobs/missing', () => ({ status: 404, body: { errorCode: 'NotFound', message: 'Resource does not exist', resourceId: 'missing' } }));
    fake.routes.set('GET /api/v1/license', () => ({ status: 403, body: { errorCode: 'AccessDenied', message: 'Forbidden' } }));
    fake.routes.set('GET /api/v1/jobs/bad', () => ({ status: 400, body: { errorCode: 'UnexpectedContent', message: 'One or more request parameters are not valid.' } }));
    fake.routes.set('GET /api/v1/jobs/new', () => ({ status: 400, body: { errorCode: 'NotImplemented', message: 'The specified API version is not supported.' } }));
    const notFound = await conn.client.getJob('missing').catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(VbrNotFoundError);
    expect(notFound).toMatchObject({ kind: 'not_found', errorCode: 'NotFound', resourceId: 'missing', message: 'Resource does not exist', status: 404 });
    expect((notFound as Error).message).not.toContain('http');
    await expect(conn.client.getLicense()).rejects.toMatchObject({ kind: 'forbidden', errorCode: 'AccessDenied' });
    await expect(conn.client.getLicense()).rejects.toBeInstanceOf(VbrForbiddenError);
    await expect(conn.client.getJob('bad')).rejects.toMatchObject({ kind: 'rejected', errorCode: 'UnexpectedContent' });
    await expect(conn.client.getJob('new')).rejects.toBeInstanceOf(VbrNotImplementedError);
    expect(fake.calls('GET /api/v1/jobs/missing')).toHaveLength(1);
  });

  it('refuses an endpoint the negotiated revision lacks, without sending it', async () => {
    const { fake, conn } = await setup({ revisions: ['1.1-rev2'] });
    fake.routes.set('GET /api/v1/license', () => ({ status: 200, body: { status: 'Valid', edition: 'Enterprise' } }));
    const err = await conn.client.getLicense().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrNotImplementedError);
    await expect(collect(itemsOf(conn.client.browseInventoryPages('vc01', { hierarchyType: 'HostsAndClusters' })))).rejects.toBeInstanceOf(VbrNotImplementedError);
    expect(fake.calls('GET /api/v1/license')).toHaveLength(0);
    expect(fake.seen.filter((s) => s.path.startsWith('/api/v1/inventory'))).toHaveLength(0);
  });

  it('refuses bad input before sending anything', async () => {
    const { fake, conn } = await setup();
    await expect(conn.client.getJob('')).rejects.toBeInstanceOf(VbrRejectedError);
    expect(() => conn.client.browseInventoryPages('', { hierarchyType: 'HostsAndClusters' })).toThrow(VbrRejectedError);
    expect(fake.seen).toHaveLength(0);
  });

  it('pages replicas with skip/limit until pagination.total, reading documented fields only', async () => {
    const { fake, conn } = await setup({}, { pageSize: 4 });
    fake.routes.set('GET /api/v1/replicas', paged(Array.from({ length: 10 }, (_, i) => replica(i))));
    const pages = await collect(conn.client.listReplicas());
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(fake.calls('GET /api/v1/replicas').map((s) => [s.query.get('skip'), s.query.get('limit')])).toEqual([
      ['0', '4'],
      ['4', '4'],
      ['8', '4'],
    ]);
    expect(pages[0]![1]).toEqual({
      id: '00000000-0000-0000-0000-000000000001',
      type: 'Regular',
      jobId: 'job-1',
      name: 'job 1',
      platformName: 'VMware',
      platformId: 'p-1',
      creationTime: new Date('2025-06-01T08:00:00Z'),
      state: 'Ready',
    });
  });

  it('follows pagination.total when the server caps limit below the page size', async () => {
    const { fake, conn } = await setup({}, { pageSize: 500 });
    fake.routes.set('GET /api/v1/replicas', paged(Array.from({ length: 450 }, (_, i) => replica(i)), 200));
    const pages = await collect(conn.client.listReplicas());
    expect(pages.map((p) => p.length)).toEqual([200, 200, 50]);
  });

  it('ends at a short page when the server sends no total', async () => {
    const { fake, conn } = await setup({}, { pageSize: 3 });
    fake.routes.set('GET /api/v1/replicas', paged(Array.from({ length: 7 }, (_, i) => replica(i)), Number.POSITIVE_INFINITY, false));
    const pages = await collect(conn.client.listReplicas());
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(fake.calls('GET /api/v1/replicas')).toHaveLength(3);
  });

  it('lists a replica points of one replica, skipping unreadable ones', async () => {
    const { fake, conn } = await setup();
    const point = { id: 'rp-1', name: 'vm-a', platformName: 'VMware', platformId: 'p', creationTime: '2025-06-01T00:00:00Z', replicaId: 'r-1', allowedOperations: ['StartViVMSnapshotReplicaFailover', 7], state: 'Ready', malwareStatus: 'Clean' };
    fake.routes.set('GET /api/v1/replicas/r-1/replicaPoints', paged([point, { id: 'rp-2', name: 'no creation time' }]));
    const pages = await collect(conn.client.listReplicaPoints({ replicaId: 'r-1' }));
    expect(pages).toEqual([[{ id: 'rp-1', name: 'vm-a', platformName: 'VMware', platformId: 'p', creationTime: new Date('2025-06-01T00:00:00Z'), replicaId: 'r-1', allowedOperations: ['StartViVMSnapshotReplicaFailover'], state: 'Ready' }]]);
  });

  it("sends a VM's name as nameFilter on one replica's points", async () => {
    const { fake, conn } = await setup();
    fake.routes.set('GET /api/v1/replicas/r-1/replicaPoints', paged([]));
    await collect(conn.client.listReplicaPoints({ replicaId: 'r-1', name: 'vm a*' }));
    await collect(conn.client.listReplicaPoints({ replicaId: 'r-1' }));
    expect(fake.calls('GET /api/v1/replicas/r-1/replicaPoints').map((s) => s.query.get('nameFilter'))).toEqual(['vm a*', null]);
    expect(() => conn.client.listReplicaPoints({ name: ' ' })).toThrow(/name must be a non-empty string/);
  });

  it('pages the inventory browser with pagination in the POST body, with the filter and hierarchy', async () => {
    const { fake, conn } = await setup({}, { pageSize: 2 });
    const objects = [
      { platform: 'VSphere', hostName: 'vc01', name: 'dc', type: 'Datacenter', objectId: 'datacenter-1', urn: 'vc:vc01;datacenter:datacenter-1', size: 'N/A' },
      { platform: 'HyperV', hostName: 'hv01', name: 'hv', type: 'Host', objectId: 'h' },
      { platform: 'VSphere', hostName: 'vc01', name: 'vm-a', type: 'VirtualMachine', objectId: 'vm-1', urn: 'vc:vc01;virtualmachine:vm-1' },
    ];
    fake.routes.set('POST /api/v1/inventory/vc01', paged(objects));
    const filter = { type: 'PredicateExpression' as const, property: 'type' as const, operation: 'In' as const, value: 'Datacenter,VirtualMachine' };
    const pages = await collect(itemsOf(conn.client.browseInventoryPages('vc01', { hierarchyType: 'HostsAndClusters', filter })));
    expect(pages.flat().map((o) => o.name)).toEqual(['dc', 'vm-a']);
    expect(pages.flat()[0]).toEqual({ platform: 'VSphere', hostName: 'vc01', name: 'dc', type: 'Datacenter', objectId: 'datacenter-1', urn: 'vc:vc01;datacenter:datacenter-1' });
    expect(fake.calls('POST /api/v1/inventory/vc01').map((s) => JSON.parse(s.body) as unknown)).toEqual([
      { pagination: { skip: 0, limit: 2 }, hierarchyType: 'HostsAndClusters', filter },
      { pagination: { skip: 2, limit: 2 }, hierarchyType: 'HostsAndClusters', filter },
    ]);
  });

  it('lists inventory hosts, reading the spec example spelling VMware as VSphere', async () => {
    const { fake, conn } = await setup();
    fake.routes.set(
      'POST /api/v1/inventory',
      paged([
        { type: 'vCenterServer', hostName: 'vc01', name: 'vc01', objectId: 'b9fa', urn: 'vc:vc01', platform: 'VMware', size: 'N/A' },
        { type: 'CloudDirectorServer', hostName: 'vcd01', name: 'vcd01', objectId: null, urn: 'vcdsystem:vcd01', platform: 'CloudDirector' },
      ]),
    );
    const hosts = (await collect(conn.client.listInventoryHosts())).flat();
    expect(hosts).toEqual([
      { platform: 'VSphere', type: 'vCenterServer', hostName: 'vc01', name: 'vc01', objectId: 'b9fa', urn: 'vc:vc01' },
      { platform: 'CloudDirector', type: 'CloudDirectorServer', hostName: 'vcd01', name: 'vcd01', objectId: undefined, urn: 'vcdsystem:vcd01' },
    ]);
  });

  it('reads a replication job and its includes', async () => {
    const { fake, conn } = await setup();
    fake.routes.set('GET /api/v1/jobs/j-1', () => ({
      status: 200,
      body: {
        id: 'j-1',
        name: 'Replicate web',
        type: 'VSphereReplica',
        isDisabled: false,
        description: '',
        virtualMachines: { includes: [{ platform: 'VSphere', hostName: 'vc01', name: 'web', type: 'Folder', objectId: 'group-v3', urn: 'vc:vc01;folder:group-v3', size: '1 GB' }, { platform: 'VSphere' }] },
        destination: {},
      },
    }));
    await expect(conn.client.getJob('j-1')).resolves.toEqual({
      id: 'j-1',
      name: 'Replicate web',
      type: 'VSphereReplica',
      includes: [{ hostName: 'vc01', name: 'web', type: 'Folder', objectId: 'group-v3', urn: 'vc:vc01;folder:group-v3' }],
    });
  });
});

describe('VBR client options', () => {
  const base = { url: 'https://vbr01:9419', username: 'u', password: 'p' };
  it.each([
    [{ url: 'vbr01:9419' }, /url must be http: or https:/],
    [{ url: 'not a url' }, /url must be an absolute/],
    [{ url: 'https://vbr01:9419/api' }, /without \/api/],
    [{ url: 'http://127.0.0.1:1', fingerprint: 'AA'.repeat(32) }, /https: URLs only/],
    [{ fingerprint: 'zz' }, /64 hex digits/],
    [{ ca: 'not pem' }, /PEM/],
    [{ apiVersion: '1.0-rev2' }, /apiVersion must be one of/],
    [{ pageSize: 0 }, /pageSize must be a whole number/],
    [{ username: '' }, /username/],
  ])('refuses %o', (bad, message) => {
    expect(() => connectVbr({ ...base, ...bad } as VbrClientOptions)).toThrow(message);
  });
});
