import { hash } from 'node:crypto';
import type { AuditDecision, JsonValue } from './types.js';

/** prevHash of entry 1: there is no previous entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** First element of every encoding; a new encoding would get a new tag, never a silent change. */
export const ENCODING_TAG = 'fg-audit-v1';

/**
 * The fields the hash covers, as read from the table. The arrays may be null
 * here: the columns allow it and an attacker could set it, so null must hash
 * differently from [].
 */
export interface ChainedFields {
  seq: bigint;
  at: Date;
  actorSubject: string | null;
  actorGroups: readonly string[] | null;
  actorRoles: readonly string[] | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  decision: AuditDecision;
  rule: string | null;
  reason: string | null;
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  callerReason: string | null;
  details: JsonValue | null;
  prevHash: string;
}

/**
 * The canonical encoding: one JSON array, fields in a fixed order, no
 * whitespace, strings escaped as JSON.stringify does, details with object keys
 * sorted. JSON's grammar makes it unambiguous (no field can run into the next)
 * and the fixed order makes it stable. See docs/audit.md.
 */
export function canonicalEncoding(entry: ChainedFields): string {
  // One native JSON.stringify for the plain fields (verify encodes every entry
  // of the chain), then details and prevHash spliced in before the closing bracket.
  const head = JSON.stringify([
    ENCODING_TAG,
    entry.seq.toString(),
    entry.at.toISOString(),
    entry.actorSubject,
    entry.actorGroups,
    entry.actorRoles,
    entry.action,
    entry.subjectType,
    entry.subjectId,
    entry.decision,
    entry.rule,
    entry.reason,
    entry.requestId,
    entry.clientAddress,
    entry.userAgent,
    entry.callerReason,
  ]);
  return `${head.slice(0, -1)},${canonicalJson(entry.details)},${JSON.stringify(entry.prevHash)}]`;
}

/** SHA-256 of the canonical encoding's UTF-8 bytes, lower-case hex. */
export function entryHash(entry: ChainedFields): string {
  // One-shot crypto.hash: several times faster than createHash for inputs this small.
  return hash('sha256', canonicalEncoding(entry), 'hex');
}

/**
 * entryHash from parts already encoded elsewhere (verify's fast path, where
 * PostgreSQL encodes the plain fields): `head` is the encoding up to
 * `callerReason` without its closing bracket, `prevHashJson` the JSON string
 * of `prevHash`. Equal text means equal fields, so a match here is a match of
 * the entry; a mismatch only means "look again the slow way".
 */
export function encodedEntryHash(head: string, details: JsonValue | null, prevHashJson: string): string {
  return hash('sha256', `${head},${canonicalJson(details)},${prevHashJson}]`, 'hex');
}

/**
 * JSON with every object's keys sorted (by UTF-16 code units, as Array#sort
 * does), no whitespace. Numbers are written as JavaScript writes them, which is
 * also how they read back from jsonb: PostgreSQL keeps the digits, JSON.parse
 * turns them into the same double.
 */
export function canonicalJson(value: JsonValue | null): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  let out = '';
  for (const key of Object.keys(value).sort()) out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(value[key]!)}`;
  return `{${out}}`;
}
