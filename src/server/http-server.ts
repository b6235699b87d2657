import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayYoga } from './yoga.js';

/** The port is taken or the address cannot be bound; the message is one line for the operator. */
export class ListenError extends Error {
  override name = 'ListenError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface GatewayHttpServer {
  server: Server;
  listen(host: string, port: number): Promise<AddressInfo>;
  /**
   * Stops accepting connections, ends streaming responses (SSE), lets other
   * in-flight requests finish for up to `timeoutMs`, then cuts what is left.
   */
  close(timeoutMs: number): Promise<void>;
}

export function createHttpServer(yoga: GatewayYoga): GatewayHttpServer {
  // Event streams never end on their own, so shutdown must end them itself.
  const streams = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.accept?.includes('text/event-stream')) {
      streams.add(res);
      res.once('close', () => streams.delete(res));
    }
    void yoga(req, res);
  });
  // Slowloris protection: a client must send its headers and body in time.
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;

  return {
    server,
    listen(host, port) {
      return new Promise((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => {
          server.off('listening', onListening);
          const where = `${host}:${port}`;
          const message =
            error.code === 'EADDRINUSE'
              ? `Port ${port} on ${host} is already in use; stop the other process or set PORT to a free port`
              : error.code === 'EACCES'
                ? `Not allowed to listen on ${where}; choose a port above 1023 or run with the needed privilege`
                : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
                  ? `Cannot listen on ${where}: HOST is not an address of this machine`
                  : `Cannot listen on ${where}: ${error.message}`;
          reject(new ListenError(message, error.code));
        };
        const onListening = () => {
          server.off('error', onError);
          resolve(server.address() as AddressInfo);
        };
        server.once('error', onError);
        server.once('listening', onListening);
        // A deep accept queue: on the day of a disaster, thousands of portals and wall screens reconnect at once
        // (Node's default of 511 drops connections there). The kernel caps it at net.core.somaxconn.
        server.listen({ port, host, backlog: 4096 });
      });
    },
    async close(timeoutMs) {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const res of streams) res.end();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([closed, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        server.closeAllConnections();
        await closed;
      }
    },
  };
}
