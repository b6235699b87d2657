import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import { FAILOVER_MUTATION, minter, waitForStartupSync } from './gateway-client.js';
import { median, percentile, type Benchmark, type Measurement } from './harness.js';
import { startSimulatorAndGateway, type BenchStack } from './processes.js';
import { createScratchDatabase } from './scratch-database.js';

/**
 * Issue 5: accepted failovers per second through the gateway on PostgreSQL
 * (policy, fresh EM check, claim, audit, dispatch) with 50 concurrent callers,
 * and the latency the gateway adds to EM's failover call. The baseline is the
 * simulator's own failover endpoint called directly, in the same run, with the
 * same HTTP client: logged on once, one POST per failover.
 *
 * Setup: the EM simulator as its own process (a large inventory, failovers
 * lasting 10 minutes so every operation stays RUNNING and the tracker follows
 * them all, as in a real disaster); the gateway process on a fresh PostgreSQL
 * database with EM_URL at the simulator. Every failover uses its own Ready VM
 * replica on an Enterprise server, so each is a real, accepted failover.
 *
 * Environment: FAILOVER_BENCH_REPLICAS (simulator size, default 20000),
 * FAILOVER_BENCH_FAILOVERS (failovers per throughput round, default 2000),
 * FAILOVER_BENCH_SEQUENTIAL (sequential calls per latency block, default 100),
 * FAILOVER_BENCH_KEEP_DB=1 (leave the database, e.g. to EXPLAIN ANALYZE the admission path's statements; its name is printed),
 * FAILOVER_BENCH_ENTRY (the gateway to measure: another build's dist/src/cli/main.js, e.g. the code before a change, against
 * this checkout's simulator and floor; default this checkout's).
 */
const REPLICAS = Number(process.env.FAILOVER_BENCH_REPLICAS ?? 24_000);
const FAILOVERS = Number(process.env.FAILOVER_BENCH_FAILOVERS ?? 1_000);
/** Throughput rounds, direct and gateway alternating; the median counts (the machine is noisy). */
const ROUNDS = 3;
const SEQUENTIAL = Number(process.env.FAILOVER_BENCH_SEQUENTIAL ?? 100);
const CALLERS = 50;
const LATENCY_BLOCKS = 3;
/** Warm-up failovers per path before anything is measured (JIT, connection pools, PostgreSQL's caches). */
const WARM_UP = 500;
const KEEP_DB = process.env.FAILOVER_BENCH_KEEP_DB === '1';
const ENTRY = process.env.FAILOVER_BENCH_ENTRY;

/** One failover of one restore point; resolves with its latency, rejects on anything but a started failover. */
type Call = (pointId: string) => Promise<number>;

function gatewayCall(url: string, token: string): Call {
  return async (pointId) => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: FAILOVER_MUTATION, variables: { input: { vmReplica: { restorePointId: encodeGlobalID('RestorePoint', pointId), reason: 'bench' } }, key: randomUUID() } }),
    });
    const text = await response.text();
    const elapsed = performance.now() - started;
    if (!text.includes('"FailoverStarted"')) throw new Error(`gateway did not start the failover of ${pointId}: ${text.slice(0, 300)}`);
    return elapsed;
  };
}

