import type { PrismaClient } from '../generated/prisma/client.js';
import { headSignatureValid, type SignedHead } from './signed-head.js';
import type { HeadVerifyKeys } from './signing-keys.js';

/** Entries the chain holds that a validly signed head says otherwise about. */
export interface Forgery {
  /** The first entry that may have been forged: the one after the previous head the chain agrees with. */
  fromSeq: bigint;
  /** The entry the contradicted head names. */
  toSeq: bigint;
  /** One line for an operator. */
  message: string;
}

/** What the signed heads say about the chain. */
export interface SignedHeadReport {
  /** Heads whose signature verified with one of the public keys. */
  checked: number;
  /**
   * Heads left unchecked: no public key for their key id (none configured, or
   * another instance's development key). They vouch for nothing, so whoever
   * wrote them cannot forge anything with them.
   */
  unchecked: { count: number; keyIds: string[] };
  /** The newest validly signed head the chain agrees with. */
  lastSigned: SignedHead | null;
  /**
   * Entries after lastSigned (all of them without one): appended since the
   * last signing, or by someone without the key; nothing vouches for them.
   */
  unsigned: { count: number; oldestAt: Date | null };
  /** The first validly signed head the chain contradicts; null when none does. */
  forged: Forgery | null;
  /** Validly signed heads the chain contradicts. */
  contradicted: number;
  /** Heads whose signature does not verify with their key: written by someone without the key. */
  invalid: { count: number; first: { seq: bigint; message: string } | null };
}

interface HeadRow extends SignedHead {
  /** The hash the chain holds at the head's seq; null when that entry is absent. */
  entryHash: string | null;
}

const HEAD_PAGE = 1_000;

const HEADS = `SELECT h.seq, h.hash, h."signedAt", h."keyId", h.signature, e.hash AS "entryHash"
  FROM audit_signed_head h LEFT JOIN audit_entry e ON e.seq = h.seq
  WHERE h.seq > $1::bigint ORDER BY h.seq LIMIT ${HEAD_PAGE}`;

/**
 * Checks every signed head: its signature with the public key its key id
 * names (a head without one is counted as unchecked), then the chain's entry at its seq, which must still have the signed
 * hash. The stored hashes are what verifyAuditChain checks against the
 * entries' contents and links, so the two together say whether any entry up
 * to a signed head changed.
 */
export async function checkSignedHeads(prisma: PrismaClient, keys: HeadVerifyKeys): Promise<SignedHeadReport> {
  const report: SignedHeadReport = { checked: 0, unchecked: { count: 0, keyIds: [] }, lastSigned: null, unsigned: { count: 0, oldestAt: null }, forged: null, contradicted: 0, invalid: { count: 0, first: null } };
  const invalid = (head: SignedHead, message: string) => {
    report.invalid.count += 1;
    report.invalid.first ??= { seq: head.seq, message };
  };
  let after = -(2n ** 63n);
  for (;;) {
    const rows = await prisma.$queryRawUnsafe<HeadRow[]>(HEADS, after.toString());
    for (const head of rows) {
      const key = keys.get(head.keyId);
      if (!key) {
        report.unchecked.count += 1;
        if (!report.unchecked.keyIds.includes(head.keyId)) report.unchecked.keyIds.push(head.keyId);
        continue;
      }
      if (!headSignatureValid(head, key)) {
        invalid(head, `signed head #${head.seq} has a signature that does not verify: written without the key`);
        continue;
      }
      report.checked += 1;
      if (head.entryHash === head.hash) {
        report.lastSigned = withoutEntryHash(head);
        continue;
      }
      report.contradicted += 1;
      report.forged ??= forgery(head, report.lastSigned);
    }
    if (rows.length < HEAD_PAGE) break;
    after = rows.at(-1)!.seq;
  }
  const [tail] = await prisma.$queryRawUnsafe<Array<{ count: bigint; oldestAt: Date | null }>>(
    'SELECT count(*) AS count, min(at) AS "oldestAt" FROM audit_entry WHERE seq > $1::bigint',
    (report.lastSigned?.seq ?? -(2n ** 63n)).toString(),
  );
  report.unsigned = { count: Number(tail?.count ?? 0), oldestAt: tail?.oldestAt ?? null };
  return report;
}

function forgery(head: HeadRow, agreed: SignedHead | null): Forgery {
  const fromSeq = (agreed?.seq ?? 0n) + 1n;
  const range = fromSeq === head.seq ? `entry #${head.seq}` : `entries #${fromSeq} to #${head.seq}`;
  const what =
    head.entryHash === null
      ? `entry #${head.seq} is missing but signed head #${head.seq} covers it: the chain was cut`
      : `entry #${head.seq} has hash ${head.entryHash}, signed head #${head.seq} signed ${head.hash}`;
  return { fromSeq, toSeq: head.seq, message: `${what}: forged within ${range}${agreed ? ` (signed head #${agreed.seq} still holds)` : ''}` };
}

function withoutEntryHash({ seq, hash, signedAt, keyId, signature }: HeadRow): SignedHead {
  return { seq, hash, signedAt, keyId, signature };
}
