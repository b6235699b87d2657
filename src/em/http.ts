/**
 * One HTTP exchange with EM over Node's fetch, with a hard timeout that also
 * covers reading the body. Failures before an answer are classified by whether
 * the request can have reached EM: that decides if a failover is "outcome unknown".
 */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** No answer came. `sent: false` only when the connection was never established. */
export class TransportError extends Error {
  constructor(
    readonly reason: 'timeout' | 'network',
    readonly sent: boolean,
    cause: unknown,
  ) {
    super(reason === 'timeout' ? 'no answer before the timeout' : `network error: ${describe(cause)}`, { cause });
  }
}

/** Errors raised before any byte of the request can have left. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL']);

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${cause.code} ${cause.message ?? ''}`.trim() : e.message;
  }
  return String(e);
}

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  let payload: string | undefined;
  if (req.body !== undefined) {
    payload = JSON.stringify(req.body);
    headers['Content-Type'] = 'application/json';
  } else if (req.method === 'POST') {
    // EM's failover calls take an empty body; say so explicitly.
    payload = '';
  }
  try {
    const res = await fetch(req.url, { method: req.method, headers, body: payload, signal });
    const text = await res.text();
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (e.g. a proxy's HTML error page): keep the text as the message.
        body = { Message: text.slice(0, 500) };
      }
    }
    return { status: res.status, headers: res.headers, body };
  } catch (e) {
    if (signal.aborted) throw new TransportError('timeout', true, e);
    const code = (e as { cause?: { code?: string } }).cause?.code;
    throw new TransportError('network', code === undefined || !NOT_SENT.has(code), e);
  }
}
