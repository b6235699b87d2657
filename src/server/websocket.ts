import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { AuthError, bearerToken, type Principal, type TokenVerifier } from '../auth/index.js';
import { lazy, type Caller } from '../graphql/caller.js';
import type { GatewayMetrics } from './metrics.js';
import { countGraphQLErrors } from './plugins/use-metrics.js';
import { GRAPHQL_PATH, type GatewayYoga } from './yoga.js';

export interface WebSocketOptions {
  server: Server;
  yoga: GatewayYoga;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Largest message a client may send, in bytes. */
  maxPayload: number;
  /** Ping interval that detects vanished clients, in milliseconds. Default: 12000. */
  keepAliveMs?: number;
  /** Verifies the token a client sends in its connection parameters. */
  tokens: TokenVerifier;
  /** Builds a signed-in caller's policy; a socket's subscriptions share one, rebuilt after `callerTtlMs`. */
  loadCaller: (principal: Principal) => Promise<Caller>;
  /** How long a socket's subscriptions reuse its caller's policy before it is loaded again. Default: 5,000 ms. */
  callerTtlMs?: number;
  /** Subscriptions one socket may have open at once. Default: 100. */
  maxSubscriptions?: number;
  /** A socket without an open subscription for this long is closed (1000); 0 never. Default: 300,000 ms. */
  idleTimeoutMs?: number;
  /** How long a socket may take to send connection_init (graphql-ws closes it with 4408). Default: 10,000 ms. */
  initTimeoutMs?: number;
}

/** What a socket keeps between its messages (graphql-ws `ctx.extra`). */
interface SocketExtra {
  request: IncomingMessage;
  socket: WebSocket;
  principal?: Principal;
  expiry?: NodeJS.Timeout;
  /** Last time the socket's subscription count changed (ms since epoch), for the idle sweep. */
  activeAt?: number;
  /** Ids of the subscription operations streaming on this socket (queries and mutations do not count). */
  streams?: Set<string>;
  /** The caller shared by the socket's operations, and when it was loaded. */
  caller?: { at: number; value: Promise<Caller> };
}

const streamsOf = (extra: SocketExtra) => (extra.streams ??= new Set());

/** The bearer token of connection parameters: `authorization` ("Bearer …", as the HTTP header) or `token`. */
function connectionToken(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  const header = params.authorization ?? params.Authorization;
  if (typeof header === 'string') return bearerToken(header);
  return typeof params.token === 'string' && params.token !== '' ? params.token : undefined;
}

/** The longest wait setTimeout takes; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface GatewayWebSocket {
  /** Closes every socket with 1001 Going Away and stops accepting new ones. */
  close(): Promise<void>;
}

