import { timingSafeEqual } from 'node:crypto';
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
export async function handleControl(request: Request, path: string, remoteAddress: string, { token, routes, logger }: ControlOptions): Promise<Response> {
  if (!LOOPBACK.test(remoteAddress)) return json(404, { error: 'Not found' });
  const offered = request.headers.get('authorization')?.replace(/^Bearer /i, '') ?? '';
  if (!sameSecret(offered, token)) return json(401, { error: 'Missing or wrong control token' });
  const handler = routes[`${request.method} ${path}`];
  if (!handler) return json(404, { error: `No control endpoint ${request.method} ${path}` });
  try {
    return json(200, await handler());
  } catch (error) {
    logger.error({ err: error, path }, 'control command failed');
    return json(500, { error: (error as Error).message });
  }
}
