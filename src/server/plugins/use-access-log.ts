import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { requestIdOf } from './use-request-id.js';

/**
 * One line per finished HTTP request, carrying its request id: server errors
 * at warn, everything else at debug (turn on with LOG_LEVEL=debug). Skipped
 * cheaply when the level is off, since it runs on every request.
 */
export function useAccessLog(logger: Logger): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const level = response.status >= 500 ? 'warn' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      const start = started.get(request);
      logger[level](
        {
          requestId: requestIdOf(request),
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          durationMs: start === undefined ? undefined : Math.round((performance.now() - start) * 10) / 10,
          userAgent: request.headers.get('user-agent') ?? undefined,
        },
        'request',
      );
    },
  };
}
