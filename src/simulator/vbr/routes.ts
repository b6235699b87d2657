import type { IncomingMessage } from 'node:http';
import { jobFolderObject, treeObject, vcenterRoot, vmPaths, vsphereContainerPaths } from '../hierarchy.js';
import { FilterError, matches, parseFilter } from './filter.js';
import { allObjects, HIERARCHIES, hostRuns, inventoryHosts, pageOfRuns, type InventoryObject } from './inventory-browser.js';
import { LIFECYCLE_ROUTES } from './lifecycle-routes.js';
import { jobModel, licenseModel, pagination, replicaModel, serverInfoModel, tokenModel, VbrApiError, type Json } from './models.js';
import { DEFAULT_LIMIT, listing, namePattern } from './paging.js';
import { jobCreationTime, jobRemoved, jobState, pointListing, replicaOfFace, serverJobs } from './replica-view.js';
import { ADMIN, ANY, ID, invalid, ok, type VbrContext, type VbrRoute } from './route-types.js';
import { SESSION_ROUTES } from './session-routes.js';

export type { VbrContext, VbrRoute } from './route-types.js';

function hostOf(ctx: VbrContext, hostName: string) {
  const host = inventoryHosts(ctx.core.inventory, ctx.face.server.index).find((h) => h.hostName.toLowerCase() === hostName.toLowerCase());
  if (!host) throw new VbrApiError(404, 'NotFound', 'Resource does not exist', hostName);
  return host;
}

const SORTABLE = ['name', 'type', 'objectId', 'urn', 'hostName', 'platform'] as const;

function browse(ctx: VbrContext, hostName: string): Json {
  const host = hostOf(ctx, hostName);
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('The body must be an InventoryBrowserFilters object');
  const hierarchy = body['hierarchyType'] === undefined ? HIERARCHIES[host.kind][0]! : String(body['hierarchyType']);
  if (!HIERARCHIES[host.kind].includes(hierarchy)) throw invalid(`hierarchyType '${hierarchy}' is not one the simulator serves for ${host.hostName}: ${HIERARCHIES[host.kind].join(', ')}`);
  const page = (body['pagination'] ?? {}) as Record<string, unknown>;
  const skip = page['skip'] ?? 0;
  const limit = page['limit'] ?? DEFAULT_LIMIT;
  if (!Number.isInteger(skip) || (skip as number) < 0) throw invalid('pagination.skip must be an integer >= 0');
  if (!Number.isInteger(limit) || (limit as number) < 1) throw invalid('pagination.limit must be an integer >= 1');
  let filter;
  try {
    filter = body['filter'] === undefined || body['filter'] === null ? undefined : parseFilter(body['filter']);
  } catch (e) {
    if (e instanceof FilterError) throw invalid(e.message);
    throw e;
  }
  const sorting = body['sorting'] as { property?: unknown; direction?: unknown } | undefined | null;
  const sortKey = sorting ? SORTABLE.find((p) => p.toLowerCase() === String(sorting.property).toLowerCase()) : undefined;
  if (sorting && !sortKey) throw invalid(`sorting.property must be one of ${SORTABLE.join(', ')}`);
  if (sorting && sorting.direction !== undefined && sorting.direction !== 'Ascending' && sorting.direction !== 'Descending') throw invalid('sorting.direction must be Ascending or Descending');
  const runs = hostRuns(ctx.core.inventory, host, hierarchy);
  const result = (total: number, data: InventoryObject[]): Json => ({ data, pagination: pagination(total, data.length, skip as number, limit as number), hierarchyType: hierarchy });
  if (!filter && !sortKey) {
    const p = pageOfRuns(runs, skip as number, limit as number);
    return result(p.total, p.data);
  }
  const all: InventoryObject[] = [];
  let total = 0;
  for (const o of allObjects(runs)) {
    if (filter && !matches(filter, o)) continue;
    // Without sorting only the page is kept.
    if (sortKey || (total >= (skip as number) && all.length < (limit as number))) all.push(o);
    total++;
  }
  if (!sortKey) return result(total, all);
  const sign = sorting!.direction === 'Descending' ? -1 : 1;
  all.sort((a, b) => sign * a[sortKey].localeCompare(b[sortKey]));
  return result(total, all.slice(skip as number, (skip as number) + (limit as number)));
}

