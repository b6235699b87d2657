import type { AuditLogVerification } from '../../audit/index.js';

const entries = (n: number) => `${n} entr${n === 1 ? 'y' : 'ies'}`;

/** How long ago, in the largest unit that fits: 45 s ago, 12 min ago, 3 h ago, 9 d ago; a time ahead of the clock says so. */
export function age(since: Date, now: Date): string {
  const difference = Math.round((now.getTime() - since.getTime()) / 1000);
  const seconds = Math.abs(difference);
  const amount =
    seconds < 120 ? `${seconds} s` : seconds < 7_200 ? `${Math.round(seconds / 60)} min` : seconds < 172_800 ? `${Math.round(seconds / 3_600)} h` : `${Math.round(seconds / 86_400)} d`;
  return difference < 0 ? `${amount} in the future` : `${amount} ago`;
}

/** `audit verify`'s report for a terminal: the chain, then what the signed heads say. */
export function verificationLines(result: AuditLogVerification, keyCount: number, now: Date): string[] {
  const { chain, signatures } = result;
  const lines: string[] = [];
  if (chain.ok) {
    const head = chain.head ? `; head #${chain.head.seq}:${chain.head.hash}` : '';
    lines.push(`Audit chain OK: ${entries(chain.checked)} verified${head}`);
  } else {
    lines.push(`Audit chain BROKEN at entry #${chain.broken.seq} (${chain.broken.problem}): ${chain.broken.message}`);
    lines.push(`${entries(chain.checked)} before it verified`);
  }
  if (signatures.forged) {
    lines.push(`FORGED: ${signatures.forged.message}${signatures.contradicted > 1 ? ` (${signatures.contradicted} signed heads contradicted)` : ''}`);
  }
  if (signatures.invalid.first) {
    lines.push(`INVALID signed heads: ${signatures.invalid.count}; first: ${signatures.invalid.first.message}`);
  }
  if (keyCount === 0) lines.push('Signed heads: no public key configured (AUDIT_PUBLIC_KEY_FILE or AUDIT_SIGNING_KEY_FILE): none can be checked');
  const last = signatures.lastSigned;
  lines.push(`Signed heads: ${signatures.checked} verified${last ? `; last #${last.seq} signed ${last.signedAt.toISOString()} with key ${last.keyId}` : ''}`);
  if (signatures.unchecked.count > 0) {
    lines.push(`Unchecked: ${signatures.unchecked.count} signed heads with no public key here (key ${signatures.unchecked.keyIds.join(', ')}): add it to AUDIT_PUBLIC_KEY_FILE to check them`);
  }
  const { count, oldestAt } = signatures.unsigned;
  lines.push(
    count === 0
      ? 'Unsigned: none'
      : `Unsigned: ${entries(count)} after the last signed head, the oldest from ${oldestAt?.toISOString() ?? '?'}${oldestAt ? ` (${age(oldestAt, now)})` : ''}: not yet signed, or appended without the key`,
  );
  return lines;
}
