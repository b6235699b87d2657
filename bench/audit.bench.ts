import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { chainBounds, readEncodedRange } from '../src/audit/chain-page.js';
import { createAuditLog, verifyAuditChain, type AuditEntryInput, type AuditLog } from '../src/audit/index.js';
import { applyMigrations, openDatabase, type Database } from '../src/db/index.js';
import type { Benchmark, Measurement } from './harness.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WRITERS = 20;
const APPEND_SECONDS = Number(process.env.AUDIT_BENCH_SECONDS ?? 5);
const VERIFY_ENTRIES = Number(process.env.AUDIT_BENCH_VERIFY_ENTRIES ?? 200_000);

/** An entry shaped like a failover decision: every column set, small details. */
function entry(i: number): AuditEntryInput {
  return {
    actor: { subject: `user-${i % 50}@example.org`, groups: ['EXAMPLE\\ops', 'EXAMPLE\\dr-team'], roles: ['RESTORE_OPERATOR'] },
    action: 'failover',
    subject: { type: 'Replica', id: `urn:veeam:Replica:${(i % 10_000).toString(16).padStart(8, '0')}-0000-0000-0000-000000000000` },
    decision: i % 7 === 0 ? 'DENY' : 'ALLOW',
    rule: 'restricted-scope',
    reason: 'the replica is in the caller\'s restore scope',
    requestId: `req-${i}`,
    clientAddress: '10.1.2.3',
    userAgent: 'portal/2.4 (+https://portal.example.org)',
    callerReason: 'planned DR test CHG-1234',
    details: { kind: 'VM_REPLICA', backupServer: 'vbr-01', restorePoint: '2031-01-01T00:00:00Z', attempt: 1 },
  };
}

/** `writers` callers, each appending in a loop for `seconds`; entries per second. */
async function closedLoop(seconds: number, writers: number, append: (i: number) => Promise<unknown>): Promise<number> {
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        await append(count);
        count += 1;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** The baseline: a table of the same shape and indexes, one plain INSERT per entry, no lock, no chain. */
async function plainInserts(db: Database, seconds: number): Promise<number> {
  await db.prisma.$executeRawUnsafe('CREATE TABLE audit_plain (LIKE audit_entry INCLUDING ALL)');
  await db.prisma.$executeRawUnsafe('CREATE SEQUENCE audit_plain_seq');
  const insert = `INSERT INTO audit_plain (seq, at, "actorSubject", "actorGroups", "actorRoles", action, "subjectType", "subjectId", decision, rule, reason,
      "requestId", "clientAddress", "userAgent", "callerReason", details, "prevHash", hash)
    VALUES (nextval('audit_plain_seq'), now(), $1, $2::text[], $3::text[], $4, $5, $6, $7::"AuditDecision", $8, $9, $10, $11, $12, $13, $14::jsonb, '', md5(random()::text))`;
  return closedLoop(seconds, WRITERS, (i) => {
    const e = entry(i);
    return db.prisma.$executeRawUnsafe(insert, e.actor.subject, e.actor.groups, e.actor.roles, e.action, e.subject!.type, e.subject!.id, e.decision,
      e.rule, e.reason, e.requestId, e.clientAddress, e.userAgent, e.callerReason, JSON.stringify(e.details));
  });
}

/** Reads the chain in the pages verify reads, as many at once (three), without hashing: the floor verify cannot beat. */
async function plainRead(db: Database, pageSize: number): Promise<number> {
  const size = BigInt(pageSize);
  const high = (await chainBounds(db.prisma))?.high ?? 0n;
  const inFlight: Array<Promise<unknown[]>> = [];
  let rows = 0;
  for (let from = 1n; from <= high || inFlight.length > 0; from += size) {
    if (from <= high) inFlight.push(readEncodedRange(db.prisma, from, from + size));
    if (inFlight.length === 3 || from > high) rows += (await inFlight.shift()!).length;
  }
  return rows;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

const audit: Benchmark = {
  name: 'audit',
  description: 'issue 4: audit chain appends on PostgreSQL (20 concurrent writers) and chain verification speed',
  needs: ['postgres'],
  async run(): Promise<Measurement[]> {
    const admin = await openDatabase({ databaseUrl: ADMIN_URL });
    const name = `fg_audit_bench_${randomBytes(4).toString('hex')}`;
    await admin.prisma.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const dbs: Database[] = [];
    const logs: AuditLog[] = [];
    try {
      const connect = async () => {
        const db = await openDatabase({ databaseUrl: url.toString() });
        dbs.push(db);
        return db;
      };
      const db = await connect();
      await applyMigrations(db);

      const baseline = await plainInserts(db, APPEND_SECONDS);
      const log = createAuditLog(db);
      logs.push(log);
      const chained = await closedLoop(APPEND_SECONDS, WRITERS, (i) => log.append(entry(i)));
      // Two gateway instances (two Prisma clients, 10 writers each) contending for the chain's lock.
      const other = createAuditLog(await connect());
      logs.push(other);
      const twoInstances = await closedLoop(APPEND_SECONDS, WRITERS, (i) => (i % 2 ? log : other).append(entry(i)));

      // Top the chain up for the verify run, in bursts the batching turns into large transactions.
      const bulk = createAuditLog(db, { maxBatch: 2_000 });
      logs.push(bulk);
      let total = await db.prisma.auditEntry.count();
      while (total < VERIFY_ENTRIES) {
        const burst = Math.min(10_000, VERIFY_ENTRIES - total);
        await Promise.all(Array.from({ length: burst }, (_, i) => bulk.append(entry(total + i))));
        total += burst;
      }
      await plainRead(db, 5_000); // warm the cache: both timed runs read from memory
      const read = await timed(() => plainRead(db, 5_000));
      const verified = await timed(() => verifyAuditChain(db.prisma));
      if (!verified.result.ok) throw new Error(`the benchmark's chain does not verify: ${verified.result.broken.message}`);
      const verifyRate = verified.result.checked / verified.seconds;
      const readRate = read.result / read.seconds;

      const plain = { name: `plain INSERT per entry, no chain, ${WRITERS} writers`, value: Math.round(baseline) };
      return [
        { metric: `append with the chain, ${WRITERS} concurrent writers, one instance (${APPEND_SECONDS} s)`, value: Math.round(chained), unit: 'entries/s', baseline: plain, ratio: chained / baseline, goal: '≥ 2,000/s', pass: chained >= 2_000 },
        { metric: `append with the chain, ${WRITERS} writers over two instances sharing the lock (${APPEND_SECONDS} s)`, value: Math.round(twoInstances), unit: 'entries/s', baseline: plain, ratio: twoInstances / baseline, goal: '≥ 2,000/s', pass: twoInstances >= 2_000 },
        { metric: `verify the chain (${verified.result.checked} entries, ${verified.seconds.toFixed(2)} s)`, value: Math.round(verifyRate), unit: 'entries/s', baseline: { name: 'the same pages read without hashing', value: Math.round(readRate) }, ratio: verifyRate / readRate, goal: '≥ 100,000/s', pass: verifyRate >= 100_000 },
      ];
    } finally {
      await Promise.all(logs.map((log) => log.close()));
      await Promise.all(dbs.map((db) => db.close()));
      await admin.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.close();
    }
  },
};

export const benchmarks: Benchmark[] = [audit];
