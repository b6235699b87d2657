import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's metrics. Each gateway gets its own registry, so several
 * gateways in one process (tests, benchmarks) never collide.
 */
export interface GatewayMetrics {
  registry: Registry;
  /** Every HTTP request by method and status; its _count is the request count. */
  httpDuration: Histogram<'method' | 'status'>;
  /** Errors in GraphQL results, by `extensions.code` (INTERNAL when it has none). */
  graphqlErrors: Counter<'code'>;
  /** Subscriptions currently streaming, by transport (ws or sse). */
  openSubscriptions: Gauge<'transport'>;
  /** Open graphql-ws sockets. */
  openSockets: Gauge;
  /** Response cache lookups by result: hit, miss, or bypass (no effective policy known). */
  readCacheLookups: Counter<'result'>;
  policyCacheLookups: Counter<'result'>;
  /** Watchers of the failover event hub, when the gateway has one. */
  eventWatchers?: Gauge;
}

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop). Default: true. */
  processMetrics?: boolean;
  /** Watchers of the failover event hub now, read at each scrape. */
  eventWatchers?: () => number;
}

export function createMetrics(options: MetricsOptions = {}): GatewayMetrics {
  const eventWatchers = options.eventWatchers;
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'HTTP requests by method and status, with their duration (streams: until the response starts)',
      labelNames: ['method', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'Errors in GraphQL results, by extensions.code',
      labelNames: ['code'],
      registers: [registry],
    }),
    openSubscriptions: new Gauge({
      name: 'gateway_open_subscriptions',
      help: 'GraphQL subscriptions currently streaming',
      labelNames: ['transport'],
      registers: [registry],
    }),
    readCacheLookups: new Counter({
      name: 'gateway_read_cache_lookups_total',
      help: 'Response cache lookups of read queries, by result (hit, miss, bypass)',
      labelNames: ['result'],
      registers: [registry],
    }),
    policyCacheLookups: new Counter({
      name: 'gateway_policy_cache_lookups_total',
      help: "Lookups of a caller's policy, by result (hit, miss, bypass: no generations known, loaded for this request alone)",
      labelNames: ['result'],
      registers: [registry],
    }),
    openSockets: new Gauge({
      name: 'gateway_open_websockets',
      help: 'Open graphql-ws WebSocket connections',
      registers: [registry],
    }),
    ...(eventWatchers && {
      eventWatchers: new Gauge({
        name: 'gateway_failover_event_watchers',
        help: "Listeners on this instance's failover event hub (one per failoverProgress or failoverEvents stream)",
        registers: [registry],
        collect() {
          this.set(eventWatchers());
        },
      }),
    }),
  };
}
