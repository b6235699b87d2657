import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { createAuditLog, createHeadSigner, resolveSigningKey } from '../audit/index.js';
import {
  createEventHub,
  createFailoverService,
  createFailoverTracker,
  createOperationStore,
  createLocalEventBus,
  createStartReads,
  createVisibilityCache,
  eventOf,
  type FailoverEventBus,
  type FailoverOperation,
} from '../failover/index.js';
import { createTokenVerifier, resolveAuthOptions } from '../auth/index.js';
import { applyMigrations, migrationStatus, openDatabase, type Database } from '../db/index.js';
import { loadCaller } from '../graphql/caller.js';
import type { GatewayServices } from './services.js';
import { projectRoot } from '../project-root.js';
import type { RunningSimulator } from '../simulator/index.js';
import { createInventorySync } from '../inventory/index.js';
import { rebuildVisibility, withPolicyExtension } from '../policy/index.js';
import { bootstrapAdmins, createAccountService, demoAccountsExist, seedDemoAccounts } from '../accounts/index.js';
import { readControlFile, removeControlFile, writeControlFile } from './control-file.js';
import { pgliteDataDir } from './early-start.js';
import { createHttpServer } from './http-server.js';
import { registerInstance, unregisteredInstance } from './instance-registry.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { createReadCache, type ReadCache } from './plugins/read-cache.js';
import type { ControlHandler } from './control.js';
import { createReadinessCheck } from './readiness.js';
import { failoverLease } from '../failover/lease.js';
import { vbrStateSource } from '../failover/replica-state.js';
import { vbrLifecycleDriver } from '../failover/vbr-driver.js';
import { connectUpstream, syncWorkerOptions } from './upstream.js';
import { attachWebSocket } from './websocket.js';
import { createGatewayYoga, GRAPHQL_PATH, type GatewayYoga } from './yoga.js';

