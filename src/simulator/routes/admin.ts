import { ApiError, ok, type Reply } from '../core.js';
import type { SimulatorFaults } from '../faults.js';
import type { RunningSimulator } from '../types.js';

/**
 * Test and demo controls under /admin (outside /api, so never counted or
 * faulted, and no logon needed: the simulator is a loopback test double).
 */
export function handleAdmin(sim: RunningSimulator, method: string, path: string, body: unknown): Reply {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  if (path.startsWith('/admin/vbr')) return handleVbrAdmin(sim, method, path.replace(/\/+$/, ''), body);
  switch (route) {
    case 'GET /admin':
    case 'GET /admin/health':
      return ok({ status: 'ok', url: sim.url });
    case 'GET /admin/state':
      return ok(sim.dump());
    case 'GET /admin/hierarchy':
      return ok(sim.inventory.hierarchy());
    case 'POST /admin/reset':
      sim.reset();
      return { status: 204 };
    case 'GET /admin/faults':
      return ok(sim.faults);
    case 'PUT /admin/faults':
      sim.faults = objectBody(body) as SimulatorFaults;
      return ok(sim.faults);
    case 'PATCH /admin/faults':
      sim.faults = { ...sim.faults, ...(objectBody(body) as SimulatorFaults) };
      return ok(sim.faults);
    case 'DELETE /admin/faults':
      sim.faults = {};
      return { status: 204 };
    case 'GET /admin/counters':
      return ok(sim.counters);
    case 'POST /admin/counters/reset':
      sim.resetCounters();
      return { status: 204 };
    case 'POST /admin/sessions/expire':
      return ok({ expired: sim.expireSessions() });
    case 'GET /admin/config':
      return ok(config(sim));
    case 'PATCH /admin/config': {
      const b = objectBody(body) as { failoverDurationMs?: unknown; failoverCollectMs?: unknown; sessionIdleTimeoutMs?: unknown; vbrSessionDurationsMs?: unknown };
      const num = (v: unknown, name: string): number => {
        if (!Number.isInteger(v) || (v as number) < 0) throw new ApiError(400, `${name} must be a non-negative integer`);
        return v as number;
      };
      if (b.failoverDurationMs !== undefined || b.failoverCollectMs !== undefined) {
        sim.timings = {
          durationMs: b.failoverDurationMs === undefined ? sim.timings.durationMs : num(b.failoverDurationMs, 'failoverDurationMs'),
          collectMs: b.failoverCollectMs === undefined ? sim.timings.collectMs : num(b.failoverCollectMs, 'failoverCollectMs'),
        };
      }
      if (b.sessionIdleTimeoutMs !== undefined) sim.sessionIdleTimeoutMs = num(b.sessionIdleTimeoutMs, 'sessionIdleTimeoutMs');
      // Merged per session type; the setter refuses an unknown type or a bad length (RangeError → 400).
      if (b.vbrSessionDurationsMs !== undefined) sim.vbrSessionDurations = objectBody(b.vbrSessionDurationsMs) as unknown as RunningSimulator['vbrSessionDurations'];
      return ok(config(sim));
    }
    default:
      throw new ApiError(404, `No admin endpoint ${route}`);
  }
}

/**
 * VBR faces: `GET /admin/vbr`; `PUT|PATCH|DELETE /admin/vbr/faults[/<server>]`;
 * `POST /admin/vbr/tokens/expire[/<server>]`; `POST /admin/vbr/refresh/fail-next[/<server>]`.
 * Without a server name the change applies to every face.
 */
function handleVbrAdmin(sim: RunningSimulator, method: string, path: string, body: unknown): Reply {
  const m = /^\/admin\/vbr(?:\/(faults|tokens\/expire|refresh\/fail-next)(?:\/([^/]+))?)?$/.exec(path);
  if (!m) throw new ApiError(404, `No admin endpoint ${method} ${path}`);
  const [, what, rawServer] = m;
  const server = rawServer === undefined ? undefined : decodeURIComponent(rawServer);
  const route = `${method} ${what ?? ''}`;
  switch (route) {
    case 'GET ':
      return ok(sim.dump().vbrFaces);
    case 'GET faults':
      if (server === undefined) return ok(Object.fromEntries(sim.dump().vbrFaces.map((f) => [f.name, f.faults])));
      return ok(sim.vbrFaults(server));
    case 'PUT faults':
      sim.setVbrFaults(objectBody(body) as SimulatorFaults, server);
      return { status: 204 };
    case 'PATCH faults': {
      const patch = objectBody(body) as SimulatorFaults;
      const names = server === undefined ? sim.dump().vbrFaces.map((f) => f.name) : [server];
      for (const name of names) sim.setVbrFaults({ ...sim.vbrFaults(name), ...patch }, name);
      return { status: 204 };
    }
    case 'DELETE faults':
      sim.setVbrFaults({}, server);
      return { status: 204 };
    case 'POST tokens/expire':
      return ok({ expired: sim.expireVbrTokens(server) });
    case 'POST refresh/fail-next':
      sim.failNextVbrRefresh(server);
      return { status: 204 };
    default:
      throw new ApiError(405, `Method ${method} is not allowed on ${path}`);
  }
}

function config(sim: RunningSimulator): Record<string, unknown> {
  return { timings: sim.timings, sessionIdleTimeoutMs: sim.sessionIdleTimeoutMs, vbrSessionDurationsMs: sim.vbrSessionDurations };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'A JSON object body is required');
  return body as Record<string, unknown>;
}
