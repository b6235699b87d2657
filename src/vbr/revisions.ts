import { VBR_API_REVISIONS, type VbrApiRevision } from './types.js';

/** True when `revision` is at least `minimum` (VBR_API_REVISIONS is highest first). */
export function atLeast(revision: VbrApiRevision, minimum: VbrApiRevision): boolean {
  return VBR_API_REVISIONS.indexOf(revision) <= VBR_API_REVISIONS.indexOf(minimum);
}

/** The revisions to try, highest first, starting at `from`. */
export function candidatesFrom(from: VbrApiRevision = VBR_API_REVISIONS[0]): VbrApiRevision[] {
  return VBR_API_REVISIONS.slice(VBR_API_REVISIONS.indexOf(from));
}

export function isRevision(value: unknown): value is VbrApiRevision {
  return typeof value === 'string' && (VBR_API_REVISIONS as readonly string[]).includes(value);
}

/**
 * The first revision each endpoint the client calls exists in. Older servers
 * answer an unknown path with 404 NotFound, which would read as "no such
 * object"; the client refuses those calls itself instead (not_implemented).
 * Replicas, replica points, jobs and the replica lifecycle (the Failover and
 * Failback tags: "failover and failback" in the 1.1-rev1 changelog, VBR 12.1)
 * came with 1.1-rev1, the lowest revision spoken here (sessions are older);
 * /license came with 1.2-rev0; inventory browsing by host with
 * 1.2-rev1 (per the published documents; the 1.1-rev2 and 1.2-rev0 documents
 * themselves are not public, so the listing of hosts is taken to come with
 * /license in 1.2-rev0).
 */
export const ENDPOINT_MINIMUM = {
  serverInfo: '1.1-rev1',
  license: '1.2-rev0',
  replicas: '1.1-rev1',
  replicaPoints: '1.1-rev1',
  jobs: '1.1-rev1',
  sessions: '1.1-rev1',
  replicaLifecycle: '1.1-rev1',
  inventoryHosts: '1.2-rev0',
  inventoryBrowse: '1.2-rev1',
} as const satisfies Record<string, VbrApiRevision>;

export type VbrEndpoint = keyof typeof ENDPOINT_MINIMUM;
