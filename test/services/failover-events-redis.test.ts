import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccessGateway, tokenSigner } from '../support/access.js';
import type { TestGateway } from '../support/gateway.js';
import { runCli } from '../support/process.js';
import {
  ADMIN,
  createDatabase,
  describeEnding,
  EVENTS,
  expectExactStream,
  expectLifecycle,
  failoverCandidates,
  PROGRESS,
  range,
  redisUrl,
  sleep,
  startFailover,
  startGatewayProcess,
  storedEvents,
  Subscriber,
  withDb,
  type Candidate,
  type GatewayProcess,
  type Kind,
  type ReceivedEvent,
} from './failover-events-support.js';
import { vbrServersFile } from '../support/vbr-servers.js';

/**
 * Live failover progress across gateway instances on one PostgreSQL database
 * and one EM: Redis pub/sub carries each instance's events to the others, a
 * killed instance's operations are taken over once its leases expire, and an
 * instance without Redis still delivers everything from the event table.
 *
 * Instance B (in-process) runs the embedded EM simulator and is where the
 * subscribers sit; A (in-process) starts failovers for the first test and is
 * stopped before the takeover, so that B is the only instance left to take
 * over; C (in-process) is the instance without Redis. Its catch-up look at the event table runs every 600 s, the
 * most the setting allows, and B lives far shorter than that here: whatever B
 * delivers live came through a wake-up (Redis, or its own tracker's local bus),
 * never through the table poll.
 *
 * Every instance here uses a Redis channel of this run's own (REDIS_CHANNEL),
 * so other gateways on the same Redis neither hear these events nor add theirs.
 */
