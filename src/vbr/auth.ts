import type { Logger } from 'pino';
import type { HttpResponse, HttpTransport } from '../http-client/exchange.js';
import { withRetries, type RetryPolicy } from '../http-client/retry.js';
import { errorFor, isRetryable, transportFailure } from './error-map.js';
import { VbrNotImplementedError, VbrUnauthenticatedError, VbrUnavailableError } from './errors.js';
import { candidatesFrom } from './revisions.js';
import { VBR_API_REVISIONS, type VbrApiRevision } from './types.js';
import { errorBody, parseToken } from './wire.js';

export interface AuthOptions {
  baseUrl: string;
  username: string;
  password: string;
  transport: HttpTransport;
  timeoutMs: number;
  retry: RetryPolicy;
  refreshMarginMs: number;
  pinned?: VbrApiRevision;
  logger?: Logger;
  now: () => number;
}

interface Held {
  access: string;
  /** Single-use: cleared the moment it is sent. */
  refresh?: string;
  /** When to get a new token (the clock of `now`). */
  renewAt: number;
}

/** The documented lifetime (TokenModel.access_token; every example's expires_in), when VBR gives none. */
const DEFAULT_LIFETIME_MS = 900_000;

/**
 * The OAuth2 tokens of one VBR server and the revision they were obtained
 * with. Every token call (password or refresh grant) goes through one shared
 * promise, so concurrent callers wait for one logon or refresh, and a refresh
 * token is never sent twice by this client.
 */
export class VbrAuth {
  private held: Held | undefined;
  private negotiated: VbrApiRevision | undefined;
  private pending: Promise<Held> | undefined;

  constructor(private readonly opts: AuthOptions) {}

  /** The revision in use; negotiating it means logging on. */
  async revision(): Promise<VbrApiRevision> {
    if (this.opts.pinned) return this.opts.pinned;
    if (this.negotiated === undefined) await this.acquire();
    return this.negotiated!;
  }

  /** An access token that is not due for renewal. */
  async accessToken(): Promise<string> {
    const held = this.held;
    if (held && this.opts.now() < held.renewAt) return held.access;
    return (await this.acquire()).access;
  }

  /** VBR answered 401 to `access`: the next caller gets a new token (unless another caller already did). */
  refused(access: string): void {
    if (this.held?.access === access) this.held = { ...this.held, renewAt: Number.NEGATIVE_INFINITY };
  }

  /** Best effort: tokens VBR already dropped, or an unreachable VBR, are not an error here. */
  async logout(): Promise<void> {
    await this.pending?.catch(() => undefined);
    const held = this.held;
    this.held = undefined;
    if (held === undefined) return;
    const url = `${this.opts.baseUrl}/api/oauth2/logout`;
    try {
      const res = await this.opts.transport.request({
        method: 'POST',
        url,
        headers: { Authorization: `Bearer ${held.access}`, 'x-api-version': this.opts.pinned ?? this.negotiated ?? VBR_API_REVISIONS[0] },
        timeoutMs: this.opts.timeoutMs,
      });
      if (res.status >= 400) this.opts.logger?.warn({ status: res.status, ...errorBody(res.body) }, 'VBR logout refused; the tokens will expire on their own');
      else this.opts.logger?.debug('logged out of VBR');
    } catch (e) {
      this.opts.logger?.warn({ err: e }, 'VBR logout failed; the tokens will expire on their own');
    }
  }