async function logon(emUrl: string): Promise<string> {
  const response = await fetch(`${emUrl}/sessionMngr/?v=latest`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('em-admin:em-admin').toString('base64')}` } });
  const session = response.headers.get('x-restsvcsessionid');
  await response.text();
  if (!session) throw new Error(`simulator logon failed: ${response.status}`);
  return session;
}

async function post(emUrl: string, session: string, pointId: string): Promise<void> {
  const response = await fetch(`${emUrl}/vmReplicaPoints/${pointId}?action=failover`, { method: 'POST', headers: { 'x-restsvcsessionid': session, accept: 'application/json' } });
  await response.text();
  if (response.status !== 202) throw new Error(`simulator refused the failover of ${pointId}: ${response.status}`);
}

async function directCall(emUrl: string): Promise<Call> {
  const session = await logon(emUrl);
  return async (pointId) => {
    const started = performance.now();
    await post(emUrl, session, pointId);
    return performance.now() - started;
  };
}

/**
 * What the failover contract cannot do without, done directly in the same run:
 * one fresh EM read of the restore point, one durable commit on the gateway's
 * PostgreSQL (a row in a table of its own, synchronous commit as configured),
 * then the POST. The gateway's sequential p50 is measured against it.
 */
async function floorCall(emUrl: string, db: pg.Client): Promise<Call> {
  const session = await logon(emUrl);
  await db.query('CREATE TABLE bench_floor (id text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
  return async (pointId) => {
    const started = performance.now();
    const read = await fetch(`${emUrl}/vmReplicaPoints/${pointId}?format=Entity`, { headers: { 'x-restsvcsessionid': session, accept: 'application/json' } });
    await read.text();
    if (!read.ok) throw new Error(`simulator could not read ${pointId}: ${read.status}`);
    await db.query('INSERT INTO bench_floor (id) VALUES ($1)', [pointId]);
    await post(emUrl, session, pointId);
    return performance.now() - started;
  };
}

/** `points.length` failovers by `callers` concurrent callers; latencies and failovers per second. */
async function concurrent(call: Call, points: string[], callers: number): Promise<{ times: number[]; perSecond: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < points.length) times.push(await call(points[next++]!));
    }),
  );
  return { times, perSecond: points.length / ((performance.now() - started) / 1000) };
}

async function sequential(call: Call, points: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const point of points) times.push(await call(point));
  return times;
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

/** The newest restore point of every Ready VM replica on a server that may fail over. */
async function failoverTargets(db: pg.Client): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`
    SELECT DISTINCT ON (r.id) rp.id
      FROM "Replica" r
      JOIN "BackupServer" b ON b.id = r."backupServerId"
      JOIN "RestorePoint" rp ON rp."replicaId" = r.id
     WHERE r.kind = 'VM_REPLICA' AND r.state = 'Ready' AND b.edition IN ('ENTERPRISE', 'ENTERPRISE_PLUS')
     ORDER BY r.id, rp."creationTime" DESC`);
  return rows.map((row) => row.id);
}

const failover: Benchmark = {
  name: 'failover',
  description: `issue 5: accepted failovers/s with ${CALLERS} concurrent callers on PostgreSQL, and gateway-added latency, against the simulator's failover endpoint called directly`,
  needs: ['postgres'],
  async run(): Promise<Measurement[]> {
    const database = await createScratchDatabase('fg_failover_bench');
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-failover-bench-'));
    const secret = randomBytes(32).toString('base64url');
    const db = new pg.Client({ connectionString: database.url });
    let stack: BenchStack | undefined;
    try {
      stack = await startSimulatorAndGateway({ simulatorEnv: { SIM_SIZE: String(REPLICAS), SIM_FAILOVER_MS: '600000' }, databaseUrl: database.url, dataDir, jwtSecret: secret, ...(ENTRY ? { entry: ENTRY } : {}) });
      if (ENTRY) console.log(`  gateway: ${ENTRY}`);
      const { simulator: sim, gateway } = stack;
      const report = await waitForStartupSync(dataDir);
      if (!report.ok) throw new Error(`start-up sync failed: ${report.error}`);
      await db.connect();
      const targets = await failoverTargets(db);
      const needed = 2 * ROUNDS * FAILOVERS + 3 * LATENCY_BLOCKS * SEQUENTIAL + 2 * WARM_UP + 50;
      if (targets.length < needed) throw new Error(`only ${targets.length} Ready VM replicas on Enterprise servers; need ${needed} (raise FAILOVER_BENCH_REPLICAS)`);
      let taken = 0;
      const take = (n: number) => targets.slice(taken, (taken += n));

      const token = await minter(secret)('bench-admin');
      const viaGateway = gatewayCall(gateway.url, token);
      const direct = await directCall(sim.url);
      const floor = await floorCall(sim.url, db);
      await sequential(floor, take(50));
      // Warm both paths (connections, JIT, the gateway's caches) with the throughput phase's concurrency.
      await concurrent(direct, take(WARM_UP), CALLERS);
      await concurrent(viaGateway, take(WARM_UP), CALLERS);

      const gatewaySeq: number[] = [];
      const directSeq: number[] = [];
      const floorSeq: number[] = [];
      for (let block = 0; block < LATENCY_BLOCKS; block += 1) {
        directSeq.push(...(await sequential(direct, take(SEQUENTIAL))));
        floorSeq.push(...(await sequential(floor, take(SEQUENTIAL))));
        gatewaySeq.push(...(await sequential(viaGateway, take(SEQUENTIAL))));
      }
      const directRounds: Array<{ times: number[]; perSecond: number }> = [];
      const gatewayRounds: Array<{ times: number[]; perSecond: number }> = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        directRounds.push(await concurrent(direct, take(FAILOVERS), CALLERS));
        gatewayRounds.push(await concurrent(viaGateway, take(FAILOVERS), CALLERS));
      }
      const medianRound = (rounds: Array<{ times: number[]; perSecond: number }>) => [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)]!;
      const directLoad = medianRound(directRounds);
      const gatewayLoad = medianRound(gatewayRounds);
      console.log(`  rounds, failovers/s: gateway ${gatewayRounds.map((r) => r.perSecond.toFixed(0)).join(', ')}; direct ${directRounds.map((r) => r.perSecond.toFixed(0)).join(', ')}`);

      // Sanity: every accepted failover was sent to EM exactly once and audited.
      const { rows } = await db.query<{ operations: number; running: number; audited: number }>(`
        SELECT (SELECT count(*) FROM failover_operation)::int AS operations,
               (SELECT count(*) FROM failover_operation WHERE "emTaskId" IS NOT NULL)::int AS running,
               (SELECT count(*) FROM audit_entry WHERE action = 'failover' AND decision = 'ALLOW')::int AS audited`);
      const gatewayCalls = WARM_UP + LATENCY_BLOCKS * SEQUENTIAL + ROUNDS * FAILOVERS;
      const facts = rows[0]!;
      if (facts.operations !== gatewayCalls || facts.running !== gatewayCalls || facts.audited !== gatewayCalls) {
        throw new Error(`expected ${gatewayCalls} dispatched and audited operations, found ${JSON.stringify(facts)}`);
      }

      const p50Direct = median(directSeq);
      const p50Gateway = median(gatewaySeq);
      const overhead = p50Gateway - p50Direct;
      const p99Direct = percentile(sorted(directSeq), 99);
      const p99Gateway = percentile(sorted(gatewaySeq), 99);
      return [
        {
          metric: `accepted failovers/s, ${CALLERS} concurrent callers, median of ${ROUNDS} rounds of ${FAILOVERS} VM replica failovers (audited, PostgreSQL)`,
          value: gatewayLoad.perSecond,
          unit: '/s',
          baseline: { name: 'simulator failover endpoint called directly, same callers', value: directLoad.perSecond },
          ratio: gatewayLoad.perSecond / directLoad.perSecond,
          goal: '≥ 300/s',
          pass: gatewayLoad.perSecond >= 300,
        },
        {
          metric: `gateway-added latency at p50, ${LATENCY_BLOCKS * SEQUENTIAL} sequential failovers (gateway p50 ${p50Gateway.toFixed(2)} ms)`,
          value: overhead,
          unit: 'ms',
          baseline: { name: 'direct call p50', value: p50Direct },
          ratio: overhead / p50Direct,
          goal: '≤ 2× the direct call',
          pass: overhead <= 2 * p50Direct,
        },
        {
          metric: `sequential failover p50 through the gateway, ${LATENCY_BLOCKS * SEQUENTIAL} failovers (issue 16)`,
          value: p50Gateway,
          unit: 'ms',
          baseline: { name: 'the floor done directly: one EM read + one durable commit + the POST, p50', value: median(floorSeq) },
          ratio: p50Gateway / median(floorSeq),
          goal: '≤ 2× the floor',
          pass: p50Gateway <= 2 * median(floorSeq),
        },
        {
          metric: `gateway-added latency at p99 (gateway p99 ${p99Gateway.toFixed(2)} ms)`,
          value: p99Gateway - p99Direct,
          unit: 'ms',
          baseline: { name: 'direct call p99', value: p99Direct },
          ratio: (p99Gateway - p99Direct) / p99Direct,
        },
        {
          metric: `p50 latency under ${CALLERS} concurrent callers (p99 ${percentile(sorted(gatewayLoad.times), 99).toFixed(1)} ms)`,
          value: median(gatewayLoad.times),
          unit: 'ms',
          baseline: { name: `direct, same callers (p99 ${percentile(sorted(directLoad.times), 99).toFixed(1)} ms)`, value: median(directLoad.times) },
          ratio: median(gatewayLoad.times) / median(directLoad.times),
        },
      ];
    } finally {
      await db.end().catch(() => undefined);
      await stack?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await (KEEP_DB ? database.keep() : database.drop());
    }
  },
};

export const benchmarks: Benchmark[] = [failover];
