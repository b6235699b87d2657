import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One exchange as the proxy forwarded it. */
export interface ForwardedExchange {
  method: string;
  url: URL;
  requestHeaders: IncomingHttpHeaders;
  requestBody: string;
  status: number;
  responseHeaders: Headers;
  responseBody: string;
}

/**
 * A loopback HTTP proxy in front of `target` (an origin): every request is
 * forwarded as it came, and `answer` may look at the exchange and return the
 * body to send back instead of the target's (contract tests record or cut
 * answers with it).
 */
export async function startForwardProxy(target: string, answer: (exchange: ForwardedExchange) => string = (e) => e.responseBody): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url!, target);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
      void fetch(url, { method: req.method, headers, body: requestBody === '' ? undefined : requestBody }).then(async (response) => {
        const exchange: ForwardedExchange = { method: req.method!, url, requestHeaders: req.headers, requestBody, status: response.status, responseHeaders: response.headers, responseBody: await response.text() };
        const body = answer(exchange);
        const session = response.headers.get('x-restsvcsessionid');
        res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json', ...(session ? { 'x-restsvcsessionid': session } : {}) });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
