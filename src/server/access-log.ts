import type { Logger } from 'pino';

/**
 * One line per finished HTTP request, carrying its request id: server errors
 * at warn, everything else at debug (turn on with LOG_LEVEL=debug). Returns
 * at once when the level is off, since it runs on every request.
 */
export function logRequest(logger: Logger, request: Request, response: Response, requestId: string, durationMs: number): void {
  const level = response.status >= 500 ? 'warn' : 'debug';
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      requestId,
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      durationMs: Math.round(durationMs * 10) / 10,
      userAgent: request.headers.get('user-agent') ?? undefined,
    },
    'request',
  );
}
