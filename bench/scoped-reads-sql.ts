/**
 * Diagnosis helper for bench/scoped-reads.bench.ts: runs the Prisma calls the
 * `replicas(first: 50)` resolver and its backup-server loader make, for a given
 * principal, with Prisma's query log on, prints each SQL statement and its
 * EXPLAIN (ANALYZE, BUFFERS) on the same parameters.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> npx tsx bench/scoped-reads-sql.ts bench-operator [bench-admin …]
 *
 * Needs a database left by the bench (SCOPED_BENCH_KEEP_DB=1) or any synced one.
 */
import { accessibleBy } from '@casl/prisma/runtime';
import pg from 'pg';
import { createPgFactory } from '../src/db/postgres.js';
import { PrismaClient, type Prisma } from '../src/generated/prisma/client.js';
import { createPolicy, loadAccountGrants, loadGatedServers, withPolicyExtension } from '../src/policy/index.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const subjects = process.argv.slice(2);
const explainAll = process.env.EXPLAIN_ALL === '1';

const base = new PrismaClient({ adapter: createPgFactory(url), log: [{ emit: 'event', level: 'query' }] });
const captured: Array<{ query: string; params: unknown[]; ms: number }> = [];
let capturing = false;
base.$on('query', (event) => {
  if (capturing) captured.push({ query: event.query, params: JSON.parse(event.params) as unknown[], ms: event.duration });
});
const prisma = withPolicyExtension(base);
const client = new pg.Client({ connectionString: url });
await client.connect();

for (const subject of subjects) {
  const principal = { subject, groups: [], expiresAt: new Date(Date.now() + 3_600_000) };
  const [accounts, servers] = await Promise.all([loadAccountGrants(base, principal), loadGatedServers(base)]);
  const { ability } = createPolicy({ principal, accounts, servers });
  const where: Prisma.ReplicaWhereInput = { AND: [accessibleBy(ability, 'read').ofType('Replica'), {}, {}, {}, {}] };
  // Warm the statement path, then capture one run.
  for (let i = 0; i < 3; i += 1) await prisma.replica.findMany({ where: { AND: [where, {}] }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: 51 });
  captured.length = 0;
  capturing = true;
  const rows = await prisma.replica.findMany({ where: { AND: [where, {}] }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: 51 });
  const serverIds = [...new Set(rows.slice(0, 50).map((row) => row.backupServerId))];
  await prisma.backupServer.findMany({ where: { AND: [accessibleBy(ability, 'read').ofType('BackupServer'), { id: { in: serverIds } }] } });
  if (explainAll) await prisma.replica.count({ where });
  capturing = false;
  console.log(`\n===== ${subject}: ${rows.length} rows on the first page`);
  for (const { query, params, ms } of captured) {
    console.log(`\n-- Prisma query log (${ms} ms), params ${JSON.stringify(params)}\n${query}`);
    const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query}`, params);
    console.log(plan.rows.map((row) => row['QUERY PLAN']).join('\n'));
  }
}
await client.end();
await base.$disconnect();
