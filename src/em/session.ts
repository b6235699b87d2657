import type { Logger } from 'pino';
import {
  EmError,
  EmForbiddenError,
  EmNotFoundError,
  EmOutcomeUnknownError,
  EmRejectedError,
  EmSessionExpiredError,
  EmUnauthenticatedError,
  EmUnavailableError,
  type EmErrorDetails,
} from './errors.js';
import { httpRequest, TransportError, type HttpResponse } from '../http-client/exchange.js';
import { withRetries, type RetryPolicy } from '../http-client/retry.js';
import { errorMessage } from './wire.js';

/** read: idempotent, retried. write: sent once. failover: sent once, and a lost answer is "outcome unknown". */
export type CallKind = 'read' | 'write' | 'failover';

export interface Call {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the base URL (e.g. /query?type=…) or an absolute link href from EM. */
  path: string;
  body?: unknown;
  kind: CallKind;
  /** Keep a successful answer's bytes unparsed (see HttpRequest.raw). */
  raw?: boolean;
}

export interface SessionOptions {
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs: number;
  retry: RetryPolicy;
  logger?: Logger;
}

const SESSION_HEADER = 'X-RestSvcSessionId';

/**
 * An EM logon session and every call made in it. A 401 means EM refused the
 * request before acting on it (expired after 15 idle minutes, or forced), so
 * logging on again and resending once is safe even for a failover.
 */
export class EmSession {
  private token: string | undefined;
  private logonInFlight: Promise<string> | undefined;
  private closed = false;

  constructor(private readonly opts: SessionOptions) {}

  get sessionId(): string | undefined {
    return this.token;
  }

  resolve(path: string): string {
    return /^https?:\/\//i.test(path) ? path : `${this.opts.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  async call(call: Call): Promise<HttpResponse> {
    if (this.closed) throw new EmUnavailableError('The EM client is closed', { method: call.method, url: this.resolve(call.path) });
    if (call.kind !== 'read') return this.once(call);
    return withRetries(
      this.opts.retry,
      (e) => e instanceof EmUnavailableError,
      () => this.once(call),
      (e, attempt, waitMs) => this.opts.logger?.warn({ err: e, method: call.method, path: call.path, attempt, waitMs }, 'EM read failed; retrying'),
    );
  }

  async logon(): Promise<string> {
    if (this.closed) throw new EmUnavailableError('The EM client is closed');
    this.logonInFlight ??= withRetries(
      this.opts.retry,
      (e) => e instanceof EmUnavailableError,
      () => this.logonOnce(),
      (e, attempt, waitMs) => this.opts.logger?.warn({ err: e, attempt, waitMs }, 'EM logon failed; retrying'),
    ).finally(() => {
      this.logonInFlight = undefined;
    });
    return this.logonInFlight;
  }

  /** Best effort: a session EM already dropped, or an unreachable EM, is not an error here. */
  async logoff(): Promise<void> {
    const token = this.token;
    this.token = undefined;
    if (token === undefined) return;
    try {
      await httpRequest({ method: 'DELETE', url: this.resolve(`/logonSessions/${token}`), headers: { [SESSION_HEADER]: token }, timeoutMs: this.opts.timeoutMs });
      this.opts.logger?.debug('logged off EM');
    } catch (e) {
      this.opts.logger?.warn({ err: e }, 'EM logoff failed; the session will expire on its own');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.logonInFlight?.catch(() => undefined);
    await this.logoff();
    this.closed = true;
  }

  private async logonOnce(): Promise<string> {
    const url = this.resolve('/sessionMngr/?v=latest');
    const basic = Buffer.from(`${this.opts.username}:${this.opts.password}`).toString('base64');
    const res = await this.send({ method: 'POST', path: url, kind: 'write' }, { Authorization: `Basic ${basic}` });
    if (res.status === 401) throw new EmUnauthenticatedError(`EM refused the logon of '${this.opts.username}': ${errorMessage(res.body) ?? 'bad credentials'}`, details('POST', url, res));
    if (res.status >= 400) throw errorFor('POST', url, res);
    const token = res.headers.get(SESSION_HEADER) ?? bodySessionId(res.body);
    if (!token) throw new EmUnavailableError('EM accepted the logon but returned no X-RestSvcSessionId', details('POST', url, res));
    this.token = token;
    this.opts.logger?.debug({ user: this.opts.username }, 'logged on to EM');
    return token;
  }

  private async once(call: Call): Promise<HttpResponse> {
    const token = this.token ?? (await this.logon());
    let res = await this.send(call, { [SESSION_HEADER]: token });
    if (res.status === 401) {
      this.opts.logger?.info({ path: call.path }, 'EM session expired; logging on again');
      if (this.token === token) this.token = undefined;
      const fresh = this.token ?? (await this.logon());
      res = await this.send(call, { [SESSION_HEADER]: fresh });
      if (res.status === 401) throw new EmSessionExpiredError('EM refused the session right after a new logon', details(call.method, this.resolve(call.path), res));
    }
    if (res.status >= 400) throw errorFor(call.method, this.resolve(call.path), res);
    return res;
  }

  private async send(call: Call, headers: Record<string, string>): Promise<HttpResponse> {
    const url = this.resolve(call.path);
    try {
      return await httpRequest({ method: call.method, url, headers, body: call.body, timeoutMs: this.opts.timeoutMs, reuseConnection: call.kind === 'read', raw: call.raw });
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      const d = { method: call.method, url, cause: e };
      if (call.kind === 'failover' && e.sent) {
        throw new EmOutcomeUnknownError(`No answer to ${call.method} ${url} (${e.message}); the failover may have started: reconcile before retrying`, d);
      }
      throw new EmUnavailableError(`EM is unavailable: ${call.method} ${url}: ${e.message}`, d);
    }
  }
}

function bodySessionId(body: unknown): string | undefined {
  const id = (body as { SessionId?: unknown } | undefined)?.SessionId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function details(method: string, url: string, res: HttpResponse): EmErrorDetails {
  return { method, url, status: res.status, emMessage: errorMessage(res.body) };
}

/** Maps an EM error answer to its typed error. */
export function errorFor(method: string, url: string, res: HttpResponse): EmError {
  const d = details(method, url, res);
  const text = `EM answered ${res.status} to ${method} ${url}${d.emMessage ? `: ${d.emMessage}` : ''}`;
  if (res.status === 404) return new EmNotFoundError(text, d);
  if (res.status === 403) return new EmForbiddenError(text, d);
  if (res.status === 401) return new EmSessionExpiredError(text, d);
  if (res.status >= 500) return new EmUnavailableError(text, d);
  return new EmRejectedError(text, d);
}
