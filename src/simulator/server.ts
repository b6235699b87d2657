import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, SimulatorCore, type Reply, type RequestContext, type Route } from './core.js';
import { validateFaults, type SimulatorFaults } from './faults.js';
import { Inventory } from './inventory-generator.js';
import { readText, sendJson } from './http-io.js';
import { lifecycleSnapshot, resolveVbrDurations, type VbrSessionDurations } from './lifecycle-machine.js';
import { errorBody } from './representation.js';
import { handleAdmin } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { failoverRoutes } from './routes/failover.js';
import { inventoryRoutes } from './routes/inventory.js';
import { queryRoutes } from './routes/query.js';
import { taskRoutes } from './routes/tasks.js';
import type { FailoverTimings } from './state-machine.js';
import type { RunningSimulator, SimulatorDump, SimulatorOptions, VbrFaceDump } from './types.js';
import { DEFAULT_REVISIONS, VbrFace } from './vbr/face.js';
import { handleVbrRequest } from './vbr/handler.js';
import { errorBody as vbrErrorBody, VbrApiError } from './vbr/models.js';
import { validateRevisions } from './vbr/revisions.js';

const ROUTES: Route[] = [...authRoutes, ...queryRoutes, ...failoverRoutes, ...inventoryRoutes, ...taskRoutes];

/** Thrown by startSimulator when the port is taken (code 'EADDRINUSE'). */
export class PortInUseError extends Error {
  readonly code = 'EADDRINUSE';
  constructor(host: string, port: number) {
    super(`Port ${port} on ${host} is already in use`);
  }
}

function findRoute(method: string, path: string, action: string | null): { route: Route; params: string[] } | { status: 404 | 405 } {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if ((route.action ?? null) !== (action === null ? null : action.toLowerCase())) {
      pathMatched = true;
      continue;
    }
    if (route.method !== method) {
      pathMatched = true;
      continue;
    }
    return { route, params: m.slice(1).map(decodeURIComponent) };
  }
  return { status: pathMatched ? 405 : 404 };
}

function sessionIdOf(req: IncomingMessage): string | undefined {
  // EM: when both are sent, the cookie wins.
  const cookie = /(?:^|;\s*)X-RestSvcSessionId=([^;]+)/i.exec(req.headers.cookie ?? '');
  if (cookie) return cookie[1]!.trim().toLowerCase();
  const header = req.headers['x-restsvcsessionid'];
  return typeof header === 'string' ? header.trim().toLowerCase() : undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readText(req);
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON (the simulator speaks JSON only)');
  }
}

function send(res: ServerResponse, reply: Reply): void {
  sendJson(res, reply.status, reply.body, reply.headers);
}

function errorReply(e: unknown): Reply {
  if (e instanceof ApiError) return { status: e.status, headers: e.headers, body: errorBody(e.status, e.message) };
  return { status: 500, body: errorBody(500, 'Internal server error') };
}

/** One VBR face per backup server, keyed by lower-case name; options name servers case-insensitively. */
function makeFaces(inventory: Inventory, options: SimulatorOptions, now: () => number): Map<string, VbrFace> {
  const names = new Set(inventory.backupServers().map((s) => s.name.toLowerCase()));
  const known = (what: string, name: string): string => {
    if (!names.has(name.toLowerCase())) throw new RangeError(`${what}: no backup server named '${name}'`);
    return name.toLowerCase();
  };
  const revisions = new Map(Object.entries(options.vbrRevisions ?? {}).map(([name, list]) => [known('vbrRevisions', name), validateRevisions(name, list)]));
  for (const name of options.vbrDisabled ?? []) known('vbrDisabled', name);
  const lifetime = options.vbrTokenLifetimeSeconds ?? 900;
  if (!Number.isInteger(lifetime) || lifetime < 1) throw new RangeError('vbrTokenLifetimeSeconds must be a positive integer');
  const faults = { ...options.vbrFaults };
  validateFaults(faults);
  return new Map(
    inventory.backupServers().map((s) => [s.name.toLowerCase(), new VbrFace(s, revisions.get(s.name.toLowerCase()) ?? DEFAULT_REVISIONS, lifetime, faults, now)]),
  );
}

