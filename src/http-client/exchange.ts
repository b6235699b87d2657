import * as http from 'node:http';
import * as https from 'node:https';
import { tlsConnectOptions, type TlsTrust } from './tls.js';

/**
 * One HTTP exchange with an upstream (EM, a VBR server) over node:http with
 * keep-alive agents, with a hard timeout that also covers reading the body.
 * Failures before an answer are classified by whether the request can have
 * reached the upstream: that decides if a changing POST is "outcome unknown".
 *
 * node:http rather than fetch: a sync makes tens of thousands of small calls
 * (one per CDP VM for its intervals), and fetch's web streams cost several
 * times the CPU and garbage per call.
 */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent form-encoded (application/x-www-form-urlencoded) instead of `body`. */
  form?: Record<string, string>;
  timeoutMs: number;
  /**
   * Send on a pooled keep-alive connection (idempotent reads). Otherwise a new
   * connection is opened, so a connection EM closed while idle can never be
   * mistaken for a request that may have reached it.
   */
  reuseConnection?: boolean;
  /**
   * Keep a successful answer's body as the bytes EM sent (`raw`) instead of
   * parsing it: the caller may fingerprint it and parse only when it must.
   * Error answers (status >= 400) are parsed as usual. Default: false.
   */
  raw?: boolean;
}

/** Response headers, looked up case-insensitively (the subset of fetch's Headers the client uses). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  body: unknown;
  /** The body's bytes, for a request made with `raw` (then `body` is undefined). */
  raw?: Buffer;
}

/**
 * No answer came. `sent: false` only when the connection was never
 * established (for https: the handshake never completed). `tls`: the handshake
 * failed (untrusted certificate, wrong name, fingerprint not the pinned one).
 */
export class TransportError extends Error {
  constructor(
    readonly reason: 'timeout' | 'network' | 'tls',
    readonly sent: boolean,
    cause: unknown,
  ) {
    super(reason === 'timeout' ? 'no answer before the timeout' : `${reason === 'tls' ? 'TLS handshake failed' : 'network error'}: ${describe(cause)}`, { cause });
  }
}

/** Errors raised before any byte of the request can have left. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL']);

function codeOf(e: unknown): string | undefined {
  const o = e as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = o?.code ?? o?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = codeOf(e);
    return code && !e.message.includes(code) ? `${code} ${e.message}`.trim() : e.message;
  }
  return String(e);
}

class NodeHeaders implements ResponseHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : v;
  }
}

class TimeoutSignal extends Error {}

/**
 * Exchanges under one trust. Sockets are reused across calls (TLS handshakes
 * are not free); idle ones do not keep the process alive.
 */
export class HttpTransport {
  private readonly tls: ReturnType<typeof tlsConnectOptions>;
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };

  constructor(trust: TlsTrust = {}) {
    this.tls = tlsConnectOptions(trust);
    this.agents = {
      'http:': new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 }),
      // A resumed TLS session skips checkServerIdentity: with a pin, every new connection does a full handshake.
      'https:': new https.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64, ...this.tls, ...(trust.fingerprint !== undefined ? { maxCachedSessions: 0 } : {}) }),
    };
  }

  /** Closes idle pooled sockets. */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    return exchange(req, this.agents, this.tls);
  }
}

const shared = new HttpTransport();

/** One exchange trusting the system roots, on the process-wide pool. */
export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  return shared.request(req);
}

function exchange(req: HttpRequest, agents: { 'http:': http.Agent; 'https:': https.Agent }, tls: ReturnType<typeof tlsConnectOptions>): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch (e) {
    return Promise.reject(new TransportError('network', false, Object.assign(new Error(`invalid URL ${req.url}`, { cause: e }), { code: 'ERR_INVALID_URL' })));
  }
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!transport) return Promise.reject(new TransportError('network', false, Object.assign(new Error(`unsupported protocol ${url.protocol}`), { code: 'ERR_INVALID_URL' })));
  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  let payload: string | undefined;
  if (req.form !== undefined) {
    payload = new URLSearchParams(req.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (req.body !== undefined) {
    payload = JSON.stringify(req.body);
    headers['Content-Type'] = 'application/json';
  } else if (req.method === 'POST') {
    // EM's failover calls take an empty body; say so explicitly.
    payload = '';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));

  return new Promise<HttpResponse>((resolve, reject) => {
    let done = false;
    /** True once a connection is ready for the request (https: after the handshake): from then on, the request may have reached the upstream. */
    let connected = false;
    /** True once TCP connected: a failure between this and `connected` on https is the handshake's. */
    let tcpConnected = false;
    let timedOut = false;
    const secure = transport === https;
    const fail = (e: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (timedOut || e instanceof TimeoutSignal) return reject(new TransportError('timeout', true, e));
      if (secure && tcpConnected && !connected) return reject(new TransportError('tls', false, e));
      const code = codeOf(e);
      reject(new TransportError('network', connected || code === undefined || !NOT_SENT.has(code), e));
    };
    const options: https.RequestOptions = { method: req.method, headers, agent: req.reuseConnection ? agents[url.protocol as 'http:' | 'https:'] : false };
    // A fresh connection (agent: false) takes the trust from the request; the pool has it already.
    if (secure && !req.reuseConnection) Object.assign(options, tls);
    const request = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('close', () => fail(new Error('the connection closed before the whole answer was read')));
      res.on('end', () => {
        if (done) return;
        if (!res.complete) return fail(new Error('the connection closed before the whole answer was read'));
        done = true;
        clearTimeout(timer);
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const status = res.statusCode ?? 0;
        if (req.raw && status < 400) return resolve({ status, headers: new NodeHeaders(res.headers), body: undefined, raw: bytes });
        const text = bytes.toString('utf8');
        let body: unknown;
        if (text !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON (e.g. a proxy's HTML error page): keep the text as the message.
            body = { Message: text.slice(0, 500) };
          }
        }
        resolve({ status, headers: new NodeHeaders(res.headers), body });
      });
    });
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new TimeoutSignal('timeout'));
    }, req.timeoutMs);
    request.on('socket', (socket) => {
      // A reused keep-alive socket is already connected (and, for https, past its handshake).
      if (!socket.connecting) {
        connected = true;
        return;
      }
      socket.once('connect', () => {
        tcpConnected = true;
        if (!secure) connected = true;
      });
      if (secure) socket.once('secureConnect', () => (connected = true));
    });
    request.on('error', fail);
    request.end(payload);
  });
}
