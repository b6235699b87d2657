import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import pino from 'pino';
import { createAuditLog, createHeadSigner, keyIdOf, verifyAuditChain, verifyAuditLog } from '../../src/audit/index.js';
import { readEncodedRange } from '../../src/audit/chain-page.js';
import { linksUpEncoded } from '../../src/audit/verify.js';
import { applyMigrations, openDatabase, projectRoot, type Database } from '../../src/db/index.js';
import { asAttacker, awkwardEntries, sampleEntry } from '../unit/audit/support.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const tsxLoader = createRequire(import.meta.url).resolve('tsx');
let admin: Database;
const created: string[] = [];
const open: Database[] = [];

beforeAll(async () => {
  admin = await openDatabase({ databaseUrl: ADMIN_URL });
});
afterAll(async () => {
  await Promise.all(open.map((db) => db.close()));
  for (const name of created) await admin.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin?.close();
});

/** A fresh, migrated database; returns its URL. */
async function freshDatabase(): Promise<string> {
  const name = `fg_audit_${randomBytes(6).toString('hex')}`;
  await admin.prisma.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
  created.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await connect(url.toString());
  await applyMigrations(db);
  return url.toString();
}

async function connect(url: string): Promise<Database> {
  const db = await openDatabase({ databaseUrl: url });
  open.push(db);
  return db;
}

/** Runs test/services/audit-writer.ts as its own process. */
function writerProcess(url: string, count: number, writers: number, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, 'test/services/audit-writer.ts', url, String(count), String(writers), name], {
      cwd: projectRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`writer ${name} exited ${code}: ${err}`))));
  });
}

/** Seqs in order, each prevHash the previous hash: checked here, independently of verify. */
async function expectOneGaplessChain(db: Database, total: number): Promise<void> {
  const rows = await db.prisma.auditEntry.findMany({ orderBy: { seq: 'asc' }, select: { seq: true, prevHash: true, hash: true } });
  expect(rows).toHaveLength(total);
  rows.forEach((row, index) => {
    expect(row.seq).toBe(BigInt(index + 1));
    if (index > 0) expect(row.prevHash).toBe(rows[index - 1]!.hash);
  });
  expect(await verifyAuditChain(db.prisma, { pageSize: 97 })).toMatchObject({ ok: true, checked: total });
}

