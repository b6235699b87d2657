import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { graphql, minter, waitForStartupSync } from './gateway-client.js';
import { median, percentile, type Benchmark, type Measurement } from './harness.js';
import { startGatewayProcess, startProcess, startSimulatorAndGateway, type BenchStack, type StartedProcess } from './processes.js';
import { createScratchDatabase } from './scratch-database.js';

/**
 * Issues 4 and 16, "Scoped `replicas(first: 50)`": a Restore Operator whose
 * restore scope has 2,000 items, over a 100,000-replica inventory on
 * PostgreSQL, through running gateway processes (dist/), against baselines
 * measured in the same run: an administrator running the same query, a stock
 * `createYoga` hello world, and (with SCOPED_BENCH_BASE) the code before a change.
 *
 * Setup, all real: an EM simulator process with SCOPED_BENCH_REPLICAS replicas;
 * a fresh database; `failover-gateway serve` on it with EM_URL at the
 * simulator and READ_CACHE=off, so the gateway's own start-up sync fills the
 * real schema (and rebuilds restore scopes), which the bench waits for through
 * the control endpoint; a second gateway with READ_CACHE=on (both with REDIS_URL
 * and one channel of this run's own, so the caller's policy is cached on both);
 * with SCOPED_BENCH_BASE a third, that build's gateway; stock Yoga
 * (bench/fixtures/stock-yoga.mjs); the floor of a database-backed list, stock
 * Yoga answering the same document with one hand-written SQL page
 * (bench/fixtures/stock-yoga-sql.mjs); an administrator from BOOTSTRAP_ADMINS; the
 * operator created with the `createAccount` mutation (the account service
 * validates the refs and rebuilds its visibility); tokens minted with JWT_SECRET.
 *
 * The scope: 2,000 hierarchy refs read from the synced `replica_ref`: the
 * smallest container of each type (cluster, host, resource pool, folder, tag,
 * org VDC, organization) plus single VMs and vApps, so it matches a realistic
 * few thousand replicas (5,279 of 100,000 with the default seed).
 *
 * Latency as the sync left the database (no planner statistics; autovacuum is
 * off on the shared dev server, and even where it is on it lags a big sync by
 * a minute or more), then everything after VACUUM ANALYZE. Diagnosis:
 * bench/scoped-reads-profile.ts times each stage of one request;
 * bench/scoped-reads-sql.ts prints the SQL Prisma emits and its plan.
 *
 * The code before a change, for the same-run baseline: build it and point
 * SCOPED_BENCH_BASE at its entry, e.g.
 *   git worktree add /tmp/base <commit> && (cd /tmp/base && npm ci) && SCOPED_BENCH_BASE=/tmp/base/dist/src/cli/main.js npm run bench -- scoped-reads
 * (or a copy of an older dist/ inside this checkout, which resolves this checkout's node_modules).
 *
 * Environment: SCOPED_BENCH_REPLICAS (default 100000), SCOPED_BENCH_REQUESTS
 * (sequential requests per caller for the latency figure, default 400),
 * SCOPED_BENCH_SECONDS (autocannon round length, default 8),
 * SCOPED_BENCH_CONNECTIONS (autocannon connections, default 20), SCOPED_BENCH_BASE,
 * TEST_REDIS_URL (default redis://127.0.0.1:6379),
 * SCOPED_BENCH_KEEP_DB=1 (leave the database, e.g. to EXPLAIN ANALYZE; its name is printed).
 */
const REPLICAS = Number(process.env.SCOPED_BENCH_REPLICAS ?? 100_000);
const REQUESTS = Number(process.env.SCOPED_BENCH_REQUESTS ?? 400);
const SECONDS = Number(process.env.SCOPED_BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.SCOPED_BENCH_CONNECTIONS ?? 20);
const KEEP_DB = process.env.SCOPED_BENCH_KEEP_DB === '1';
const SCOPE_ITEMS = 2_000;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Load rounds per target; the median counts. */
const ROUNDS = 2;
/** A compiled gateway of the code before a change (its dist/src/cli/main.js), measured in the same run; unset: not measured. */
const BASE_ENTRY = process.env.SCOPED_BENCH_BASE;

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

