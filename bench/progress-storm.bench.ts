import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import WebSocket from 'ws';
import { applyMigrations, openDatabase } from '../src/db/index.js';
import { FAILOVER_MUTATION, minter, waitForStartupSync } from './gateway-client.js';
import { median, percentile, type Benchmark, type Measurement } from './harness.js';
import { startSimulatorAndGateway, type BenchStack } from './processes.js';
import type { ClientCommand, ClientProgress, ClientReport, FloorCommand, SubscriberSpec, Transport } from './progress-storm-client.js';
import { createScratchDatabase } from './scratch-database.js';

/**
 * Issue 6, the failover storm: live progress of many concurrent failovers to
 * many subscribers, on one gateway process (PostgreSQL) and one EM simulator
 * process. `npm run bench -- progress-storm` (about 8 minutes at full size).
 *
 * Per round, on a fresh database, simulator and gateway:
 *  1. warm-up: WARM_OPERATIONS short failovers watched to their end (JIT, pools, caches);
 *  2. idle: every client socket closed, a full GC forced in the server
 *     (inspector, see forceGc) and its RSS and JS heap sampled ("before");
 *     then STORM_OPERATIONS failovers that stay put (EM's restore session sits
 *     in Starting for the first tenth of an hour-long failover, and the bench
 *     parks their lease so the tracker leaves them alone: no event), watched
 *     by STORM_OPERATIONS × STORM_WATCHERS subscribers plus STORM_DASHBOARDS;
 *     once the server counts every one open (gateway_open_subscriptions),
 *     GC and sample again. Per idle subscriber = (with − before) /
 *     subscribers, sockets (or SSE connections) included;
 *  3. storm: the idle subscriptions closed; STORM_OPERATIONS new failovers
 *     lasting STORM_FAILOVER_MS dispatched through the gateway (50 concurrent
 *     callers). Per operation: one failoverEvents subscriber filtered to its
 *     replica (open before the dispatch, so it must see every event from 1),
 *     and STORM_WATCHERS − 1 failoverProgress subscribers that subscribe as
 *     soon as the mutation answers (replay, then live); plus STORM_DASHBOARDS
 *     unfiltered failoverEvents subscribers that see every operation. Runs
 *     until every stream saw its final event.
 *
 * Measured: delivery latency = receipt − the write of the event's row (its
 * recordedAt: the trigger's clock_timestamp() inside the writing statement;
 * the database runs on this machine, so it is the clients' clock), as the
 * issue defines it ("from the tracker's write to the client's receipt"); the
 * same from `at` (the writer's clock before its statement waited for a pooled
 * connection and ran) is reported alongside. The bare baseline has no rows:
 * it writes `at` as it sends. Counted for every event written once its
 * subscription was open (failoverProgress:
 * from its first message; events written while it was starting, and older
 * replayed ones, are reported apart), also split at the end of the dispatch
 * and at the moment every stream was open (the steady storm) and broken down
 * by subscriber kind and event class; lost events (any of 1..N missing per
 * subscriber and operation, N = the operation's final sequence in the
 * database, which is also checked to hold exactly events 1..N) and
 * duplicates; server CPU (utime + stime from /proc), PostgreSQL's and the
 * clients', from the first dispatch to the last event; subscribe → first
 * event; connections dropped by full accept queues (/proc/net/netstat).
 *
 * Rounds: graphql-ws (STORM_SUBS_PER_SOCKET subscriptions per socket, under
 * WS_MAX_SUBSCRIPTIONS), the baseline, then SSE (one POST with Accept:
 * text/event-stream per subscriber: the same storm, same subscribers; at most
 * STORM_SSE_STARTS streams per client process waiting for their response, so
 * the gateway's accept queue (Node's default backlog, 511) is not what gets
 * measured). The baseline, in the same run with the same clients and the
 * same storm shape (operations, events per operation as the graphql-ws round
 * wrote them, failover duration, subscribers, sockets): a bare graphql-ws
 * server (graphql-js + graphql-ws + ws, in-memory events; no database, Yoga,
 * tokens or policy), i.e. what the transport and GraphQL execution cost alone.
 *
 * Clients run in STORM_CLIENT_PROCESSES forked processes (child_process.fork),
 * not worker threads: their CPU and memory show up under their own pids (so
 * the server's /proc figures are the server's alone, and the bench shows
 * whether the clients themselves were short of CPU), their garbage
 * collection and event-loop stalls cannot delay the orchestrator's sampling
 * or each other's receipt stamps, and a crash stays contained. IPC is a
 * handful of messages per phase; per-event work stays in the clients.
 *
 * Environment: STORM_OPERATIONS (500), STORM_WATCHERS per operation (10),
 * STORM_DASHBOARDS (2), STORM_FAILOVER_MS (25000), STORM_SUBS_PER_SOCKET (50),
 * STORM_CLIENT_PROCESSES (2), STORM_SSE_STARTS (225), STORM_REPLICAS
 * (simulator size, default from the operations), STORM_TRANSPORTS (ws,sse),
 * STORM_BASELINE (1; 0 skips it); diagnostics: STORM_CPU_PROFILE_DIR (a CPU
 * profile of the gateway over the storm), STORM_HEAP_SNAPSHOT_DIR (heap
 * snapshots before and with the idle subscriptions; they inflate that
 * round's RSS). The gateway inherits the environment, so FAILOVER_POLL_MS,
 * WS_MAX_SUBSCRIPTIONS etc. set for the run apply to it. A quick check:
 * STORM_OPERATIONS=20 STORM_FAILOVER_MS=8000 npm run bench -- progress-storm
 */
