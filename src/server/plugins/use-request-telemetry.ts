import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { logRequest } from '../access-log.js';
import type { GatewayMetrics } from '../metrics.js';
import { REQUEST_ID_HEADER, requestIdOf } from '../request-id.js';

/**
 * Everything the gateway records about an HTTP request, in one pair of hooks:
 * its id (assigned on arrival, echoed in `x-request-id`), its duration in the
 * request histogram, and its access log line. One plugin, because all three
 * need the same two facts (the id and the start time) at the same two moments.
 */
export function useRequestTelemetry(logger: Logger, metrics: GatewayMetrics | undefined): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
      requestIdOf(request);
    },
    onResponse({ request, response }) {
      const requestId = requestIdOf(request);
      response.headers.set(REQUEST_ID_HEADER, requestId);
      const start = started.get(request);
      if (start === undefined) return;
      const seconds = (performance.now() - start) / 1000;
      metrics?.httpDuration.observe({ method: request.method, status: String(response.status) }, seconds);
      logRequest(logger, request, response, requestId, seconds * 1000);
    },
  };
}
