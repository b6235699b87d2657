import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog, entryHash, verifyAuditChain, type AuditEntry, type ChainProblem } from '../../../src/audit/index.js';
import type { Database } from '../../../src/db/index.js';
import { asAttacker, clearAudit, migratedPGlite, sampleEntry } from './support.js';

// Each case writes a 12-entry chain, tampers with it directly in the database
// (triggers disabled, as someone with rights on the database could) and expects
// verify to name the first broken entry and what is wrong with it.
const LENGTH = 12;
let db: Database;
let chain: AuditEntry[];

// A fresh PGlite and its migrations take seconds more on a busy machine.
beforeAll(async () => {
  db = await migratedPGlite();
}, 60_000);
beforeEach(async () => {
  await clearAudit(db);
  const log = createAuditLog(db);
  chain = [];
  for (let i = 1; i <= LENGTH; i += 1) chain.push(await log.append(sampleEntry(i)));
  await log.close();
});
afterAll(() => db?.close());

/** Verify with pages of 5: breaks fall on page boundaries as well as inside pages. */
async function expectBroken(seq: number, problem: ChainProblem, anchor?: { seq: bigint; hash: string }) {
  const result = await verifyAuditChain(db.prisma, { pageSize: 5, anchor });
  expect(result.ok, JSON.stringify(result, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).toBe(false);
  if (result.ok) return;
  expect(result.broken).toMatchObject({ seq: BigInt(seq), problem });
  expect(result.broken.message).toContain(`#${seq}`);
}

const fieldEdits: Record<string, string> = {
  at: `at = at + interval '1 millisecond'`,
  actorSubject: `"actorSubject" = 'mallory'`,
  actorGroups: `"actorGroups" = array_append("actorGroups", 'admins')`,
  actorGroupsToNull: `"actorGroups" = NULL`,
  actorRoles: `"actorRoles" = ARRAY['PORTAL_ADMINISTRATOR']`,
  action: `action = 'noop'`,
  subjectType: `"subjectType" = NULL`,
  subjectId: `"subjectId" = 'replica-9'`,
  decision: `decision = CASE decision WHEN 'ALLOW' THEN 'DENY'::"AuditDecision" ELSE 'ALLOW' END`,
  rule: `rule = 'admin'`,
  reason: `reason = reason || ' '`,
  requestId: `"requestId" = 'req-x'`,
  clientAddress: `"clientAddress" = '192.0.2.1'`,
  userAgent: `"userAgent" = 'curl'`,
  callerReason: `"callerReason" = ''`,
  details: `details = jsonb_set(details, '{n}', '999')`,
  detailsToNull: `details = NULL`,
  prevHash: `"prevHash" = repeat('a', 64)`,
  hash: `hash = repeat('b', 64)`,
};

describe('verify', () => {
  it('accepts an intact chain and reports its head', async () => {
    const result = await verifyAuditChain(db.prisma, { pageSize: 5 });
    expect(result).toEqual({ ok: true, checked: LENGTH, head: { seq: BigInt(LENGTH), hash: chain.at(-1)!.hash } });
    expect(await verifyAuditChain(db.prisma, { anchor: { seq: 7n, hash: chain[6]!.hash } })).toMatchObject({ ok: true });
  });

  it('accepts an empty chain', async () => {
    await clearAudit(db);
    expect(await verifyAuditChain(db.prisma)).toEqual({ ok: true, checked: 0, head: null });
  });
});

describe('tamper detection', () => {
  for (const [field, assignment] of Object.entries(fieldEdits)) {
    it(`an edit of ${field} is a hash mismatch at that entry`, async () => {
      await asAttacker(db, `UPDATE audit_entry SET ${assignment} WHERE seq = 5`);
      await expectBroken(5, 'hash-mismatch');
    });
  }

  it('a time no append writes (sub-millisecond, infinite) is an edit', async () => {
    // The column's millisecond precision is itself something an attacker can change.
    await asAttacker(db, 'ALTER TABLE audit_entry ALTER COLUMN at TYPE timestamptz', `UPDATE audit_entry SET at = at + interval '400 microseconds' WHERE seq = 3`);
    try {
      await expectBroken(3, 'hash-mismatch');
      await asAttacker(db, `UPDATE audit_entry SET at = 'infinity' WHERE seq = 3`);
      await expectBroken(3, 'hash-mismatch');
    } finally {
      await asAttacker(db, `UPDATE audit_entry SET at = '${chain[2]!.at.toISOString()}' WHERE seq = 3`, 'ALTER TABLE audit_entry ALTER COLUMN at TYPE timestamptz(3)');
    }
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });

  it('an edit of the first or the last entry is caught too', async () => {
    await asAttacker(db, `UPDATE audit_entry SET action = 'noop' WHERE seq IN (1, ${LENGTH})`);
    await expectBroken(1, 'hash-mismatch');
    await asAttacker(db, `UPDATE audit_entry SET action = 'account.update' WHERE seq = 1`);
    await expectBroken(LENGTH, 'hash-mismatch');
  });

  it('an edit with a recomputed hash breaks the next link', async () => {
    const forged = { ...chain[4]!, action: 'noop' };
    await asAttacker(db, `UPDATE audit_entry SET action = 'noop', hash = '${entryHash(forged)}' WHERE seq = 5`);
    await expectBroken(6, 'prev-hash-mismatch');
  });

  it('a deleted entry is missing, at the start, inside and on a page boundary', async () => {
    await asAttacker(db, 'DELETE FROM audit_entry WHERE seq = 1');
    await expectBroken(1, 'missing');
    await clearAudit(db);
    await restore(chain.filter((e) => e.seq !== 7n && e.seq !== 8n));
    await expectBroken(7, 'missing');
    await clearAudit(db);
    await restore(chain.filter((e) => e.seq !== 6n));
    await expectBroken(6, 'missing');
  });

  it('deleting the newest entries is caught against an anchor', async () => {
    const anchor = { seq: BigInt(LENGTH), hash: chain.at(-1)!.hash };
    await asAttacker(db, `DELETE FROM audit_entry WHERE seq >= ${LENGTH - 1}`);
    // Without an anchor the shortened chain is self-consistent: see docs/audit.md.
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: LENGTH - 2 });
    await expectBroken(LENGTH - 1, 'missing', anchor);
  });

  it('renumbering the rest after a delete is a hash mismatch', async () => {
    await asAttacker(db, 'DELETE FROM audit_entry WHERE seq = 4', 'UPDATE audit_entry SET seq = seq - 1 WHERE seq > 4');
    await expectBroken(4, 'hash-mismatch');
  });

  it('an inserted entry with a valid hash, the rest moved up, is caught where the chain resumes', async () => {
    const forged = { ...chain[2]!, seq: 4n, action: 'forged', prevHash: chain[2]!.hash };
    const inserted = { ...forged, hash: entryHash(forged) };
    await clearAudit(db);
    await restore([...chain.slice(0, 3), inserted, ...chain.slice(3).map((e) => ({ ...e, seq: e.seq + 1n }))]);
    await expectBroken(5, 'reordered');
  });

  it('an inserted row below seq 1 or with a duplicate seq is an unexpected seq', async () => {
    await restore([{ ...chain[0]!, seq: 0n, hash: 'c'.repeat(64) }]);
    await expectBroken(0, 'unexpected-seq');
    await asAttacker(db, 'DELETE FROM audit_entry WHERE seq = 0', 'ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_pkey');
    try {
      // Page size 5: the duplicate of #5 sits right at a page boundary.
      await restore([{ ...chain[4]!, action: 'forged', hash: 'd'.repeat(64) }]);
      await expectBroken(5, 'unexpected-seq');
    } finally {
      await asAttacker(db, 'DELETE FROM audit_entry WHERE hash = repeat(\'d\', 64)', 'ALTER TABLE audit_entry ADD PRIMARY KEY (seq)');
    }
  });

  it('a row far beyond the head is caught at the first absent seq, without reading the gap', async () => {
    await restore([{ ...chain[0]!, seq: 1_000_000_000_000n, hash: 'e'.repeat(64) }]);
    // Reading the gap page by page would never end within the test's timeout.
    await expectBroken(LENGTH + 1, 'missing');
  });

  it('two entries swapped are reordered, named at the first', async () => {
    await asAttacker(
      db,
      'UPDATE audit_entry SET seq = -4 WHERE seq = 4',
      'UPDATE audit_entry SET seq = 4 WHERE seq = 9',
      'UPDATE audit_entry SET seq = 9 WHERE seq = -4',
    );
    await expectBroken(4, 'reordered');
    const result = await verifyAuditChain(db.prisma);
    expect(!result.ok && result.broken.message).toMatch(/#4 was written as #9/);
  });

  it('a chain rewritten from some entry on with fresh hashes is caught against an anchor', async () => {
    const anchor = { seq: BigInt(LENGTH), hash: chain.at(-1)!.hash };
    let prevHash = chain[8]!.prevHash;
    const rewritten = chain.slice(8).map((e) => {
      const fields = { ...e, action: 'rewritten', prevHash };
      const hash = entryHash(fields);
      prevHash = hash;
      return { ...fields, hash };
    });
    await asAttacker(db, 'DELETE FROM audit_entry WHERE seq >= 9');
    await restore(rewritten);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
    await expectBroken(LENGTH, 'anchor-mismatch', anchor);
  });
});

/** Writes entries as they are given (an attacker's INSERT, chain fields included). */
async function restore(entries: AuditEntry[]): Promise<void> {
  for (const e of entries) {
    await db.prisma.auditEntry.create({
      data: { ...e, details: e.details ?? undefined },
    });
  }
}
