import type { PrismaClient } from '../generated/prisma/client.js';
import { REF_SEPARATOR } from './hash.js';
import type { CdpChildren, ReplicaRow, RestorePointRow } from './rows.js';

/**
 * Buffered bulk writes of the inventory tables. Each flush is one transaction
 * of a few statements that take whole columns as arrays (`unnest`), so a page
 * of 1,000 rows costs a handful of round trips instead of 1,000 Prisma calls.
 * Statements run in foreign-key order: replicas before their refs, points and
 * CDP rows.
 */

const SEP = REF_SEPARATOR;
const packRefs = (refs: string[]): string => refs.join(SEP);
const iso = (d: Date): string => d.toISOString();

const UPSERT_REPLICAS = `
INSERT INTO "Replica" (id, "emKey", kind, name, platform, state, "backupServerId", "parentEmId", "parentEmUid", "emId",
                       "objectRef", "jobUid", "jobName", "policyUid", "policyName", refs, "memberVmRefs", "contentHash", "syncedAt")
SELECT t.id, t.k, t.kind::"ReplicaKind", t.name, t.platform, t.state, t.server, t.pid, t.puid, t.emid,
       t.oref, t.juid, t.jname, t.puid2, t.pname, string_to_array(t.refs, E'${SEP}'), string_to_array(t.members, E'${SEP}'), t.hash, $19::timestamp(3)
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
              $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
       AS t(id, k, kind, name, platform, state, server, pid, puid, emid, oref, juid, jname, puid2, pname, refs, members, hash)
ON CONFLICT (id) DO UPDATE SET
  "emKey" = EXCLUDED."emKey", kind = EXCLUDED.kind, name = EXCLUDED.name, platform = EXCLUDED.platform, state = EXCLUDED.state,
  "backupServerId" = EXCLUDED."backupServerId", "parentEmId" = EXCLUDED."parentEmId", "parentEmUid" = EXCLUDED."parentEmUid",
  "emId" = EXCLUDED."emId", "objectRef" = EXCLUDED."objectRef", "jobUid" = EXCLUDED."jobUid", "jobName" = EXCLUDED."jobName",
  "policyUid" = EXCLUDED."policyUid", "policyName" = EXCLUDED."policyName", refs = EXCLUDED.refs,
  "memberVmRefs" = EXCLUDED."memberVmRefs", "contentHash" = EXCLUDED."contentHash", "syncedAt" = EXCLUDED."syncedAt"`;

const UPSERT_POINTS = `
INSERT INTO "RestorePoint" (id, uid, "replicaId", name, "creationTime", algorithm, "pointType", "contentHash", "syncedAt")
SELECT t.id, t.uid, t.rid, t.name, t.ct::timestamp(3), t.alg, t.pt, t.hash, $9::timestamp(3)
  FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS t(id, uid, rid, name, ct, alg, pt, hash)
ON CONFLICT (id) DO UPDATE SET
  uid = EXCLUDED.uid, "replicaId" = EXCLUDED."replicaId", name = EXCLUDED.name, "creationTime" = EXCLUDED."creationTime",
  algorithm = EXCLUDED.algorithm, "pointType" = EXCLUDED."pointType", "contentHash" = EXCLUDED."contentHash", "syncedAt" = EXCLUDED."syncedAt"`;

