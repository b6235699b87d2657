import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, SimulatorCore, type Reply, type RequestContext, type Route } from './core.js';
import { validateFaults, type SimulatorFaults } from './faults.js';
import { Inventory } from './inventory-generator.js';
import { errorBody } from './representation.js';
import { handleAdmin } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { failoverRoutes } from './routes/failover.js';
import { inventoryRoutes } from './routes/inventory.js';
import { queryRoutes } from './routes/query.js';
import { taskRoutes } from './routes/tasks.js';
import type { FailoverTimings } from './state-machine.js';
import type { RunningSimulator, SimulatorDump, SimulatorOptions } from './types.js';

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

/** The request body as text; plain stream events, several times cheaper per request than stream/consumers' async iteration. */
function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
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
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const body = JSON.stringify(reply.body);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status, headers).end(body);
}

function errorReply(e: unknown): Reply {
  if (e instanceof ApiError) return { status: e.status, headers: e.headers, body: errorBody(e.status, e.message) };
  return { status: 500, body: errorBody(500, 'Internal server error') };
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
  const core = new SimulatorCore(
    inventory,
    [{ username: options.username ?? 'em-admin', password: options.password ?? 'em-admin', role: 'PortalAdministrator' }, ...(options.accounts ?? [])],
    {
      idleTimeoutMs: options.sessionIdleTimeoutMs ?? 15 * 60_000,
      durationMs,
      collectMs: options.failoverCollectMs ?? Math.round(durationMs / 10),
      faults: initialFaults,
      now,
    },
  );
  let port = requestedPort;

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
    const work = url.pathname === '/api' || url.pathname.startsWith('/api/') ? handleApi(req, res, url) : url.pathname.startsWith('/admin') ? handleAdminRequest(req, res, url) : Promise.resolve(send(res, errorReply(new ApiError(404, `No resource at ${url.pathname}; the API is under /api`))));
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
  log?.info({ url: `${origin}/api`, seed: inventory.seed, size: inventory.size, counts: inventory.counts }, 'EM simulator listening');

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
    resetCounters: () => core.counter.reset(),
    expireSessions: () => core.sessions.expireAll(),
    reset(): void {
      core.simulation.reset();
      core.counter.reset();
      core.faults.set(initialFaults);
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
