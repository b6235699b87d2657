import type { IncomingMessage, ServerResponse } from 'node:http';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Principal } from '../auth/index.js';
import { lazy, principalFrom, type Caller, type PrincipalSource } from '../graphql/caller.js';
import type { GatewayContext, Transport } from '../graphql/context.js';
import type { GatewayServices } from './services.js';
import { getSchema } from '../graphql/schema.js';
import type { GatewayMetrics } from './metrics.js';
import { handleAuditExport } from './audit-export.js';
import { useArmor } from './plugins/use-armor.js';
import { useBodyLimit } from './plugins/use-body-limit.js';
import { useConsole } from './plugins/use-console.js';
import type { ControlHandler } from './control.js';
import { useEndpoints } from './plugins/use-endpoints.js';
import { useMetrics } from './plugins/use-metrics.js';
import { useVariableErrorCodes } from './plugins/use-variable-error-codes.js';
import { useRequestTelemetry } from './plugins/use-request-telemetry.js';
import { requestIdOf } from './request-id.js';
import type { ReadinessReport } from './readiness.js';

/** The path of GraphQL over HTTP, SSE and WebSocket. */
export const GRAPHQL_PATH = '/graphql';
/** Header that marks a request as sent by a script, not a cross-site form or link. */
export const CSRF_HEADER = 'x-graphql-csrf';

/** What the node server hands Yoga: set by HTTP, or by the WebSocket wiring. */
export interface ServerContext {
  req: IncomingMessage;
  res?: ServerResponse;
  /** Set for graphql-ws operations. */
  transport?: Transport;
  requestId?: string;
  /** graphql-ws: the principal verified when the socket connected; absent when it sent no token. */
  principal?: Principal;
  /** graphql-ws subscriptions: the socket's caller, shared by the subscriptions it starts close together. */
  caller?: () => Promise<Caller>;
}

export type GatewayYoga = YogaServerInstance<ServerContext, GatewayContext>;

export interface CreateYogaOptions {
  services: GatewayServices;
  logger: Logger;
  metrics: GatewayMetrics;
  readiness: () => Promise<ReadinessReport>;
  /** Local operator endpoints for the CLI; off when unset. */
  control?: { token: string; routes: Record<string, ControlHandler> };
}

export function createGatewayYoga({ services, logger, metrics, readiness, control }: CreateYogaOptions): GatewayYoga {
  const { config } = services;
  const plugins: Plugin[] = [
    useRequestTelemetry(logger, metrics),
    useEndpoints({
      readiness,
      metrics: config.metrics ? metrics : undefined,
      control: control ? { ...control, logger } : undefined,
      auditExport: (request) => handleAuditExport(request, services),
    }),
    ...(config.console ? [useConsole({ config, warn: (message) => logger.warn(message) })] : []),
    useArmor({
      maxDepth: config.maxDepth,
      maxAliases: config.maxAliases,
      maxTokens: config.maxTokens,
      maxCost: config.maxCost,
      maxDirectives: config.maxDirectives,
      blockFieldSuggestions: !config.introspection,
    }),
    // Before the metrics: the codes it adds are what they count.
    useVariableErrorCodes(),
    useMetrics(metrics),
  ];
  if (config.csrfPrevention) plugins.push(useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }));
  if (!config.introspection) plugins.push(useDisableIntrospection());
  // After the limits and metrics: a refused operation is never looked up, a hit still counts its request.
  if (services.readCache.plugin) plugins.push(services.readCache.plugin);
  // Last: it wraps the request parser the plugins before it chose.
  plugins.push(useBodyLimit(config.maxBodyBytes));

  return createYoga<ServerContext, GatewayContext>({
    schema: getSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: config.graphiql
      ? { title: 'Failover gateway', headers: JSON.stringify({ [CSRF_HEADER]: '1' }), subscriptionsProtocol: 'WS' }
      : false,
    // GraphiQL with its assets inlined: Yoga's default page loads them from a CDN,
    // which an isolated recovery site cannot reach. Loaded on first use (the page
    // is megabytes of script) so it costs nothing at start.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    batching: false,
    // Enforced by useBodyLimit, which counts only bodies without a Content-Length.
    maxRequestBodySize: false,
    maskedErrors: config.maskErrors
      ? {
          maskError(error, message, isDev) {
            const masked = maskError(error, message, isDev);
            // Only errors that were really hidden are logged: the client sees
            // "Unexpected error.", the log keeps the cause.
            if (masked !== error) logger.error({ err: error }, 'unexpected error in an operation');
            return masked;
          },
        }
      : false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    plugins,
    context: (initial): GatewayContext => {
      const requestId = initial.requestId ?? requestIdOf(initial.request);
      const transport: Transport =
        initial.transport ?? (initial.request.headers.get('accept')?.includes('text/event-stream') ? 'sse' : 'http');
      let log: Logger | undefined;
      const source: PrincipalSource = initial.principal
        ? { kind: 'verified', principal: initial.principal }
        : transport === 'ws'
          ? { kind: 'none' }
          : { kind: 'header', authorization: initial.request.headers.get('authorization') };
      const principal = lazy(() => principalFrom(source, services.tokens));
      const readGenerations = lazy(async () => services.readCache.generations.read());
      return {
        requestId,
        transport,
        services,
        client: { address: initial.req.socket?.remoteAddress ?? null, userAgent: initial.req.headers['user-agent'] ?? null },
        // A WebSocket's headers are its upgrade request's, shared by all its operations: keys come as arguments there.
        idempotencyKeyHeader: transport === 'ws' ? null : initial.request.headers.get('idempotency-key'),
        // Verified and loaded on first use: `{ __typename }` and the health
        // fields cost no token check and no query.
        principal,
        readGenerations,
        // The policy comes from the policy cache when this operation's generations allow it.
        caller: initial.caller ?? lazy(async () => services.readCache.caller(await principal(), await readGenerations())),
        // Built on first use: most operations never log, and a child logger per
        // request is measurable at thousands of requests per second.
        get log() {
          log ??= logger.child({ requestId });
          return log;
        },
      };
    },
  });
}
