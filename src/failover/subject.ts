import { Prisma, type LicenseEdition, type PrismaClient, type Replica } from '../generated/prisma/client.js';
import { prepared } from '../db/prepared.js';
import { isUuid } from '../uuid.js';
import { matchingAccountIdsSql, policyInputColumns, policyInputsOf, type AccountGrant, type PolicyInputRow, type PolicyPrincipal, type ServerEdition } from '../policy/index.js';

/** How a call names its replica: by a restore point of it (job replicas' failover) or by the replica itself. */
export type SubjectLookup = { restorePointId: string } | { replicaId: string };

/** The replica a failover acts on, with what the policy reads: the caller's visibility rows and the server's edition. */
export interface SubjectReplica extends Replica {
  visibility: Array<{ accountId: string }>;
  backupServer: { name: string; edition: LicenseEdition; editionDetail: string | null };
}

export interface FailoverSubject {
  replica: SubjectReplica;
  /** The restore point (VM and vApp replicas). */
  point: { id: string } | null;
}

type Row = Replica & PolicyInputRow & { serverName: string; serverEdition: LicenseEdition; serverEditionDetail: string | null; visibleTo: string[]; pointId: string | null; keyedOperationId: string | null };

/** What one failover call reads from the database before deciding. */
export interface Loaded {
  /** What the caller's policy is built from (its accounts, the gated servers). */
  policyInputs: { accounts: AccountGrant[]; servers: ServerEdition[] };
  /** Null when the replica or point does not exist. */
  subject: FailoverSubject | null;
  /** The operation the caller's idempotency key already holds (unexpired), if any. */
  keyedOperationId: string | null;
}

/**
 * Everything a failover decides on, in one statement: the caller's policy
 * inputs, the target from the inventory cache (loaded without the access
 * filter: the policy then decides on the loaded object, so the audit entry can
 * name why it was refused: unknown, outside the scope, wrong edition) with its
 * server, the caller's visibility rows and the point, and the operation the
 * caller's key already holds. Separately, with Prisma's nested include, that
 * would be seven round trips on the path every failover takes.
 */
export async function loadSubject(
  prisma: PrismaClient,
  target: SubjectLookup,
  principal: PolicyPrincipal,
  key: { idempotencyKey: string | null; now: Date },
): Promise<Loaded> {
  const keyed = Prisma.sql`
    LEFT JOIN LATERAL (
      SELECT o.id FROM failover_operation o
       WHERE o."initiatorSubject" = ${principal.subject} AND o."idempotencyKey" = ${key.idempotencyKey}
         AND (o."idempotencyExpiresAt" IS NULL OR o."idempotencyExpiresAt" > ${key.now})) k ON true`;
  const visibility = Prisma.sql`ARRAY(SELECT v."accountId"::text FROM replica_visibility v WHERE v."replicaId" = r.id AND v."accountId" IN ${matchingAccountIdsSql(principal)}) AS "visibleTo"`;
  const pointId = 'restorePointId' in target ? target.restorePointId : null;
  const replica = 'restorePointId' in target
    ? Prisma.sql`(SELECT "replicaId" FROM "RestorePoint" WHERE id = ${pointId})`
    : Prisma.sql`${isUuid(target.replicaId) ? target.replicaId : null}::uuid`;
  const found = Prisma.sql`
    SELECT r.*, b.name AS "serverName", b.edition::text AS "serverEdition", b."editionDetail" AS "serverEditionDetail", rp.id AS "pointId", ${visibility}
      FROM "Replica" r
      JOIN "BackupServer" b ON b.id = r."backupServerId"
      LEFT JOIN "RestorePoint" rp ON rp.id = ${pointId} AND rp."replicaId" = r.id
     WHERE r.id = ${replica}`;
  // Planned once per connection: planning this join took longer than running it.
  const [row] = await prisma.$queryRaw<Row[]>(
    prepared('loadSubject', Prisma.sql`
    SELECT ${policyInputColumns(principal)}, k.id AS "keyedOperationId", s.* FROM (SELECT 1) one ${keyed} LEFT JOIN LATERAL (${found}) s ON true`),
  );
  const { serverName, serverEdition, serverEditionDetail, visibleTo, pointId: foundPoint, keyedOperationId, accounts, servers, ...loaded } = row!;
  const policyInputs = policyInputsOf({ accounts, servers });
  if (loaded.id === null) return { policyInputs, subject: null, keyedOperationId };
  return {
    policyInputs,
    subject: {
      replica: { ...loaded, visibility: visibleTo.map((accountId) => ({ accountId })), backupServer: { name: serverName, edition: serverEdition, editionDetail: serverEditionDetail } },
      point: foundPoint === null ? null : { id: foundPoint },
    },
    keyedOperationId,
  };
}