/** Starts the EM simulator; resolves once it listens. See {@link SimulatorOptions} for defaults. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 9398;
  const now = options.now ?? Date.now;
  const log = options.logger;
  const inventory = new Inventory(options);
  const initialFaults: SimulatorFaults = { ...options.faults };
  validateFaults(initialFaults);
  const durationMs = options.failoverDurationMs ?? 10_000;
  const vbrDurations = resolveVbrDurations(durationMs, options.vbrSessionDurationsMs);
  const core = new SimulatorCore(
    inventory,
    [{ username: options.username ?? 'em-admin', password: options.password ?? 'em-admin', role: 'PortalAdministrator' }, ...(options.accounts ?? [])],
    {
      idleTimeoutMs: options.sessionIdleTimeoutMs ?? 15 * 60_000,
      durationMs,
      collectMs: options.failoverCollectMs ?? Math.round(durationMs / 10),
      vbrDurations,
      faults: initialFaults,
      now,
    },
  );
  const faces = makeFaces(inventory, options, now);
  let port = requestedPort;

  function faceOf(name: string): VbrFace {
    const face = faces.get(name.toLowerCase());
    if (!face) throw new RangeError(`no backup server named '${name}' (known: ${[...faces.values()].map((f) => f.server.name).join(', ')})`);
    return face;
  }
  const facesOf = (name?: string): VbrFace[] => (name === undefined ? [...faces.values()] : [faceOf(name)]);
  const disabled = new Set((options.vbrDisabled ?? []).map((n) => n.toLowerCase()));
  const faceUrl = (face: VbrFace): string => `${origin}/vbr/${face.server.name}`;

  async function handleVbr(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const rest = url.pathname.slice('/vbr/'.length);
    const slash = rest.indexOf('/');
    const name = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash)).toLowerCase();
    const face = faces.get(name);
    if (!face || disabled.has(name)) {
      sendJson(res, 404, vbrErrorBody(new VbrApiError(404, 'NotFound', 'Resource does not exist', url.pathname)));
      return;
    }
    await handleVbrRequest(core, face, req, res, url, slash === -1 ? '/' : rest.slice(slash), log);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname.slice('/api'.length) || '/';
    const found = findRoute(method, path, url.searchParams.get('action'));
    if (!('route' in found)) {
      core.counter.record(`${method} (unmatched)`, false);
      send(res, errorReply(new ApiError(found.status, found.status === 404 ? `No resource at ${url.pathname}` : `Method ${method} is not allowed on ${url.pathname}`)));
      return;
    }
    const { route, params } = found;
    const counterKey = route.name === 'GET /query' ? `GET /query?type=${url.searchParams.get('type') ?? ''}` : route.name;
    core.counter.record(counterKey, route.requestClass === 'failover');

    const fault = core.faults.decide(route.requestClass);
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    if (fault.action === 'drop') {
      log?.debug({ route: counterKey }, 'fault: dropping connection');
      req.socket.destroy();
      return;
    }
    if (fault.action === 'hang') {
      log?.debug({ route: counterKey }, 'fault: never answering');
      return;
    }
    if (fault.action === 'error') {
      send(res, errorReply(new ApiError(fault.status, fault.status === 503 ? 'Service unavailable (injected fault)' : 'Internal server error (injected fault)')));
      return;
    }

    let reply: Reply;
    try {
      let session = undefined;
      if (route.auth !== false) {
        const id = sessionIdOf(req);
        session = id === undefined ? undefined : core.sessions.touch(id);
        if (!session) throw new ApiError(401, id === undefined ? 'Authorization required' : 'The logon session has expired or does not exist', { 'WWW-Authenticate': 'Basic Realm=RestSvc' });
      }
      const body = method === 'POST' || method === 'PUT' ? await readJson(req) : undefined;
      const ctx: RequestContext = { core, req, base: `http://${req.headers.host ?? `${host}:${port}`}/api`, url, params, session: session!, body };
      reply = await route.handler(ctx);
    } catch (e) {
      if (!(e instanceof ApiError)) log?.error({ err: e, route: counterKey }, 'simulator route failed');
      reply = errorReply(e);
    }
    if (reply.control === 'drop') {
      req.socket.destroy();
      return;
    }
    // 'hang': the failover has started but the answer never comes; close() ends the socket.
    if (reply.control === 'hang') return;
    send(res, reply);
  }

  async function handleAdminRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const body = req.method === 'GET' || req.method === 'DELETE' ? undefined : await readJson(req);
      send(res, handleAdmin(running, req.method ?? 'GET', url.pathname, body));
    } catch (e) {
      send(res, e instanceof RangeError ? errorReply(new ApiError(400, e.message)) : errorReply(e));
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const work =
      url.pathname === '/api' || url.pathname.startsWith('/api/')
        ? handleApi(req, res, url)
        : url.pathname.startsWith('/vbr/')
          ? handleVbr(req, res, url)
          : url.pathname.startsWith('/admin')
            ? handleAdminRequest(req, res, url)
            : Promise.resolve(send(res, errorReply(new ApiError(404, `No resource at ${url.pathname}; the API is under /api, the VBR faces under /vbr/<backup server>`))));
    work.catch((err: unknown) => {
      log?.error({ err }, 'simulator request failed');
      if (!res.headersSent) send(res, errorReply(err));
    });
  });
  // Longer than any client's idle keep-alive, so the server is not the side that closes a reused socket.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(host, requestedPort) : err);
    };
    server.once('error', onError);
    server.listen(requestedPort, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const vbrUrls = Object.fromEntries([...faces.values()].filter((f) => !disabled.has(f.server.name.toLowerCase())).map((f) => [f.server.name, faceUrl(f)]));
  log?.info({ url: `${origin}/api`, vbr: vbrUrls, seed: inventory.seed, size: inventory.size, counts: inventory.counts }, 'EM simulator listening');
  const vbrDump = (): VbrFaceDump[] =>
    [...faces.values()].map((f) => {
      const enabled = !disabled.has(f.server.name.toLowerCase());
      return {
        name: f.server.name,
        ...(enabled ? { url: faceUrl(f) } : {}),
        enabled,
        revisions: [...f.revisions],
        tokenLifetimeSeconds: f.tokens.lifetimeSeconds,
        liveAccessTokens: f.tokens.liveCount(),
        faults: f.faults.current,
        counters: f.counter.snapshot(),
      };
    });

  let closed: Promise<void> | undefined;
  const running: RunningSimulator = {
    url: `${origin}/api`,
    adminUrl: `${origin}/admin`,
    host,
    port,
    inventory,
    get faults(): SimulatorFaults {
      return core.faults.current;
    },
    set faults(value: SimulatorFaults) {
      core.faults.set(value);
    },
    get timings(): FailoverTimings {
      return { ...core.simulation.timings };
    },
    set timings(value: FailoverTimings) {
      core.simulation.timings = { ...value };
    },
    get sessionIdleTimeoutMs(): number {
      return core.sessions.idleTimeoutMs;
    },
    set sessionIdleTimeoutMs(value: number) {
      core.sessions.idleTimeoutMs = value;
    },
    get counters() {
      return core.counter.snapshot();
    },
    resetCounters(): void {
      core.counter.reset();
      for (const f of faces.values()) f.counter.reset();
    },
    expireSessions: () => core.sessions.expireAll(),
    vbrUrls,
    vbrFaults: (server) => faceOf(server).faults.current,
    setVbrFaults(faults, server): void {
      validateFaults(faults);
      for (const f of facesOf(server)) f.faults.set(faults);
    },
    expireVbrTokens: (server) => facesOf(server).reduce((n, f) => n + f.tokens.expireAll(), 0),
    failNextVbrRefresh(server): void {
      for (const f of facesOf(server)) f.tokens.failNextRefresh();
    },
    vbrCounters: (server) => faceOf(server).counter.snapshot(),
    get vbrSessionDurations(): VbrSessionDurations {
      return { ...core.simulation.vbrDurations };
    },
    set vbrSessionDurations(value: VbrSessionDurations) {
      core.simulation.vbrDurations = resolveVbrDurations(durationMs, { ...core.simulation.vbrDurations, ...value });
    },
    reset(): void {
      core.simulation.reset();
      core.counter.reset();
      core.faults.set(initialFaults);
      for (const f of faces.values()) {
        f.counter.reset();
        f.faults.set(f.initialFaults);
      }
    },
    dump(): SimulatorDump {
      const state = core.simulation.dump();
      return {
        seed: inventory.seed,
        size: inventory.size,
        counts: inventory.counts,
        faults: core.faults.current,
        timings: { ...core.simulation.timings },
        sessionIdleTimeoutMs: core.sessions.idleTimeoutMs,
        counters: core.counter.snapshot(),
        sessions: core.sessions.list(),
        tasks: state.tasks.map((t) => ({
          id: t.id,
          sessionId: t.sessionId,
          operation: t.operation,
          kind: t.failover.kind,
          unit: t.failover.unit,
          restoreSessionId: t.failover.restoreSessionId,
          displayName: t.failover.displayName,
          result: t.failover.result,
          startedAt: new Date(t.failover.startedAt).toISOString(),
          taskState: t.snapshot.taskState,
          sessionState: t.snapshot.sessionState,
          progress: t.snapshot.progress,
        })),
        replicas: state.replicas,
        vbrFaces: vbrDump(),
        vbrSessionDurationsMs: { ...core.simulation.vbrDurations },
        vbrSessions: core.simulation.lifecycle.all().map((s) => {
          const snap = lifecycleSnapshot(s, now());
          return {
            id: s.id,
            backupServer: inventory.backupServer(s.backupServer)!.name,
            type: s.type,
            name: s.name,
            unit: s.unit,
            startedAt: new Date(s.startedAt).toISOString(),
            state: snap.sessionState,
            progressPercent: snap.progressPercent,
            result: snap.result ?? 'None',
            replicaState: core.simulation.vmReplica(s.unit).state,
          };
        }),
      };
    },
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Hung failover calls and idle keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      }).then(() => log?.info('EM simulator stopped'));
      return closed;
    },
  };
  return running;
}