const OPERATIONS = Number(process.env.STORM_OPERATIONS ?? 500);
const WATCHERS = Math.max(2, Number(process.env.STORM_WATCHERS ?? 10));
const DASHBOARDS = Number(process.env.STORM_DASHBOARDS ?? 2);
const FAILOVER_MS = Number(process.env.STORM_FAILOVER_MS ?? 25_000);
const SUBS_PER_SOCKET = Number(process.env.STORM_SUBS_PER_SOCKET ?? 50);
const CLIENT_PROCESSES = Math.max(1, Number(process.env.STORM_CLIENT_PROCESSES ?? 2));
const TRANSPORTS = (process.env.STORM_TRANSPORTS ?? 'ws,sse').split(',').map((t) => t.trim()) as Transport[];
const WITH_BASELINE = process.env.STORM_BASELINE !== '0';
const WARM_OPERATIONS = 20;
const WARM_FAILOVER_MS = 4_000;
const IDLE_FAILOVER_MS = 3_600_000;
/** About a third of the simulator's replicas are Ready VM replicas on servers that may fail over. */
const REPLICAS = Number(process.env.STORM_REPLICAS ?? Math.max(4_000, Math.ceil(((2 * OPERATIONS + WARM_OPERATIONS) * 4) / 1000) * 1000));
const DISPATCHERS = 50;
const SUBSCRIBERS = OPERATIONS * WATCHERS;
const CLIENT_FILE = new URL('./progress-storm-client.ts', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;
const PARKED_OWNER = 'progress-storm-parked';

// ---------------------------------------------------------------- child processes over IPC

class Child {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly exited: Promise<void>;

  constructor(readonly process: ChildProcess) {
    process.on('message', (message: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.result);
      else waiting?.reject(new Error(message.error));
    });
    this.exited = new Promise((resolve) =>
      process.once('exit', (code) => {
        for (const waiting of this.pending.values()) waiting.reject(new Error(`child ${process.pid} exited with ${code}`));
        this.pending.clear();
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.process.pid!;
  }

  call<T>(command: ClientCommand | FloorCommand): Promise<T> {
    const id = (this.next += 1);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.process.send({ id, command });
    });
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    await this.exited;
  }
}

function forkChild(role: 'client' | 'floor'): Child {
  // tsx runs the TypeScript helper, as it runs the benchmarks.
  return new Child(fork(CLIENT_FILE, [role], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

// ---------------------------------------------------------------- /proc

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return Number.NaN; // gone
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime 14 and stime 15 (1-based over the whole line).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function rssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN; // gone
  }
}

/** Connections the kernel dropped because a listening socket's accept queue was full (whole machine). */
function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const header = lines.find((line) => line.startsWith('TcpExt:'))!.split(/\s+/);
  const values = lines.filter((line) => line.startsWith('TcpExt:'))[1]!.split(/\s+/);
  return Number(values[header.indexOf('ListenOverflows')]);
}

/** CPU seconds of every PostgreSQL process on the machine (the server and its backends), by pid. */
function postgresCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The whole machine's busy and total jiffies, for how loaded it was. */
function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * A full garbage collection in another Node process, through its inspector:
 * SIGUSR1 opens it on 127.0.0.1:9229, then HeapProfiler.collectGarbage. RSS
 * compared after a full GC on both sides counts what is kept, not garbage
 * that happened not to be collected yet. False when it could not be done.
 */
async function forceGc(pid: number, expectTitle: string): Promise<number | null> {
  try {
    process.kill(pid, 'SIGUSR1');
    let target: { title: string; url: string; webSocketDebuggerUrl: string } | undefined;
    for (let i = 0; i < 20 && !target; i += 1) {
      await sleep(100);
      const list = (await fetch('http://127.0.0.1:9229/json/list').then((r) => r.json(), () => [])) as Array<{ title: string; url: string; webSocketDebuggerUrl: string }>;
      target = list.find((t) => t.title === `node[${pid}]` || t.title.includes(expectTitle) || t.url.includes(expectTitle));
    }
    if (!target) return null;
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    const heap = await new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => {
        socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
        socket.on('message', (data) => {
          const message = JSON.parse(data.toString()) as { id?: number; result?: { usedSize?: number } };
          if (message.id === 1) socket.send(JSON.stringify({ id: 2, method: 'Runtime.getHeapUsage' }));
          if (message.id === 2) resolve(message.result?.usedSize ?? Number.NaN);
        });
      });
    });
    socket.close();
    return heap;
  } catch {
    return null;
  }
}

/** Writes a heap snapshot of another Node process (inspector on 9229, opened by forceGc) to `file`. */
async function heapSnapshot(pid: number, expectTitle: string, file: string): Promise<void> {
  const { createWriteStream } = await import('node:fs');
  const list = (await fetch('http://127.0.0.1:9229/json/list').then((r) => r.json())) as Array<{ title: string; url: string; webSocketDebuggerUrl: string }>;
  const target = list.find((t) => t.title === `node[${pid}]` || t.title.includes(expectTitle) || t.url.includes(expectTitle));
  if (!target) throw new Error('no inspector target for the heap snapshot');
  const out = createWriteStream(file);
  const socket = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 2 ** 30 });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.takeHeapSnapshot', params: { reportProgress: false } })));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; method?: string; params?: { chunk: string } };
      if (message.method === 'HeapProfiler.addHeapSnapshotChunk') out.write(message.params!.chunk);
      if (message.id === 1) resolve();
    });
  });
  socket.close();
  await new Promise<void>((resolve) => out.end(resolve));
  console.log(`  heap snapshot: ${file}`);
}

