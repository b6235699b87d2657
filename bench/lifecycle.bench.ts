import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import { KINDS } from '../src/operations/kinds.js';
import { FAILOVER_MUTATION, minter, waitForStartupSync } from './gateway-client.js';
import { median, percentile, type Benchmark, type Measurement } from './harness.js';
import { startSimulatorAndGateway, type BenchStack } from './processes.js';
import { createScratchDatabase } from './scratch-database.js';

/**
 * Issue 15: lifecycle actions accepted per second through the gateway with 50
 * concurrent callers, against `failover`'s figure measured in the same run on
 * the same stack (goal ≥ 0.9×).
 *
 * The action measured is the planned failover: like failover it starts from a
 * Ready VM replica, so both paths get fresh replicas of the same population
 * and differ only in the upstream: failover reads and posts to EM, planned
 * failover lists the replica's points on the backup server's VBR REST API and
 * posts there (token, 201 with a session). Every other lifecycle action takes
 * the same pipeline and the same VBR round trips, from a state failover would
 * first have to create.
 *
 * Setup: the simulator as its own process (EM and every backup server's VBR
 * face; failovers and VBR sessions lasting 10 minutes so nothing ends and
 * every operation stays RUNNING, followed by the tracker); the gateway process
 * on a fresh PostgreSQL database with EM_URL at the simulator and VBR_SERVERS
 * naming its VBR faces. Each call acts on its own Ready VM replica of an
 * Enterprise server that the sync matched on its backup server.
 *
 * Environment: LIFECYCLE_BENCH_REPLICAS (simulator size, default 24000),
 * LIFECYCLE_BENCH_ACTIONS (calls per path per round, default 1000),
 * LIFECYCLE_BENCH_WARM_UP (calls per path before measuring, default 500).
 */
const REPLICAS = Number(process.env.LIFECYCLE_BENCH_REPLICAS ?? 24_000);
const ACTIONS = Number(process.env.LIFECYCLE_BENCH_ACTIONS ?? 1_000);
const WARM_UP = Number(process.env.LIFECYCLE_BENCH_WARM_UP ?? 500);
/** Rounds per path, alternating, the first path switching each round (the tracker's load grows as operations pile up). */
const ROUNDS = 3;
const CALLERS = 50;
const GOAL = 0.9;
/** Long enough that no session or failover ends while the bench runs. */
const SESSION_MS = '600000';

const PLANNED_FAILOVER_MUTATION = /* GraphQL */ `
  mutation PlannedFailover($input: ReplicaActionInput!, $key: String) {
    plannedFailover(input: $input, idempotencyKey: $key) {
      __typename
      ... on ReplicaActionStarted { operation { id state } }
      ... on Error { code message }
    }
  }
`;

/** A Ready VM replica and its newest restore point (what `failover` names). */
interface Target {
  replicaId: string;
  pointId: string;
}

/** One accepted action on one replica; resolves with its latency, rejects on anything but a started operation. */
type Call = (target: Target) => Promise<number>;

function gatewayCall(url: string, token: string, query: string, started: string, variables: (target: Target) => Record<string, unknown>): Call {
  return async (target) => {
    const t0 = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { input: variables(target), key: randomUUID() } }),
    });
    const text = await response.text();
    const elapsed = performance.now() - t0;
    if (!text.includes(`"${started}"`)) throw new Error(`gateway did not start the action on replica ${target.replicaId}: ${text.slice(0, 300)}`);
    return elapsed;
  };
}

interface Round {
  times: number[];
  perSecond: number;
}

/** `targets.length` calls by `callers` concurrent callers; latencies and calls per second. */
async function concurrent(call: Call, targets: Target[], callers: number): Promise<Round> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < targets.length) times.push(await call(targets[next++]!));
    }),
  );
  return { times, perSecond: targets.length / ((performance.now() - started) / 1000) };
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const medianRound = (rounds: Round[]) => [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)]!;

/** Ready VM replicas on servers that may fail over, known to their backup server's REST API, with their newest point. */
async function readyReplicas(db: pg.Client): Promise<Target[]> {
  const { rows } = await db.query<{ replica: string; point: string }>(`
    SELECT DISTINCT ON (r.id) r.id AS replica, rp.id AS point
      FROM "Replica" r
      JOIN "BackupServer" b ON b.id = r."backupServerId"
      JOIN "RestorePoint" rp ON rp."replicaId" = r.id
     WHERE r.kind = 'VM_REPLICA' AND r.state = 'Ready' AND r."vbrReplicaId" IS NOT NULL
       AND b.edition IN ('ENTERPRISE', 'ENTERPRISE_PLUS')
     ORDER BY r.id, rp."creationTime" DESC`);
  return rows.map((row) => ({ replicaId: row.replica, pointId: row.point }));
}