export class InventoryWriter {
  private replicas: ReplicaRow[] = [];
  /** Replicas whose replica_ref rows are deleted before their new refs go in. */
  private refsReplaced: string[] = [];
  private refReplicaIds: string[] = [];
  private refValues: string[] = [];
  private points: RestorePointRow[] = [];
  private cdp: CdpChildren[] = [];
  private size = 0;
  private chain: Promise<void> = Promise.resolve();
  /** Rows inserted, updated or deleted so far. */
  writes = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly syncedAt: Date,
    /** Buffered rows that trigger a flush. */
    private readonly batchSize: number,
  ) {}

  /** `refs`: 'insert' for a new replica, 'replace' when its refs changed, 'keep' otherwise. */
  addReplica(row: ReplicaRow, refs: 'insert' | 'replace' | 'keep'): void {
    this.replicas.push(row);
    this.size++;
    if (refs === 'keep') return;
    if (refs === 'replace') this.refsReplaced.push(row.id);
    for (const ref of new Set(row.refs)) {
      this.refReplicaIds.push(row.id);
      this.refValues.push(ref);
    }
    this.size += row.refs.length;
  }

  addPoint(row: RestorePointRow): void {
    this.points.push(row);
    this.size++;
  }

  addCdp(children: CdpChildren): void {
    this.cdp.push(children);
    this.size += 1 + children.ranges.length + children.longTermPoints.length;
  }

  async flushIfFull(): Promise<void> {
    if (this.size >= this.batchSize) await this.flush();
  }

  /**
   * Writes everything buffered. Flushes run one after another (two listings
   * may share the writer), so a replica always commits before or with the
   * rows that reference it.
   */
  flush(): Promise<void> {
    const next = this.chain.then(() => this.flushNow());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async flushNow(): Promise<void> {
    if (this.size === 0) return;
    const { prisma } = this;
    const statements = [];
    const r = this.replicas;
    if (r.length > 0) {
      statements.push(
        prisma.$executeRawUnsafe(
          UPSERT_REPLICAS,
          r.map((x) => x.id), r.map((x) => x.emKey), r.map((x) => x.kind), r.map((x) => x.name), r.map((x) => x.platform),
          r.map((x) => x.state), r.map((x) => x.backupServerId), r.map((x) => x.parentEmId), r.map((x) => x.parentEmUid),
          r.map((x) => x.emId), r.map((x) => x.objectRef), r.map((x) => x.jobUid), r.map((x) => x.jobName),
          r.map((x) => x.policyUid), r.map((x) => x.policyName), r.map((x) => packRefs(x.refs)), r.map((x) => packRefs(x.memberVmRefs)),
          r.map((x) => x.contentHash), iso(this.syncedAt),
        ),
      );
    }
    if (this.refsReplaced.length > 0) {
      statements.push(prisma.$executeRawUnsafe(`DELETE FROM replica_ref WHERE "replicaId" = ANY($1::uuid[])`, this.refsReplaced));
    }
    if (this.refValues.length > 0) {
      statements.push(
        prisma.$executeRawUnsafe(
          `INSERT INTO replica_ref ("replicaId", ref) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING`,
          this.refReplicaIds,
          this.refValues,
        ),
      );
    }
    const p = this.points;
    if (p.length > 0) {
      statements.push(
        prisma.$executeRawUnsafe(
          UPSERT_POINTS,
          p.map((x) => x.id), p.map((x) => x.uid), p.map((x) => x.replicaId), p.map((x) => x.name), p.map((x) => iso(x.creationTime)),
          p.map((x) => x.algorithm), p.map((x) => x.pointType), p.map((x) => x.contentHash), iso(this.syncedAt),
        ),
      );
    }
    if (this.cdp.length > 0) statements.push(...this.cdpStatements());
    // The buffers are taken before awaiting, so rows added meanwhile go to the next flush.
    this.replicas = [];
    this.refsReplaced = [];
    this.refReplicaIds = [];
    this.refValues = [];
    this.points = [];
    this.cdp = [];
    this.size = 0;
    const counts = await prisma.$transaction(statements);
    this.writes += counts.reduce((sum, n) => sum + n, 0);
  }

  private cdpStatements() {
    const { prisma } = this;
    const c = this.cdp;
    const ids = c.map((x) => x.replicaId);
    const ranges = c.flatMap((x) => x.ranges.map((range) => ({ id: x.replicaId, ...range })));
    const points = c.flatMap((x) => x.longTermPoints.map((point) => ({ id: x.replicaId, ...point })));
    const statements = [
      prisma.$executeRawUnsafe(`DELETE FROM "CdpRange" WHERE "replicaId" = ANY($1::uuid[])`, ids),
      prisma.$executeRawUnsafe(`DELETE FROM "CdpLongTermPoint" WHERE "replicaId" = ANY($1::uuid[])`, ids),
    ];
    if (ranges.length > 0) {
      statements.push(
        prisma.$executeRawUnsafe(
          `INSERT INTO "CdpRange" ("replicaId", start, "end", rpo, type)
           SELECT t.id, t.s::timestamp(3), t.e::timestamp(3), t.rpo, t.type FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[]) AS t(id, s, e, rpo, type)`,
          ranges.map((x) => x.id), ranges.map((x) => iso(x.start)), ranges.map((x) => iso(x.end)), ranges.map((x) => x.rpo), ranges.map((x) => x.type),
        ),
      );
    }
    if (points.length > 0) {
      statements.push(
        prisma.$executeRawUnsafe(
          `INSERT INTO "CdpLongTermPoint" ("replicaId", "emId", date, "applicationConsistent")
           SELECT t.id, t.em, t.d::timestamp(3), t.ac FROM unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[]) AS t(id, em, d, ac)`,
          points.map((x) => x.id), points.map((x) => x.emId), points.map((x) => iso(x.date)), points.map((x) => x.applicationConsistent),
        ),
      );
    }
    statements.push(
      prisma.$executeRawUnsafe(
        `UPDATE "Replica" r SET "cdpHash" = t.h, "hasApplicationConsistentState" = t.ac, "cdpSyncedAt" = $4::timestamp(3)
           FROM unnest($1::uuid[], $2::text[], $3::boolean[]) AS t(id, h, ac) WHERE r.id = t.id`,
        ids, c.map((x) => x.hash), c.map((x) => x.hasApplicationConsistentState), iso(this.syncedAt),
      ),
    );
    return statements;
  }

  /** Deletes replicas (their refs, points and CDP rows go with them), in chunks. */
  async deleteReplicas(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 5_000) {
      this.writes += await this.prisma.$executeRawUnsafe(`DELETE FROM "Replica" WHERE id = ANY($1::uuid[])`, ids.slice(i, i + 5_000));
    }
  }

  async deletePoints(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 5_000) {
      this.writes += await this.prisma.$executeRawUnsafe(`DELETE FROM "RestorePoint" WHERE id = ANY($1::text[])`, ids.slice(i, i + 5_000));
    }
  }
}
