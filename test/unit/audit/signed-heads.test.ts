import { generateKeyPairSync } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAuditLog,
  createHeadSigner,
  entryHash,
  exportSignedHeads,
  headSignatureValid,
  keyIdOf,
  signHead,
  verifyAuditLog,
  type AuditEntry,
  type HeadSigner,
  type HeadSigningKey,
  type HeadVerifyKeys,
} from '../../../src/audit/index.js';
import type { Database } from '../../../src/db/index.js';
import { asAttacker, clearAudit, migratedPGlite, sampleEntry } from './support.js';

// A 12-entry chain signed after entries 4, 8 and 12, then forged the ways
// someone who can write to the database (but has not the key) can: verify must
// say which entries the signed heads no longer vouch for.
let db: Database;
let chain: AuditEntry[];
let signer: HeadSigner;
const logger = pino({ level: 'silent' });

function newKey(): { signing: HeadSigningKey; keys: HeadVerifyKeys } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = keyIdOf(publicKey);
  return { signing: { privateKey, keyId, origin: 'configured' }, keys: new Map([[keyId, publicKey]]) };
}
const key = newKey();

async function clearHeads(): Promise<void> {
  await db.prisma.$executeRawUnsafe('ALTER TABLE audit_signed_head DISABLE TRIGGER USER');
  try {
    await db.prisma.$executeRawUnsafe('DELETE FROM audit_signed_head');
  } finally {
    await db.prisma.$executeRawUnsafe('ALTER TABLE audit_signed_head ENABLE TRIGGER USER');
  }
}

/** The whole chain as stored, re-hashed from `from` on after `edit` changed an entry: what a forger without the key can do. */
async function rehashFrom(from: number, edit: (entry: AuditEntry) => AuditEntry): Promise<void> {
  const stored = (await db.prisma.auditEntry.findMany({ orderBy: { seq: 'asc' } })) as AuditEntry[];
  let prevHash = stored[from - 2]?.hash ?? '0'.repeat(64);
  const statements: string[] = [];
  for (const entry of stored.slice(from - 1)) {
    const changed = entry.seq === BigInt(from) ? edit(entry) : entry;
    const hash = entryHash({ ...changed, prevHash });
    statements.push(`UPDATE audit_entry SET action = '${changed.action}', "prevHash" = '${prevHash}', hash = '${hash}' WHERE seq = ${entry.seq}`);
    prevHash = hash;
  }
  await asAttacker(db, ...statements);
}

/** An entry appended after the head with a correctly computed hash, straight into the table. */
async function appendForged(at: Date): Promise<AuditEntry> {
  const last = chain.at(-1)!;
  const fields = { ...last, seq: last.seq + 1n, at, action: 'account.update', actorSubject: 'mallory', prevHash: last.hash };
  const forged: AuditEntry = { ...fields, hash: entryHash(fields) };
  await db.prisma.auditEntry.create({ data: { ...forged, details: forged.details ?? undefined } });
  return forged;
}

beforeAll(async () => {
  db = await migratedPGlite();
}, 60_000);
beforeEach(async () => {
  await clearAudit(db);
  await clearHeads();
  signer = createHeadSigner({ prisma: db.prisma, key: key.signing, intervalMs: 60_000, logger, pageSize: 3 });
  const log = createAuditLog(db);
  chain = [];
  for (let i = 1; i <= 12; i += 1) {
    chain.push(await log.append(sampleEntry(i)));
    if (i % 4 === 0) expect(await signer.signNow()).toMatchObject({ seq: BigInt(i), hash: chain[i - 1]!.hash });
  }
  await log.close();
});
afterAll(() => db?.close());

describe('the head signer', () => {
  it('signs only when the head moved, with a signature the public key verifies', async () => {
    expect(await signer.signNow()).toBeUndefined();
    const heads = await db.prisma.auditSignedHead.findMany({ orderBy: { seq: 'asc' } });
    expect(heads.map((head) => head.seq)).toEqual([4n, 8n, 12n]);
    for (const head of heads) expect(headSignatureValid(head, key.keys.get(key.signing.keyId)!)).toBe(true);
    expect(headSignatureValid({ ...heads[0]!, hash: chain[0]!.hash }, key.keys.get(key.signing.keyId)!)).toBe(false);
  });

  it('leaves a head another instance with the same key signed (no conflict)', async () => {
    const log = createAuditLog(db);
    await log.append(sampleEntry(13));
    await log.close();
    const other = createHeadSigner({ prisma: db.prisma, key: key.signing, intervalMs: 60_000, logger });
    const [mine, theirs] = await Promise.all([signer.signNow(), other.signNow()]);
    expect([mine, theirs].filter(Boolean)).toHaveLength(1);
    expect(await db.prisma.auditSignedHead.count({ where: { seq: 13n } })).toBe(1);
  });

  it('signs once more when stopped', async () => {
    const log = createAuditLog(db);
    await log.append(sampleEntry(13));
    await log.close();
    await signer.stop();
    expect((await db.prisma.auditSignedHead.findFirst({ orderBy: { seq: 'desc' } }))?.seq).toBe(13n);
  });

  it('does not sign over entries that do not link up from its last head', async () => {
    await rehashFrom(6, (entry) => ({ ...entry, action: 'noop' }));
    const log = createAuditLog(db);
    await log.append(sampleEntry(13));
    await log.close();
    // Entries 9 to 13 link up to each other, but 9 no longer links to signed head #8.
    expect(await signer.signNow()).toBeUndefined();
    expect(await db.prisma.auditSignedHead.count({ where: { seq: { gt: 12n } } })).toBe(0);
  });
});

