import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Replica } from '../../em/index.js';
import type { ReplicaKind } from '../types.js';
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
  const rows: Array<{ p: string; n: string; s: string }> = [];
  for (const job of jobs) {
    const server = job.backupServerUid;
    if (server === undefined || frozen.has(server) || !facts.get(server)?.replicaStates.ok) continue;
    const vbr = join.vbrReplica(server, job);
    if (vbr === undefined) continue;
    for (const vm of vbr.vms.values()) if (vm.state !== null) rows.push({ p: job.uid, n: vm.vmName, s: vm.state });
  }
  if (rows.length === 0) return [];
  return prisma.$queryRawUnsafe<StateChange[]>(
    `UPDATE "Replica" r SET state = t.s, "syncedAt" = $2::timestamp(3)
       FROM json_to_recordset($1::json) AS t(p text, n text, s text)
      WHERE r.kind = 'VM_REPLICA' AND r."parentEmUid" = t.p AND lower(r.name) = lower(t.n) AND r.state IS DISTINCT FROM t.s
     RETURNING r.id::text AS id, r."backupServerId" AS "backupServerId", r.kind::text AS kind`,
    JSON.stringify(rows),
    syncedAt,
  );
}
