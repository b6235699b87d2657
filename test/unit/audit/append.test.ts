import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuditInputError,
  AuditWriteError,
  GENESIS_HASH,
  createAuditLog,
  entryHash,
  verifyAuditChain,
  type AuditLog,
} from '../../../src/audit/index.js';
import type { Database } from '../../../src/db/index.js';
import { Prisma } from '../../../src/generated/prisma/client.js';
import { asAttacker, clearAudit, migratedPGlite, sampleEntry } from './support.js';

let db: Database;
let log: AuditLog;

// A fresh PGlite and its migrations take seconds more on a busy machine.
beforeAll(async () => {
  db = await migratedPGlite();
}, 60_000);
beforeEach(async () => {
  await clearAudit(db);
  log = createAuditLog(db);
});
afterAll(async () => {
  await log?.close();
  await db?.close();
});

/** A table the writes below insert into, emptied before each test. */
function useProbeTable(): void {
  beforeAll(async () => {
    await db.prisma.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS audited_probe (id text PRIMARY KEY)');
  });
  beforeEach(async () => {
    await db.prisma.$executeRawUnsafe('DELETE FROM audited_probe');
  });
}
const probes = async () => (await db.prisma.$queryRawUnsafe<Array<{ id: string }>>('SELECT id FROM audited_probe ORDER BY id')).map((row) => row.id);

describe('audit append', () => {
  it('stores every field and chains from the genesis value', async () => {
    const first = await log.append(sampleEntry(1));
    const second = await log.append(sampleEntry(2, { subject: null, details: undefined, actor: { subject: null } }));
    expect(first).toMatchObject({ seq: 1n, prevHash: GENESIS_HASH, action: 'account.update', subjectId: 'replica-1' });
    expect(second).toMatchObject({ seq: 2n, prevHash: first.hash, subjectType: null, details: null, actorGroups: [], actorSubject: null });
    const rows = await db.prisma.auditEntry.findMany({ orderBy: { seq: 'asc' } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ ...first, details: first.details });
    expect(rows[1]!.hash).toBe(entryHash({ ...rows[1]!, details: null }));
    expect(rows[0]!.details).toEqual({ n: 1, nested: { b: [1, 'two', null], a: true } });
  });

  it('gives concurrent appends distinct, gapless seqs and one valid chain', async () => {
    const small = createAuditLog(db, { maxBatch: 7 });
    const stored = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? log : small).append(sampleEntry(i))));
    await small.close();
    expect(stored.map((entry) => entry.seq).sort((a, b) => Number(a - b))).toEqual(Array.from({ length: 60 }, (_, i) => BigInt(i + 1)));
    expect(await verifyAuditChain(db.prisma, { pageSize: 16 })).toMatchObject({ ok: true, checked: 60 });
  });

  it('two logs on one database take turns: a stale head costs a retry, not an entry', async () => {
    const other = createAuditLog(db);
    const a1 = await log.append(sampleEntry(1));
    const b1 = await other.append(sampleEntry(2));
    // Each log now believes in a head the other has moved on from.
    const a2 = await log.append(sampleEntry(3));
    const b2 = await other.append(sampleEntry(4));
    await other.close();
    expect([a1, b1, a2, b2].map((e) => e.seq)).toEqual([1n, 2n, 3n, 4n]);
    expect(b2.prevHash).toBe(a2.hash);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 4 });
  });

  it('records the time of the call when none is given, to the millisecond', async () => {
    const clock = createAuditLog(db, { now: () => new Date('2032-05-06T07:08:09.123Z') });
    const entry = await clock.append({ actor: { subject: 'a' }, action: 'x', decision: 'ALLOW' });
    await clock.close();
    expect(entry.at.toISOString()).toBe('2032-05-06T07:08:09.123Z');
    expect((await db.prisma.auditEntry.findFirstOrThrow()).at.toISOString()).toBe('2032-05-06T07:08:09.123Z');
  });

  it('refuses bad input for its caller only, writing nothing for it', async () => {
    const results = await Promise.allSettled([
      log.append(sampleEntry(1)),
      log.append(sampleEntry(2, { action: '' })),
      log.append(sampleEntry(3, { userAgent: 'nul\u0000' })),
      log.append(sampleEntry(4, { details: { bad: 'lone \uD800' } })),
      log.append(sampleEntry(5, { details: { big: 1n } })),
      log.append(sampleEntry(6, { decision: 'MAYBE' as 'ALLOW' })),
      log.append(sampleEntry(7, { details: { emoji: '😀', date: new Date(0) } })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(AuditInputError);
    const last = results[6]!;
    expect(last.status === 'fulfilled' && last.value).toMatchObject({ seq: 2n, details: { emoji: '😀', date: '1970-01-01T00:00:00.000Z' } });
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 2 });
  });

  it('rejects every caller of a failed transaction and keeps the chain whole', async () => {
    await log.append(sampleEntry(1));
    // A real failure: the table is gone while these are written.
    await db.prisma.$executeRawUnsafe('ALTER TABLE audit_entry RENAME TO audit_entry_away');
    const failed = await Promise.allSettled([log.append(sampleEntry(2)), log.append(sampleEntry(3)), log.append(sampleEntry(4))]);
    await db.prisma.$executeRawUnsafe('ALTER TABLE audit_entry_away RENAME TO audit_entry');
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of failed) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(AuditWriteError);
    expect((await log.append(sampleEntry(5))).seq).toBe(2n);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 2 });
  });

  it('refuses appends after close, once the accepted ones are written', async () => {
    const pending = log.append(sampleEntry(1));
    await log.close();
    expect((await pending).seq).toBe(1n);
    await expect(log.append(sampleEntry(2))).rejects.toBeInstanceOf(AuditWriteError);
  });
});

