import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, verifyAuditChain } from '../../../src/audit/index.js';
import { readEncodedRange } from '../../../src/audit/chain-page.js';
import { linksUpEncoded } from '../../../src/audit/verify.js';
import type { Database } from '../../../src/db/index.js';
import { asAttacker, awkwardEntries, migratedPGlite } from './support.js';

// Verify checks each page from text PostgreSQL encoded, and reads a page field
// by field only when that text does not match. A difference between the two
// encodings would not make verify wrong, only slow: these tests make sure the
// fast path really accepts intact entries, however awkward their content.
let db: Database;

beforeAll(async () => {
  db = await migratedPGlite();
  const log = createAuditLog(db);
  for (const entry of awkwardEntries()) await log.append(entry);
  await log.close();
}, 60_000);
afterAll(() => db?.close());

describe("verify's fast path (text encoded by PostgreSQL)", () => {
  it('accepts every intact entry, whatever its content', async () => {
    const rows = await readEncodedRange(db.prisma, 1n, 1_000n);
    expect(rows).toHaveLength(awkwardEntries().length);
    const last = await db.prisma.auditEntry.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(linksUpEncoded(rows, null, undefined)).toEqual({ seq: last.seq, hash: last.hash });
  });

  it('accepts a page that continues from the previous one', async () => {
    const [first] = await db.prisma.auditEntry.findMany({ where: { seq: 3n } });
    const rows = await readEncodedRange(db.prisma, 4n, 7n);
    expect(linksUpEncoded(rows, { seq: 3n, hash: first!.hash }, undefined)?.seq).toBe(6n);
    // The same page after the wrong predecessor does not link up.
    expect(linksUpEncoded(rows, { seq: 3n, hash: 'f'.repeat(64) }, undefined)).toBeNull();
  });

  it('turns down an edited entry, which verify then names the slow way', async () => {
    const before = await verifyAuditChain(db.prisma, { pageSize: 4 });
    expect(before.ok).toBe(true);
    await asAttacker(db, `UPDATE audit_entry SET "userAgent" = "userAgent" || 'x' WHERE seq = 5`);
    try {
      expect(linksUpEncoded(await readEncodedRange(db.prisma, 1n, 1_000n), null, undefined)).toBeNull();
      expect(await verifyAuditChain(db.prisma, { pageSize: 4 })).toMatchObject({ ok: false, broken: { seq: 5n, problem: 'hash-mismatch' } });
    } finally {
      await asAttacker(db, `UPDATE audit_entry SET "userAgent" = left("userAgent", -1) WHERE seq = 5`);
    }
    expect(await verifyAuditChain(db.prisma, { pageSize: 4 })).toMatchObject({ ok: true, checked: awkwardEntries().length });
  });

  it('turns down a page whose anchor does not match', async () => {
    const rows = await readEncodedRange(db.prisma, 1n, 1_000n);
    expect(linksUpEncoded(rows, null, { seq: 2n, hash: 'e'.repeat(64) })).toBeNull();
  });
});
