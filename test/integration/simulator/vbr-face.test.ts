import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { em, emSession, login, vbr } from './vbr-support.js';

const V1 = 'vbr-01.lab.local';
const V2 = 'vbr-02.lab.local';
const V3 = 'vbr-03.lab.local';
const V4 = 'vbr-04.lab.local';

describe('simulator VBR faces', () => {
  let sim: RunningSimulator;
  let clock = Date.UTC(2025, 5, 1, 12);
  let admin: string;
  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      size: 'demo',
      now: () => clock,
      failoverDurationMs: 60_000,
      vbrTokenLifetimeSeconds: 60,
      vbrRevisions: { [V2]: ['1.1-rev0', '1.1-rev1', '1.1-rev2'] },
      vbrDisabled: [V1],
    });
    admin = (await login(sim, V3)).access_token;
  });
  afterAll(() => sim.close());

  it('serves a face per enabled backup server under /vbr/<name>, and 404 for a server without one', async () => {
    expect(Object.keys(sim.vbrUrls).sort()).toEqual([V2, V3, V4]);
    expect(sim.vbrUrls[V3]).toBe(`${sim.url.replace(/\/api$/, '')}/vbr/${V3}`);
    const off = await vbr(sim, V1, 'POST', '/api/oauth2/token', { form: { grant_type: 'password', username: 'vbr-admin', password: 'vbr-admin' } });
    expect(off.status).toBe(404);
    expect(off.json.errorCode).toBe('NotFound');
    expect((await vbr(sim, 'nowhere.lab.local', 'GET', '/api/v1/serverInfo')).status).toBe(404);
  });

  it('issues tokens by password; a wrong password is 401 AccessDenied; a missing or unknown bearer is 401 with an empty body', async () => {
    const t = await vbr(sim, V3, 'POST', '/api/oauth2/token', { form: { grant_type: 'password', username: 'vbr-admin', password: 'vbr-admin' } });
    expect(t.status).toBe(200);
    expect(t.json).toMatchObject({ token_type: 'bearer', expires_in: 60 });
    expect(Date.parse(t.json['.expires']) - Date.parse(t.json['.issued'])).toBe(60_000);
    const bad = await vbr(sim, V3, 'POST', '/api/oauth2/token', { form: { grant_type: 'password', username: 'vbr-admin', password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(bad.json.errorCode).toBe('AccessDenied');
    for (const token of [undefined, 'forged']) {
      const a = await vbr(sim, V3, 'GET', '/api/v1/serverInfo', token ? { token } : {});
      expect(a.status).toBe(401);
      expect(a.text).toBe('');
    }
    const info = await vbr(sim, V3, 'GET', '/api/v1/serverInfo', { token: t.json.access_token });
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ name: V3, buildVersion: '13.0.1.1071', vbrId: sim.inventory.backupServer(2)!.id });
  });

  it('expires access tokens after their lifetime and on expireVbrTokens; refresh tokens work once', async () => {
    const t = await login(sim, V4);
    expect((await vbr(sim, V4, 'GET', '/api/v1/replicas', { token: t.access_token })).status).toBe(200);
    clock += 61_000;
    const expired = await vbr(sim, V4, 'GET', '/api/v1/replicas', { token: t.access_token });
    expect(expired.status).toBe(401);
    expect(expired.text).toBe('');
    const refreshed = await vbr(sim, V4, 'POST', '/api/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect((await vbr(sim, V4, 'GET', '/api/v1/replicas', { token: refreshed.json.access_token })).status).toBe(200);
    const again = await vbr(sim, V4, 'POST', '/api/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    expect(again.status).toBe(400);
    expect(again.json.errorCode).toBe('InvalidToken');

    expect(sim.expireVbrTokens(V4)).toBeGreaterThanOrEqual(1);
    expect((await vbr(sim, V4, 'GET', '/api/v1/replicas', { token: refreshed.json.access_token })).status).toBe(401);
    admin = (await login(sim, V3)).access_token;
  });

  it('answers the next refresh as already used when told to, and logout revokes both tokens', async () => {
    const t = await login(sim, V4);
    sim.failNextVbrRefresh(V4);
    const raced = await vbr(sim, V4, 'POST', '/api/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    expect(raced.status).toBe(400);
    expect(raced.json.errorCode).toBe('InvalidToken');
    const u = await login(sim, V4);
    expect((await vbr(sim, V4, 'POST', '/api/oauth2/logout', { token: u.access_token })).status).toBe(200);
    expect((await vbr(sim, V4, 'GET', '/api/v1/replicas', { token: u.access_token })).status).toBe(401);
    expect((await vbr(sim, V4, 'POST', '/api/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: u.refresh_token } })).json.errorCode).toBe('InvalidToken');
  });

  it('requires x-api-version and answers an unsupported revision with 400 NotImplemented; endpoints newer than the revision are 404', async () => {
    const none = await vbr(sim, V3, 'GET', '/api/v1/replicas', { token: admin, version: null });
    expect(none.status).toBe(400);
    const newer = await vbr(sim, V3, 'GET', '/api/v1/replicas', { token: admin, version: '1.3-rev2' });
    expect(newer.status).toBe(400);
    expect(newer.json.errorCode).toBe('NotImplemented');
    // vbr-02 is a 12.2 server (1.1-rev2 at most): negotiation steps down to it; license and inventory do not exist there.
    expect((await vbr(sim, V2, 'POST', '/api/oauth2/token', { form: { grant_type: 'password', username: 'vbr-admin', password: 'vbr-admin' } })).json.errorCode).toBe('NotImplemented');
    const old = (await login(sim, V2, 'vbr-admin', '1.1-rev2')).access_token;
    for (const [method, path] of [['GET', '/api/v1/license'], ['POST', '/api/v1/inventory'], ['POST', '/api/v1/inventory/vcsa-2.lab.local']] as const) {
      const a = await vbr(sim, V2, method, path, { token: old, version: '1.1-rev2' });
      expect(a.status).toBe(404);
      expect(a.json.errorCode).toBe('NotFound');
    }
    expect((await vbr(sim, V2, 'GET', '/api/v1/replicas', { token: old, version: '1.1-rev2' })).status).toBe(200);
    expect((await vbr(sim, V3, 'GET', '/api/v1/license', { token: admin, version: '1.1-rev2' })).status).toBe(404);
  });

  it('gives the Restore Operator replicas, points and jobs, and 403 AccessDenied on license and inventory', async () => {
    const restore = (await login(sim, V3, 'vbr-restore')).access_token;
    for (const [method, path] of [['GET', '/api/v1/license'], ['POST', '/api/v1/inventory'], ['POST', '/api/v1/inventory/vcsa-3.lab.local']] as const) {
      const a = await vbr(sim, V3, method, path, method === 'POST' ? { token: restore, json: {} } : { token: restore });
      expect(a.status).toBe(403);
      expect(a.json.errorCode).toBe('AccessDenied');
    }
    const replicas = await vbr(sim, V3, 'GET', '/api/v1/replicas', { token: restore });
    expect(replicas.status).toBe(200);
    expect((await vbr(sim, V3, 'GET', '/api/v1/replicaPoints', { token: restore })).status).toBe(200);
    expect((await vbr(sim, V3, 'GET', `/api/v1/jobs/${replicas.json.data[0].jobId}`, { token: restore })).status).toBe(200);
  });

  it('reports each server’s license edition with every required field', async () => {
    for (const [server, index] of [[V3, 2], [V4, 3]] as const) {
      const token = (await login(sim, server)).access_token;
      const l = await vbr(sim, server, 'GET', '/api/v1/license', { token });
      expect(l.status).toBe(200);
      expect(l.json.edition).toBe(sim.inventory.backupServer(index)!.edition);
      for (const field of ['status', 'edition', 'licensedTo', 'supportId', 'autoUpdateEnabled', 'freeAgentInstanceConsumptionEnabled', 'cloudConnect', 'IsMultiSection', 'proactiveSupportEnabled']) expect(l.json).toHaveProperty(field);
      expect(l.json.instanceLicenseSummary.package).toBeTypeOf('string');
    }
  });

  it('lists the server’s vSphere job-level replicas with EM’s ids, paged and filtered', async () => {
    const inv = sim.inventory;
    const expected = Array.from({ length: inv.counts.replicas }, (_, i) => inv.replica(i)!).filter((r) => r.platform === 'VMware' && r.backupServer === 2);
    const all = await vbr(sim, V3, 'GET', '/api/v1/replicas', { token: admin });
    expect(all.json.data.map((r: { id: string }) => r.id)).toEqual(expected.map((r) => r.id));
    expect(all.json.data.every((r: { type: string; platformName: string }) => r.type === 'Regular' && r.platformName === 'VMware')).toBe(true);
    const page = await vbr(sim, V3, 'GET', '/api/v1/replicas?skip=1&limit=1', { token: admin });
    expect(page.json.pagination).toEqual({ total: expected.length, count: 1, skip: 1, limit: 1 });
    expect(page.json.data[0].id).toBe(expected[1]!.id);
    const byJob = await vbr(sim, V3, 'GET', `/api/v1/replicas?jobIdFilter=${all.json.data[0].jobId}`, { token: admin });
    expect(byJob.json.data.map((r: { id: string }) => r.id)).toEqual([expected[0]!.id]);
    expect((await vbr(sim, V3, 'GET', '/api/v1/replicas?limit=0', { token: admin })).json.errorCode).toBe('UnexpectedContent');
  });

  it('shows an EM failover on the VBR replica point at once (state Failover, no operation while it runs), then the failed-over point’s operations', async () => {
    const inv = sim.inventory;
    const session = await emSession(sim);
    const points = (await vbr(sim, V4, 'GET', '/api/v1/replicaPoints?limit=1000', { token: (await login(sim, V4)).access_token })).json.data as Array<{ id: string; state: string; allowedOperations: string[]; replicaId: string; name: string }>;
    // A point of a replica whose VMs are all Ready, so the replica's own state follows this VM.
    const ready = points.find((p) => points.filter((q) => q.replicaId === p.replicaId).every((q) => q.state === 'Ready'))!;
    const before = await vbr(sim, V4, 'GET', `/api/v1/replicas/${ready.replicaId}`, { token: (await login(sim, V4)).access_token });
    expect(before.json.state).toBe('Ready');
    expect(ready.allowedOperations).toContain('StartViVMSnapshotReplicaFailover');
    const index = inv.vmReplicaPointIndex(ready.id)!;
    expect(inv.vmReplicaPoint(index)!.vmDisplayName).toBe(ready.name);
    const posted = await em(sim, session, 'POST', `/vmReplicaPoints/${ready.id}?action=failover`);
    expect(posted.status).toBe(202);
    const token = (await login(sim, V4)).access_token;
    const after = (await vbr(sim, V4, 'GET', `/api/v1/replicas/${ready.replicaId}/replicaPoints`, { token })).json.data as typeof points;
    const same = after.filter((p) => p.name === ready.name);
    expect(same.every((p) => p.state === 'Failover')).toBe(true);
    // The failover session runs: VBR runs one operation on a VM at a time.
    expect(same.every((p) => p.allowedOperations.length === 0)).toBe(true);
    const replica = await vbr(sim, V4, 'GET', `/api/v1/replicas/${ready.replicaId}`, { token });
    expect(replica.json.state).toBe('Failover');
    clock += 60_000;
    const ended = (await vbr(sim, V4, 'GET', `/api/v1/replicas/${ready.replicaId}/replicaPoints`, { token: (await login(sim, V4)).access_token })).json.data as typeof points;
    const mine = ended.filter((p) => p.name === ready.name);
    expect(mine.find((p) => p.id === ready.id)!.allowedOperations).toEqual(['StartViVMSnapshotReplicaUndoFailover', 'StartViVMSnapshotReplicaPermanentFailover', 'StartViVMSnapshotReplicaFailback']);
    expect(mine.filter((p) => p.id !== ready.id).every((p) => p.allowedOperations.length === 0)).toBe(true);
    // The clock moved past the shared token's lifetime.
    admin = (await login(sim, V3)).access_token;
  });

  it('gives a job its VMs or the folder that holds them, with urns', async () => {
    const inv = sim.inventory;
    let sawFolder = false;
    let sawVms = false;
    for (let job = 0; job < inv.counts.vmJobs; job++) {
      const r = inv.replica(job)!;
      const server = inv.backupServer(r.backupServer)!.name;
      if (!sim.vbrUrls[server] || server === V2) continue;
      const token = (await login(sim, server)).access_token;
      const j = await vbr(sim, server, 'GET', `/api/v1/jobs/${r.jobUid.split(':').pop()}`, { token });
      expect(j.status).toBe(200);
      expect(j.json).toMatchObject({ type: 'VSphereReplica', name: r.jobName });
      const includes = j.json.virtualMachines.includes as Array<{ type: string; name: string; urn: string }>;
      const [first, last] = inv.vmReplicasOfJob(job);
      if (includes[0]!.type === 'Folder') {
        sawFolder = true;
        expect(includes).toHaveLength(1);
        const hc = await vbr(sim, server, 'POST', `/api/v1/inventory/vcsa-${r.backupServer + 1}.lab.local`, { token, json: { hierarchyType: 'VmsAndTemplates', pagination: { limit: 10_000 }, filter: { type: 'PredicateExpression', property: 'urn', operation: 'Contains', value: `${includes[0]!.urn.split(';').at(-1)};` } } });
        expect(hc.json.data.map((o: { name: string }) => o.name).sort()).toEqual(Array.from({ length: last - first }, (_, k) => inv.vmName(first + k)).sort());
      } else {
        sawVms = true;
        expect(includes.map((i) => i.name)).toEqual(Array.from({ length: last - first }, (_, k) => inv.vmName(first + k)));
        expect(includes.every((i) => i.urn.startsWith(`vc:vcsa-${r.backupServer + 1}.lab.local;folder:group-d1;`))).toBe(true);
      }
    }
    expect(sawFolder && sawVms).toBe(true);
    const other = inv.replica(Array.from({ length: inv.counts.vmJobs }, (_, i) => i).find((i) => inv.replica(i)!.backupServer !== 2)!)!;
    const missing = await vbr(sim, V3, 'GET', `/api/v1/jobs/${other.jobUid.split(':').pop()}`, { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.json.resourceId).toBe(other.jobUid.split(':').pop());
  });

  it('lists the hosts and browses one, paged, with filters: urn Contains "<segment>;" returns exactly the objects below', async () => {
    const hosts = await vbr(sim, V3, 'POST', '/api/v1/inventory', { token: admin, json: {} });
    expect(hosts.json.data).toEqual([
      expect.objectContaining({ platform: 'VSphere', type: 'vCenterServer', hostName: 'vcsa-3.lab.local', urn: 'vc:vcsa-3.lab.local' }),
      expect.objectContaining({ platform: 'CloudDirector', type: 'CloudDirectorServer', hostName: 'vcd-3.lab.local', urn: 'vcdsystem:vcd-3.lab.local' }),
    ]);
    const browse = (json: unknown) => vbr(sim, V3, 'POST', '/api/v1/inventory/vcsa-3.lab.local', { token: admin, json });
    const all = (await browse({ hierarchyType: 'HostsAndClusters', pagination: { skip: 0, limit: 10_000 } })).json;
    expect(all.pagination.total).toBe(all.data.length);
    const page = (await browse({ hierarchyType: 'HostsAndClusters', pagination: { skip: 5, limit: 4 } })).json;
    expect(page.data).toEqual(all.data.slice(5, 9));
    expect(page.pagination).toEqual({ total: all.data.length, count: 4, skip: 5, limit: 4 });
    const cluster = all.data.find((o: { type: string }) => o.type === 'Cluster');
    const segment = cluster.urn.split(';').at(-1);
    const below = (await browse({ hierarchyType: 'HostsAndClusters', pagination: { limit: 10_000 }, filter: { type: 'PredicateExpression', property: 'urn', operation: 'Contains', value: `${segment};` } })).json.data;
    expect(below.map((o: { urn: string }) => o.urn).sort()).toEqual(all.data.filter((o: { urn: string }) => o.urn.startsWith(`${cluster.urn};`)).map((o: { urn: string }) => o.urn).sort());
    const vmsOnly = (await browse({ hierarchyType: 'HostsAndClusters', pagination: { limit: 10_000 }, filter: { type: 'GroupExpression', operation: 'And', items: [{ type: 'PredicateExpression', property: 'type', operation: 'Equals', value: 'VirtualMachine' }, { type: 'GroupExpression', operation: 'Not', items: [{ type: 'PredicateExpression', property: 'urn', operation: 'Contains', value: `${segment};` }] }] } })).json;
    expect(vmsOnly.pagination.total).toBe(all.data.filter((o: { type: string; urn: string }) => o.type === 'VirtualMachine' && !o.urn.includes(`${segment};`)).length);
    const vcd = (await vbr(sim, V3, 'POST', '/api/v1/inventory/vcd-3.lab.local', { token: admin, json: { hierarchyType: 'VAppsAndVms', filter: { type: 'PredicateExpression', property: 'type', operation: 'In', value: 'VirtualMachine, vApp' } } })).json;
    expect(vcd.data.every((o: { type: string; objectId: string }) => (o.type === 'vApp' && o.objectId.startsWith('urn:vcloud:vapp:')) || (o.type === 'VirtualMachine' && o.objectId.startsWith('urn:vcloud:vm:')))).toBe(true);
    expect((await browse({ hierarchyType: 'Network' })).json.errorCode).toBe('UnexpectedContent');
    expect((await browse({ filter: { type: 'PredicateExpression', property: 'colour', operation: 'Equals', value: 'x' } })).status).toBe(400);
    expect((await vbr(sim, V3, 'POST', '/api/v1/inventory/vcsa-4.lab.local', { token: admin, json: {} })).status).toBe(404);
  });

  it('injects faults per face, counts calls per route and reports the faces in /admin/state', async () => {
    sim.setVbrFaults({ errorCount: 1 }, V3);
    const failed = await vbr(sim, V3, 'GET', '/api/v1/replicas', { token: admin });
    expect(failed.status).toBe(503);
    expect(failed.json.errorCode).toBe('ServiceUnavailable');
    expect((await vbr(sim, V3, 'GET', '/api/v1/replicas', { token: admin })).status).toBe(200);
    sim.setVbrFaults({ dropCount: 1 });
    await expect(vbr(sim, V4, 'GET', '/api/v1/replicas', { token: admin })).rejects.toThrow();
    // Every face got its own drop; V3's is still pending, V4's is spent.
    expect(sim.vbrFaults(V3)).toEqual({ dropCount: 1 });
    expect(sim.vbrFaults(V4)).toEqual({ dropCount: 0 });
    sim.setVbrFaults({});
    sim.resetCounters();
    await vbr(sim, V3, 'GET', '/api/v1/replicas', { token: admin });
    await vbr(sim, V3, 'GET', '/api/v1/replicas?limit=5', { token: admin });
    await vbr(sim, V3, 'GET', '/api/v1/nothing', { token: admin });
    expect(sim.vbrCounters(V3).byRoute).toEqual({ 'GET /api/v1/replicas': 2, 'GET (unmatched)': 1 });
    expect(sim.counters.total).toBe(0);
    const state = (await (await fetch(`${sim.adminUrl}/state`)).json()) as { vbrFaces: Array<{ name: string; enabled: boolean; revisions: string[]; counters: { total: number } }> };
    expect(state.vbrFaces.map((f) => [f.name, f.enabled])).toEqual([[V1, false], [V2, true], [V3, true], [V4, true]]);
    expect(state.vbrFaces[1]!.revisions).toEqual(['1.1-rev0', '1.1-rev1', '1.1-rev2']);
    expect(state.vbrFaces[2]!.counters.total).toBe(3);
    const expired = (await (await fetch(`${sim.adminUrl}/vbr/tokens/expire/${V3}`, { method: 'POST' })).json()) as { expired: number };
    expect(expired.expired).toBeGreaterThan(0);
    expect((await vbr(sim, V3, 'GET', '/api/v1/replicas', { token: admin })).status).toBe(401);
    expect((await fetch(`${sim.adminUrl}/vbr/faults/${V4}`, { method: 'PUT', body: JSON.stringify({ errorCount: 2 }) })).status).toBe(204);
    expect(sim.vbrFaults(V4)).toEqual({ errorCount: 2 });
    expect((await fetch(`${sim.adminUrl}/vbr/faults/${V4}`, { method: 'PUT', body: JSON.stringify({ errorRate: 3 }) })).status).toBe(400);
    sim.reset();
    expect(sim.vbrFaults(V4)).toEqual({});
  });
});

describe('EM hierarchy roots', () => {
  let sim: RunningSimulator;
  let session: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, size: 'demo' });
    session = await emSession(sim);
  });
  afterAll(() => sim.close());

  it('lists one vCenter and one Cloud Director root per backup server, whose ids are the roots of the refs', async () => {
    const list = await em(sim, session, 'GET', '/hierarchyRoots?format=Entities');
    const roots = list.json.Entities.HierarchyRoots.HierarchyRoots as Array<{ UID: string; Name: string; HierarchyRootId: string; UniqueId: string; HostType: string; Links: Array<{ Rel: string; Href: string }> }>;
    expect(roots).toHaveLength(sim.inventory.counts.backupServers * 2);
    const point = sim.inventory.vmReplicaPoint(0)!;
    const vc = roots.find((r) => r.HierarchyRootId === point.hierarchyRefs[0]!.split(':')[3]!.split('.')[0])!;
    expect(vc).toMatchObject({ HostType: 'VC', Name: `vcsa-${point.backupServer + 1}.lab.local`, UID: `urn:veeam:HierarchyRoot:${vc.HierarchyRootId}` });
    expect(vc.Links.find((l) => l.Rel === 'Up')!.Href).toContain(`/backupServers/${sim.inventory.backupServer(point.backupServer)!.id}`);
    // UniqueId is the vCenter instance UUID the VBR face gives as the vCenter's objectId.
    const token = (await login(sim, sim.inventory.backupServer(point.backupServer)!.name)).access_token;
    const hosts = await vbr(sim, sim.inventory.backupServer(point.backupServer)!.name, 'POST', '/api/v1/inventory', { token, json: {} });
    expect(hosts.json.data[0].objectId.toUpperCase()).toBe(vc.UniqueId);
    const one = await em(sim, session, 'GET', `/hierarchyRoots/${vc.HierarchyRootId}?format=Entity`);
    expect(one.json).toMatchObject({ Type: 'HierarchyRoot', HierarchyRootId: vc.HierarchyRootId });
    expect((await em(sim, session, 'GET', '/hierarchyRoots/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('answers query?type=HierarchyRoot with filters', async () => {
    const q = await em(sim, session, 'GET', `/query?type=HierarchyRoot&format=Entities&filter=${encodeURIComponent('HostType==VcdSystem;BackupServerName==vbr-02.lab.local')}`);
    const roots = q.json.Entities.HierarchyRoots.HierarchyRoots as Array<{ Name: string }>;
    expect(roots.map((r) => r.Name)).toEqual(['vcd-2.lab.local']);
  });
});
