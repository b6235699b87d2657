import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Replica } from '../../em/index.js';
import type { ReplicaKind } from '../types.js';
import { bulkSqlOf } from '../../db/bulk-sql.js';
import type { SourceJoin } from './join.js';
import type { ServerFacts } from './server-facts.js';

/** A VM replica whose state changed, as the state pass found it. */
export interface StateChange {
  id: string;
  backupServerId: string;
  kind: ReplicaKind;
}

/**
 * Brings every VM replica's state in line with its backup server's REST API,
 * in one statement: the VM (by its job-level replica and name, as EM keys
 * it) gets the state of its newest VBR replica point. States move with every
 * failover, so they live apart from the rows the listings build: a changed
 * state rewrites one column, not the page of rows around it. Servers whose
 * states could not be read, or whose sources failed (`frozen`), keep theirs.
 */
export async function syncStates(
  prisma: PrismaClient,
  jobs: Iterable<Replica>,
  facts: Map<string, ServerFacts>,
  join: SourceJoin,
  frozen: Set<string>,
  syncedAt: Date,
): Promise<StateChange[]> {
  // Per job its uid once and its VMs as [name, state] pairs, built as JSON text directly: at 100,000
  // replicas this text and what the driver makes of it are the largest allocation at a first sync's end.
  const perJob: string[] = [];
  for (const job of jobs) {
    const server = job.backupServerUid;
    if (server === undefined || frozen.has(server) || !facts.get(server)?.replicaStates.ok) continue;
    const vbr = join.vbrReplica(server, job);
    if (vbr === undefined) continue;
    const vms: string[] = [];
    for (const vm of vbr.vms.values()) if (vm.state !== null) vms.push(JSON.stringify([vm.vmName, vm.state]));
    if (vms.length > 0) perJob.push(`{"p":${JSON.stringify(job.uid)},"v":[${vms.join(',')}]}`);
  }
  if (perJob.length === 0) return [];
  // Past Prisma's debug histories, as the writer's batches (bulk-sql.ts).
  return bulkSqlOf(prisma).query<StateChange>({
    sql: `UPDATE "Replica" r SET state = t.s, "syncedAt" = $2::timestamp(3)
       FROM (SELECT j.p, vm->>0 AS n, vm->>1 AS s FROM json_to_recordset($1::json) AS j(p text, v json), json_array_elements(j.v) AS vm) t
      WHERE r.kind = 'VM_REPLICA' AND r."parentEmUid" = t.p AND lower(r.name) = lower(t.n) AND r.state IS DISTINCT FROM t.s
     RETURNING r.id::text AS id, r."backupServerId" AS "backupServerId", r.kind::text AS kind`,
    // As text in UTC: pg would send a Date in the process's time zone, and the column has none.
    params: [`[${perJob.join(',')}]`, syncedAt.toISOString()],
  });
}
