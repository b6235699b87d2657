import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createAuditLog, createHeadSigner, entryHash, resolveSigningKey, type AuditEntry } from '../../src/audit/index.js';
import { applyMigrations, openDatabase, type Database } from '../../src/db/index.js';
import { runCli } from '../support/process.js';
import { asAttacker, sampleEntry } from '../unit/audit/support.js';
import { tempDirs } from '../unit/db/support.js';

const dirs = tempDirs();
let dataDir: string;

/** Opens the CLI's PGlite folder in this process (the CLI must not be running meanwhile). */
async function withData(work: (db: Database) => Promise<void>): Promise<void> {
  const db = await openDatabase({ dataDir: join(dataDir, 'pglite') });
  try {
    await applyMigrations(db);
    await work(db);
  } finally {
    await db.close();
  }
}

async function cli(...args: string[]) {
  const run = runCli(['audit', ...args], { DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' });
  const code = await run.exited;
  return { code, out: run.stdout(), err: run.stderr() };
}

beforeAll(async () => {
  dataDir = await dirs.make('fg-audit-cli-');
  await withData(async (db) => {
    const log = createAuditLog(db);
    for (let i = 1; i <= 6; i += 1) await log.append(sampleEntry(i, { userAgent: i === 2 ? 'a,"b"' : 'ua' }));
    await log.close();
  });
});
afterAll(() => dirs.cleanup());

describe('audit command', () => {
  it('verify exits 0 on an intact chain and prints its head', async () => {
    const { code, out } = await cli('verify');
    expect(code).toBe(0);
    expect(out).toMatch(/^Audit chain OK: 6 entries verified; head #6:[0-9a-f]{64}$/m);
  });

  it('export writes a time range as CSV or NDJSON to stdout', async () => {
    const csv = await cli('export', '--format', 'csv', '--from', '2031-01-01T00:02:00Z', '--to', '2031-01-01T00:04:00Z');
    expect(csv.code).toBe(0);
    const lines = csv.out.split('\r\n');
    expect(lines[0]).toMatch(/^seq,at,actorSubject,/);
    expect(lines.slice(1, -1).map((line) => line.split(',')[0])).toEqual(['2', '3']);
    expect(csv.out).toContain('"a,""b"""');
    const ndjson = await cli('export');
    expect(ndjson.out.trimEnd().split('\n')).toHaveLength(6);
  });

  it('export ends quietly with exit 0 when the reader closes stdout early (… | head)', async () => {
    const run = runCli(['audit', 'export', '--format', 'csv'], { DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' });
    // The read end closed before the export wrote anything: its first write gets EPIPE.
    run.child.stdout!.destroy();
    expect(await run.exited).toBe(0);
    expect(run.stderr()).not.toMatch(/EPIPE|Error|\n\s+at /);
    // The database was closed properly: the next command opens it.
    expect((await cli('verify')).code).toBe(0);
  });

  it('verify checks the heads signed with the development key in DATA_DIR and reports what follows them as unsigned', async () => {
    const key = resolveSigningKey({ mode: 'test', dataDir, auditSigningKeyFile: undefined, auditPublicKeyFile: undefined });
    await withData(async (db) => {
      await createHeadSigner({ prisma: db.prisma, key, intervalMs: 60_000, logger: pino({ level: 'silent' }) }).signNow();
    });
    const signed = await cli('verify');
    expect(signed.code).toBe(0);
    expect(signed.out).toMatch(new RegExp(`^Signed heads: 1 verified; last #6 signed \\S+ with key ${key.keyId}$`, 'm'));
    expect(signed.out).toMatch(/^Unsigned: none$/m);
    const heads = await cli('export', '--signed-heads');
    expect(heads.out.trimEnd().split('\n').map((line) => JSON.parse(line) as { seq: string; keyId: string })).toMatchObject([{ seq: '6', keyId: key.keyId }]);

    // An entry with a correct hash, written straight into the table: unsigned, not forged.
    await withData(async (db) => {
      const last = (await db.prisma.auditEntry.findFirstOrThrow({ where: { seq: 6n } })) as AuditEntry;
      const fields = { ...last, seq: 7n, prevHash: last.hash, actorSubject: 'mallory' };
      await db.prisma.auditEntry.create({ data: { ...fields, details: fields.details ?? undefined, hash: entryHash(fields) } });
    });
    const appended = await cli('verify');
    expect(appended.code).toBe(0);
    expect(appended.out).toMatch(/^Unsigned: 1 entry after the last signed head, the oldest from 2031-01-01T00:06:00.007Z \(\d+ d (ago|in the future)\)/m);
    await withData((db) => asAttacker(db, 'DELETE FROM audit_entry WHERE seq = 7'));
  });

  it('verify exits 1 naming the first broken entry', async () => {
    await withData((db) => asAttacker(db, "UPDATE audit_entry SET \"callerReason\" = 'changed' WHERE seq IN (3, 5)"));
    const { code, out } = await cli('verify');
    expect(code).toBe(1);
    expect(out).toMatch(/BROKEN at entry #3 \(hash-mismatch\)/);
  });

  it('explains its options with --help and refuses bad ones', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('failover-gateway audit verify');
    const bad = await cli('export', '--format', 'xml');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--format must be ndjson or csv/);
  });

  it('refuses a --from or --to that names no real moment, instead of rolling it over', async () => {
    for (const time of ['2031-02-30', '2031-11-31T10:00:00Z', '2031-01-01T24:00:00Z', '2031-01-01T10:00:00']) {
      const { code, out, err } = await cli('export', '--from', time);
      expect(code, time).toBe(1);
      expect(err, time).toContain(`--from must be an RFC 3339 time`);
      expect(err, time).toContain(time);
      expect(out, time).toBe('');
    }
    const day = await cli('export', '--from', '2031-01-01', '--to', '2031-01-01T00:03:00+00:00');
    expect(day.code).toBe(0);
    expect(day.out.trimEnd().split('\n').map((line) => JSON.parse(line).seq)).toEqual(['1', '2']);
  });
});
