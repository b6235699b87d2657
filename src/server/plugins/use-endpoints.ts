import type { Plugin } from 'graphql-yoga';
import { CONTROL_PREFIX, handleControl, type ControlOptions } from '../control.js';
import { AUDIT_EXPORT_PATH } from '../audit-export.js';
import type { GatewayMetrics } from '../metrics.js';
import type { ReadinessReport } from '../readiness.js';

export interface EndpointsOptions {
  /** GET /readyz: 200 or 503 with the report as JSON. */
  readiness: () => Promise<ReadinessReport>;
  /** GET /metrics in Prometheus text format; off when unset. */
  metrics?: GatewayMetrics;
  /** /control/* for the local CLI; off when unset. */
  control?: ControlOptions;
  /** GET /audit/export for administrators; off when unset. */
  auditExport?: (request: Request) => Promise<Response>;
}

/**
 * The gateway's HTTP endpoints beside /graphql (and Yoga's own /healthz), in
 * one routing hook, so every non-GraphQL path the gateway answers is listed here.
 */
export function useEndpoints({ readiness, metrics, control, auditExport }: EndpointsOptions): Plugin {
  return {
    onRequest({ request, url, serverContext, endResponse }) {
      const path = url.pathname;
      if (path === '/readyz' && request.method === 'GET') {
        return readiness().then((report) =>
          endResponse(
            new Response(JSON.stringify(report), {
              status: report.ready ? 200 : 503,
              headers: { 'content-type': 'application/json' },
            }),
          ),
        );
      }
      if (metrics && path === '/metrics' && request.method === 'GET') {
        return metrics.registry
          .metrics()
          .then((text) => endResponse(new Response(text, { headers: { 'content-type': metrics.registry.contentType } })));
      }
      if (auditExport && path === AUDIT_EXPORT_PATH && request.method === 'GET') {
        return auditExport(request).then(endResponse);
      }
      if (control && path.startsWith(CONTROL_PREFIX)) {
        const remote = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket?.remoteAddress ?? '';
        return handleControl(request, path, remote, control).then(endResponse);
      }
      return undefined;
    },
  };
}