function formField(ctx: VbrContext, name: string): string | undefined {
  return (ctx.body as URLSearchParams).get(name) ?? undefined;
}

const BASE_ROUTES: VbrRoute[] = [
  {
    method: 'POST',
    pattern: /^\/api\/oauth2\/token\/?$/i,
    name: 'POST /api/oauth2/token',
    requestClass: 'logon',
    since: '1.1-rev0',
    form: true,
    handler(ctx) {
      const grantType = formField(ctx, 'grant_type')?.toLowerCase();
      const face = ctx.face;
      if (grantType === 'password') {
        const account = face.authenticate(formField(ctx, 'username') ?? '', formField(ctx, 'password') ?? '');
        if (!account) throw new VbrApiError(401, 'AccessDenied', 'Unauthorized. The user name or password is incorrect.');
        return ok(tokenModel(face.tokens.issue({ userName: account.username, role: account.role })));
      }
      if (grantType === 'refresh_token') {
        const token = formField(ctx, 'refresh_token');
        if (!token) throw invalid('refresh_token is required for grant_type=refresh_token');
        const outcome = face.tokens.redeem(token);
        if (!outcome.ok) throw new VbrApiError(400, outcome.errorCode, outcome.errorCode === 'ExpiredToken' ? 'The refresh token has expired.' : 'The refresh token is invalid or has already been used.');
        return ok(tokenModel(face.tokens.issue(outcome.grant)));
      }
      throw invalid(`grant_type must be password or refresh_token (the simulator's grants), got '${formField(ctx, 'grant_type') ?? ''}'`);
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/oauth2\/logout\/?$/i,
    name: 'POST /api/oauth2/logout',
    requestClass: 'other',
    since: '1.1-rev0',
    roles: ANY,
    handler(ctx) {
      ctx.face.tokens.revoke(bearerOf(ctx.req)!);
      // The document's EmptySuccessResponse: an empty JSON object.
      return { status: 200, body: {} };
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/serverInfo\/?$/i,
    name: 'GET /api/v1/serverInfo',
    requestClass: 'read',
    since: '1.1-rev0',
    roles: ADMIN,
    handler: (ctx) => ok(serverInfoModel(ctx.face.server)),
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/license\/?$/i,
    name: 'GET /api/v1/license',
    requestClass: 'read',
    since: '1.2-rev0',
    roles: ADMIN,
    handler(ctx) {
      const inv = ctx.core.inventory;
      const s = ctx.face.server.index;
      return ok(licenseModel(ctx.face.server, inv.slice('vm', s).count + inv.slice('cdpVm', s).count, inv.referenceTime));
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/replicas\/?$/i,
    name: 'GET /api/v1/replicas',
    requestClass: 'read',
    since: '1.1-rev1',
    roles: ANY,
    handler(ctx) {
      const inv = ctx.core.inventory;
      const jobs = serverJobs(ctx);
      const q = ctx.url.searchParams;
      const jobId = q.get('jobIdFilter')?.toLowerCase();
      const state = q.get('stateFilter');
      const name = namePattern(q.get('nameFilter'));
      const anyRemoved = ctx.core.simulation.removedJobs().length > 0;
      const keep = jobId || state || name || anyRemoved ? (k: number) => {
        const r = inv.replica(jobs.at(k))!;
        return (!anyRemoved || !jobRemoved(ctx, r.index)) && (!jobId || r.jobUid.toLowerCase().endsWith(`:${jobId}`)) && (!name || name(r.name)) && (!state || jobState(ctx, r.index).toLowerCase() === state.toLowerCase());
      } : undefined;
      return ok(listing(ctx.url, jobs.count, (k) => replicaModel(inv, jobs.at(k), jobState(ctx, jobs.at(k)), jobCreationTime(ctx, jobs.at(k))), keep));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/v1/replicas/${ID}/?$`, 'i'),
    name: 'GET /api/v1/replicas/{id}',
    requestClass: 'read',
    since: '1.1-rev1',
    roles: ANY,
    handler(ctx) {
      const job = replicaOfFace(ctx, ctx.params[0]!);
      return ok(replicaModel(ctx.core.inventory, job, jobState(ctx, job), jobCreationTime(ctx, job)));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/v1/replicas/${ID}/replicaPoints/?$`, 'i'),
    name: 'GET /api/v1/replicas/{id}/replicaPoints',
    requestClass: 'read',
    since: '1.1-rev1',
    roles: ANY,
    handler(ctx) {
      const inv = ctx.core.inventory;
      const [first, last] = inv.vmReplicasOfJob(replicaOfFace(ctx, ctx.params[0]!));
      const P = inv.counts.pointsPerReplica;
      return ok(pointListing(ctx, first * P, (last - first) * P));
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/replicaPoints\/?$/i,
    name: 'GET /api/v1/replicaPoints',
    requestClass: 'read',
    since: '1.1-rev1',
    roles: ANY,
    handler(ctx) {
      const inv = ctx.core.inventory;
      const vms = inv.slice('vm', ctx.face.server.index);
      const P = inv.counts.pointsPerReplica;
      // The server's VMs are not contiguous: map the k-th point through the slice.
      const indexAt = (k: number): number => vms.at(Math.floor(k / P))! * P + (k % P);
      return ok(pointListing(ctx, 0, vms.count * P, indexAt));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/v1/jobs/${ID}/?$`, 'i'),
    name: 'GET /api/v1/jobs/{id}',
    requestClass: 'read',
    since: '1.1-rev0',
    roles: ANY,
    handler(ctx) {
      const inv = ctx.core.inventory;
      const s = ctx.face.server.index;
      const job = inv.jobIndex(ctx.params[0]!);
      if (job === undefined || inv.replica(job)!.backupServer !== s) throw new VbrApiError(404, 'NotFound', 'Resource does not exist', ctx.params[0]!);
      const vc = inventoryHosts(inv, s)[0]!;
      const obj = (o: { name: string; type: string; objectId: string; urn: string }): InventoryObject => ({ platform: 'VSphere', hostName: vc.hostName, name: o.name, type: o.type, objectId: o.objectId, urn: o.urn });
      const folder = inv.jobFolder(job);
      let includes: InventoryObject[] = [];
      if (folder) includes = [obj(jobFolderObject(inv.seed, inv.shape, s, folder))];
      else if (job < inv.counts.vmJobs) {
        const [first, last] = inv.vmReplicasOfJob(job);
        for (let v = first; v < last; v++) includes.push(obj(treeObject(vmPaths(inv.seed, inv.shape, inv.vmPlace(v), inv.vmName(v), 'HostsAndClusters')[0]!, vcenterRoot(inv.seed, s))));
      }
      const hostPath = vsphereContainerPaths(inv.seed, inv.shape, s, 'HostsAndClusters', []).find((p) => p.at(-1)!.type === 'Host')!;
      const destination = obj({ name: hostPath.at(-1)!.name, type: 'Host', objectId: hostPath.at(-1)!.objectId, urn: hostPath.map((n) => `${n.token}:${n.value}`).join(';') });
      return ok(jobModel(inv, job, includes, destination));
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/v1\/inventory\/?$/i,
    name: 'POST /api/v1/inventory',
    requestClass: 'read',
    since: '1.2-rev1',
    roles: ADMIN,
    handler(ctx) {
      const hosts = inventoryHosts(ctx.core.inventory, ctx.face.server.index).map((h) => h.object);
      return ok({ data: hosts, pagination: pagination(hosts.length, hosts.length, 0, hosts.length) });
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/v1/inventory/${ID}/?$`, 'i'),
    name: 'POST /api/v1/inventory/{hostname}',
    requestClass: 'read',
    since: '1.2-rev1',
    roles: ADMIN,
    handler: (ctx) => ok(browse(ctx, ctx.params[0]!)),
  },
];

export function bearerOf(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

export const VBR_ROUTES: VbrRoute[] = [...BASE_ROUTES, ...LIFECYCLE_ROUTES, ...SESSION_ROUTES];