const lifecycle: Benchmark = {
  name: 'lifecycle',
  description: `issue 15: lifecycle actions (planned failover, through the backup server's REST API) accepted/s with ${CALLERS} concurrent callers on PostgreSQL, against failover's figure in the same run`,
  needs: ['postgres'],
  async run(): Promise<Measurement[]> {
    const database = await createScratchDatabase('fg_lifecycle_bench');
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-lifecycle-bench-'));
    const secret = randomBytes(32).toString('base64url');
    const db = new pg.Client({ connectionString: database.url });
    let stack: BenchStack | undefined;
    try {
      stack = await startSimulatorAndGateway({
        simulatorEnv: { SIM_SIZE: String(REPLICAS), SIM_FAILOVER_MS: SESSION_MS, SIM_VBR_SESSION_MS: SESSION_MS },
        databaseUrl: database.url,
        dataDir,
        jwtSecret: secret,
      });
      const report = await waitForStartupSync(dataDir);
      if (!report.ok) throw new Error(`start-up sync failed: ${report.error}`);
      await db.connect();
      const targets = await readyReplicas(db);
      const needed = 2 * (ROUNDS * ACTIONS + WARM_UP);
      if (targets.length < needed) throw new Error(`only ${targets.length} Ready VM replicas on Enterprise servers matched on their backup server; need ${needed} (raise LIFECYCLE_BENCH_REPLICAS)`);
      let taken = 0;
      const take = (n: number) => targets.slice(taken, (taken += n));

      const token = await minter(secret)('bench-admin');
      const url = stack.gateway.url;
      const failover = gatewayCall(url, token, FAILOVER_MUTATION, 'FailoverStarted', (t) => ({
        vmReplica: { restorePointId: encodeGlobalID('RestorePoint', t.pointId), reason: 'bench' },
      }));
      const planned = gatewayCall(url, token, PLANNED_FAILOVER_MUTATION, 'ReplicaActionStarted', (t) => ({
        replicaId: encodeGlobalID(KINDS.VM_REPLICA.graphqlType, t.replicaId),
        reason: 'bench',
      }));
      // Warm both paths (connections, JIT, the gateway's VBR tokens and caches) with the measured concurrency.
      await concurrent(failover, take(WARM_UP), CALLERS);
      await concurrent(planned, take(WARM_UP), CALLERS);

      const failoverRounds: Round[] = [];
      const plannedRounds: Round[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const order: Array<[Call, Round[]]> = [
          [failover, failoverRounds],
          [planned, plannedRounds],
        ];
        if (round % 2 === 1) order.reverse();
        for (const [call, rounds] of order) rounds.push(await concurrent(call, take(ACTIONS), CALLERS));
      }
      const failoverLoad = medianRound(failoverRounds);
      const plannedLoad = medianRound(plannedRounds);
      console.log(`  rounds, accepted/s: planned failover ${plannedRounds.map((r) => r.perSecond.toFixed(0)).join(', ')}; failover ${failoverRounds.map((r) => r.perSecond.toFixed(0)).join(', ')}`);

      // Sanity: every accepted call was dispatched exactly once (EM task, or VBR session) and audited.
      const calls = WARM_UP + ROUNDS * ACTIONS;
      const { rows } = await db.query<{ action: string; operations: number; dispatched: number }>(`
        SELECT action::text, count(*)::int AS operations,
               count(*) FILTER (WHERE CASE WHEN action = 'FAILOVER' THEN "emTaskId" ELSE "restoreSessionId" END IS NOT NULL)::int AS dispatched
          FROM failover_operation GROUP BY action`);
      const { rows: audited } = await db.query<{ action: string; n: number }>(`
        SELECT action, count(*)::int AS n FROM audit_entry WHERE action IN ('failover', 'plannedFailover') AND decision = 'ALLOW' GROUP BY action`);
      const facts = {
        failover: rows.find((r) => r.action === 'FAILOVER'),
        planned: rows.find((r) => r.action === 'PLANNED_FAILOVER'),
        others: rows.filter((r) => r.action !== 'FAILOVER' && r.action !== 'PLANNED_FAILOVER'),
        audited: Object.fromEntries(audited.map((r) => [r.action, r.n])),
      };
      const exact = (f: { operations: number; dispatched: number } | undefined) => f?.operations === calls && f.dispatched === calls;
      if (!exact(facts.failover) || !exact(facts.planned) || facts.others.length > 0 || facts.audited.failover !== calls || facts.audited.plannedFailover !== calls) {
        throw new Error(`expected ${calls} dispatched and audited operations of each action, found ${JSON.stringify(facts)}`);
      }

      const ratio = plannedLoad.perSecond / failoverLoad.perSecond;
      const p99 = (round: Round) => percentile(sorted(round.times), 99).toFixed(1);
      return [
        {
          metric: `accepted planned failovers/s (VBR REST), ${CALLERS} concurrent callers, median of ${ROUNDS} rounds of ${ACTIONS} (audited, PostgreSQL)`,
          value: plannedLoad.perSecond,
          unit: '/s',
          baseline: { name: `accepted failovers/s (EM), same stack, rounds alternating`, value: failoverLoad.perSecond },
          ratio,
          goal: `≥ ${GOAL}× failover`,
          pass: ratio >= GOAL,
        },
        {
          metric: `p50 latency under ${CALLERS} concurrent callers, planned failover (p99 ${p99(plannedLoad)} ms)`,
          value: median(plannedLoad.times),
          unit: 'ms',
          baseline: { name: `failover, same callers (p99 ${p99(failoverLoad)} ms)`, value: median(failoverLoad.times) },
          ratio: median(plannedLoad.times) / median(failoverLoad.times),
        },
      ];
    } finally {
      await db.end().catch(() => undefined);
      await stack?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await database.drop();
    }
  },
};

export const benchmarks: Benchmark[] = [lifecycle];