/** Starts the V8 CPU profiler in another Node process (inspector opened by forceGc); the stop writes the profile to `file`. */
async function startCpuProfile(pid: number, expectTitle: string, file: string): Promise<() => Promise<void>> {
  const { writeFileSync } = await import('node:fs');
  const list = (await fetch('http://127.0.0.1:9229/json/list').then((r) => r.json())) as Array<{ title: string; url: string; webSocketDebuggerUrl: string }>;
  const target = list.find((t) => t.title === `node[${pid}]` || t.title.includes(expectTitle) || t.url.includes(expectTitle));
  if (!target) throw new Error('no inspector target for the CPU profile');
  const socket = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 2 ** 30 });
  const waiting = new Map<number, (result: unknown) => void>();
  let next = 0;
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = (next += 1);
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => resolve());
  });
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  await send('Profiler.enable');
  await send('Profiler.start');
  return async () => {
    const result = (await send('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(result.profile));
    socket.close();
    console.log(`  CPU profile of the storm: ${file}`);
  };
}

/** STORM_CPU_PROFILE_DIR: a CPU profile of the server over the storm (gateway rounds). */
const PROFILE_DIR = process.env.STORM_CPU_PROFILE_DIR;

/** STORM_HEAP_SNAPSHOT_DIR: heap snapshots of the server before and with the idle subscriptions (large: hundreds of MB). */
const SNAPSHOT_DIR = process.env.STORM_HEAP_SNAPSHOT_DIR;

/** Median of a few RSS samples (KB), 400 ms apart, after a full GC when `gc` can do one; with the JS heap in use after that GC (bytes). */
async function settledRssKb(pid: number, gc?: () => Promise<number | null>): Promise<{ rss: number; heap: number }> {
  let heap = Number.NaN;
  if (gc) {
    const used = await gc();
    if (used === null) console.log(`  ! could not force a GC in ${pid}; RSS includes uncollected garbage`);
    else heap = used;
    await sleep(1_000);
  }
  const samples: number[] = [];
  for (let i = 0; i < 7; i += 1) {
    samples.push(rssKb(pid));
    await sleep(400);
  }
  return { rss: median(samples), heap };
}

/** CPU and RSS of a set of processes over a window. */
function cpuWindow(pids: Record<string, number>) {
  const startedAt = performance.now();
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const machineStart = machineJiffies();
  const postgresStart = postgresCpu();
  let peakRss = 0;
  const gatewayPid = pids.server!;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, rssKb(gatewayPid) || 0)), 500);
  return {
    stop() {
      clearInterval(timer);
      peakRss = Math.max(peakRss, rssKb(gatewayPid) || 0);
      const seconds = (performance.now() - startedAt) / 1000;
      const cpu = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid) - start[name]!]));
      // Backends that started during the window count from zero; ones that ended are lost (the gateway's pool keeps its connections).
      let postgres = 0;
      for (const [pid, seconds] of postgresCpu()) postgres += seconds - (postgresStart.get(pid) ?? 0);
      cpu.postgres = postgres;
      const machineEnd = machineJiffies();
      const machineBusy = (machineEnd.busy - machineStart.busy) / Math.max(1, machineEnd.total - machineStart.total);
      return { seconds, cpu, peakRssKb: peakRss, machineBusy };
    },
  };
}

// ---------------------------------------------------------------- what a round runs against

interface Target {
  name: string;
  transport: Transport;
  url: string;
  pid: number;
  /** Other processes whose CPU is worth reporting (the simulator). */
  others: Record<string, number>;
  /** A full GC in the server process, before an RSS sample; the JS heap in use after it. */
  gc(): Promise<number | null>;
  openSubscriptions(): Promise<number>;
  /** Replica ids (global) for `count` failovers of a phase. */
  replicas(count: number): Promise<string[]>;
  /** Starts a failover of each replica, failovers lasting `durationMs`; calls `started` as each one answers. */
  dispatch(replicaIds: string[], phase: 'warm' | 'idle' | 'storm', started: (replicaId: string, operationId: string) => void): Promise<void>;
  /** Waits for idle operations to stop changing and keeps them so. */
  settleIdle(operationIds: string[]): Promise<void>;
  /** Failover mutations sent again because their connection failed. */
  readonly dispatchRetries?: number;
  /** Final sequence per operation (global id). */
  finals(operationIds: string[]): Promise<Record<string, number>>;
  /** When each event's row was written (`operationId:sequence` → epoch ms); absent where events are written as they are sent. */
  written?(operationIds: string[]): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');

async function metricsOpenSubscriptions(url: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  let total = 0;
  for (const match of text.matchAll(/^gateway_open_subscriptions\{[^}]*\} (\S+)$/gm)) total += Number(match[1]);
  return total;
}

/** Applies the migrations before the gateway starts (it then finds none pending). */
async function migrate(url: string): Promise<void> {
  const db = await openDatabase({ databaseUrl: url });
  try {
    await applyMigrations(db);
  } finally {
    await db.close();
  }
}

