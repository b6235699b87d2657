import { describe, expect, it } from 'vitest';
import type { AuditLogVerification } from '../../../src/audit/index.js';
import { age, verificationLines } from '../../../src/cli/commands/audit-report.js';

const now = new Date('2031-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('audit verify report', () => {
  it('gives ages in the largest unit that fits, and says when a time is ahead of the clock', () => {
    expect([45, 600, 3 * 3600, 9 * 86_400].map((s) => age(ago(s), now))).toEqual(['45 s ago', '10 min ago', '3 h ago', '9 d ago']);
    expect(age(ago(-300), now)).toBe('5 min in the future');
  });

  it('names forged and invalid heads, and the unsigned tail with its age', () => {
    const result: AuditLogVerification = {
      ok: false,
      chain: { ok: true, checked: 12, head: { seq: 12n, hash: 'a'.repeat(64) } },
      signatures: {
        checked: 3,
        unchecked: { count: 1, keyIds: ['k2'] },
        lastSigned: { seq: 4n, hash: 'b'.repeat(64), signedAt: ago(900), keyId: 'k1', signature: 's' },
        unsigned: { count: 8, oldestAt: ago(1200) },
        forged: { fromSeq: 5n, toSeq: 8n, message: 'forged within entries #5 to #8' },
        contradicted: 2,
        invalid: { count: 1, first: { seq: 9n, message: 'signed head #9 has a signature that does not verify' } },
      },
    };
    expect(verificationLines(result, 1, now)).toEqual([
      `Audit chain OK: 12 entries verified; head #12:${'a'.repeat(64)}`,
      'FORGED: forged within entries #5 to #8 (2 signed heads contradicted)',
      'INVALID signed heads: 1; first: signed head #9 has a signature that does not verify',
      `Signed heads: 3 verified; last #4 signed ${ago(900).toISOString()} with key k1`,
      'Unchecked: 1 signed heads with no public key here (key k2): add it to AUDIT_PUBLIC_KEY_FILE to check them',
      `Unsigned: 8 entries after the last signed head, the oldest from ${ago(1200).toISOString()} (20 min ago): not yet signed, or appended without the key`,
    ]);
  });
});
