import type { PrismaClient } from '../generated/prisma/client.js';
import { GENESIS_HASH, encodedEntryHash, entryHash } from './canonical.js';
import { chainBounds, nextSeq, readChainRange, readEncodedRange, type ChainRow, type EncodedRow } from './chain-page.js';
import type { ChainHead, JsonValue } from './types.js';

/** What is wrong with the first broken entry. */
export type ChainProblem =
  /** Entries are absent: deleted, or (with an anchor) the tail was cut. */
  | 'missing'
  /** A seq out of sequence: duplicated, or below the one expected. */
  | 'unexpected-seq'
  /** The entry's fields no longer hash to its stored hash: edited. */
  | 'hash-mismatch'
  /** Its prevHash is not the previous entry's hash: that one was rewritten with a fresh hash, or replaced. */
  | 'prev-hash-mismatch'
  /** A valid entry written at another position: rows moved, or inserted or deleted before it. */
  | 'reordered'
  /** The entry named by the anchor has another hash: the chain was rewritten from there or before. */
  | 'anchor-mismatch';

export interface ChainBreak {
  /** The first entry found broken (for `missing`, the first absent seq). */
  seq: bigint;
  problem: ChainProblem;
  /** One line for an operator, naming the entry. */
  message: string;
}

export type VerifyResult =
  | { ok: true; checked: number; head: ChainHead | null }
  | { ok: false; checked: number; broken: ChainBreak };

export interface VerifyOptions {
  /** Entries read per query; memory holds the three pages in flight. Default: 5,000. */
  pageSize?: number;
  /**
   * A head recorded earlier (a previous verify's `head`). The chain must still
   * hold that entry with that hash: without it, deleting the newest entries, or
   * rewriting the whole chain with fresh hashes, leaves a valid chain. Default: none.
   */
  anchor?: ChainHead;
}

/**
 * Walks the chain in seq order, page by page, recomputing every hash and link,
 * and reports the first broken entry. Checks the entries present when it
 * starts; later appends are left to the next run.
 *
 * Pages are seq ranges rather than keyset pages, so the next ones can be
 * fetched (on other connections) while this one is hashed: PostgreSQL builds
 * rows while this process hashes. A range also returns every row in it, so a
 * duplicated seq cannot hide at a page boundary.
 *
 * Each page is first checked from text PostgreSQL encoded (readEncodedRange);
 * a page where anything does not match is read again field by field and
 * checked the slow way, which also names the problem.
 */
export async function verifyAuditChain(prisma: PrismaClient, options: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = BigInt(options.pageSize ?? 5_000);
  if (pageSize < 1n) throw new RangeError('pageSize must be a positive integer');
  const anchor = options.anchor;
  const bounds = await chainBounds(prisma);
  let previous: ChainHead | null = null;
  let checked = 0;
  if (bounds) {
    // Rows below 1 are read too: one slipped in with seq 0 or less is an insertion.
    const low = bounds.low < 1n ? bounds.low : 1n;
    const ranges: Array<{ from: bigint; rows: Promise<EncodedRow[]> }> = [];
    let nextFrom = low;
    const fetchAhead = () => {
      while (ranges.length < PAGES_IN_FLIGHT && nextFrom <= bounds.high) {
        const rows = readEncodedRange(prisma, nextFrom, nextFrom + pageSize);
        // A page left unread when the walk stops early must not fail unhandled.
        rows.catch(() => undefined);
        ranges.push({ from: nextFrom, rows });
        nextFrom += pageSize;
      }
    };
    fetchAhead();
    while (ranges.length > 0) {
      const range = ranges.shift()!;
      const encoded = await range.rows;
      fetchAhead();
      if (encoded.length === 0) {
        // A whole page of absent entries before the known end: say so now
        // rather than read every empty page up to the next row.
        const expected = (previous?.seq ?? 0n) + 1n;
        const present = await nextSeq(prisma, range.from);
        return { ok: false, checked, broken: missing(expected, present) };
      }
      const head = linksUpEncoded(encoded, previous, anchor);
      if (head) {
        previous = head;
        checked += encoded.length;
        continue;
      }
      for (const row of await readChainRange(prisma, range.from, range.from + pageSize)) {
        if (!linksUp(row, previous)) return { ok: false, checked, broken: await diagnose(prisma, row, previous) };
        if (anchor && row.seq === anchor.seq && row.hash !== anchor.hash) {
          return { ok: false, checked, broken: { seq: row.seq, problem: 'anchor-mismatch', message: `entry #${row.seq} has hash ${row.hash}, the anchor recorded ${anchor.hash}: the chain was rewritten` } };
        }
        previous = { seq: row.seq, hash: row.hash };
        checked += 1;
      }
    }
  }
  if (anchor && (previous?.seq ?? 0n) < anchor.seq) {
    const first = (previous?.seq ?? 0n) + 1n;
    return { ok: false, checked, broken: { seq: first, problem: 'missing', message: `entries #${first} to #${anchor.seq} are missing: the chain ends at #${previous?.seq ?? 0n}, the anchor names #${anchor.seq}` } };
  }
  return { ok: true, checked, head: previous };
}

