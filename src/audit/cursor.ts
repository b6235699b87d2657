import { AuditInputError } from './input.js';

/**
 * Cursors are opaque to clients so the pagination key can change later; today
 * one is the seq of the last entry of a page, base64url-encoded with a version.
 */
const PREFIX = 'audit:v1:';

export function encodeCursor(seq: bigint): string {
  return Buffer.from(`${PREFIX}${seq}`, 'utf8').toString('base64url');
}

/** The seq inside a cursor; AuditInputError for anything this module did not write. */
export function decodeCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const digits = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  if (!/^[1-9]\d{0,18}$/.test(digits)) throw new AuditInputError('invalid audit cursor');
  return BigInt(digits);
}
