import type { PrismaClient } from '../generated/prisma/client.js';
import { ENCODING_TAG, type ChainedFields } from './canonical.js';
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

/**
 * An entry as verify's fast path reads it: PostgreSQL writes every field but
 * `details` and `prevHash` in the canonical encoding itself, so a page needs
 * no JSON.parse of its rows and no re-encoding in JavaScript, which were most
 * of verify's time. Every part is JSON text (`seq` digits), so no part holds
 * the separators.
 */
export interface EncodedRow {
  seq: string;
  /** The canonical encoding up to `callerReason`, without the closing bracket. */
  head: string;
  /** `details` as jsonb prints it; its keys still need sorting. */
  details: string;
  /** JSON string of `prevHash`. */
  prevHash: string;
  /** JSON string of `hash`. */
  hash: string;
}

const FIELD = '\u0001';
const ROW = '\u0002';

/**
 * The time as `Date#toISOString` writes it, or null for a time no append
 * writes (sub-millisecond digits, infinite): null never matches, and the slow
 * path (readChainRange) then names the problem.
 */
const CANONICAL_AT = `CASE WHEN isfinite(at) AND extract(microseconds FROM at) % 1000 = 0
  THEN to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END`;

const json = (expression: string) => `coalesce(to_json(${expression})::text, 'null')`;

/** `["fg-audit-v1","<seq>",…,<callerReason>` in canonical.ts's field order. */
const ENCODED_HEAD = [
  `'["${ENCODING_TAG}"'`,
  json('seq::text'),
  json(CANONICAL_AT),
  ...['"actorSubject"', '"actorGroups"', '"actorRoles"', 'action', '"subjectType"', '"subjectId"', 'decision', 'rule', 'reason', '"requestId"', '"clientAddress"', '"userAgent"', '"callerReason"'].map(json),
].join(`, ',', `);

const ENCODED_ROW = `concat(seq::text, E'\\001', concat(${ENCODED_HEAD}), E'\\001', coalesce(details::text, 'null'), E'\\001',
  to_json("prevHash")::text, E'\\001', to_json(hash)::text)`;

/**
 * The entries with from ≤ seq < to, in seq order, as encoded text (see
 * EncodedRow); the whole page is one cell split on control characters, which
 * JSON text never holds unescaped.
 */
export async function readEncodedRange(prisma: PrismaClient, from: bigint, to: bigint): Promise<EncodedRow[]> {
  const [page] = await prisma.$queryRawUnsafe<Array<{ page: string | null }>>(
    `SELECT string_agg(${ENCODED_ROW}, E'\\002' ORDER BY seq) AS page FROM audit_entry WHERE seq >= $1::bigint AND seq < $2::bigint`,
    from.toString(),
    to.toString(),
  );
  if (!page?.page) return [];
  return page.page.split(ROW).map((line) => {
    const [seq = '', head = '', details = '', prevHash = '', hash = ''] = line.split(FIELD);
    return { seq, head, details, prevHash, hash };
  });
}