async function sequential(url: string, token: string, count: number, query = REPLICAS_QUERY): Promise<number[]> {
  const body = JSON.stringify({ query });
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

async function load(url: string, token: string | null, seconds: number, query = REPLICAS_QUERY): Promise<number> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`load run had ${result.non2xx} non-2xx responses and ${result.errors} errors`);
  }
  return result.requests.average;
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

/** A req/s figure whose goal is at least `factor` × its baseline. */
function atLeast(metric: string, value: number, baseline: { name: string; value: number }, factor: number, baselineName: string): Measurement {
  return { metric, value, unit: 'req/s', baseline, ratio: value / baseline.value, goal: `≥ ${factor}× ${baselineName}`, pass: value / baseline.value >= factor };
}

/** What each load round runs: a name, a URL, a token (none: the stock hello world) and a query. */
interface Target {
  name: string;
  url: string;
  token: string | null;
  query?: string;
}

/** Autocannon rounds of every target, alternating, so drift on the machine hits all of them: the median per target. */
async function throughput(targets: Target[]): Promise<Map<string, number>> {
  for (const target of targets) await load(target.url, target.token, 2, target.query);
  const rounds = new Map<string, number[]>(targets.map((target) => [target.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const target of targets) rounds.get(target.name)!.push(await load(target.url, target.token, SECONDS, target.query));
  }
  console.log(`  req/s per round: ${[...rounds].map(([name, values]) => `${name} ${values.map((v) => v.toFixed(0)).join('/')}`).join('; ')}`);
  return new Map([...rounds].map(([name, values]) => [name, median(values)]));
}

/** Sequential latency of every target, in alternating blocks after a warm-up. */
async function latency(targets: Target[]): Promise<Map<string, number[]>> {
  for (const target of targets) await sequential(target.url, target.token!, 50, target.query);
  const times = new Map<string, number[]>(targets.map((target) => [target.name, []]));
  const blocks = 4;
  for (let block = 0; block < blocks; block += 1) {
    for (const target of targets) times.get(target.name)!.push(...(await sequential(target.url, target.token!, Math.ceil(REQUESTS / blocks), target.query)));
  }
  return times;
}

/** The response cache's hits so far, from the gateway's /metrics. */
async function cacheHits(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith('gateway_read_cache_lookups_total{result="hit"}'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const scopedReads: Benchmark = {
  name: 'scoped-reads',
  description: `issues 4 and 16: scoped replicas(first: 50), Restore Operator with a ${SCOPE_ITEMS}-item scope, ${REPLICAS} replicas on PostgreSQL: cache off and on, against an administrator, stock Yoga and (SCOPED_BENCH_BASE) the code before`,
  needs: ['postgres', 'redis'],
  async run(): Promise<Measurement[]> {
    const database = await createScratchDatabase('fg_scoped_bench');
    const dataDirs: string[] = [];
    const dataDir = () => {
      const dir = mkdtempSync(join(tmpdir(), 'fg-scoped-bench-'));
      dataDirs.push(dir);
      return dir;
    };
    const secret = randomBytes(32).toString('base64url');
    // Both gateways of this code share one Redis channel (and so cache keys and generations) of this run's own.
    const redis = { REDIS_URL: REDIS_URL, REDIS_CHANNEL: `fg-bench:${database.name}` };
    let stack: BenchStack | undefined;
    const others: StartedProcess[] = [];
    const db = new pg.Client({ connectionString: database.url });
    try {
      const firstDir = dataDir();
      stack = await startSimulatorAndGateway({
        simulatorEnv: { SIM_SIZE: String(REPLICAS) },
        databaseUrl: database.url,
        dataDir: firstDir,
        jwtSecret: secret,
        gatewayEnv: { ...redis, READ_CACHE: 'off' },
      });
      const off = stack.gateway.url;
      const syncStarted = performance.now();
      const report = await waitForStartupSync(firstDir);
      if (!report.ok) throw new Error(`start-up sync failed: ${report.error}`);
      const syncS = (performance.now() - syncStarted) / 1000;
      // The other gateways on the same database and EM; each runs its own start-up sync (nothing left to change).
      const another = async (env: Record<string, string>, entry?: string) => {
        const dir = dataDir();
        const started = await startGatewayProcess({ databaseUrl: database.url, dataDir: dir, jwtSecret: secret, emUrl: stack!.simulator.url, env, entry });
        others.push(started);
        const synced = await waitForStartupSync(dir);
        if (!synced.ok) throw new Error(`start-up sync failed: ${synced.error}`);
        return started.url;
      };
      const on = await another({ ...redis, READ_CACHE: 'on' });
      const base = BASE_ENTRY ? await another({}, BASE_ENTRY) : null;
      const stock = await startProcess([fileURLToPath(new URL('./fixtures/stock-yoga.mjs', import.meta.url))]);
      others.push(stock);
      // It answers the operator's page and ignores the token it is sent.
      const floor = await startProcess([fileURLToPath(new URL('./fixtures/stock-yoga-sql.mjs', import.meta.url)), database.url, 'bench-operator']);
      others.push(floor);

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
        off,
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
      const visible = (await graphql<Count>(off, operatorToken, counts)).replicas.totalCount;
      const all = (await graphql<Count>(off, adminToken, counts)).replicas.totalCount;
      for (const url of [off, on, floor.url, ...(base ? [base] : [])]) {
        const page = await graphql<{ replicas: { edges: unknown[] } }>(url, operatorToken, REPLICAS_QUERY);
        if (page.replicas.edges.length !== Math.min(50, visible)) throw new Error(`operator page on ${url} has ${page.replicas.edges.length} edges, ${visible} visible`);
      }
      console.log(
        `  ${database.name}: ${all} replicas synced in ${syncS.toFixed(0)} s; operator scope ${scope.length} items ` +
          `(${[...types].map(([type, n]) => `${type} ${n}`).join(', ')}) matching ${visible} replicas; createAccount ${createMs.toFixed(0)} ms; ` +
          `code before this change: ${base ? BASE_ENTRY : 'not measured (set SCOPED_BENCH_BASE)'}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      );

      const setup = `${scope.length}-item scope matching ${visible} of ${all} replicas`;
      const measurements: Measurement[] = [];
      // As the sync left the database (no planner statistics yet: autovacuum may be off, as on this machine, and runs a
      // minute later at best): latency only. Then everything after VACUUM ANALYZE, the steady state autovacuum reaches.
      {
        const times = await latency([
          { name: 'operator', url: off, token: operatorToken },
          { name: 'admin', url: off, token: adminToken },
        ]);
        const p95 = (who: string) => percentile(sorted(times.get(who)!), 95);
        measurements.push({
          metric: `as synced, no ANALYZE: p95 latency, operator, cache off (${setup}), ${times.get('operator')!.length} sequential requests (median ${median(times.get('operator')!).toFixed(1)} ms)`,
          value: p95('operator'),
          unit: 'ms',
          baseline: { name: `administrator, same query (median ${median(times.get('admin')!).toFixed(1)} ms)`, value: p95('admin') },
          ratio: p95('operator') / p95('admin'),
          goal: '≤ 20 ms',
          pass: p95('operator') <= 20,
        });
      }
      await db.query('VACUUM ANALYZE');
      const hitsBefore = await cacheHits(on);
      const rps = await throughput([
        { name: 'stock', url: stock.url, token: null, query: '{ hello }' },
        { name: 'off', url: off, token: operatorToken },
        { name: 'on', url: on, token: operatorToken },
        { name: 'admin', url: off, token: adminToken },
        { name: 'floor', url: floor.url, token: operatorToken },
        ...(base ? [{ name: 'base', url: base, token: operatorToken }] : []),
      ]);
      const hits = (await cacheHits(on)) - hitsBefore;
      const times = await latency([
        { name: 'operator', url: off, token: operatorToken },
        { name: 'admin', url: off, token: adminToken },
        { name: 'floor', url: floor.url, token: operatorToken },
        ...(base ? [{ name: 'base', url: base, token: operatorToken }] : []),
      ]);
      const p95 = (who: string) => percentile(sorted(times.get(who)!), 95);
      const rounds = `autocannon ${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS} s`;
      const stockBaseline = { name: 'stock createYoga hello world, same connections', value: rps.get('stock')! };
      measurements.push(
        atLeast(`requests per second, operator, cache off, ${rounds}`, rps.get('off')!, stockBaseline, 0.25, 'stock Yoga'),
        atLeast(`requests per second, operator, cache on (${hits} hits counted by the gateway), ${rounds}`, rps.get('on')!, stockBaseline, 0.8, 'stock Yoga'),
        atLeast(
          `requests per second, operator vs administrator, both cache off, ${rounds}`,
          rps.get('off')!,
          { name: 'administrator, same query', value: rps.get('admin')! },
          0.8,
          'administrator',
        ),
        {
          metric: `p95 latency, operator, cache off (${setup}), ${times.get('operator')!.length} sequential requests (median ${median(times.get('operator')!).toFixed(1)} ms)`,
          value: p95('operator'),
          unit: 'ms',
          ...(base
            ? { baseline: { name: `the code before (SCOPED_BENCH_BASE), same requests (median ${median(times.get('base')!).toFixed(1)} ms)`, value: p95('base') }, ratio: p95('operator') / p95('base') }
            : { baseline: { name: `administrator, same query (median ${median(times.get('admin')!).toFixed(1)} ms)`, value: p95('admin') }, ratio: p95('operator') / p95('admin') }),
          goal: '≤ 4 ms on a quiet machine',
          pass: p95('operator') <= 4,
        },
      );
      // Not a goal of the issue: how far the gateway is from what any Node GraphQL server pays for this page.
      measurements.push(
        {
          metric: `requests per second, operator, cache off, against the floor of a database-backed list (stock Yoga + one hand-written SQL page, bench/fixtures/stock-yoga-sql.mjs), ${rounds}`,
          value: rps.get('off')!,
          unit: 'req/s',
          baseline: { name: 'the floor, same document and rows', value: rps.get('floor')! },
          ratio: rps.get('off')! / rps.get('floor')!,
        },
        {
          metric: `requests per second, the floor (stock Yoga + one SQL page), ${rounds}; its p95 of ${times.get('floor')!.length} sequential requests ${p95('floor').toFixed(2)} ms (median ${median(times.get('floor')!).toFixed(1)} ms)`,
          value: rps.get('floor')!,
          unit: 'req/s',
          baseline: stockBaseline,
          ratio: rps.get('floor')! / rps.get('stock')!,
        },
      );
      if (base) {
        measurements.push({
          metric: `requests per second, operator, cache off, this code vs the code before, ${rounds}`,
          value: rps.get('off')!,
          unit: 'req/s',
          baseline: { name: 'the code before (SCOPED_BENCH_BASE)', value: rps.get('base')! },
          ratio: rps.get('off')! / rps.get('base')!,
        });
      }
      return measurements;
    } finally {
      await db.end().catch(() => undefined);
      for (const started of others.reverse()) await started.stop();
      await stack?.stop();
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
      // The read cache's keys of this run (its channel is their prefix).
      const keys = new Redis(REDIS_URL);
      const left = await keys.keys(`${redis.REDIS_CHANNEL}:*`).catch(() => []);
      if (left.length > 0) await keys.del(left);
      await keys.quit();
      await (KEEP_DB ? database.keep() : database.drop());
    }
  },
};

export const benchmarks: Benchmark[] = [scopedReads];