describe('a write committed with its audit entry', () => {
  useProbeTable();
  /** Inserts a probe row in the transaction it is given; resolves with the row's id. */
  const insertProbe = (id: string) => async (tx: Prisma.TransactionClient) => {
    await tx.$executeRawUnsafe('INSERT INTO audited_probe (id) VALUES ($1)', id);
    return id;
  };

  it('commits the write and the entry its result names, in queue order with plain appends', async () => {
    const [plain, written, after] = await Promise.all([
      log.append(sampleEntry(1)),
      log.appendWith(insertProbe('p1'), (id) => sampleEntry(2, { details: { probe: id } })),
      log.append(sampleEntry(3)),
    ]);
    expect(written).toBe('p1');
    expect(await probes()).toEqual(['p1']);
    const rows = await db.prisma.auditEntry.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.map((row) => [row.seq, row.details])).toEqual([
      [1n, plain.details],
      [2n, { probe: 'p1' }],
      [3n, after.details],
    ]);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 3 });
  });

  it('commits a write whose result calls for no entry, and adds none', async () => {
    expect(await log.appendWith(insertProbe('p1'), () => null)).toBe('p1');
    expect(await probes()).toEqual(['p1']);
    expect(await db.prisma.auditEntry.count()).toBe(0);
    // The head is still known: the next entry chains from the genesis value.
    expect((await log.append(sampleEntry(1))).prevHash).toBe(GENESIS_HASH);
  });

  it('a failing write: its caller hears its error, nothing of it is written, the rest of the batch is', async () => {
    const results = await Promise.allSettled([
      log.append(sampleEntry(1)),
      log.appendWith(insertProbe('p1'), () => sampleEntry(2)),
      log.appendWith(async (tx) => {
        await insertProbe('p2')(tx);
        throw new Error('the write broke');
      }, () => sampleEntry(3)),
      // A database error aborts the transaction: the batch is still written without it.
      log.appendWith(insertProbe('p1'), () => sampleEntry(4)),
      log.append(sampleEntry(5)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(results[2]!.status === 'rejected' && results[2]!.reason).toMatchObject({ message: 'the write broke' });
    expect(results[3]!.status === 'rejected' && String(results[3]!.reason)).toMatch(/unique|duplicate/i);
    expect(await probes()).toEqual(['p1']);
    const rows = await db.prisma.auditEntry.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.map((row) => row.reason)).toEqual(['rule reason 1', 'rule reason 2', 'rule reason 5']);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 3 });
  });

  it('an entry the log refuses undoes the write', async () => {
    await expect(log.appendWith(insertProbe('p1'), () => sampleEntry(1, { action: '' }))).rejects.toBeInstanceOf(AuditInputError);
    expect(await probes()).toEqual([]);
    expect(await db.prisma.auditEntry.count()).toBe(0);
  });

  it('an entry that cannot be stored undoes the write: AuditWriteError, the write undone', async () => {
    await log.append(sampleEntry(1));
    await db.prisma.$executeRawUnsafe('ALTER TABLE audit_entry RENAME TO audit_entry_away');
    const failed = await log.appendWith(insertProbe('p1'), () => sampleEntry(2)).catch((error: unknown) => error);
    await db.prisma.$executeRawUnsafe('ALTER TABLE audit_entry_away RENAME TO audit_entry');
    expect(failed).toBeInstanceOf(AuditWriteError);
    expect(await probes()).toEqual([]);
    expect((await log.appendWith(insertProbe('p2'), () => sampleEntry(3))).valueOf()).toBe('p2');
    expect(await probes()).toEqual(['p2']);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 2 });
  });

  it('two logs with stale heads: the conflict undoes the write, which is run again and committed once', async () => {
    const other = createAuditLog(db);
    await log.append(sampleEntry(1));
    await other.append(sampleEntry(2));
    let runs = 0;
    const written = await log.appendWith(async (tx) => {
      runs += 1;
      return insertProbe('p1')(tx);
    }, () => sampleEntry(3));
    await other.close();
    expect(written).toBe('p1');
    expect(runs, 'the first run, undone by the conflict, and the one that committed').toBe(2);
    expect(await probes()).toEqual(['p1']);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 3 });
  });

  it('refuses writes after close, running nothing', async () => {
    await log.close();
    let ran = false;
    await expect(
      log.appendWith(async () => {
        ran = true;
      }, () => null),
    ).rejects.toBeInstanceOf(AuditWriteError);
    expect(ran).toBe(false);
  });
});

