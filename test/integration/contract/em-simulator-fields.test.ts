import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { undocumentedKeys } from '../../contract/em-allowlist.js';
import { simulator } from '../em/helpers.js';

/**
 * The simulator's EM answers against the fields EM documents: every answer the
 * client reads carries no field outside the allowlist, at any depth.
 */
const ANSWERS = [
  'query BackupServer',
  'query HierarchyRoot',
  'query Replica',
  'query VmReplicaPoint',
  'query vAppReplicaPoint',
  'query CdpReplica',
  'query RestoreSession',
  'query Task',
  'GET /cdpReplicas/{id}/vms',
  'GET /cdpReplica/vApps',
  'GET /cdpReplica/vApps/{id}/vms',
  'POST /cdpReplicas/{id}/vms/{id}?action=intervals',
  'POST /cdpReplica/vApps/{id}?action=intervals',
  'POST /vmReplicaPoints/{id}?action=failover',
  'GET /tasks/{id}',
  'GET /restoreSessions/{id}?format=Entity',
  'POST /sessionMngr',
  'GET 404 error',
];

/** Field names outside the allowlist, with the collection wrapping and array indices taken off. */
const fieldsOf = (paths: string[]) => [...new Set(paths.map((p) => p.replace(/^Entities\.\w+\.\w+\[\d+\]\./, '').replace(/\[\d+\]/g, '[]')))].sort();

describe('EM simulator answers against the documented EM fields', () => {
  let sim: RunningSimulator;
  let sessionId: string;
  const seen: Record<string, string[]> = {};

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { accept: 'application/json', 'x-restsvcsessionid': sessionId, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const check = (name: string, shape: string, json: unknown) => {
    seen[name] = fieldsOf(undocumentedKeys(shape, json));
  };
  const items = (json: Record<string, unknown>, plural: string) => ((json['Entities'] as Record<string, Record<string, unknown[]>>)[plural]![plural] ?? []) as Record<string, unknown>[];
  const idOf = (entity: Record<string, unknown>) => String(entity['UID']).split(':').pop()!;
  const range = { StartDate: '2025-05-01T00:00:00Z', EndDate: '2025-06-01T00:00:00Z' };

  beforeAll(async () => {
    sim = await simulator();
    const logon = await fetch(`${sim.url}/sessionMngr/?v=latest`, {
      method: 'POST',
      headers: { accept: 'application/json', authorization: `Basic ${Buffer.from('em-admin:em-admin').toString('base64')}` },
    });
    sessionId = logon.headers.get('x-restsvcsessionid')!;
    check('POST /sessionMngr', 'LogonSession', await logon.json());

    const query = async (type: string, plural: string) => {
      const { json } = await call('GET', `/query?type=${type}&format=Entities&pageSize=1000`);
      expect(items(json, plural).length).toBeGreaterThan(0);
      check(`query ${type}`, 'QueryResult', json);
      return items(json, plural);
    };
    await query('BackupServer', 'BackupServers');
    await query('HierarchyRoot', 'HierarchyRoots');
    await query('Replica', 'Replicas');
    const points = await query('VmReplicaPoint', 'VmReplicaPoints');
    await query('vAppReplicaPoint', 'VAppReplicaPoints');
    const cdpReplicas = await query('CdpReplica', 'CdpReplicas');

    const cdpVmware = cdpReplicas.find((r) => (r['Links'] as { Href: string }[]).some((l) => l.Href.endsWith('/vms')))!;
    const vms = await call('GET', `/cdpReplicas/${idOf(cdpVmware)}/vms?format=Entities`);
    check('GET /cdpReplicas/{id}/vms', 'QueryResult', vms.json);
    const vm = items(vms.json, 'CdpReplicaVms')[0]!;
    check('POST /cdpReplicas/{id}/vms/{id}?action=intervals', 'CdpReplicaIntervals', (await call('POST', `/cdpReplicas/${idOf(cdpVmware)}/vms/${idOf(vm)}?action=intervals`, range)).json);

    const vApps = await call('GET', '/cdpReplica/vApps?format=Entities');
    check('GET /cdpReplica/vApps', 'QueryResult', vApps.json);
    const vApp = items(vApps.json, 'VAppCdpReplicas')[0]!;
    check('GET /cdpReplica/vApps/{id}/vms', 'QueryResult', (await call('GET', `/cdpReplica/vApps/${idOf(vApp)}/vms?format=Entities`)).json);
    check('POST /cdpReplica/vApps/{id}?action=intervals', 'CdpReplicaIntervals', (await call('POST', `/cdpReplica/vApps/${idOf(vApp)}?action=intervals`, range)).json);

    // The first point EM accepts a failover for (others: wrong edition, or not Ready).
    let task: Record<string, unknown> | undefined;
    for (const p of points) {
      const res = await call('POST', `/vmReplicaPoints/${idOf(p)}?action=failover`);
      if (res.status === 202) {
        task = res.json;
        break;
      }
    }
    check('POST /vmReplicaPoints/{id}?action=failover', 'Task', task);
    const taskId = String(task!['TaskId']);
    const current = await call('GET', `/tasks/${taskId}`);
    check('GET /tasks/{id}', 'Task', current.json);
    const session = (current.json['Links'] as { Rel: string; Href: string }[]).find((l) => l.Rel === 'Related')!;
    check('GET /restoreSessions/{id}?format=Entity', 'RestoreSession', (await call('GET', session.Href.slice(sim.url.length))).json);
    await query('RestoreSession', 'RestoreSessions');
    await query('Task', 'Tasks');

    const missing = await call('GET', '/vmReplicaPoints/00000000-0000-0000-0000-000000000000?format=Entity');
    expect(missing.status).toBe(404);
    check('GET 404 error', 'Error', missing.json);
  });

  afterAll(async () => {
    await sim.close();
  });

  it('covers every answer listed', () => {
    expect(Object.keys(seen).sort()).toEqual([...ANSWERS].sort());
  });

  it.each(ANSWERS)('%s: no field EM does not document', (name) => {
    expect(seen[name]).toEqual([]);
  });
});