async function gatewayTarget(transport: Transport): Promise<Target> {
  const database = await createScratchDatabase('fg_storm_bench');
  await migrate(database.url);
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-storm-bench-'));
  const secret = randomBytes(32).toString('base64url');
  const db = new pg.Client({ connectionString: database.url });
  let stack: BenchStack | undefined;
  const cleanup = async () => {
    await db.end().catch(() => undefined);
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  };
  try {
    stack = await startSimulatorAndGateway({ simulatorEnv: { SIM_SIZE: String(REPLICAS), SIM_FAILOVER_MS: String(FAILOVER_MS) }, databaseUrl: database.url, dataDir, jwtSecret: secret });
    const report = await waitForStartupSync(dataDir);
    if (!report.ok) throw new Error(`start-up sync failed: ${report.error}`);
    await db.connect();
    const { rows } = await db.query<{ replica: string; point: string }>(`
      SELECT DISTINCT ON (r.id) r.id AS replica, rp.id AS point
        FROM "Replica" r
        JOIN "BackupServer" b ON b.id = r."backupServerId"
        JOIN "RestorePoint" rp ON rp."replicaId" = r.id
       WHERE r.kind = 'VM_REPLICA' AND r.state = 'Ready' AND b.edition IN ('ENTERPRISE', 'ENTERPRISE_PLUS')
       ORDER BY r.id, rp."creationTime" DESC`);
    const needed = 2 * OPERATIONS + WARM_OPERATIONS;
    if (rows.length < needed) throw new Error(`only ${rows.length} Ready VM replicas on Enterprise servers; need ${needed} (raise STORM_REPLICAS)`);
    const pointOf = new Map(rows.map((row) => [encodeGlobalID('VmReplica', row.replica), row.point]));
    const free = [...pointOf.keys()];
    const token = await minter(secret)('bench-admin');
    const { gateway, simulator } = stack;
    const adminUrl = simulator.url.replace(/\/api\/?$/, '/admin');
    const durations = { warm: WARM_FAILOVER_MS, idle: IDLE_FAILOVER_MS, storm: FAILOVER_MS };
    let dispatchRetries = 0;

    return {
      name: transport === 'ws' ? 'gateway, graphql-ws' : 'gateway, SSE',
      transport,
      url: gateway.url,
      pid: gateway.child.pid!,
      others: { simulator: simulator.child.pid! },
      gc: () => forceGc(gateway.child.pid!, 'main.js'),
      token,
      openSubscriptions: () => metricsOpenSubscriptions(gateway.url),
      async replicas(count) {
        return free.splice(0, count);
      },
      async dispatch(replicaIds, phase, started) {
        const response = await fetch(`${adminUrl}/config`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failoverDurationMs: durations[phase] }) });
        if (!response.ok) throw new Error(`simulator config: ${response.status} ${await response.text()}`);
        let next = 0;
        await Promise.all(
          Array.from({ length: DISPATCHERS }, async () => {
            while (next < replicaIds.length) {
              const replicaId = replicaIds[next++]!;
              const request = JSON.stringify({
                query: FAILOVER_MUTATION,
                variables: { input: { vmReplica: { restorePointId: encodeGlobalID('RestorePoint', pointOf.get(replicaId)!), reason: 'storm bench' } }, key: randomUUID() },
              });
              let answer: Response | undefined;
              // A connection the gateway never accepted (accept queue full) sent nothing: the same key makes the retry safe anyway.
              for (let attempt = 1; !answer; attempt += 1) {
                try {
                  answer = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: request });
                } catch (error) {
                  if (attempt >= 5) throw error;
                  dispatchRetries += 1;
                }
              }
              const body = (await answer.json()) as { data?: { failover?: { __typename: string; operation?: { id: string } } } };
              const operation = body.data?.failover?.operation;
              if (body.data?.failover?.__typename !== 'FailoverStarted' || !operation) throw new Error(`failover of ${replicaId} not started: ${JSON.stringify(body).slice(0, 300)}`);
              started(replicaId, operation.id);
            }
          }),
        );
      },
      async settleIdle(operationIds) {
        const ids = operationIds.map(uuidOf);
        // The tracker's first look records EM's task and restore session (Running, Starting, progress 1); after that nothing changes for minutes.
        for (let waited = 0; ; waited += 500) {
          const { rows: left } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM failover_operation WHERE id = ANY($1::uuid[]) AND (state <> 'RUNNING' OR "sessionState" IS NULL)`, [ids]);
          if (left[0]!.n === 0) break;
          if (waited > 60_000) throw new Error(`${left[0]!.n} idle operations not RUNNING with a restore session after 60 s`);
          await sleep(500);
        }
        // Park them: a lease held by nobody the tracker knows, so it never looks again (no EM calls, no writes, no events).
        await db.query(`UPDATE failover_operation SET "leaseOwner" = $2, "leaseExpiresAt" = now() + interval '1 day' WHERE id = ANY($1::uuid[])`, [ids, PARKED_OWNER]);
        await sleep(1_500);
      },
      async finals(operationIds) {
        const ids = operationIds.map(uuidOf);
        const { rows: finals } = await db.query<{ id: string; sequence: number; active: boolean; events: number; max: number }>(
          `SELECT o.id, o.sequence, o.state IN ('DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING') AS active,
                  (SELECT count(*)::int FROM failover_event e WHERE e."operationId" = o.id) AS events,
                  (SELECT max(sequence)::int FROM failover_event e WHERE e."operationId" = o.id) AS max
             FROM failover_operation o WHERE o.id = ANY($1::uuid[])`,
          [ids],
        );
        const stillActive = finals.filter((row) => row.active).length;
        const holes = finals.filter((row) => row.events !== row.sequence || row.max !== row.sequence).length;
        if (stillActive > 0) console.log(`  ! ${stillActive} storm operations still active at the end`);
        if (holes > 0) console.log(`  ! ${holes} operations whose stored events are not exactly 1..sequence`);
        return Object.fromEntries(finals.map((row) => [encodeGlobalID('FailoverOperation', row.id), row.sequence]));
      },
      async written(operationIds) {
        // recordedAt: the trigger's clock_timestamp() as it inserts the event, inside the writing statement.
        const { rows } = await db.query<{ id: string; sequence: number; ms: string }>(
          `SELECT "operationId" AS id, sequence, (extract(epoch FROM "recordedAt") * 1000)::bigint::text AS ms FROM failover_event WHERE "operationId" = ANY($1::uuid[])`,
          [operationIds.map(uuidOf)],
        );
        return Object.fromEntries(rows.map((row) => [`${encodeGlobalID('FailoverOperation', row.id)}:${row.sequence}`, Number(row.ms)]));
      },
      stop: cleanup,
      get dispatchRetries() {
        return dispatchRetries;
      },
    } as Target & { token: string };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function floorTarget(eventsPerOperation: number): Promise<Target> {
  const floor = forkChild('floor');
  const url = await new Promise<string>((resolve, reject) => {
    floor.process.on('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'listening') resolve(message.url!);
    });
    floor.exited.then(() => reject(new Error('the baseline server exited before listening')));
  });
  const durations = { warm: WARM_FAILOVER_MS, storm: FAILOVER_MS };
  return {
    name: 'bare graphql-ws (baseline)',
    transport: 'ws',
    url,
    pid: floor.pid,
    others: {},
    gc: () => forceGc(floor.pid, 'progress-storm-client'),
    openSubscriptions: () => floor.call<number>({ type: 'open' }),
    replicas: (count) => floor.call<string[]>({ type: 'replicas', count }),
    async dispatch(replicaIds, phase, started) {
      const idle = phase === 'idle';
      const ids = await floor.call<string[]>({ type: 'dispatch', replicaIds, events: idle ? 3 : phase === 'warm' ? 6 : eventsPerOperation, durationMs: idle ? null : durations[phase] });
      ids.forEach((id, index) => started(replicaIds[index]!, id));
    },
    settleIdle: async () => undefined,
    finals: (operationIds) => floor.call<Record<string, number>>({ type: 'finals', operationIds }),
    stop: () => floor.stop(),
  };
}

// ---------------------------------------------------------------- one round

interface RoundResult {
  target: string;
  transport: Transport;
  rssBeforeKb: number;
  rssSocketsKb: number;
  rssIdleKb: number;
  /** JS heap in use after a full GC, bytes. */
  heapBefore: number;
  heapIdle: number;
  idleSubscribers: number;
  idleKbPerSubscriber: number;
  idleHeapKbPerSubscriber: number;
  operations: number;
  events: number;
  eventsPerOperation: number;
  subscribers: number;
  deliveries: number;
  /** Live latencies, sorted: receipt − the event row's write (recordedAt), or − `at` where there is no row (fromWrite false). */
  latencies: number[];
  /** The same deliveries, receipt − `at`: from the writer's clock as it prepared the change, before its statement waited for a connection and ran. */
  latenciesFromAt: number[];
  fromWrite: boolean;
  /** Live latencies of events written after the last failover was accepted, sorted. */
  afterDispatch: number[];
  /** Live latencies of events written once every failoverProgress stream had started (the steady storm), sorted. */
  afterAllOpen: number[];
  /** From the first dispatch until every failoverProgress stream had its first event. */
  allOpenSeconds: number;
  /** Live latencies per category (see ClientReport.categories), sorted. */
  byCategory: Map<number, number[]>;
  setupLatencies: number[];
  startups: number[];
  replayed: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  foreign: number;
  subscribersWithLoss: number;
  incomplete: number;
  errors: number;
  errorSamples: string[];
  unexpectedCloses: string[];
  stormSeconds: number;
  dispatchSeconds: number;
  cpu: Record<string, number>;
  peakRssKb: number;
  machineBusy: number;
  timedOut: boolean;
  /** Connections dropped by full accept queues on the machine during the storm. */
  listenOverflows: number;
  dispatchRetries: number;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

async function runRound(target: Target & { token?: string }, clients: Child[]): Promise<RoundResult> {
  const W = clients.length;
  const token = target.token ?? 'none';
  const sockets = target.transport === 'ws' ? Math.ceil((SUBSCRIBERS + DASHBOARDS) / SUBS_PER_SOCKET) : 0;
  const call = <T>(w: number, command: ClientCommand) => clients[w]!.call<T>(command);
  const all = <T>(command: ClientCommand) => Promise.all(clients.map((client) => client.call<T>(command)));
  const connect = async () => {
    if (target.transport !== 'ws') return;
    await Promise.all(clients.map((client, w) => client.call({ type: 'connect', url: target.url, token, sockets: Math.ceil((sockets - w) / W) })));
  };
  /** Global socket s lives in worker s % W as its socket ⌊s / W⌋; an SSE subscriber in worker key % W. */
  const place = (spec: Omit<SubscriberSpec, 'socket'>): [number, SubscriberSpec] => {
    if (target.transport === 'ws') {
      const s = spec.key % sockets;
      return [s % W, { ...spec, socket: Math.floor(s / W) }];
    }
    return [spec.key % W, { ...spec, socket: 0 }];
  };
  const subscribe = async (specs: Array<Omit<SubscriberSpec, 'socket'>>) => {
    const perWorker: SubscriberSpec[][] = clients.map(() => []);
    for (const spec of specs) {
      const [w, placed] = place(spec);
      perWorker[w]!.push(placed);
    }
    await Promise.all(perWorker.map((subs, w) => (subs.length === 0 ? undefined : call(w, { type: 'subscribe', transport: target.transport, url: target.url, token, subs }))));
  };
  /** Subscribers of operation j: watcher 0 is the failoverEvents one (by replica), 1.. are failoverProgress. Keys j·WATCHERS + k, so an operation's watchers sit on different sockets. */
  const eventsSpecs = (replicaIds: string[], keyBase = 0) => [
    ...replicaIds.map((replicaId, j) => ({ key: keyBase + j * WATCHERS, kind: 'events' as const, filter: { replicaId }, expectFinals: 1 })),
    ...Array.from({ length: DASHBOARDS }, (_, d) => ({ key: keyBase + SUBSCRIBERS + d, kind: 'events' as const, expectFinals: replicaIds.length })),
  ];
  const progressSpecs = (j: number, operationId: string) =>
    Array.from({ length: WATCHERS - 1 }, (_, k) => ({ key: j * WATCHERS + k + 1, kind: 'progress' as const, operationId }));
  const expectOpen = async (count: number, timeoutMs = 120_000) => waitFor(`${count} open subscriptions`, async () => (await target.openSubscriptions()) === count, timeoutMs);
  const waitAllDone = async (timeoutMs: number): Promise<boolean> => {
    const started = Date.now();
    for (;;) {
      const progress = await all<ClientProgress>({ type: 'progress' });
      const subs = progress.reduce((a, p) => a + p.subscribers, 0);
      const done = progress.reduce((a, p) => a + p.done, 0);
      if (done === subs) return true;
      if (Date.now() - started > timeoutMs) {
        console.log(`  ! ${subs - done} of ${subs} subscribers not done after ${timeoutMs} ms`);
        return false;
      }
      await sleep(250);
    }
  };
  const onePhase = async (count: number, phase: 'warm' | 'idle' | 'storm', beforeProgress?: (operationIds: string[]) => Promise<void>) => {
    const replicaIds = await target.replicas(count);
    const index = new Map(replicaIds.map((id, j) => [id, j]));
    await subscribe(eventsSpecs(replicaIds));
    await expectOpen(replicaIds.length + DASHBOARDS);
    const operationIds: string[] = new Array<string>(count);
    const replicaOps: Record<string, string> = {};
    const subscribing: Array<Promise<void>> = [];
    const dispatchStarted = performance.now();
    let dispatchEndedAt = 0;
    await target.dispatch(replicaIds, phase, (replicaId, operationId) => {
      const j = index.get(replicaId)!;
      operationIds[j] = operationId;
      replicaOps[replicaId] = operationId;
      // Watch at once (as a portal does on the mutation's answer), except idle ones: they are parked first.
      if (phase !== 'idle') subscribing.push(subscribe(progressSpecs(j, operationId)));
    });
    const dispatchSeconds = (performance.now() - dispatchStarted) / 1000;
    dispatchEndedAt = Date.now();
    if (beforeProgress) await beforeProgress(operationIds);
    if (phase === 'idle') await subscribe(operationIds.flatMap((operationId, j) => progressSpecs(j, operationId)));
    await Promise.all(subscribing);
    return { operationIds, replicaOps, dispatchSeconds, dispatchEndedAt };
  };

  // 1. Warm-up.
  await connect();
  const warm = await onePhase(WARM_OPERATIONS, 'warm');
  void warm;
  await waitAllDone(WARM_FAILOVER_MS + 60_000);
  await all({ type: 'unsubscribe-all' });
  await all({ type: 'disconnect' });
  await expectOpen(0);

  // 2. Idle.
  await sleep(2_000);
  const before = await settledRssKb(target.pid, target.gc);
  if (SNAPSHOT_DIR && target.name.startsWith('gateway')) await heapSnapshot(target.pid, 'main.js', join(SNAPSHOT_DIR, `${target.transport}-${target.pid}-before.heapsnapshot`));
  await connect();
  const withSockets = target.transport === 'ws' ? await settledRssKb(target.pid, target.gc) : before;
  const idle = await onePhase(OPERATIONS, 'idle', (operationIds) => target.settleIdle(operationIds));
  const idleSubscribers = SUBSCRIBERS + DASHBOARDS;
  await expectOpen(idleSubscribers);
  await sleep(3_000);
  const withIdle = await settledRssKb(target.pid, target.gc);
  if (SNAPSHOT_DIR && target.name.startsWith('gateway')) await heapSnapshot(target.pid, 'main.js', join(SNAPSHOT_DIR, `${target.transport}-${target.pid}-idle.heapsnapshot`));
  void idle;
  await all({ type: 'unsubscribe-all' });
  await expectOpen(0);
  await sleep(1_000);

  // 3. Storm.
  const window = cpuWindow({ server: target.pid, ...target.others, ...Object.fromEntries(clients.map((c, w) => [`client ${w + 1}`, c.pid])) });
  const stopProfile = PROFILE_DIR && target.name.startsWith('gateway') ? await startCpuProfile(target.pid, 'main.js', join(PROFILE_DIR, `${target.transport}-${target.pid}-storm.cpuprofile`)) : undefined;
  const stormStarted = Date.now();
  const overflowsBefore = listenOverflows();
  let usage: ReturnType<typeof window.stop> | undefined;
  let storm: Awaited<ReturnType<typeof onePhase>>;
  let finished: boolean;
  let lastReceiptAt: number;
  let allOpenAt: number;
  try {
    storm = await onePhase(OPERATIONS, 'storm');
    finished = await waitAllDone(FAILOVER_MS + 120_000);
    const progress = await all<ClientProgress>({ type: 'progress' });
    lastReceiptAt = Math.max(...progress.map((p) => p.lastReceiptAt));
    allOpenAt = progress.some((p) => p.lastOpenAt === 0) ? Number.POSITIVE_INFINITY : Math.max(...progress.map((p) => p.lastOpenAt));
    usage = window.stop();
  } finally {
    usage ??= window.stop();
  }
  const overflows = listenOverflows() - overflowsBefore;
  await stopProfile?.();
  // A late duplicate still counts.
  await sleep(1_500);
  const finals = await target.finals(storm.operationIds);
  const written = await target.written?.(storm.operationIds);
  const reports = await all<ClientReport>({ type: 'report', finals, replicaOps: storm.replicaOps, splits: [storm.dispatchEndedAt, allOpenAt], written });
  await all({ type: 'unsubscribe-all' });
  await all({ type: 'disconnect' });
  const events = Object.values(finals).reduce((a, b) => a + b, 0);
  const sum = (pick: (r: ClientReport) => number) => reports.reduce((a, r) => a + pick(r), 0);
  return {
    target: target.name,
    transport: target.transport,
    rssBeforeKb: before.rss,
    rssSocketsKb: withSockets.rss,
    rssIdleKb: withIdle.rss,
    heapBefore: before.heap,
    heapIdle: withIdle.heap,
    idleSubscribers,
    idleKbPerSubscriber: (withIdle.rss - before.rss) / idleSubscribers,
    idleHeapKbPerSubscriber: (withIdle.heap - before.heap) / 1024 / idleSubscribers,
    operations: OPERATIONS,
    events,
    eventsPerOperation: events / OPERATIONS,
    subscribers: sum((r) => r.subscribers),
    deliveries: sum((r) => r.deliveries),
    latencies: reports.flatMap((r) => r.latencies).sort((a, b) => a - b),
    latenciesFromAt: reports.flatMap((r) => r.latenciesFromAt).sort((a, b) => a - b),
    fromWrite: written !== undefined,
    afterDispatch: reports.flatMap((r) => r.latenciesAfter[0]!).sort((a, b) => a - b),
    afterAllOpen: reports.flatMap((r) => r.latenciesAfter[1]!).sort((a, b) => a - b),
    allOpenSeconds: (allOpenAt - stormStarted) / 1000,
    byCategory: byCategory(reports),
    setupLatencies: reports.flatMap((r) => r.setupLatencies).sort((a, b) => a - b),
    startups: reports.flatMap((r) => r.startups).sort((a, b) => a - b),
    replayed: sum((r) => r.replayed),
    lost: sum((r) => r.lost),
    duplicates: sum((r) => r.duplicates),
    outOfOrder: sum((r) => r.outOfOrder),
    foreign: sum((r) => r.foreign),
    subscribersWithLoss: sum((r) => r.subscribersWithLoss),
    incomplete: sum((r) => r.incomplete),
    errors: sum((r) => r.errors),
    errorSamples: reports.flatMap((r) => r.errorSamples).slice(0, 5),
    unexpectedCloses: reports.flatMap((r) => r.unexpectedCloses).slice(0, 5),
    stormSeconds: Math.max(usage.seconds, (lastReceiptAt - stormStarted) / 1000),
    dispatchSeconds: storm.dispatchSeconds,
    cpu: usage.cpu,
    peakRssKb: usage.peakRssKb,
    machineBusy: usage.machineBusy,
    timedOut: !finished,
    listenOverflows: overflows,
    dispatchRetries: target.dispatchRetries ?? 0,
  };
}

function byCategory(reports: ClientReport[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const report of reports) {
    report.latencies.forEach((latency, i) => {
      const category = report.categories[i]!;
      let list = out.get(category);
      if (!list) out.set(category, (list = []));
      list.push(latency);
    });
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

const KINDS = ['failoverProgress', 'failoverEvents(replica)', 'failoverEvents(all)'];
const CLASSES = ['seq ≤ 2 (service)', 'progress (tracker)', 'final'];
const spread = (l: number[]) => `p50 ${percentile(l, 50).toFixed(0)}, p99 ${percentile(l, 99).toFixed(0)}, max ${(l.at(-1) ?? Number.NaN).toFixed(0)} (${l.length})`;

function describe(r: RoundResult): void {
  const l = r.latencies;
  const cpu = Object.entries(r.cpu)
    .map(([name, s]) => `${name} ${s.toFixed(1)} s`)
    .join(', ');
  console.log(
    `  ${r.target}: ${r.operations} failovers, ${r.events} events (${r.eventsPerOperation.toFixed(1)}/operation), ${r.subscribers} subscribers, ` +
      `${r.deliveries} deliveries (${l.length} live, ${r.replayed} replayed) in ${r.stormSeconds.toFixed(1)} s (dispatch ${r.dispatchSeconds.toFixed(1)} s)`,
  );
  console.log(
    `    latency ms (receipt − ${r.fromWrite ? "the event row's write" : 'at'}): p50 ${percentile(l, 50).toFixed(1)}, p90 ${percentile(l, 90).toFixed(1)}, p99 ${percentile(l, 99).toFixed(1)}, p99.9 ${percentile(l, 99.9).toFixed(1)}, max ${(l.at(-1) ?? Number.NaN).toFixed(1)}`,
  );
  if (r.fromWrite) console.log(`    the same from the writer's clock before its statement (receipt − at): ${spread(r.latenciesFromAt)}`);
  console.log(`    events written after the last failover was accepted (${r.dispatchSeconds.toFixed(1)} s in): ${spread(r.afterDispatch)}`);
  console.log(`    events written once every failoverProgress stream was open (${r.allOpenSeconds.toFixed(1)} s in): ${spread(r.afterAllOpen)}`);
  for (const [category, list] of [...r.byCategory].sort((a, b) => a[0] - b[0])) {
    console.log(`      ${KINDS[Math.floor(category / 3)]}, ${CLASSES[category % 3]}: ${spread(list)}`);
  }
  console.log(`    written while a failoverProgress stream was starting: ${spread(r.setupLatencies)}; subscribe → first event: ${spread(r.startups)}`);
  console.log(
    `    lost ${r.lost} (${r.subscribersWithLoss} subscribers), duplicates ${r.duplicates}, out of order ${r.outOfOrder}, foreign ${r.foreign}, streams not completed ${r.incomplete}, errors ${r.errors}, unexpected closes ${r.unexpectedCloses.length}${r.timedOut ? ', TIMED OUT' : ''}`,
  );
  for (const sample of [...r.errorSamples, ...r.unexpectedCloses]) console.log(`      ${sample}`);
  console.log(
    `    RSS: before ${(r.rssBeforeKb / 1024).toFixed(1)} MB, sockets open ${(r.rssSocketsKb / 1024).toFixed(1)} MB, ${r.idleSubscribers} idle subscriptions ${(r.rssIdleKb / 1024).toFixed(1)} MB ` +
      `(${r.idleKbPerSubscriber.toFixed(1)} KB each), storm peak ${(r.peakRssKb / 1024).toFixed(1)} MB; JS heap after GC ${(r.heapBefore / 2 ** 20).toFixed(1)} → ${(r.heapIdle / 2 ** 20).toFixed(1)} MB (${r.idleHeapKbPerSubscriber.toFixed(1)} KB each)`,
  );
  console.log(`    CPU during the storm: ${cpu}; machine ${(r.machineBusy * 100).toFixed(0)} % busy`);
  console.log(`    connections dropped by a full accept queue during the storm: ${r.listenOverflows}; failover mutations retried after a failed connection: ${r.dispatchRetries}`);
}

const cores = (r: RoundResult) => r.cpu.server! / r.stormSeconds;
const usPerDelivery = (r: RoundResult) => (r.cpu.server! * 1e6) / Math.max(1, r.deliveries);

const progressStorm: Benchmark = {
  name: 'progress-storm',
  description: `issue 6: ${OPERATIONS} concurrent failovers of ${FAILOVER_MS / 1000} s watched by ${SUBSCRIBERS + DASHBOARDS} subscribers (graphql-ws and SSE), on PostgreSQL, against a bare graphql-ws server with the same storm`,
  needs: ['postgres'],
  async run(): Promise<Measurement[]> {
    const clients = Array.from({ length: CLIENT_PROCESSES }, () => forkChild('client'));
    const rounds: Partial<Record<'ws' | 'sse' | 'floor', RoundResult>> = {};
    try {
      const gatewayRound = async (transport: Transport) => {
        console.log(`  round: gateway over ${transport}…`);
        const target = await gatewayTarget(transport);
        try {
          rounds[transport] = await runRound(target, clients);
        } finally {
          await target.stop();
        }
        describe(rounds[transport]!);
      };
      if (TRANSPORTS.includes('ws')) await gatewayRound('ws');
      if (WITH_BASELINE) {
        // The same storm shape: as many events per operation as the gateway's graphql-ws round wrote (or one per 250 ms look without it).
        const eventsPerOperation = Math.max(6, Math.round(rounds.ws?.eventsPerOperation ?? FAILOVER_MS / 250));
        console.log(`  round: bare graphql-ws baseline, ${eventsPerOperation} events per operation…`);
        const floor = await floorTarget(eventsPerOperation);
        try {
          rounds.floor = await runRound(floor, clients);
        } finally {
          await floor.stop();
        }
        describe(rounds.floor);
      }
      if (TRANSPORTS.includes('sse')) await gatewayRound('sse');
    } finally {
      await Promise.all(clients.map((client) => client.stop()));
    }

    const measurements: Measurement[] = [];
    const { ws, sse, floor } = rounds;
    const p = (r: RoundResult, q: number) => percentile(r.latencies, q);
    const lat = (r: RoundResult, q: number, label: string, base?: { name: string; round: RoundResult }, goal?: number): Measurement => ({
      metric: `${label}: event delivery latency p${q} (receipt − ${r.fromWrite ? 'write' : 'at'}), ${r.latencies.length} live deliveries`,
      value: p(r, q),
      unit: 'ms',
      // A baseline under a millisecond rounds to 0: no ratio then.
      ...(base ? { baseline: { name: base.name, value: p(base.round, q) }, ...(p(base.round, q) > 0 ? { ratio: p(r, q) / p(base.round, q) } : {}) } : {}),
      ...(goal === undefined ? {} : { goal: `≤ ${goal} ms`, pass: p(r, q) <= goal }),
    });
    // The stricter reading, held to the same goal where judged: from the writer's own clock, taken before its statement queued for a connection.
    const fromAt = (r: RoundResult, label: string, judged = true): Measurement[] => {
      if (!r.fromWrite) return [];
      const value = percentile(r.latenciesFromAt, 99);
      const metric = `${label}: the same p99 from the writer's clock before its statement (receipt − at; p50 ${percentile(r.latenciesFromAt, 50).toFixed(0)} ms)`;
      return [{ metric, value, unit: 'ms', ...(judged ? { goal: '≤ 250 ms', pass: value <= 250 } : {}) }];
    };
    const steady = (r: RoundResult, label: string, base?: { name: string; round: RoundResult }, judged = true): Measurement[] =>
      r.afterAllOpen.length === 0
        ? [] // the last stream opened after the last event: no steady phase to speak of (described above the table)
        : [
            {
              metric: `${label}: delivery latency p99 once every stream was open (${r.allOpenSeconds.toFixed(0)} s in; p50 ${percentile(r.afterAllOpen, 50).toFixed(0)} ms, ${r.afterAllOpen.length} deliveries)`,
              value: percentile(r.afterAllOpen, 99),
              unit: 'ms',
              ...(base && base.round.afterAllOpen.length > 0
                ? { baseline: { name: base.name, value: percentile(base.round.afterAllOpen, 99) }, ratio: percentile(r.afterAllOpen, 99) / percentile(base.round.afterAllOpen, 99) }
                : {}),
              ...(judged ? { goal: '≤ 250 ms', pass: percentile(r.afterAllOpen, 99) <= 250 } : {}),
            },
          ];
    const integrity = (r: RoundResult, label: string): Measurement[] => [
      {
        metric: `${label}: lost events (gaps in 1..N per subscriber; ${r.subscribersWithLoss} subscribers short, ${r.incomplete} progress streams not completed, ${r.errors} errors)`,
        value: r.lost,
        unit: 'events',
        goal: '0',
        pass: r.lost === 0 && r.incomplete === 0 && r.errors === 0,
      },
      {
        metric: `${label}: duplicate events (out of order ${r.outOfOrder}, outside the filter ${r.foreign})`,
        value: r.duplicates,
        unit: 'events',
        goal: '0',
        pass: r.duplicates === 0 && r.outOfOrder === 0 && r.foreign === 0,
      },
    ];
    const rss = (r: RoundResult, label: string, base?: { name: string; round: RoundResult }, judged = true): Measurement => ({
      metric: `${label}: RSS per idle subscriber, ${r.idleSubscribers} open (${(r.rssBeforeKb / 1024).toFixed(0)} → ${(r.rssIdleKb / 1024).toFixed(0)} MB, connections included)`,
      value: r.idleKbPerSubscriber,
      unit: 'KB',
      ...(base ? { baseline: { name: base.name, value: base.round.idleKbPerSubscriber }, ratio: r.idleKbPerSubscriber / base.round.idleKbPerSubscriber } : {}),
      ...(judged ? { goal: '≤ 30 KB', pass: r.idleKbPerSubscriber <= 30 } : {}),
    });
    const heap = (r: RoundResult, label: string, base?: { name: string; round: RoundResult }): Measurement => ({
      metric: `${label}: JS heap per idle subscriber after a full GC (${(r.heapBefore / 2 ** 20).toFixed(0)} → ${(r.heapIdle / 2 ** 20).toFixed(0)} MB)`,
      value: r.idleHeapKbPerSubscriber,
      unit: 'KB',
      ...(base ? { baseline: { name: base.name, value: base.round.idleHeapKbPerSubscriber }, ratio: r.idleHeapKbPerSubscriber / base.round.idleHeapKbPerSubscriber } : {}),
    });
    const cpu = (r: RoundResult, label: string, base?: { name: string; round: RoundResult }): Measurement => ({
      metric: `${label}: server CPU during the storm, cores (${r.cpu.server!.toFixed(1)} CPU-s over ${r.stormSeconds.toFixed(1)} s, ${usPerDelivery(r).toFixed(0)} µs per delivery)`,
      value: cores(r),
      unit: 'cores',
      ...(base ? { baseline: { name: `${base.name} (${usPerDelivery(base.round).toFixed(0)} µs per delivery)`, value: cores(base.round) }, ratio: cores(r) / cores(base.round) } : {}),
    });
    const startup = (r: RoundResult, label: string, base?: { name: string; round: RoundResult }): Measurement => ({
      metric: `${label}: failoverProgress subscribe → first event, p99 (p50 ${percentile(r.startups, 50).toFixed(0)} ms; ${r.startups.length} subscriptions started during the dispatch)`,
      value: percentile(r.startups, 99),
      unit: 'ms',
      ...(base ? { baseline: { name: `${base.name} (p50 ${percentile(base.round.startups, 50).toFixed(0)} ms)`, value: percentile(base.round.startups, 99) }, ratio: percentile(r.startups, 99) / percentile(base.round.startups, 99) } : {}),
    });
    const floorBase = floor ? { name: 'bare graphql-ws, same storm', round: floor } : undefined;
    if (ws) {
      measurements.push(lat(ws, 50, 'graphql-ws', floorBase), lat(ws, 99, 'graphql-ws', floorBase, 250), ...fromAt(ws, 'graphql-ws'), ...steady(ws, 'graphql-ws', floorBase), ...integrity(ws, 'graphql-ws'), rss(ws, 'graphql-ws', floorBase), heap(ws, 'graphql-ws', floorBase), cpu(ws, 'graphql-ws', floorBase), startup(ws, 'graphql-ws', floorBase));
      measurements.push({
        metric: `graphql-ws: server CPU per delivered event (${ws.deliveries} deliveries)`,
        value: usPerDelivery(ws),
        unit: 'µs',
        ...(floor ? { baseline: { name: `bare graphql-ws (${floor.deliveries} deliveries)`, value: usPerDelivery(floor) }, ratio: usPerDelivery(ws) / usPerDelivery(floor) } : {}),
      });
      measurements.push({
        metric: `graphql-ws: gateway peak RSS during the storm`,
        value: ws.peakRssKb / 1024,
        unit: 'MB',
        ...(floor ? { baseline: { name: 'bare graphql-ws', value: floor.peakRssKb / 1024 }, ratio: ws.peakRssKb / floor.peakRssKb } : {}),
      });
    }
    if (sse) {
      const wsBase = ws ? { name: 'gateway over graphql-ws, same storm', round: ws } : undefined;
      // The issue sets its latency and memory goals for graphql-ws subscribers; SSE is compared with it, unjudged. Lost and duplicated events stay judged: 0 on every transport.
      measurements.push(lat(sse, 50, 'SSE', wsBase), lat(sse, 99, 'SSE', wsBase), ...fromAt(sse, 'SSE', false), ...steady(sse, 'SSE', wsBase, false), ...integrity(sse, 'SSE'), rss(sse, 'SSE', wsBase, false), heap(sse, 'SSE', wsBase), cpu(sse, 'SSE', wsBase), startup(sse, 'SSE', wsBase));
      measurements.push({
        metric: `SSE: gateway peak RSS during the storm`,
        value: sse.peakRssKb / 1024,
        unit: 'MB',
        ...(ws ? { baseline: { name: 'gateway over graphql-ws', value: ws.peakRssKb / 1024 }, ratio: sse.peakRssKb / ws.peakRssKb } : {}),
      });
    }
    return measurements;
  },
};

export const benchmarks: Benchmark[] = [progressStorm];