/**
 * The fast path, for a whole page: every entry in sequence, linked, hashing to
 * its stored hash, and matching the anchor. Returns the page's last entry, or
 * null at the first thing that does not match (the page is then checked the
 * slow way).
 */
export function linksUpEncoded(rows: EncodedRow[], previous: ChainHead | null, anchor: ChainHead | undefined): ChainHead | null {
  let seq = previous?.seq ?? 0n;
  let hash = previous?.hash ?? GENESIS_HASH;
  let hashJson = JSON.stringify(hash);
  for (const row of rows) {
    seq += 1n;
    if (row.seq !== seq.toString() || row.prevHash !== hashJson) return null;
    let details;
    try {
      details = JSON.parse(row.details) as JsonValue | null;
    } catch {
      return null;
    }
    hash = encodedEntryHash(row.head, details, row.prevHash);
    hashJson = `"${hash}"`;
    if (row.hash !== hashJson || (anchor && anchor.seq === seq && anchor.hash !== hash)) return null;
  }
  return { seq, hash };
}

/** Pages fetched at once: the one being hashed and the next two (PostgreSQL builds them on other connections meanwhile). */
const PAGES_IN_FLIGHT = 3;

function missing(expected: bigint, present: bigint | undefined): ChainBreak {
  const gap = present === expected + 1n ? `entry #${expected} is missing` : `entries #${expected} to #${present === undefined ? '?' : present - 1n} are missing`;
  return { seq: expected, problem: 'missing', message: `${gap}${present === undefined ? '' : ` (the next present is #${present})`}` };
}

/** The fast path, for every entry: seq, time, hash and link all as appended. */
function linksUp(row: ChainRow, previous: ChainHead | null): boolean {
  return (
    row.seq === (previous?.seq ?? 0n) + 1n &&
    row.prevHash === (previous?.hash ?? GENESIS_HASH) &&
    // An invalid time is one no append writes (see chain-page.ts): an edit.
    !Number.isNaN(row.at.getTime()) &&
    entryHash(row) === row.hash
  );
}

/** What is wrong with an entry that does not link up, checked in the order an operator would. */
async function diagnose(prisma: PrismaClient, row: ChainRow, previous: ChainHead | null): Promise<ChainBreak> {
  const expected = (previous?.seq ?? 0n) + 1n;
  if (row.seq > expected) return missing(expected, row.seq);
  if (row.seq < expected) {
    return { seq: row.seq, problem: 'unexpected-seq', message: `entry #${row.seq} appears where #${expected} was expected: a duplicate or an inserted row` };
  }
  if (Number.isNaN(row.at.getTime()) || entryHash(row) !== row.hash) {
    const original = await originalSeq(prisma, row);
    if (original !== undefined) {
      return { seq: row.seq, problem: 'reordered', message: `entry #${row.seq} was written as #${original}: rows were moved, or inserted or deleted before it` };
    }
    return { seq: row.seq, problem: 'hash-mismatch', message: `entry #${row.seq} does not match its hash: it was edited` };
  }
  const expectedPrev = previous?.hash ?? GENESIS_HASH;
  if (row.prevHash !== expectedPrev) {
    const before = previous ? `the hash of entry #${previous.seq}` : 'the genesis value';
    return { seq: row.seq, problem: 'prev-hash-mismatch', message: `entry #${row.seq} does not link to ${before}: an entry before it was rewritten or replaced` };
  }
  throw new Error(`audit verify: entry #${row.seq} failed the fast check but no problem was found`);
}

/**
 * Where a row whose hash fails was first written, if it is an intact entry
 * moved elsewhere: its prevHash names its original predecessor, and with the
 * seq after that one its fields hash to its stored hash again.
 */
async function originalSeq(prisma: PrismaClient, row: ChainRow): Promise<bigint | undefined> {
  let predecessor = 0n;
  if (row.prevHash !== GENESIS_HASH) {
    const [found] = await prisma.$queryRawUnsafe<Array<{ seq: bigint }>>('SELECT seq FROM audit_entry WHERE hash = $1 LIMIT 1', row.prevHash);
    if (!found) return undefined;
    predecessor = found.seq;
  }
  const seq = predecessor + 1n;
  return seq !== row.seq && !Number.isNaN(row.at.getTime()) && entryHash({ ...row, seq }) === row.hash ? seq : undefined;
}
