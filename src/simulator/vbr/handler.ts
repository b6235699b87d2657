import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { SimulatorCore } from '../core.js';
import { readText, sendJson } from '../http-io.js';
import type { VbrFace } from './face.js';
import { errorBody, VbrApiError } from './models.js';
import { isRevision, revisionRank } from './revisions.js';
import { bearerOf, VBR_ROUTES, type VbrContext, type VbrRoute } from './routes.js';

function sendError(res: ServerResponse, e: VbrApiError): void {
  sendJson(res, e.status, e.emptyBody ? undefined : errorBody(e));
}

function findRoute(method: string, path: string): { route: VbrRoute; params: string[] } | { status: 404 | 405 } {
  let pathMatched = false;
  for (const route of VBR_ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      pathMatched = true;
      continue;
    }
    return { route, params: m.slice(1).map(decodeURIComponent) };
  }
  return { status: pathMatched ? 405 : 404 };
}

async function readBody(req: IncomingMessage, route: VbrRoute): Promise<unknown> {
  const raw = await readText(req);
  if (route.form) return new URLSearchParams(raw);
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new VbrApiError(400, 'UnexpectedContent', 'The request body is not valid JSON.');
  }
}

/**
 * One request to a VBR face, `path` being what follows /vbr/<server>. Order:
 * count, faults, x-api-version, route, bearer token, revision, role.
 */
export async function handleVbrRequest(core: SimulatorCore, face: VbrFace, req: IncomingMessage, res: ServerResponse, url: URL, path: string, log?: Logger): Promise<void> {
  const method = req.method ?? 'GET';
  const found = findRoute(method, path);
  const counterKey = 'route' in found ? found.route.name : `${method} (unmatched)`;
  face.counter.record(counterKey, false);

  const fault = face.faults.decide('route' in found ? found.route.requestClass : 'other');
  if (fault.latencyMs > 0) await delay(fault.latencyMs);
  if (fault.action === 'drop') {
    log?.debug({ server: face.server.name, route: counterKey }, 'fault: dropping VBR connection');
    req.socket.destroy();
    return;
  }
  if (fault.action === 'hang') return;
  if (fault.action === 'error') {
    sendError(res, new VbrApiError(fault.status, 'ServiceUnavailable', fault.status === 503 ? 'Service unavailable (injected fault).' : 'Internal server error (injected fault).'));
    return;
  }

  try {
    const header = req.headers['x-api-version'];
    const revision = typeof header === 'string' ? header.trim() : undefined;
    if (!revision) throw new VbrApiError(400, 'UnexpectedContent', 'The x-api-version header is required.');
    if (!isRevision(revision) || !face.revisions.includes(revision)) throw new VbrApiError(400, 'NotImplemented', `API version ${revision} is not supported. Supported versions: ${face.revisions.join(', ')}.`);
    if (!('route' in found)) {
      throw found.status === 404 ? new VbrApiError(404, 'NotFound', 'Resource does not exist', url.pathname) : new VbrApiError(405, 'MethodNotAllowed', `Method ${method} is not allowed.`);
    }
    const { route, params } = found;
    let grant;
    if (route.roles) {
      const token = bearerOf(req);
      grant = token === undefined ? undefined : face.tokens.check(token);
      if (!grant) throw new VbrApiError(401, 'AccessDenied', 'Unauthorized.', undefined, true);
    }
    if (revisionRank(revision) < revisionRank(route.since)) throw new VbrApiError(404, 'NotFound', 'Resource does not exist', url.pathname);
    if (route.roles && !route.roles.includes(grant!.role)) throw new VbrApiError(403, 'AccessDenied', 'Forbidden.');
    const body = method === 'POST' ? await readBody(req, route) : undefined;
    const ctx: VbrContext = { core, face, req, url, params, revision, grant: grant!, body };
    const reply = route.handler(ctx);
    // The action has happened; the answer is lost (a lifecycle POST under failoverResponse).
    if (reply.control === 'drop') {
      log?.debug({ server: face.server.name, route: counterKey }, 'fault: dropping VBR connection after the action');
      req.socket.destroy();
      return;
    }
    if (reply.control === 'hang') return;
    sendJson(res, reply.status, reply.body);
  } catch (e) {
    if (e instanceof VbrApiError) {
      sendError(res, e);
      return;
    }
    log?.error({ err: e, server: face.server.name, route: counterKey }, 'VBR face route failed');
    sendError(res, new VbrApiError(500, 'ServiceUnavailable', 'Internal server error.'));
  }
}