describe('a write sent with its entry as one statement', () => {
  useProbeTable();
  /** The probe insert both ways: in a transaction (counted) and as one statement (skipped when the row exists). */
  function probe(id: string, n: number) {
    const runs = { inTransaction: 0 };
    const write = async (tx: Prisma.TransactionClient) => {
      runs.inTransaction += 1;
      await tx.$executeRawUnsafe('INSERT INTO audited_probe (id) VALUES ($1)', id);
      return id;
    };
    const alone = {
      name: 'probeTest',
      ctes: Prisma.sql`written AS (INSERT INTO audited_probe (id) VALUES (${id}) ON CONFLICT (id) DO NOTHING RETURNING id)`,
      entry: sampleEntry(n, { details: { probe: id } }),
      result: (rows: unknown[]) => (rows.length > 0 ? (rows[0] as { id: string }).id : undefined),
    };
    return { runs, write, alone, entryOf: (written: string) => sampleEntry(n, { details: { probe: written } }) };
  }

  it('is one statement when the write is alone and the head is known, chained like any entry', async () => {
    await log.append(sampleEntry(1));
    const p = probe('p1', 2);
    expect(await log.appendWith(p.write, p.entryOf, p.alone)).toBe('p1');
    expect(p.runs.inTransaction).toBe(0);
    expect(await probes()).toEqual(['p1']);
    const rows = await db.prisma.auditEntry.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.map((row) => [row.seq, row.details])).toEqual([
      [1n, rows[0]!.details],
      [2n, { probe: 'p1' }],
    ]);
    // The head moved with it: the next entry links to it.
    expect((await log.append(sampleEntry(3))).prevHash).toBe(rows[1]!.hash);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 3 });
  });

  it('runs in a transaction while the head is unknown, or with other appends in its batch', async () => {
    const first = probe('p1', 1);
    await log.appendWith(first.write, first.entryOf, first.alone);
    expect(first.runs.inTransaction).toBe(1);
    const second = probe('p2', 3);
    await Promise.all([log.append(sampleEntry(2)), log.appendWith(second.write, second.entryOf, second.alone)]);
    expect(second.runs.inTransaction).toBe(1);
    expect(await probes()).toEqual(['p1', 'p2']);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 3 });
  });

  it('a statement that writes nothing leaves the write to its transaction, which decides', async () => {
    await log.append(sampleEntry(1));
    await db.prisma.$executeRawUnsafe("INSERT INTO audited_probe (id) VALUES ('p1')");
    const p = probe('p1', 2);
    // The statement skips the existing row; the transaction's insert then fails on it, and its caller hears why.
    await expect(log.appendWith(p.write, p.entryOf, p.alone)).rejects.toThrow(/unique|duplicate/i);
    expect(p.runs.inTransaction).toBe(1);
    expect(await db.prisma.auditEntry.count()).toBe(1);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 1 });
  });

  it('a statement that fails leaves the write to its transaction: nothing of the statement stays', async () => {
    await log.append(sampleEntry(1));
    const p = probe('p1', 2);
    const broken = { ...p.alone, ctes: Prisma.sql`written AS (INSERT INTO audited_probe (id) VALUES (${'p1'}) RETURNING id, 1 / 0 AS boom)` };
    expect(await log.appendWith(p.write, p.entryOf, broken)).toBe('p1');
    expect(p.runs.inTransaction).toBe(1);
    expect(await probes()).toEqual(['p1']);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 2 });
  });

  it("another instance's entry at the same seq undoes the statement; the write commits once, under the lock", async () => {
    const other = createAuditLog(db);
    await log.append(sampleEntry(1));
    await other.append(sampleEntry(2));
    const p = probe('p1', 3);
    expect(await log.appendWith(p.write, p.entryOf, p.alone)).toBe('p1');
    await other.close();
    expect(p.runs.inTransaction).toBe(1);
    expect(await probes()).toEqual(['p1']);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 3 });
  });
});

describe('audit_entry in the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, whoever asks', async () => {
    await log.append(sampleEntry(1));
    for (const sql of ["UPDATE audit_entry SET action = 'x'", 'DELETE FROM audit_entry', 'TRUNCATE audit_entry']) {
      await expect(db.prisma.$executeRawUnsafe(sql), sql).rejects.toThrow(/append-only/);
    }
    await expect(db.prisma.auditEntry.deleteMany()).rejects.toThrow(/append-only/);
    expect(await db.prisma.auditEntry.count()).toBe(1);
    // The triggers are back on after an attacker's session (support.ts relies on it).
    await asAttacker(db, "UPDATE audit_entry SET action = 'y'");
    await expect(db.prisma.$executeRawUnsafe('DELETE FROM audit_entry')).rejects.toThrow(/append-only/);
  });
});