describe('verify with signed heads', () => {
  it('reports an intact, fully signed chain', async () => {
    const result = await verifyAuditLog(db.prisma, { keys: key.keys, pageSize: 5 });
    expect(result.ok).toBe(true);
    expect(result.chain).toMatchObject({ ok: true, checked: 12 });
    expect(result.signatures).toMatchObject({ checked: 3, forged: null, contradicted: 0, unsigned: { count: 0, oldestAt: null }, invalid: { count: 0 } });
    expect(result.signatures.lastSigned).toMatchObject({ seq: 12n, hash: chain[11]!.hash, keyId: key.signing.keyId });
  });

  it('reports an appended entry with a correct hash as unsigned, with its age', async () => {
    const at = new Date(Date.UTC(2031, 0, 2));
    await appendForged(at);
    const result = await verifyAuditLog(db.prisma, { keys: key.keys });
    // The chain alone accepts it, as it accepts any entry hashed correctly.
    expect(result.chain).toMatchObject({ ok: true, checked: 13 });
    expect(result.signatures.lastSigned?.seq).toBe(12n);
    expect(result.signatures.unsigned).toEqual({ count: 1, oldestAt: at });
  });

  it('reports an edited middle entry with a re-hashed tail as forged between the signed heads around it', async () => {
    await rehashFrom(6, (entry) => ({ ...entry, action: 'noop' }));
    const result = await verifyAuditLog(db.prisma, { keys: key.keys, pageSize: 5 });
    expect(result.chain.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.signatures.forged).toMatchObject({ fromSeq: 5n, toSeq: 8n });
    expect(result.signatures.forged?.message).toMatch(/#5 to #8/);
    expect(result.signatures.contradicted).toBe(2);
    expect(result.signatures.lastSigned?.seq).toBe(4n);
    expect(result.signatures.unsigned.count).toBe(8);
  });

  it('reports a cut tail that a signed head covers as forged', async () => {
    await asAttacker(db, 'DELETE FROM audit_entry WHERE seq > 10');
    const result = await verifyAuditLog(db.prisma, { keys: key.keys });
    expect(result.chain.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.signatures.forged).toMatchObject({ fromSeq: 9n, toSeq: 12n });
    expect(result.signatures.forged?.message).toMatch(/missing/);
  });

  it('reports a head written without the key as invalid', async () => {
    const forged = await appendForged(new Date(Date.UTC(2031, 0, 2)));
    // Signed with another key but naming this one: the signature cannot verify.
    const head = signHead({ seq: forged.seq, hash: forged.hash, signedAt: new Date(), keyId: key.signing.keyId }, newKey().signing.privateKey);
    await db.prisma.auditSignedHead.create({ data: head });
    const result = await verifyAuditLog(db.prisma, { keys: key.keys });
    expect(result.ok).toBe(false);
    expect(result.signatures.invalid).toMatchObject({ count: 1, first: { seq: 13n } });
    expect(result.signatures.lastSigned?.seq).toBe(12n);
    expect(result.signatures.unsigned.count).toBe(1);
    // Nor does the gateway sign on from it.
    const log = createAuditLog(db);
    await log.append(sampleEntry(14));
    await log.close();
    expect(await signer.signNow()).toBeUndefined();
  });

  it('leaves heads of a key it has no public key for unchecked, and vouches for nothing with them', async () => {
    const other = newKey();
    const result = await verifyAuditLog(db.prisma, { keys: other.keys });
    expect(result.ok).toBe(true);
    expect(result.signatures).toMatchObject({ checked: 0, unchecked: { count: 3, keyIds: [key.signing.keyId] }, lastSigned: null, unsigned: { count: 12 } });
  });
});

describe('signed head export', () => {
  it('exports every head as NDJSON that verifies with the public key alone', async () => {
    let text = '';
    for await (const chunk of exportSignedHeads(db.prisma, { format: 'ndjson', pageSize: 2 })) text += chunk;
    const heads = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(heads.map((head) => head.seq)).toEqual(['4', '8', '12']);
    const publicKey = key.keys.get(key.signing.keyId)!;
    for (const head of heads) {
      expect(headSignatureValid({ seq: BigInt(head.seq!), hash: head.hash!, signedAt: new Date(head.signedAt!), keyId: head.keyId!, signature: head.signature! }, publicKey)).toBe(true);
    }
  });

  it('exports CSV with a header', async () => {
    let text = '';
    for await (const chunk of exportSignedHeads(db.prisma, { format: 'csv' })) text += chunk;
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('seq,hash,signedAt,keyId,signature');
    expect(lines[1]).toMatch(new RegExp(`^4,${chain[3]!.hash},`));
  });
});