describe('failover events across gateway instances with Redis', () => {
  const jwtSecret = randomBytes(32).toString('hex');
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let shared: Record<string, string>;
  let b: TestGateway;
  let a: TestGateway;
  let token: string;
  let candidates: Map<Kind, Candidate[]>;
  const subscribers: Subscriber[] = [];
  const stops: Array<() => Promise<void>> = [];

  const bWs = () => b.url.replace(/^http/, 'ws');
  const take = (kind: Kind): Candidate => {
    const candidate = candidates.get(kind)!.shift();
    if (!candidate) throw new Error(`no Ready ${kind} replica left`);
    return candidate;
  };
  const subscribe = (wsUrl: string, query: string, variables: Record<string, unknown>) => {
    const subscriber = new Subscriber(wsUrl, token, query, variables);
    subscribers.push(subscriber);
    return subscriber;
  };
  const ofOperation = (events: readonly ReceivedEvent[], id: string) => events.filter((e) => e.operationId === id);

  /** Waits until the gateway's event hub has more watchers than `before`: the subscription is live. */
  async function watching(gateway: TestGateway, before: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (gateway.services.events.hub.watchers <= before) {
      if (Date.now() > deadline) throw new Error('the subscription never started watching');
      await sleep(20);
    }
  }

  /** Records the operation's lease owner (and lease end) every 25 ms until `stop()`. */
  function watchOwners(operationDbId: string) {
    const seen: Array<{ at: number; owner: string | null; expires: Date | null; state: string }> = [];
    let running = true;
    const done = (async () => {
      while (running) {
        const row = await b.services.db.prisma.failoverOperation.findUnique({ where: { id: operationDbId }, select: { leaseOwner: true, leaseExpiresAt: true, state: true } });
        if (row) seen.push({ at: Date.now(), owner: row.leaseOwner, expires: row.leaseExpiresAt, state: row.state });
        await sleep(25);
      }
    })();
    return {
      seen,
      async stop() {
        running = false;
        await done;
        return seen;
      },
    };
  }

  beforeAll(async () => {
    database = await createDatabase('fg_fevents');
    shared = {
      DATABASE_URL: database.url,
      JWT_SECRET: jwtSecret,
      REDIS_CHANNEL: `fg-test:${database.name}:failover-events`,
      FAILOVER_POLL_MS: '200',
      INVENTORY_SYNC_MINUTES: '10080',
    };
    b = await startAccessGateway({
      ...shared,
      SIMULATOR_REPLICAS: '120',
      SIMULATOR_FAILOVER_MS: '4000',
      REDIS_URL: redisUrl,
      FAILOVER_EVENT_CATCHUP_MS: '600000',
      FAILOVER_LEASE_SECONDS: '3',
    });
    stops.push(() => b.stop());
    a = await startAccessGateway({ ...shared, EM_URL: b.simulator!.url, VBR_SERVERS: vbrServersFile(b.simulator!), EM_USERNAME: 'em-admin', EM_PASSWORD: 'em-admin', REDIS_URL: redisUrl });
    stops.push(() => a.stop());
    token = await tokenSigner(b).sign(ADMIN);
    candidates = await failoverCandidates(b.url, token);
  });
  afterAll(async () => {
    await Promise.allSettled(subscribers.map((s) => s.close()));
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await database?.drop();
  });

  it('are separate instances on one EM, with B catching up from the table only every 600 s', () => {
    expect(a.simulator).toBeUndefined();
    expect(a.services.instanceId).not.toBe(b.services.instanceId);
    expect(b.config.failoverEventCatchUpMs).toBe(600_000);
    expect(b.config.redisUrl).toBeDefined();
    expect(a.config.redisChannel).toBe(b.config.redisChannel);
  });

  it('a failover started on A reaches failoverProgress and failoverEvents subscribers on B, complete and contiguous, through Redis', async () => {
    const candidate = take('CDP_VM');
    const before = b.services.events.hub.watchers;
    const live = subscribe(bWs(), EVENTS, { filter: { replicaId: candidate.id } });
    await watching(b, before);

    const op = await startFailover(a.url, token, candidate);
    const owners = watchOwners(decodeGlobalID(op.id).id);
    const progress = subscribe(bWs(), PROGRESS, { operationId: op.id, afterSequence: 0 });
    try {
      const ending = await progress.endedWithin(60_000, 'failoverProgress on B');
      expect(ending.type, describeEnding(ending)).toBe('complete');
      await live.waitFor((events) => ofOperation(events, op.id).some((e) => e.final), 30_000, 'the final event on failoverEvents');
    } finally {
      await owners.stop();
    }

    const stored = await withDb(database.url, (client) => storedEvents(client, decodeGlobalID(op.id).id));
    expectExactStream(progress.events, stored, op.id, 0);
    expectLifecycle(progress.events, 'failoverProgress on B');
    // failoverEvents is live only: it watched before the failover began, so it saw every event, 1..N, through wake-ups.
    expectExactStream(ofOperation(live.events, op.id), stored, op.id, 0);
    // A wrote every event (its lease; B's tracker never touched the operation): on B they came from Redis.
    expect(new Set(owners.seen.map((o) => o.owner))).not.toContain(b.services.instanceId);
    expect(owners.seen.some((o) => o.owner === a.services.instanceId)).toBe(true);
    expect(Date.now() - b.services.startedAt.getTime()).toBeLessThan(600_000);
  });

  describe('lease takeover', () => {
    let killed: GatewayProcess | undefined;

    // A live A could take the dead instance's operation over as well as B: from here on, B is the only other instance.
    beforeAll(async () => {
      await a.stop();
    });
    afterAll(async () => {
      await killed?.kill();
      b.simulator!.timings = { durationMs: 4_000, collectMs: 400 };
    });

    it('B takes over the operation of an instance killed with SIGKILL once its lease expires, and its subscriber gets every event exactly once', { timeout: 240_000 }, async () => {
      // The owner: a gateway process (lease 3 s) on the same database, EM and Redis.
      killed = await startGatewayProcess({ ...shared, EM_URL: b.simulator!.url, VBR_SERVERS: vbrServersFile(b.simulator!), REDIS_URL: redisUrl, FAILOVER_LEASE_SECONDS: '3' });
      b.simulator!.timings = { durationMs: 15_000, collectMs: 1_500 };
      b.simulator!.resetCounters();
      const candidate = take('VM_REPLICA');
      const op = await startFailover(killed.url, token, candidate);
      const dbId = decodeGlobalID(op.id).id;
      const owners = watchOwners(dbId);
      const onB = subscribe(bWs(), PROGRESS, { operationId: op.id, afterSequence: 0 });
      const onKilled = subscribe(killed.wsUrl, PROGRESS, { operationId: op.id, afterSequence: 0 });
      let resumed: Subscriber;
      let killedAt: number;
      let sequenceAtKill: number;
      try {
        // The owner's progress reaches B live (through Redis), and its own subscriber.
        await onB.waitFor((events) => events.some((e) => e.state === 'RUNNING' && e.progress >= 10), 60_000, 'progress on B');
        await onKilled.waitFor((events) => events.some((e) => e.state === 'RUNNING' && e.progress >= 10), 30_000, 'progress on the owner');
        const row = await b.services.db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: dbId } });
        expect(row).toMatchObject({ state: 'RUNNING', leaseOwner: killed.instanceId });

        killedAt = Date.now();
        await killed.kill();
        sequenceAtKill = (await b.services.db.prisma.failoverOperation.findUniqueOrThrow({ where: { id: dbId } })).sequence;
        const lost = await onKilled.endedWithin(15_000, 'subscriber of the killed instance');
        expect(lost.type, describeEnding(lost)).toBe('error');
        // Its subscriber comes back on B with the last sequence it saw.
        resumed = subscribe(bWs(), PROGRESS, { operationId: op.id, afterSequence: onKilled.events.at(-1)!.sequence });

        for (const [name, subscriber] of [['on B', onB], ['resumed on B', resumed]] as const) {
          const ending = await subscriber.endedWithin(120_000, `subscriber ${name}`);
          expect(ending.type, `${name}: ${describeEnding(ending)}`).toBe('complete');
        }
      } finally {
        await owners.stop();
      }

      const stored = await withDb(database.url, (client) => storedEvents(client, dbId));
      expect(['SUCCEEDED', 'WARNING', 'FAILED']).toContain(stored.operation.state);
      // Every event exactly once, 1..N, the final one last.
      expectExactStream(onB.events, stored, op.id, 0);
      expectLifecycle(onB.events, 'subscriber on B');
      const lastSeen = onKilled.events.at(-1)!.sequence;
      expect(onKilled.events.map((e) => e.sequence)).toEqual(range(1, lastSeen));
      expectExactStream(resumed!.events, stored, op.id, lastSeen);
      expectExactStream([...onKilled.events, ...resumed!.events], stored, op.id, 0);
      // The operation changed after the kill (B followed it), not only ended.
      expect(stored.operation.sequence).toBeGreaterThan(sequenceAtKill! + 1);

      // The dead owner held the lease until it expired; then B, and only B, took over.
      const byDead = owners.seen.filter((o) => o.owner === killed!.instanceId);
      const byB = owners.seen.filter((o) => o.owner === b.services.instanceId);
      expect(byDead.length).toBeGreaterThan(0);
      expect(byB.length, 'B never owned the operation').toBeGreaterThan(0);
      for (const o of owners.seen) expect([killed.instanceId, b.services.instanceId, null]).toContain(o.owner);
      const deadLease = Math.max(...byDead.map((o) => o.expires!.getTime()));
      expect(byB[0]!.at).toBeGreaterThanOrEqual(killedAt!);
      expect(byB[0]!.at).toBeGreaterThanOrEqual(deadLease);
      expect(owners.seen.findIndex((o) => o.owner === b.services.instanceId)).toBeGreaterThan(owners.seen.findLastIndex((o) => o.owner === killed!.instanceId));
      // One failover POST: the takeover followed the operation, it never sent it again.
      expect(b.simulator!.counters.failoverPosts).toBe(1);
    });
  });

  describe('an instance without Redis', () => {
    it('catches up from the event table when its Redis connection is lost after start', { timeout: 180_000 }, async () => {
      const proxy = await startTcpProxy(new URL(redisUrl));
      let c: TestGateway | undefined;
      try {
        c = await startAccessGateway({ ...shared, EM_URL: b.simulator!.url, VBR_SERVERS: vbrServersFile(b.simulator!), EM_USERNAME: 'em-admin', EM_PASSWORD: 'em-admin', REDIS_URL: proxy.url, FAILOVER_EVENT_CATCHUP_MS: '300' });
        expect(proxy.accepted).toBeGreaterThan(0);
        // Redis goes away for C alone: its connections are cut and reconnecting is refused.
        await proxy.cut();
        const cWs = c.url.replace(/^http/, 'ws');
        const candidate = take('VCD_VAPP_REPLICA');
        const before = c.services.events.hub.watchers;
        const live = subscribe(cWs, EVENTS, { filter: { replicaId: candidate.id } });
        await watching(c, before);

        const op = await startFailover(b.url, token, candidate);
        const progress = subscribe(cWs, PROGRESS, { operationId: op.id, afterSequence: 0 });
        const ending = await progress.endedWithin(60_000, 'failoverProgress on C');
        expect(ending.type, describeEnding(ending)).toBe('complete');
        await live.waitFor((events) => ofOperation(events, op.id).some((e) => e.final), 30_000, 'the final event on failoverEvents on C');

        const stored = await withDb(database.url, (client) => storedEvents(client, decodeGlobalID(op.id).id));
        expectExactStream(progress.events, stored, op.id, 0);
        expectLifecycle(progress.events, 'failoverProgress on C');
        expectExactStream(ofOperation(live.events, op.id), stored, op.id, 0);
      } finally {
        // Stopping with Redis gone must not hang on the Redis clients.
        if (c) {
          const stopped = await Promise.race([c.stop().then(() => 'stopped'), sleep(20_000).then(() => 'hung')]);
          expect(stopped, 'C.stop() with its Redis unreachable').toBe('stopped');
        }
        await proxy.close();
      }
    });

    it('when Redis is down at start: either serves and catches up from the table, or refuses with exit code 1 and one line naming Redis', { timeout: 180_000 }, async () => {
      const closedPort = await freePort();
      const dataDir = mkdtempSync(join(tmpdir(), 'fg-noredis-'));
      const cli = runCli(['serve'], {
        ...shared,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        PORT: '0',
        DATA_DIR: dataDir,
        EM_URL: b.simulator!.url, VBR_SERVERS: vbrServersFile(b.simulator!),
        EM_USERNAME: 'em-admin',
        EM_PASSWORD: 'em-admin',
        REDIS_URL: `redis://127.0.0.1:${closedPort}`,
        FAILOVER_EVENT_CATCHUP_MS: '300',
      });
      try {
        const outcome = await Promise.race([
          cli.waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('gateway ready'), 45_000).then(
            (line) => ({ type: 'ready' as const, url: String(line.url) }),
            // Exited before ready: the exit tells.
            () => new Promise<never>(() => {}),
          ),
          cli.exited.then((code) => ({ type: 'exited' as const, code })),
          sleep(45_000).then(() => ({ type: 'neither' as const })),
        ]);
        expect(outcome.type, `with Redis down the gateway neither started nor exited within 45 s; stderr:\n${cli.stderr()}`).not.toBe('neither');
        if (outcome.type === 'exited') {
          // A refused start, as every other failed start: exit code 1 and one line on standard error that names the cause.
          expect(outcome.code).toBe(1);
          const lines = cli.stderr().trim().split('\n');
          expect(lines, cli.stderr()).toHaveLength(1);
          expect(lines[0]!.toLowerCase()).toMatch(/redis/);
          return;
        }
        if (outcome.type !== 'ready') return;
        // It serves: its subscribers get everything from the event table.
        const wsUrl = outcome.url.replace(/^http/, 'ws');
        const metricsUrl = `${new URL(outcome.url).origin}/metrics`;
        const candidate = take('VCD_CDP_VAPP');
        const live = subscribe(wsUrl, EVENTS, { filter: { replicaId: candidate.id } });
        // Live once its hub counts the watcher (the process's own metric).
        const deadline = Date.now() + 15_000;
        for (;;) {
          const text = await (await fetch(metricsUrl)).text();
          if (Number(/^gateway_failover_event_watchers (\d+)/m.exec(text)?.[1] ?? 0) >= 1) break;
          if (Date.now() > deadline) throw new Error('the failoverEvents subscription never started watching');
          await sleep(50);
        }
        const op = await startFailover(b.url, token, candidate);
        const progress = subscribe(wsUrl, PROGRESS, { operationId: op.id, afterSequence: 0 });
        const ending = await progress.endedWithin(60_000, 'failoverProgress on the instance without Redis');
        expect(ending.type, describeEnding(ending)).toBe('complete');
        await live.waitFor((events) => ofOperation(events, op.id).some((e) => e.final), 30_000, 'the final event on failoverEvents without Redis');
        const stored = await withDb(database.url, (client) => storedEvents(client, decodeGlobalID(op.id).id));
        expectExactStream(progress.events, stored, op.id, 0);
        expectLifecycle(progress.events, 'failoverProgress without Redis');
        expectExactStream(ofOperation(live.events, op.id), stored, op.id, 0);
        // It never reached Redis, and said so in its log.
        expect(cli.stdout()).toMatch(/"component":"redis"/);
      } finally {
        if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
        await cli.exited;
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});

/** A free loopback port nobody listens on. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP proxy to `target` whose connections can be cut, after which it refuses new ones (the port is closed). */
async function startTcpProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted += 1;
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }));
  return {
    url: `redis://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    cut: close,
    close,
  };
}