export interface RunningGateway {
  /** http://host:port/graphql */
  url: string;
  host: string;
  port: number;
  yoga: GatewayYoga;
  services: GatewayServices;
  metrics: GatewayMetrics;
  /** The embedded EM simulator, when EM_URL is unset. */
  simulator?: RunningSimulator;
  /** Drains and closes everything; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartGatewayOptions {
  config: Config;
  logger: Logger;
}

export function gatewayVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Opens the database (migrating it unless told not to) and EM (or the embedded
 * simulator), then serves GraphQL over HTTP, SSE and WebSocket on one port.
 * Whatever was opened is closed again if a later step fails, so a failed start
 * leaves nothing behind.
 */
export async function startGateway({ config, logger }: StartGatewayOptions): Promise<RunningGateway> {
  const startedAt = new Date();
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        logger.warn({ err: error }, 'error while closing');
      }
    }
    cleanups.length = 0;
  };
  const stage: Stage = { config, logger, cleanups };

  try {
    const foundation = await openFoundation(stage);
    const built = await buildServices(stage, foundation, startedAt);
    const { url, yoga, address } = await serveTransports(stage, foundation, built);
    const { pending, upstream, db, instance, version } = foundation;
    const { inventory, tracker, demo, services, metrics } = built;
    // Started last: a start that failed must not sync (an interrupted sync, or one that ran for nothing) nor take operations over.
    // Without the schema there is nothing to sync into or follow; `db:migrate` first.
    if (pending.length === 0) {
      inventory.start();
      tracker.start();
    }
    let stopping: Promise<void> | undefined;
    const announce = () => {
      if (stopping) return;
      logger.info(
        {
          url,
          mode: config.mode,
          database: db.kind,
          em: upstream.simulator ? 'embedded simulator' : 'EM_URL',
          version,
          instance: instance.id,
          startupMs: Math.round(process.uptime() * 1000),
        },
        `gateway ready at ${url}`,
      );
    };
    if (demo && !demo.exist) {
      // The sync start() began (a failure is logged there, and leaves the accounts to a later sync).
      await inventory.syncNow().catch(() => undefined);
      if (!demo.exist) logger.warn({ url }, 'the first inventory sync created no demo accounts; /readyz answers 503 until a sync does');
    }
    if (!demo || demo.exist) announce();
    else void demo.announced.then(announce);

    return {
      url,
      host: address.address,
      port: address.port,
      yoga,
      services,
      metrics,
      simulator: upstream.simulator,
      stop() {
        stopping ??= cleanup().then(() => logger.info('gateway stopped'));
        return stopping;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** What every stage of the start shares: whatever a stage opens, it registers here to be closed in reverse order. */
interface Stage {
  config: Config;
  logger: Logger;
  cleanups: Array<() => Promise<void>>;
}

/** Stage 1: settings that stop a misconfigured start before anything opens, then the database and the upstreams. */
async function openFoundation({ config, logger, cleanups }: Stage) {
  // First: a production gateway without issuer, audience or key stops here,
  // before it opens anything.
  const authOptions = resolveAuthOptions(config);
  const tokens = createTokenVerifier(authOptions);
  // Likewise a production gateway without a key to sign the audit chain's head.
  const auditKey = resolveSigningKey(config);
  // The database (PGlite boots a WebAssembly Postgres) and EM are independent:
  // open both at once, and wait for both even when one fails, so the other is
  // closed instead of leaking.
  const [opened, connected] = await Promise.allSettled([
    openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: pgliteDataDir(config),
      logger,
      // The template is already migrated: only a gateway allowed to migrate may use it.
      seedFromTemplate: config.migrateOnStart,
      preparedStatements: config.databasePreparedStatements,
      wasmTierUp: config.wasmTierUp,
    }),
    connectUpstream(config, logger),
  ]);
  if (opened.status === 'fulfilled') cleanups.push(() => opened.value.close());
  if (connected.status === 'fulfilled') cleanups.push(() => connected.value.close());
  if (opened.status === 'rejected') throw opened.reason;
  if (connected.status === 'rejected') throw connected.reason;
  const db: Database = opened.value;
  const upstream = connected.value;
  let pending: string[] = [];
  if (config.migrateOnStart) {
    const { applied } = await applyMigrations(db);
    if (applied.length > 0) logger.info({ applied }, 'applied database migrations');
  } else {
    pending = (await migrationStatus(db)).pending;
  }
  const version = gatewayVersion();
  // With migrations pending the tables may not exist: serve (unready, so a
  // load balancer keeps traffic away) until `npm run db:migrate` has run.
  const instance = pending.length === 0 ? await registerInstance(db, version, logger) : unregisteredInstance();
  if (pending.length > 0) {
    logger.warn({ pending }, 'database migrations pending; /readyz answers 503 until `npm run db:migrate` runs');
  }
  cleanups.push(() => instance.close());
  return { tokens, auditKey, db, upstream, pending, instance, version };
}

type Foundation = Awaited<ReturnType<typeof openFoundation>>;

/** Stage 2: the long-lived services: audit, caches, inventory sync, the operation store, service and tracker. */
async function buildServices({ config, logger, cleanups }: Stage, { tokens, auditKey, db, upstream, pending, instance, version }: Foundation, startedAt: Date) {
  const audit = createAuditLog(db);
  const headSigner = createHeadSigner({
    prisma: db.prisma,
    key: auditKey,
    intervalMs: config.auditSignIntervalSeconds * 1000,
    logger: logger.child({ component: 'audit-signer' }),
  });
  cleanups.push(async () => {
    await audit.close();
    // After the last append, so the entries written while stopping are signed too.
    if (pending.length === 0) await headSigner.stop();
  });
  if (pending.length === 0) headSigner.start();
  if (pending.length === 0 && config.bootstrapAdmins.length > 0) {
    const created = await bootstrapAdmins(db.prisma, audit, config.bootstrapAdmins);
    if (created.length > 0) logger.info({ accounts: created }, 'bootstrap administrators created');
  }
  let hubWatchers = () => 0;
  const metrics = createMetrics({ eventWatchers: () => hubWatchers() });
  const readCache: ReadCache = await createReadCache({ config, database: db.kind, prisma: db.prisma, metrics, instanceId: instance.id, logger: logger.child({ component: 'read-cache' }) });
  cleanups.push(() => readCache.close());
  const inventoryLogger = logger.child({ component: 'inventory' });
  // The demo accounts belong to the embedded simulator's demo inventory, and a token from `npm run token`
  // works only once they exist: until then the gateway is not ready. Without the schema no sync runs to make them.
  const demo = upstream.simulator && pending.length === 0 ? { exist: await demoAccountsExist(db.prisma), made: () => {}, announced: Promise.resolve() } : undefined;
  if (demo && !demo.exist) demo.announced = new Promise<void>((resolve) => (demo.made = resolve));
  const inventory = createInventorySync({
    db,
    em: upstream.em,
    sources: upstream.sources,
    logger: inventoryLogger,
    intervalMinutes: config.inventorySyncMinutes,
    worker: syncWorkerOptions(config, upstream),
    // Restore scopes are precomputed: a new or moved replica becomes visible
    // to the accounts whose scope covers it once the sync that found it ends.
    onSynced: async (report) => {
      const change = await rebuildVisibility(db.prisma, 'all');
      let seeded: string[] = [];
      if (demo) {
        seeded = await seedDemoAccounts(db.prisma);
        if (seeded.length > 0) inventoryLogger.info({ accounts: seeded }, 'demo accounts created');
        if (!demo.exist && (demo.exist = await demoAccountsExist(db.prisma))) demo.made();
      }
      if (change.added + change.removed > 0) inventoryLogger.info(change, 'restore scopes rebuilt');
      await readCache.inventorySynced({ ...report, writes: report.writes + change.added + change.removed + seeded.length });
    },
  });
  const lease = failoverLease(config);
  if (lease.warning) logger.warn(lease.warning);
  const leaseMs = lease.ms;
  // Events go to this instance's watchers at once and, with Redis, to the other instances'.
  // ioredis is loaded only when configured: a single instance does not pay for it at start.
  const bus: FailoverEventBus = config.redisUrl
    ? await (await import('../failover/redis-event-bus.js')).createRedisEventBus({
        url: config.redisUrl,
        channel: config.redisChannel,
        instanceId: instance.id,
        logger: logger.child({ component: 'redis' }),
      })
    : createLocalEventBus((error) => logger.error({ err: error }, 'failover event listener failed'));
  cleanups.push(() => bus.close());
  const hub = createEventHub({ prisma: db.prisma, bus, logger: logger.child({ component: 'failover-events' }), catchUpMs: config.failoverEventCatchUpMs });
  cleanups.push(async () => hub.close());
  const store = createOperationStore({
    prisma: db.prisma,
    audit,
    publish: (operation) => {
      bus.publish(eventOf(operation));
      readCache.operationChanged(operation).catch((error: unknown) => logger.warn({ err: error, operationId: operation.id }, 'cached answers of a failover operation not invalidated'));
    },
  });
  const states = vbrStateSource(db.prisma, (server) => upstream.vbr.forServer(server));
  const vbrFor = (server: { uid: string; name: string }) => upstream.vbr.forServer(server);
  const failoverDeps = { prisma: db.prisma, em: upstream.em, vbrFor, states, audit, instanceId: instance.id, leaseMs, store };
  const failover = createFailoverService({
    ...failoverDeps,
    lifecycle: vbrLifecycleDriver(vbrFor),
    logger: logger.child({ component: 'failover' }),
    reason: { required: config.failoverReasonRequired, maxLength: config.failoverReasonMaxLength },
    idempotencyTtlMs: config.idempotencyKeyTtlHours * 3_600_000,
    // A duplicate waits at most as long as the original's EM call can take (logging on again included).
    duplicateWaitMs: 2 * config.emTimeoutMs + 5_000,
  });
  const tracker = createFailoverTracker({
    ...failoverDeps,
    logger: logger.child({ component: 'failover-tracker' }),
    isDispatching: failover.isDispatching,
    pollMs: config.failoverPollMs,
    reconcileGraceMs: config.failoverReconcileGraceSeconds * 1000,
  });
  const services: GatewayServices = {
    config,
    db,
    prisma: withPolicyExtension(db.prisma),
    em: upstream.em,
    tokens,
    accounts: readCache.accounts(createAccountService(db.prisma)),
    audit,
    inventory: { syncNow: () => inventory.syncNow() },
    failover,
    events: { hub, visibility: createVisibilityCache(db.prisma), reads: createStartReads(db.prisma) },
    readCache,
    instanceId: instance.id,
    version,
    startedAt,
  };
  hubWatchers = () => hub.watchers;
  // Stopped in this order at shutdown, but started only once nothing of the start can fail any more.
  cleanups.push(() => inventory.stop());
  cleanups.push(() => tracker.stop());
  return { services, metrics, inventory, tracker, demo };
}

/** Stage 3: Yoga, HTTP (SSE included) and WebSocket on one port, and the control file the CLI finds it by. */
async function serveTransports({ config, logger, cleanups }: Stage, { db, tokens, pending }: Foundation, { services, metrics, inventory, demo }: Awaited<ReturnType<typeof buildServices>>) {
  const controlToken = randomBytes(32).toString('base64url');
  const controlRoutes: Record<string, ControlHandler> = {
    'POST /control/inventory/sync': () => inventory.syncNow(),
    'GET /control/inventory/summary': () => inventory.summary(),
  };
  const yoga = createGatewayYoga({
    services,
    logger,
    metrics,
    // Migrations checked at start need no second look from the first probe.
    readiness: createReadinessCheck(db, { migrated: pending.length === 0, demoAccounts: demo && (() => demo.exist) }),
    control: { token: controlToken, routes: controlRoutes },
  });
  cleanups.push(async () => {
    await yoga.dispose();
  });

  const http = createHttpServer(yoga);
  const ws = attachWebSocket({
    server: http.server,
    yoga,
    logger,
    metrics,
    maxPayload: config.maxBodyBytes,
    tokens,
    loadCaller: (principal) => loadCaller(db.prisma, principal),
    maxSubscriptions: config.wsMaxSubscriptions,
    idleTimeoutMs: config.wsIdleTimeoutMs,
    initTimeoutMs: config.wsInitTimeoutMs,
  });
  const address = await http.listen(config.host, config.port);
  // Sockets first: a WebSocket holds its HTTP connection open, so the HTTP
  // drain would otherwise wait for it until the timeout.
  cleanups.push(() => http.close(config.shutdownTimeoutMs));
  cleanups.push(() => ws.close());

  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}${GRAPHQL_PATH}`;
  // The CLI finds this gateway (and the token for /control/*) through DATA_DIR.
  // Loopback is always reachable from the same machine, whatever HOST says.
  const controlUrl = `http://${address.family === 'IPv6' ? '[::1]' : '127.0.0.1'}:${address.port}`;
  try {
    writeControlFile(config.dataDir, { url: controlUrl, token: controlToken, pid: process.pid });
    cleanups.push(async () => {
      // Another gateway sharing DATA_DIR may have replaced the file since.
      if (readControlFile(config.dataDir)?.token === controlToken) removeControlFile(config.dataDir);
    });
  } catch (error) {
    logger.warn({ err: error, dataDir: config.dataDir }, 'cannot write the control file; CLI commands will not reach this gateway');
  }
  return { url, yoga, address };
}
