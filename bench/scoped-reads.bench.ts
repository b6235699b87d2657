import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
import { graphql, minter, waitForStartupSync } from './gateway-client.js';
import { median, percentile, type Benchmark, type Measurement } from './harness.js';
import { startSimulatorAndGateway, type BenchStack } from './processes.js';

/**
 * Issue 4, "Scoped `replicas(first: 50)`": a Restore Operator whose restore
 * scope has 2,000 items, over a 100,000-replica inventory on PostgreSQL,
 * through a running gateway process (dist/), against an administrator running
 * the same query in the same run.
 *
 * Setup, all real: an EM simulator process with SCOPED_BENCH_REPLICAS replicas;
 * a fresh database; `failover-gateway serve` on it with EM_URL at the
 * simulator, so the gateway's own start-up sync fills the real schema (and
 * rebuilds restore scopes), which the bench waits for through the control
 * endpoint; an administrator from BOOTSTRAP_ADMINS; the operator created with
 * the `createAccount` mutation (the account service validates the refs and
 * rebuilds its visibility); tokens minted with JWT_SECRET.
 *
 * The scope: 2,000 hierarchy refs read from the synced `replica_ref`: the
 * smallest container of each type (cluster, host, resource pool, folder, tag,
 * org VDC, organization) plus single VMs and vApps, so it matches a realistic
 * few thousand replicas (5,279 of 100,000 with the default seed).
 *
 * Measured twice per run: as the sync left the database (no planner
 * statistics; autovacuum is off on the shared dev server, and even where it is
 * on it lags a big sync by a minute or more), then after VACUUM ANALYZE.
 * Diagnosis: bench/scoped-reads-sql.ts prints the SQL Prisma emits and its plan.
 *
 * Environment: SCOPED_BENCH_REPLICAS (default 100000), SCOPED_BENCH_REQUESTS
 * (sequential requests per caller for the latency figure, default 400),
 * SCOPED_BENCH_SECONDS (autocannon round length, default 8),
 * SCOPED_BENCH_CONNECTIONS (autocannon connections, default 20),
 * SCOPED_BENCH_KEEP_DB=1 (leave the database, e.g. to EXPLAIN ANALYZE; its name is printed).
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REPLICAS = Number(process.env.SCOPED_BENCH_REPLICAS ?? 100_000);
const REQUESTS = Number(process.env.SCOPED_BENCH_REQUESTS ?? 400);
const SECONDS = Number(process.env.SCOPED_BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.SCOPED_BENCH_CONNECTIONS ?? 20);
const KEEP_DB = process.env.SCOPED_BENCH_KEEP_DB === '1';
const SCOPE_ITEMS = 2_000;

/** The measured query: the first page of what the caller may see, as a portal's list shows it. */
export const REPLICAS_QUERY = /* GraphQL */ `
  query ScopedReplicas {
    replicas(first: 50) {
      edges {
        cursor
        node { id kind name platform state objectRef backupServer { id name } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export interface ScopeRef {
  ref: string;
  type: string;
  replicas: number;
}

/**
 * 2,000 refs of the synced inventory: of every container type (clusters,
 * hosts, resource pools, folders, tags, org VDCs, …), its smallest containers
 * (at most CONTAINERS_PER_TYPE, each under CONTAINER_CAP replicas, so one
 * datacenter does not pull in a tenth of the inventory); the rest single VMs
 * and vApps, spread over the inventory. Deterministic (ties by ref).
 */
const CONTAINERS_PER_TYPE = 1;
const CONTAINER_CAP = 2_000;

export async function pickScope(client: pg.Client, items = SCOPE_ITEMS): Promise<ScopeRef[]> {
  const { rows } = await client.query<ScopeRef & { own: boolean }>(`
    SELECT rr.ref,
           split_part(rr.ref, ':', 2) || ':' || split_part(rr.ref, ':', 3) AS type,
           count(*)::int AS replicas,
           bool_or(r."objectRef" = rr.ref) AS own
      FROM replica_ref rr
      JOIN "Replica" r ON r.id = rr."replicaId"
     GROUP BY rr.ref`);
  const byRef = (a: ScopeRef, b: ScopeRef) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);
  const containers = new Map<string, ScopeRef[]>();
  const objects: ScopeRef[] = [];
  for (const row of rows) {
    const item = { ref: row.ref, type: row.type, replicas: row.replicas };
    if (row.own) objects.push(item);
    else containers.set(row.type, [...(containers.get(row.type) ?? []), item]);
  }
  const picked: ScopeRef[] = [];
  for (const type of [...containers.keys()].sort()) {
    const smallest = containers
      .get(type)!
      .filter((item) => item.replicas <= CONTAINER_CAP)
      .sort((a, b) => a.replicas - b.replicas || byRef(a, b));
    picked.push(...smallest.slice(0, CONTAINERS_PER_TYPE));
  }
  objects.sort(byRef);
  const step = Math.max(1, Math.floor(objects.length / (items - picked.length)));
  for (let i = 0; i < objects.length && picked.length < items; i += step) picked.push(objects[i]!);
  return picked;
}

async function sequential(url: string, token: string, count: number): Promise<number[]> {
  const body = JSON.stringify({ query: REPLICAS_QUERY });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers, body });
    const text = await response.text();
    times.push(performance.now() - started);
    if (!response.ok || text.includes('"errors"')) throw new Error(`request ${i}: ${response.status} ${text.slice(0, 300)}`);
  }
  return times;
}

async function load(url: string, token: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: REPLICAS_QUERY }),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`load run had ${result.non2xx} non-2xx responses and ${result.errors} errors`);
  }
  return result.requests.average;
}

/** Client-side latency (sequential) and throughput (autocannon) of the operator and the administrator, interleaved. */
async function measure(url: string, operatorToken: string, adminToken: string) {
  // Latency: warm up both, then alternate blocks so drift on the machine hits both callers.
  await sequential(url, operatorToken, 50);
  await sequential(url, adminToken, 50);
  const operatorTimes: number[] = [];
  const adminTimes: number[] = [];
  const blocks = 4;
  for (let block = 0; block < blocks; block += 1) {
    operatorTimes.push(...(await sequential(url, operatorToken, Math.ceil(REQUESTS / blocks))));
    adminTimes.push(...(await sequential(url, adminToken, Math.ceil(REQUESTS / blocks))));
  }
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  // Throughput: warm, then alternate rounds.
  await load(url, operatorToken, 2);
  await load(url, adminToken, 2);
  const operatorRounds: number[] = [];
  const adminRounds: number[] = [];
  for (let round = 0; round < 2; round += 1) {
    operatorRounds.push(await load(url, operatorToken, SECONDS));
    adminRounds.push(await load(url, adminToken, SECONDS));
  }
  return {
    operatorTimes,
    adminTimes,
    operatorP95: percentile(sorted(operatorTimes), 95),
    adminP95: percentile(sorted(adminTimes), 95),
    operatorRounds,
    operatorRps: median(operatorRounds),
    adminRps: median(adminRounds),
  };
}

const scopedReads: Benchmark = {
  name: 'scoped-reads',
  description: `issue 4: scoped replicas(first: 50), Restore Operator with a ${SCOPE_ITEMS}-item scope vs an administrator, ${REPLICAS} replicas on PostgreSQL`,
  needs: ['postgres'],
  async run(): Promise<Measurement[]> {
    const name = `fg_scoped_bench_${randomBytes(4).toString('hex')}`;
    const adminDb = new pg.Client({ connectionString: ADMIN_URL });
    await adminDb.connect();
    await adminDb.query(`CREATE DATABASE "${name}"`);
    const dbUrl = new URL(ADMIN_URL);
    dbUrl.pathname = `/${name}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-scoped-bench-'));
    const secret = randomBytes(32).toString('base64url');
    let stack: BenchStack | undefined;
    const db = new pg.Client({ connectionString: dbUrl.toString() });
    try {
      stack = await startSimulatorAndGateway({ simulatorEnv: { SIM_SIZE: String(REPLICAS) }, databaseUrl: dbUrl.toString(), dataDir, jwtSecret: secret });
      const { gateway } = stack;
      const url = gateway.url;
      const syncStarted = performance.now();
      const report = await waitForStartupSync(dataDir);
      if (!report.ok) throw new Error(`start-up sync failed: ${report.error}`);
      const syncS = (performance.now() - syncStarted) / 1000;

      await db.connect();
      const scope = await pickScope(db);
      if (scope.length !== SCOPE_ITEMS) throw new Error(`only ${scope.length} refs in the inventory for a ${SCOPE_ITEMS}-item scope`);
      const types = new Map<string, number>();
      for (const item of scope) types.set(item.type, (types.get(item.type) ?? 0) + 1);

      const mint = minter(secret);
      const adminToken = await mint('bench-admin');
      const operatorToken = await mint('bench-operator');
      const createStarted = performance.now();
      await graphql(
        url,
        adminToken,
        /* GraphQL */ `mutation Create($input: CreateAccountInput!) { createAccount(input: $input) { id } }`,
        {
          input: {
            type: 'USER',
            name: 'bench-operator',
            roles: ['RESTORE_OPERATOR'],
            scope: { items: scope.map((item) => ({ ref: item.ref, name: `${item.type} ${item.ref.slice(-12)}` })) },
          },
        },
      );
      const createMs = performance.now() - createStarted;

      const counts = /* GraphQL */ `{ replicas(first: 1) { totalCount } }`;
      type Count = { replicas: { totalCount: number } };
      const visible = (await graphql<Count>(url, operatorToken, counts)).replicas.totalCount;
      const all = (await graphql<Count>(url, adminToken, counts)).replicas.totalCount;
      const page = await graphql<{ replicas: { edges: unknown[] } }>(url, operatorToken, REPLICAS_QUERY);
      if (page.replicas.edges.length !== Math.min(50, visible)) throw new Error(`operator page has ${page.replicas.edges.length} edges, ${visible} visible`);
      console.log(
        `  ${name}: ${all} replicas synced in ${syncS.toFixed(0)} s; operator scope ${scope.length} items ` +
          `(${[...types].map(([type, n]) => `${type} ${n}`).join(', ')}) matching ${visible} replicas; createAccount ${createMs.toFixed(0)} ms`,
      );

      const setup = `${scope.length}-item scope matching ${visible} of ${all} replicas`;
      const measurements: Measurement[] = [];
      // Twice: as the sync left the database (no planner statistics yet: autovacuum may be off, as on
      // this machine, and runs a minute later at best), then after VACUUM ANALYZE, the steady state
      // autovacuum reaches on a production server.
      for (const phase of ['as synced, no ANALYZE', 'after VACUUM ANALYZE'] as const) {
        if (phase === 'after VACUUM ANALYZE') await db.query('VACUUM ANALYZE');
        const figures = await measure(url, operatorToken, adminToken);
        measurements.push(
          {
            metric: `${phase}: p95 latency, operator (${setup}), ${figures.operatorTimes.length} sequential requests (median ${median(figures.operatorTimes).toFixed(1)} ms)`,
            value: figures.operatorP95,
            unit: 'ms',
            baseline: { name: `administrator, same query (median ${median(figures.adminTimes).toFixed(1)} ms)`, value: figures.adminP95 },
            ratio: figures.operatorP95 / figures.adminP95,
            goal: '≤ 20 ms',
            pass: figures.operatorP95 <= 20,
          },
          {
            metric: `${phase}: requests per second, operator, autocannon ${CONNECTIONS} connections, median of ${figures.operatorRounds.length} × ${SECONDS} s`,
            value: figures.operatorRps,
            unit: 'req/s',
            baseline: { name: 'administrator, same query', value: figures.adminRps },
            ratio: figures.operatorRps / figures.adminRps,
            goal: '≥ 0.5× administrator',
            pass: figures.operatorRps / figures.adminRps >= 0.5,
          },
        );
      }
      return measurements;
    } finally {
      await db.end().catch(() => undefined);
      await stack?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (KEEP_DB) console.log(`  kept database ${name}`);
      else await adminDb.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await adminDb.end();
    }
  },
};

export const benchmarks: Benchmark[] = [scopedReads];
