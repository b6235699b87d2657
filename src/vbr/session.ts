import type { Logger } from 'pino';
import type { HttpResponse, HttpTransport } from '../http-client/exchange.js';
import { withRetries, type RetryPolicy } from '../http-client/retry.js';
import type { VbrAuth } from './auth.js';
import { errorFor, isRetryable, transportFailure } from './error-map.js';
import { VbrNotImplementedError, VbrUnauthenticatedError, VbrUnavailableError } from './errors.js';
import { atLeast, ENDPOINT_MINIMUM, type VbrEndpoint } from './revisions.js';

/**
 * read: changes nothing (GETs, and the inventory browser's POSTs), retried on
 * a pooled connection. change: sent once on a fresh connection; a lost answer,
 * or a 5xx other than 503, is "outcome unknown".
 */
export type VbrCallKind = 'read' | 'change';

export interface VbrCall {
  method: 'GET' | 'POST';
  /** Path under the server base, starting with /api/. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  kind: VbrCallKind;
  /** Refused before sending when the revision in use is older than this endpoint. */
  endpoint?: VbrEndpoint;
  /** Answer with the body's bytes unparsed (a Buffer), so the caller can fingerprint them (see HttpRequest.raw). */
  raw?: boolean;
}

export interface SessionOptions {
  baseUrl: string;
  transport: HttpTransport;
  timeoutMs: number;
  retry: RetryPolicy;
  logger?: Logger;
}

/**
 * Every authenticated call to one VBR server. A 401 (VBR sends it with an
 * empty body) means the token was refused before anything was done, so one
 * new token and one resend is safe even for a changing POST.
 */
export class VbrSession {
  private closed = false;

  constructor(
    private readonly opts: SessionOptions,
    readonly auth: VbrAuth,
  ) {}

  /** The parsed body of a successful answer. */
  async call(call: VbrCall): Promise<unknown> {
    if (this.closed) throw new VbrUnavailableError('the VBR client is closed', { method: call.method, url: this.url(call) });
    if (call.kind === 'change') return this.once(call);
    return withRetries(this.opts.retry, isRetryable, () => this.once(call), (e, attempt, waitMs) =>
      this.opts.logger?.warn({ err: e, method: call.method, path: call.path, attempt, waitMs }, 'VBR read failed; retrying'),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.auth.logout();
    this.opts.transport.close();
  }

  private async once(call: VbrCall): Promise<unknown> {
    const url = this.url(call);
    const revision = await this.auth.revision();
    if (call.endpoint !== undefined && !atLeast(revision, ENDPOINT_MINIMUM[call.endpoint])) {
      throw new VbrNotImplementedError(`${call.method} ${call.path.split('?')[0]} needs API revision ${ENDPOINT_MINIMUM[call.endpoint]} or later; this server speaks ${revision}`, {
        method: call.method,
        url,
      });
    }
    let access = await this.auth.accessToken();
    let res = await this.send(call, url, access, revision);
    if (res.status === 401) {
      this.opts.logger?.info({ path: call.path }, 'VBR refused the access token; getting a new one');
      this.auth.refused(access);
      access = await this.auth.accessToken();
      res = await this.send(call, url, access, await this.auth.revision());
      if (res.status === 401) throw new VbrUnauthenticatedError('VBR refused a token it had just issued', { status: 401, method: call.method, url });
    }
    if (res.status >= 400) throw errorFor(call.method, url, res, call.kind === 'change');
    return call.raw ? (res.raw ?? Buffer.from(JSON.stringify(res.body ?? null))) : res.body;
  }

  private async send(call: VbrCall, url: string, access: string, revision: string): Promise<HttpResponse> {
    try {
      return await this.opts.transport.request({
        method: call.method,
        url,
        headers: { Authorization: `Bearer ${access}`, 'x-api-version': revision },
        body: call.body,
        timeoutMs: this.opts.timeoutMs,
        reuseConnection: call.kind === 'read',
        raw: call.raw,
      });
    } catch (e) {
      throw transportFailure(call.method, url, e, call.kind === 'change');
    }
  }

  private url(call: VbrCall): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) params.set(k, String(v));
    const query = params.toString();
    return `${this.opts.baseUrl}${call.path}${query ? `?${query}` : ''}`;
  }
}
