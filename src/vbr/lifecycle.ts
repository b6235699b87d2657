import type { Logger } from 'pino';
import { VbrOutcomeUnknownError, VbrRejectedError } from './errors.js';
import { failbackModeOf, pointIdsOf } from './failback-spec.js';
import type { VbrSession } from './session.js';
import type { VbrClient, VbrLifecycleBody, VbrLifecycleEndpoint, VbrSessionModel } from './types.js';
import { listing, parseSession } from './wire.js';

/**
 * The replica lifecycle POSTs (Failover and Failback tags, vbr-rest.md §2.2,
 * §2.3). Each is sent once as a changing call: the session layer resends it
 * only after a 401, and reports a lost answer or a 5xx other than 503 as
 * outcome unknown. Bodies are checked and reduced to their documented fields
 * before anything is sent.
 */

/** Every lifecycle endpoint has this shape; the paths themselves come from the caller (src/operations/actions.ts). */
const LIFECYCLE_PATH = /^\/api\/v1\/(failover|failback)\/[A-Za-z]+\/vSphere\/snapshot$/;
/** The one lifecycle POST that creates no session (200, empty body): not an action, so it is the client's own. */
const CHANGE_SWITCHOVER_PATH = '/api/v1/failback/changeSwitchoverTime/vSphere/snapshot';
const FAILBACK_TYPES: readonly string[] = ['OriginalLocation', 'OriginalVM', 'Customized'];

export interface LifecycleOptions {
  baseUrl: string;
  now: () => number;
  logger?: Logger;
}

export function lifecycleCalls(session: VbrSession, o: LifecycleOptions): Pick<VbrClient, 'startReplicaAction' | 'changeFailbackSwitchoverTime'> {
  return {
    async startReplicaAction(endpoint: VbrLifecycleEndpoint, body: VbrLifecycleBody): Promise<VbrSessionModel[]> {
      const tag = tagOf(endpoint);
      const sent = bodyFor(tag, body);
      const answer = await session.call({ method: 'POST', path: endpoint.path, body: sent, kind: 'change', endpoint: 'replicaLifecycle' });
      const sessions = sessionsOf(answer);
      if (sessions === undefined) {
        // VBR answered 201: it started something, but which sessions is unreadable. Only a reconcile can tell.
        throw new VbrOutcomeUnknownError('VBR accepted the request but its answer lists no readable sessions: reconcile before retrying', {
          status: 201,
          method: 'POST',
          url: `${o.baseUrl}${endpoint.path}`,
        });
      }
      const other = sessions.filter((s) => s.sessionType !== endpoint.sessionType);
      if (other.length > 0) o.logger?.warn({ path: endpoint.path, expected: endpoint.sessionType, got: other.map((s) => s.sessionType) }, 'VBR answered a lifecycle POST with sessions of another type');
      return sessions;
    },

    async changeFailbackSwitchoverTime(pointIds, mode) {
      const replicaPointIds = pointIdsOf(pointIds, 'pointIds');
      const failbackMode = failbackModeOf(mode, new Date(o.now()), 'mode');
      await session.call({ method: 'POST', path: CHANGE_SWITCHOVER_PATH, body: { replicaPointIds, failbackMode }, kind: 'change', endpoint: 'replicaLifecycle' });
    },
  };
}

function tagOf(endpoint: VbrLifecycleEndpoint): 'failover' | 'failback' {
  const path = endpoint?.path;
  const match = typeof path === 'string' ? LIFECYCLE_PATH.exec(path) : null;
  if (!match) throw new VbrRejectedError(`not a VBR lifecycle endpoint: ${String(path)}`);
  if (path === CHANGE_SWITCHOVER_PATH) throw new VbrRejectedError('changing the switchover time starts no session: call changeFailbackSwitchoverTime');
  if (typeof endpoint.sessionType !== 'string' || endpoint.sessionType === '') throw new VbrRejectedError('endpoint.sessionType must be a non-empty string');
  return match[1] as 'failover' | 'failback';
}

/** The documented body of the tag: a reason only on the Failover tag, a failback spec only on the Failback tag. */
function bodyFor(tag: 'failover' | 'failback', body: VbrLifecycleBody): VbrLifecycleBody {
  if (typeof body !== 'object' || body === null) throw new VbrRejectedError('the body must be an object with replicaPointIds');
  const replicaPointIds = pointIdsOf(body.replicaPointIds, 'replicaPointIds', (field, problem) => new VbrRejectedError(`${field} ${problem}`));
  if ('type' in body) {
    if (tag !== 'failback') throw new VbrRejectedError('a failback spec goes to the Failback tag only');
    if (!FAILBACK_TYPES.includes(body.type)) throw new VbrRejectedError(`type must be one of ${FAILBACK_TYPES.join(', ')}, not ${String(body.type)}`);
    return { ...body, replicaPointIds };
  }
  if ('reason' in body && body.reason !== undefined) {
    if (tag !== 'failover') throw new VbrRejectedError('VBR takes a reason on the Failover tag only');
    if (typeof body.reason !== 'string') throw new VbrRejectedError('reason must be a string');
    return { replicaPointIds, reason: body.reason };
  }
  return { replicaPointIds };
}

/** SessionsResult of a 201; undefined unless every listed session is readable. */
function sessionsOf(answer: unknown): VbrSessionModel[] | undefined {
  if (typeof answer !== 'object' || answer === null || !Array.isArray((answer as { data?: unknown }).data)) return undefined;
  const sessions = listing(answer).data.map(parseSession);
  return sessions.every((s): s is VbrSessionModel => s !== undefined) ? sessions : undefined;
}