describe('audit log on PostgreSQL', () => {
  it("verify's fast path accepts intact entries of any content: the server encodes them exactly as the gateway does", async () => {
    const db = await connect(await freshDatabase());
    const log = createAuditLog(db);
    for (const entry of awkwardEntries()) await log.append(entry);
    await log.close();
    const last = await db.prisma.auditEntry.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(linksUpEncoded(await readEncodedRange(db.prisma, 1n, 1_000n), null, undefined)).toEqual({ seq: last.seq, hash: last.hash });
    expect(await verifyAuditChain(db.prisma, { pageSize: 5 })).toMatchObject({ ok: true, checked: awkwardEntries().length });
  });

  it('several Prisma clients appending concurrently build one gapless chain', async () => {
    const url = await freshDatabase();
    const clients = await Promise.all([1, 2, 3, 4].map(() => connect(url)));
    const logs = clients.map((db) => createAuditLog(db, { maxBatch: 25 }));
    const perWriter = 15;
    // 4 clients × 10 concurrent callers each, verify running alongside.
    const appends = logs.flatMap((log, c) =>
      Array.from({ length: 10 }, async (_, w) => {
        for (let i = 0; i < perWriter; i += 1) await log.append(sampleEntry(i, { requestId: `c${c}-w${w}-${i}` }));
      }),
    );
    const during = verifyAuditChain(clients[0]!.prisma, { pageSize: 10 });
    await Promise.all(appends);
    expect((await during).ok).toBe(true);
    await Promise.all(logs.map((log) => log.close()));
    await expectOneGaplessChain(clients[0]!, 4 * 10 * perWriter);
  });

  it('several processes appending concurrently build one gapless chain', async () => {
    const url = await freshDatabase();
    const outputs = await Promise.all(['p1', 'p2', 'p3'].map((name) => writerProcess(url, 150, 20, name)));
    expect(outputs.map((out) => JSON.parse(out) as { written: number })).toEqual([{ written: 150 }, { written: 150 }, { written: 150 }]);
    const db = await connect(url);
    await expectOneGaplessChain(db, 450);
    const perProcess = await db.prisma.auditEntry.groupBy({ by: ['action'], _count: true });
    expect(perProcess).toEqual([{ action: 'test.append', _count: 450 }]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE; verify still catches an attacker who disables the trigger', async () => {
    const db = await connect(await freshDatabase());
    const log = createAuditLog(db);
    for (let i = 1; i <= 8; i += 1) await log.append(sampleEntry(i));
    await log.close();
    for (const sql of ["UPDATE audit_entry SET action = 'x' WHERE seq = 2", 'DELETE FROM audit_entry WHERE seq = 8', 'TRUNCATE audit_entry']) {
      await expect(db.prisma.$executeRawUnsafe(sql), sql).rejects.toThrow(/append-only/);
    }
    expect(await db.prisma.auditEntry.count()).toBe(8);

    await asAttacker(db, `UPDATE audit_entry SET details = jsonb_set(details, '{n}', '0') WHERE seq = 6`);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: false, broken: { seq: 6n, problem: 'hash-mismatch' } });
    await asAttacker(db, 'DELETE FROM audit_entry WHERE seq = 3');
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: false, broken: { seq: 3n, problem: 'missing' } });
  });

  it('instances sharing a key sign heads while others append, without conflicts; a cut tail contradicts them', async () => {
    const url = await freshDatabase();
    const clients = await Promise.all([1, 2, 3].map(() => connect(url)));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const key = { privateKey, keyId: keyIdOf(publicKey), origin: 'configured' as const };
    const signers = clients.map((db) => createHeadSigner({ prisma: db.prisma, key, intervalMs: 60_000, logger: pino({ level: 'silent' }), pageSize: 7 }));
    const logs = clients.map((db) => createAuditLog(db, { maxBatch: 5 }));
    await Promise.all(
      logs.map(async (log, c) => {
        for (let i = 0; i < 30; i += 1) {
          await log.append(sampleEntry(i, { requestId: `c${c}-${i}` }));
          // Every instance signs as it goes, racing the others for the same heads.
          if (i % 3 === 0) await Promise.all(signers.map((signer) => signer.signNow()));
        }
      }),
    );
    await Promise.all(logs.map((log) => log.close()));
    await Promise.all(signers.map((signer) => signer.stop()));
    const db = clients[0]!;
    const keys = new Map([[key.keyId, publicKey]]);
    const intact = await verifyAuditLog(db.prisma, { keys, pageSize: 11 });
    expect(intact.ok).toBe(true);
    expect(intact.signatures).toMatchObject({ invalid: { count: 0 }, forged: null, unsigned: { count: 0 } });
    expect(intact.signatures.checked).toBe(await db.prisma.auditSignedHead.count());
    expect(intact.signatures.lastSigned?.seq).toBe(90n);

    for (const sql of ["UPDATE audit_signed_head SET hash = 'x'", 'DELETE FROM audit_signed_head', 'TRUNCATE audit_signed_head']) {
      await expect(db.prisma.$executeRawUnsafe(sql), sql).rejects.toThrow(/append-only/);
    }
    // Where the racing signers put their heads depends on timing: the first head past the cut is the one it contradicts.
    const heads = (await db.prisma.auditSignedHead.findMany({ select: { seq: true }, orderBy: { seq: 'asc' } })).map((h) => h.seq);
    const firstPastCut = heads.find((seq) => seq > 85n)!;
    expect(heads.at(-1)).toBe(90n);
    await asAttacker(db, 'DELETE FROM audit_entry WHERE seq > 85');
    const cut = await verifyAuditLog(db.prisma, { keys });
    expect(cut.chain.ok).toBe(true);
    expect(cut.ok).toBe(false);
    expect(cut.signatures.forged).toMatchObject({ toSeq: firstPastCut });
    expect(cut.signatures.forged!.fromSeq).toBeLessThanOrEqual(86n);
  });
});