type EnvelopedArgs = ExecutionArgs & {
  rootValue: { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
};

/**
 * graphql-ws on the same port and path as HTTP. Every operation goes through
 * Yoga's envelop (parse, validate with the armor limits, context, execute), so
 * the WebSocket transport enforces exactly what HTTP enforces.
 */
export function attachWebSocket(options: WebSocketOptions): GatewayWebSocket {
  const { server, yoga, logger, metrics } = options;
  // noServer: the HTTP server's own errors (a port in use) stay the HTTP
  // server's, instead of being re-emitted through the WebSocket server.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== GRAPHQL_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  };
  server.on('upgrade', onUpgrade);
  wss.on('connection', (socket: WebSocket) => {
    metrics.openSockets.inc();
    socket.once('close', () => metrics.openSockets.dec());
  });
  wss.on('error', (error) => logger.error({ err: error }, 'websocket server error'));

  const maxSubscriptions = options.maxSubscriptions ?? 100;
  const callerTtlMs = options.callerTtlMs ?? 5_000;
  /**
   * The socket's caller for its next subscription. Its principal is fixed for
   * the socket's life, so subscriptions started close together share one
   * policy (a wall screen's hundred subscriptions hold a few abilities, not a
   * hundred, and cost a few policy reads), loaded again after `callerTtlMs` so
   * an account change reaches subscriptions started after that.
   */
  const callerOf = (extra: SocketExtra, principal: Principal) => () => {
    const now = Date.now();
    if (!extra.caller || now - extra.caller.at > callerTtlMs) {
      const value = options.loadCaller(principal);
      const entry = { at: now, value };
      extra.caller = entry;
      // A failed load is not kept: the next operation tries again.
      value.catch(() => {
        if (extra.caller === entry) extra.caller = undefined;
      });
    }
    return extra.caller.value;
  };
  const idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
  // One sweep for all sockets rather than a timer per socket: thousands of sockets, one timer.
  const sockets = new Set<{ extra: SocketExtra }>();
  const sweep =
    idleTimeoutMs > 0
      ? setInterval(
          () => {
            const idleSince = Date.now() - idleTimeoutMs;
            for (const ctx of sockets) {
              if (streamsOf(ctx.extra).size === 0 && (ctx.extra.activeAt ?? 0) <= idleSince) ctx.extra.socket.close(1000, 'Idle: no subscription');
            }
          },
          Math.max(50, Math.min(idleTimeoutMs / 4, 5_000)),
        )
      : undefined;
  sweep?.unref();

  const disposable = useServer(
    {
      // A token is checked once, here; a socket without one may run only what
      // needs no sign-in. A bad token refuses the socket (4403 Forbidden), and a
      // socket is closed the same way when its token expires.
      connectionInitWaitTimeout: options.initTimeoutMs ?? 10_000,
      onConnect: async (ctx) => {
        const extra = ctx.extra as SocketExtra;
        extra.activeAt = Date.now();
        sockets.add(ctx as unknown as { extra: SocketExtra });
        let token: string | undefined;
        try {
          token = connectionToken(ctx.connectionParams);
          if (!token) return true;
          extra.principal = await options.tokens.verify(token);
        } catch (error) {
          if (error instanceof AuthError) {
            logger.debug({ failure: error.failure }, 'websocket refused: bad token');
            return false;
          }
          throw error;
        }
        const expiresAt = extra.principal.expiresAt.getTime();
        // Re-armed in steps: a timer cannot wait longer than about 24.8 days.
        const arm = () => {
          const left = expiresAt - Date.now();
          extra.expiry = left > MAX_TIMER_MS
            ? setTimeout(arm, MAX_TIMER_MS)
            : setTimeout(() => extra.socket.close(CloseCode.Forbidden, 'Forbidden: token expired'), Math.max(left, 0));
          extra.expiry.unref();
        };
        arm();
        return true;
      },
      onClose: (ctx) => {
        clearTimeout((ctx.extra as SocketExtra).expiry);
        sockets.delete(ctx as unknown as { extra: SocketExtra });
      },
      // Every operation that started executing ends here: by itself, by the client's complete, or with its socket.
      onComplete: (ctx, id) => {
        const extra = ctx.extra as SocketExtra;
        streamsOf(extra).delete(id);
        extra.activeAt = Date.now();
      },
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args) as never,
      onSubscribe: async (ctx, id, payload) => {
        const extra = ctx.extra as SocketExtra;
        extra.activeAt = Date.now();
        const request = ctx.extra.request as IncomingMessage;
        const requestId = randomUUID();
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: request,
          socket: ctx.extra.socket,
          params: payload,
          transport: 'ws',
          requestId,
          principal: extra.principal,
        });
        // graphql-armor throws its rejections from parse and validate; returning
        // them sends the client an `error` message for this operation only,
        // where an exception would close the whole socket with 4500.
        let document;
        try {
          document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length > 0) {
            countGraphQLErrors(metrics, errors);
            return errors;
          }
        } catch (error) {
          if (error instanceof GraphQLError) {
            countGraphQLErrors(metrics, [error]);
            return [error];
          }
          throw error;
        }
        const subscription = getOperationAST(document, payload.operationName)?.operation === 'subscription';
        if (subscription) {
          const streams = streamsOf(extra);
          if (streams.size >= maxSubscriptions) {
            const refused = new GraphQLError(`This connection already has ${maxSubscriptions} open subscriptions; complete one or open another connection`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: maxSubscriptions },
            });
            countGraphQLErrors(metrics, [refused]);
            return [refused];
          }
          // Counted from here: the context below is built asynchronously, and a burst must not overshoot the limit.
          streams.add(id);
        }
        const args: EnvelopedArgs = {
          schema,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          // Subscriptions share the socket's policy (memoized per operation: one operation sees one policy);
          // queries and mutations load their own, so an account change shows at once.
          contextValue: await contextFactory(subscription && extra.principal ? { caller: lazy(callerOf(extra, extra.principal)) } : {}),
          rootValue: { execute, subscribe },
        };
        return args;
      },
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  return {
    async close() {
      if (sweep) clearInterval(sweep);
      // 1001 Going Away: the client should reconnect, possibly to another instance.
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      server.off('upgrade', onUpgrade);
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
