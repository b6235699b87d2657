import { hash } from 'node:crypto';

/** Separator of refs packed into one string; cannot occur in EM's urn strings. */
export const REF_SEPARATOR = '\u001f';

/**
 * Hash of a row's synced fields: equal hashes mean the row need not be
 * written. The fields are given as an array, so the order is fixed by the
 * caller and no key sorting is needed. 16 bytes of SHA-1 are plenty to tell
 * versions of one row apart.
 */
export function contentHash(fields: readonly unknown[]): string {
  // One-shot crypto.hash (no Hash object per row): the same digest as createHash, at a fraction of the cost.
  return hash('sha1', JSON.stringify(fields), 'base64url').slice(0, 22);
}

/**
 * Hash of a refs list, computed the same way PostgreSQL computes
 * `md5(array_to_string(refs, E'\x1f'))`, so the sync can tell from the stored
 * column alone whether a replica's replica_ref rows must be rewritten.
 */
export function refsHash(refs: readonly string[]): string {
  return hash('md5', refs.join(REF_SEPARATOR), 'hex');
}

/**
 * Replica primary key: a name-based UUID (version 5 layout) of the kind and the
 * EM identity. Deterministic, so restore points, refs and CDP rows can be
 * written with their foreign key without reading the replica back.
 */
export function replicaId(kind: string, emKey: string): string {
  const b = hash('sha1', `${kind}\n${emKey}`, 'buffer');
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex', 0, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * 32-bit FNV-1a over a string's UTF-16 code units: cheap, no allocation, and
 * the same for a string and any copy of it. For in-memory tables only (the
 * known-rows digests, the id index), never stored.
 */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
