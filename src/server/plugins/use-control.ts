import { timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';

/** Prefix of the local control endpoints (used by the CLI while the gateway runs). */
export const CONTROL_PREFIX = '/control/';

export type ControlHandler = () => Promise<unknown>;

export interface ControlOptions {
  /** Secret the CLI reads from the control file in DATA_DIR. */
  token: string;
  /** "METHOD /control/path" → handler returning a JSON body. */
  routes: Record<string, ControlHandler>;
  logger: Logger;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Operator commands for the CLI on the same machine (e.g. `inventory sync`
 * while `npm start` holds the embedded database). Two locks: the caller must be
 * on loopback, and must present the token that only readers of DATA_DIR know,
 * which are the people who could open the database anyway.
 */
export function useControl({ token, routes, logger }: ControlOptions): Plugin {
  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      if (!url.pathname.startsWith(CONTROL_PREFIX)) return;
      const remote = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket?.remoteAddress ?? '';
      if (!LOOPBACK.test(remote)) return endResponse(json(404, { error: 'Not found' }));
      const offered = request.headers.get('authorization')?.replace(/^Bearer /i, '') ?? '';
      if (!sameSecret(offered, token)) return endResponse(json(401, { error: 'Missing or wrong control token' }));
      const handler = routes[`${request.method} ${url.pathname}`];
      if (!handler) return endResponse(json(404, { error: `No control endpoint ${request.method} ${url.pathname}` }));
      try {
        return endResponse(json(200, await handler()));
      } catch (error) {
        logger.error({ err: error, path: url.pathname }, 'control command failed');
        return endResponse(json(500, { error: (error as Error).message }));
      }
    },
  };
}
