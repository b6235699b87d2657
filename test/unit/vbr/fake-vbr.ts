import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A small VBR REST face for the client's tests: OAuth2 password and
 * single-use refresh grants, `x-api-version` checked on every call (400
 * NotImplemented outside `revisions`), 401 with an empty body for a missing or
 * expired bearer, and routes the test adds. Every request is recorded on
 * arrival, before any route runs.
 */
export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  version: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** `drop`: the connection is closed without an answer; `hang`: no answer ever (until the fake closes). */
export type Answer = { status: number; body?: unknown } | 'drop' | 'hang';
export type Route = (seen: Seen, json: unknown) => Answer;

export interface FakeVbrOptions {
  revisions?: string[];
  /** expires_in of access tokens, in seconds. */
  lifetimeSeconds?: number;
  tls?: { key: string; cert: string };
}

export const USER = 'vbr-admin';
export const PASSWORD = 'vbr-admin';

export class FakeVbr {
  readonly seen: Seen[] = [];
  readonly routes = new Map<string, Route>();
  private readonly access = new Set<string>();
  private readonly refresh = new Map<string, boolean>();
  private counter = 0;
  private server!: http.Server;
  url = '';
  revisions: string[];

  constructor(private readonly opts: FakeVbrOptions = {}) {
    this.revisions = opts.revisions ?? ['1.3-rev1', '1.3-rev0', '1.2-rev1', '1.2-rev0', '1.1-rev2', '1.1-rev1'];
  }

  static async start(opts: FakeVbrOptions = {}): Promise<FakeVbr> {
    const fake = new FakeVbr(opts);
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => fake.handle(req, res);
    fake.server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.url = `${opts.tls ? 'https' : 'http'}://localhost:${port}`;
    return fake;
  }

  /** Calls of one route, e.g. `POST /api/oauth2/token`. */
  calls(route: string): Seen[] {
    return this.seen.filter((s) => `${s.method} ${s.path}` === route);
  }

  tokenGrants(): string[] {
    return this.calls('POST /api/oauth2/token').map((s) => new URLSearchParams(s.body).get('grant_type') ?? '');
  }

  /** Every access token stops working now (refresh tokens still do). */
  expireAccessTokens(): void {
    this.access.clear();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const seen: Seen = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        version: header(req, 'x-api-version'),
        authorization: header(req, 'authorization'),
        contentType: header(req, 'content-type'),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.seen.push(seen);
      const answer = this.answer(seen);
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      if (answer === 'hang') return;
      const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, payload ? { 'content-type': 'application/json' } : {});
      res.end(payload);
    });
  }

  private answer(seen: Seen): Answer {
    if (!seen.version || !this.revisions.includes(seen.version)) {
      return { status: 400, body: { errorCode: 'NotImplemented', message: 'The specified API version is not supported.' } };
    }
    const route = this.routes.get(`${seen.method} ${seen.path}`);
    if (seen.path === '/api/oauth2/token' && seen.method === 'POST') return route ? route(seen, undefined) : this.token(seen);
    const bearer = seen.authorization?.replace(/^Bearer /, '');
    if (bearer === undefined || !this.access.has(bearer)) return { status: 401 };
    if (seen.path === '/api/oauth2/logout' && seen.method === 'POST') {
      this.access.delete(bearer);
      return { status: 200, body: {} };
    }
    if (!route) return { status: 404, body: { errorCode: 'NotFound', message: 'Resource does not exist' } };
    return route(seen, seen.body ? (JSON.parse(seen.body) as unknown) : undefined);
  }

  private token(seen: Seen): Answer {
    const form = new URLSearchParams(seen.body);
    if (seen.contentType !== 'application/x-www-form-urlencoded') return { status: 400, body: { errorCode: 'UnexpectedContent', message: 'form expected' } };
    const grant = form.get('grant_type');
    if (grant === 'password') {
      if (form.get('username') !== USER || form.get('password') !== PASSWORD) return { status: 401, body: { errorCode: 'AccessDenied', message: 'Invalid user name or password' } };
      return { status: 200, body: this.issue() };
    }
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      if (this.refresh.get(token) !== false) return { status: 400, body: { errorCode: 'InvalidToken', message: 'The refresh token is invalid or was already used.' } };
      this.refresh.set(token, true);
      return { status: 200, body: this.issue() };
    }
    return { status: 400, body: { errorCode: 'UnexpectedContent', message: 'unknown grant_type' } };
  }

  private issue(): Record<string, unknown> {
    const n = ++this.counter;
    const access = `access-${n}`;
    const refresh = `refresh-${n}`;
    this.access.add(access);
    this.refresh.set(refresh, false);
    const lifetime = this.opts.lifetimeSeconds ?? 900;
    const issued = new Date();
    return {
      access_token: access,
      token_type: 'bearer',
      refresh_token: refresh,
      expires_in: lifetime,
      '.issued': issued.toISOString(),
      '.expires': new Date(issued.getTime() + lifetime * 1000).toISOString(),
      username: USER,
    };
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** A listing route over `items`: skip/limit from the query (GET) or `pagination` (POST), capped at `maxLimit`. */
export function paged(items: unknown[], maxLimit = Number.POSITIVE_INFINITY, withTotal = true): Route {
  return (seen, json) => {
    const p = (json as { pagination?: { skip?: number; limit?: number } } | undefined)?.pagination;
    const skip = Number(p?.skip ?? seen.query.get('skip') ?? 0);
    const limit = Math.min(Number(p?.limit ?? seen.query.get('limit') ?? 200), maxLimit);
    const data = items.slice(skip, skip + limit);
    const pagination = { ...(withTotal ? { total: items.length } : {}), count: data.length, skip, limit };
    return { status: 200, body: { data, pagination } };
  };
}