  private acquire(): Promise<Held> {
    this.pending ??= this.obtain()
      .then((held) => (this.held = held))
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async obtain(): Promise<Held> {
    const refresh = this.held?.refresh;
    this.held = undefined;
    const revision = this.opts.pinned ?? this.negotiated;
    if (refresh !== undefined && revision !== undefined) {
      const held = await this.refreshGrant(refresh, revision);
      if (held) return held;
    }
    return this.passwordGrant();
  }

  /** undefined when VBR did not hand out a new pair: the refresh token is spent or unknown either way, so log on with the password. */
  private async refreshGrant(refreshToken: string, revision: VbrApiRevision): Promise<Held | undefined> {
    const sentAt = this.opts.now();
    let res: HttpResponse;
    try {
      res = await this.tokenCall(revision, { grant_type: 'refresh_token', refresh_token: refreshToken });
    } catch (e) {
      this.opts.logger?.warn({ err: e }, 'VBR token refresh got no usable answer; logging on with the password');
      return undefined;
    }
    const token = res.status === 200 ? parseToken(res.body) : undefined;
    if (token === undefined) {
      this.opts.logger?.info({ status: res.status, ...errorBody(res.body) }, 'VBR refused the refresh token; logging on with the password');
      return undefined;
    }
    this.opts.logger?.debug('refreshed the VBR access token');
    return this.hold(token, sentAt);
  }

  /** Password grant, stepping down the revisions on 400 NotImplemented (only the pinned one when pinned). */
  private async passwordGrant(): Promise<Held> {
    const candidates = this.opts.pinned ? [this.opts.pinned] : candidatesFrom(this.negotiated);
    const url = `${this.opts.baseUrl}/api/oauth2/token`;
    for (const revision of candidates) {
      const sentAt = this.opts.now();
      const res = await withRetries(
        this.opts.retry,
        isRetryable,
        () => this.tokenCall(revision, { grant_type: 'password', username: this.opts.username, password: this.opts.password }),
        (e, attempt, waitMs) => this.opts.logger?.warn({ err: e, attempt, waitMs }, 'VBR logon failed; retrying'),
      );
      const body = errorBody(res.body);
      if (res.status === 400 && body.errorCode === 'NotImplemented') {
        this.opts.logger?.info({ revision }, 'VBR does not implement this API revision; stepping down');
        continue;
      }
      if (res.status === 400 || res.status === 401) {
        throw new VbrUnauthenticatedError(body.message ?? `VBR refused the logon of '${this.opts.username}'`, { ...body, status: res.status, method: 'POST', url });
      }
      if (res.status >= 400) throw errorFor('POST', url, res);
      const token = parseToken(res.body);
      if (token === undefined) throw new VbrUnavailableError('VBR accepted the logon but sent no access_token', { status: res.status, method: 'POST', url });
      if (!this.opts.pinned && this.negotiated !== revision) {
        this.negotiated = revision;
        this.opts.logger?.info({ revision }, 'VBR API revision negotiated');
      }
      this.opts.logger?.debug({ user: this.opts.username }, 'logged on to VBR');
      return this.hold(token, sentAt);
    }
    throw new VbrNotImplementedError(
      this.opts.pinned
        ? `VBR does not implement the pinned API revision ${this.opts.pinned}`
        : `VBR implements none of the API revisions this client speaks (${candidates.join(', ')})`,
      { errorCode: 'NotImplemented', status: 400, method: 'POST', url },
    );
  }

  /** One token call; 5xx and 429 throw (retryable), other answers are returned. */
  private async tokenCall(revision: VbrApiRevision, form: Record<string, string>): Promise<HttpResponse> {
    const url = `${this.opts.baseUrl}/api/oauth2/token`;
    let res: HttpResponse;
    try {
      res = await this.opts.transport.request({ method: 'POST', url, headers: { 'x-api-version': revision }, form, timeoutMs: this.opts.timeoutMs });
    } catch (e) {
      throw transportFailure('POST', url, e, false);
    }
    if (res.status >= 500 || res.status === 429) throw errorFor('POST', url, res);
    return res;
  }

  /** Renew `refreshMarginMs` before the lifetime runs out (counted from when the request left), at most half-way through it. */
  private hold(token: { accessToken: string; refreshToken?: string; lifetimeMs?: number }, sentAt: number): Held {
    const lifetime = token.lifetimeMs ?? DEFAULT_LIFETIME_MS;
    return { access: token.accessToken, refresh: token.refreshToken, renewAt: sentAt + lifetime - Math.min(this.opts.refreshMarginMs, lifetime / 2) };
  }
}
