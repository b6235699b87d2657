import type { PrismaClient } from '../generated/prisma/client.js';
import type { ChainedFields } from './canonical.js';
import type { AuditDecision, JsonValue } from './types.js';

/** An entry as verify reads it. `at` is an invalid Date when the stored time cannot be an appended one. */
export interface ChainRow extends ChainedFields {
  hash: string;
}

/**
 * Each row comes back as one JSON text built by PostgreSQL: through Prisma's
 * raw queries every cell has a fixed cost, and 18 cells a row made reading,
 * not hashing, the bottleneck of verify (about 4× slower than one cell). JSON
 * carries text exactly (PostgreSQL escapes, JSON.parse undoes it); the time
 * travels as epoch milliseconds, so sub-millisecond digits or an infinite
 * time, which no append writes, show as a fraction or a null.
 */
const ROW_JSON = `json_build_array(seq::text, CASE WHEN isfinite(at) THEN extract(epoch FROM at) * 1000 END, "actorSubject",
  "actorGroups", "actorRoles", action, "subjectType", "subjectId", decision, rule, reason, "requestId", "clientAddress",
  "userAgent", "callerReason", details, "prevHash", hash)::text AS r`;

/**
 * The entries with from ≤ seq < to, in seq order (duplicates included, should
 * the primary key have been dropped).
 */
export async function readChainRange(prisma: PrismaClient, from: bigint, to: bigint): Promise<ChainRow[]> {
  // The whole page as one JSON text, aggregated by PostgreSQL: one cell and one
  // JSON.parse a page, where a cell a row made the driver, not hashing, the cost.
  const [page] = await prisma.$queryRawUnsafe<Array<{ page: string | null }>>(
    `SELECT string_agg(r, ',' ORDER BY seq) AS page
       FROM (SELECT seq, ${ROW_JSON} FROM audit_entry WHERE seq >= $1::bigint AND seq < $2::bigint) rows`,
    from.toString(),
    to.toString(),
  );
  return page?.page ? (JSON.parse(`[${page.page}]`) as RowTuple[]).map(chainRow) : [];
}

/** The lowest and highest seq in the table; null when it is empty. */
export async function chainBounds(prisma: PrismaClient): Promise<{ low: bigint; high: bigint } | null> {
  const [row] = await prisma.$queryRawUnsafe<Array<{ low: string | null; high: string | null }>>(
    'SELECT min(seq)::text AS low, max(seq)::text AS high FROM audit_entry',
  );
  return row?.low != null && row.high != null ? { low: BigInt(row.low), high: BigInt(row.high) } : null;
}

/** The first seq at or after `from`, if any. */
export async function nextSeq(prisma: PrismaClient, from: bigint): Promise<bigint | undefined> {
  const [row] = await prisma.$queryRawUnsafe<Array<{ seq: string | null }>>('SELECT min(seq)::text AS seq FROM audit_entry WHERE seq >= $1::bigint', from.toString());
  return row?.seq != null ? BigInt(row.seq) : undefined;
}

type RowTuple = [
  string, number | null, string | null, string[] | null, string[] | null, string, string | null, string | null, AuditDecision,
  string | null, string | null, string | null, string | null, string | null, string | null, JsonValue | null, string, string,
];

function chainRow(t: RowTuple): ChainRow {
  const ms = t[1];
  return {
    seq: BigInt(t[0]),
    at: new Date(ms !== null && Number.isInteger(ms) ? ms : Number.NaN),
    actorSubject: t[2],
    actorGroups: t[3],
    actorRoles: t[4],
    action: t[5],
    subjectType: t[6],
    subjectId: t[7],
    decision: t[8],
    rule: t[9],
    reason: t[10],
    requestId: t[11],
    clientAddress: t[12],
    userAgent: t[13],
    callerReason: t[14],
    details: t[15],
    prevHash: t[16],
    hash: t[17],
  };
}
