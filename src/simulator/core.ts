import type { IncomingMessage } from 'node:http';
import { CallCounter } from './counters.js';
import { FaultInjector, type RequestClass } from './faults.js';
import type { Inventory } from './inventory-generator.js';
import type { VbrSessionDurations } from './lifecycle-machine.js';
import { SessionStore, type EmRole, type LogonSessionRecord } from './sessions.js';
import { Simulation } from './simulation.js';
import type { SimulatorAccount } from './types.js';

/** Everything a route handler can reach. */
export class SimulatorCore {
  readonly counter = new CallCounter();
  readonly faults: FaultInjector;
  readonly sessions: SessionStore;
  readonly simulation: Simulation;
  private readonly accounts: Map<string, { password: string; role: EmRole }>;

  constructor(
    readonly inventory: Inventory,
    accounts: SimulatorAccount[],
    opts: { idleTimeoutMs: number; durationMs: number; collectMs: number; vbrDurations: VbrSessionDurations; faults: FaultInjector['current']; now: () => number },
    readonly now: () => number = opts.now,
  ) {
    this.accounts = new Map(accounts.map((a) => [a.username.toLowerCase(), { password: a.password, role: a.role ?? 'PortalAdministrator' }]));
    this.faults = new FaultInjector(opts.faults);
    this.sessions = new SessionStore(opts.idleTimeoutMs, now);
    this.simulation = new Simulation(inventory, { durationMs: opts.durationMs, collectMs: opts.collectMs }, now, { ...opts.vbrDurations });
  }

  /** The account for a Basic Authorization header, if the credentials are right. */
  authenticate(header: string | undefined): { userName: string; role: EmRole } | undefined {
    const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!m) return undefined;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const userName = decoded.slice(0, colon);
    const account = this.accounts.get(userName.toLowerCase());
    return account && account.password === decoded.slice(colon + 1) ? { userName, role: account.role } : undefined;
  }
}

export interface RequestContext {
  core: SimulatorCore;
  req: IncomingMessage;
  /** Absolute base of hrefs, e.g. http://127.0.0.1:9398/api. */
  base: string;
  url: URL;
  params: string[];
  /** Set for routes that need a logon session. */
  session: LogonSessionRecord;
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** After the work is done: answer normally, never answer, or destroy the socket. */
  control?: 'normal' | 'hang' | 'drop';
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  /** Anchored, case-insensitive, against the path after /api. */
  pattern: RegExp;
  /** Required ?action= value. */
  action?: string;
  /** Counter key, e.g. "POST /vmReplicaPoints/{id}?action=failover". */
  name: string;
  requestClass: RequestClass;
  /** Needs a logon session (default true). */
  auth?: boolean;
  handler(ctx: RequestContext): Reply | Promise<Reply>;
}

export const ok = (body: unknown, status = 200): Reply => ({ status, body });

export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, `${what} with id '${id}' was not found`);
}
