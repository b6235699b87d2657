import type { PrismaClient } from '../generated/prisma/client.js';
import { ACTIONS, type VbrLifecycleEndpoint } from '../operations/actions.js';
import { isVbrError, vmReplicaPoint, type VbrClient, type VbrReplicaPoint, type VbrSessionModel } from '../vbr/index.js';
import type { Ending } from './operation-store.js';
import { serverNameCache } from './server-names.js';
import type { FailoverOperation } from './types.js';
import type { VbrClientFor } from './vbr-driver.js';

/** What one look at a VBR lifecycle operation found: what the tracker stores next. */
export type VbrStep =
  | { type: 'end'; ending: Ending }
  | { type: 'look'; progress: number; sessionState: string; replicaState: string | null }
  /** A lost dispatch's session found: the operation runs. */
  | { type: 'reconciled'; session: VbrSessionModel }
  /** Nothing to say yet (a lost dispatch within its grace). */
  | { type: 'wait' };

/** Sessions created this long before the operation still count as its own: clocks of VBR and the gateway differ. */
const CLOCK_MARGIN_MS = 60_000;

export interface VbrFollowerOptions {
  prisma: PrismaClient;
  vbrFor: VbrClientFor;
  /** How long after a lost dispatch the absence of its session proves it never started. */
  graceMs: number;
  now: () => Date;
}

/**
 * Follows the lifecycle operations sent to a backup server's REST API: their
 * session (state, `progressPercent`, result), the replica's state while a
 * phased action runs (failback reaches ReadyToSwitch), and a POST whose answer
 * was lost, found again among the server's sessions of its type.
 */
export function createVbrFollower({ prisma, vbrFor, graceMs, now }: VbrFollowerOptions) {
  // An operation outlives its server's row (no foreign key): its id then names the server.
  const serverName = serverNameCache(prisma, (backupServerId) => backupServerId);

  async function clientOf(operation: FailoverOperation): Promise<VbrClient> {
    const name = await serverName(operation.backupServerId);
    const client = vbrFor({ uid: operation.backupServerId, name });
    // The configuration lost the server since the dispatch: nothing to follow with; the lease keeps the operation for a restart.
    if (!client) throw new Error(`no VBR REST access to backup server ${name} any more (VBR_SERVERS)`);
    return client;
  }

  const endpointOf = (operation: FailoverOperation): VbrLifecycleEndpoint => {
    const upstream = ACTIONS[operation.action].upstream;
    if (upstream.type !== 'vbr') throw new TypeError(`${operation.action} is not followed through VBR`);
    return upstream;
  };

  /** The replica's point now, for its state: the one posted, else the VM's newest. */
  async function pointOf(client: VbrClient, operation: FailoverOperation): Promise<VbrReplicaPoint | undefined> {
    const replica = operation.replicaId ? await prisma.replica.findUnique({ where: { id: operation.replicaId }, select: { vbrReplicaId: true } }) : null;
    if (!replica?.vbrReplicaId) return undefined;
    return vmReplicaPoint(client, replica.vbrReplicaId, operation.emDisplayName, (point) => point.id === operation.upstreamPointId);
  }

  /** The replica's state after the session stopped: the server's word where it has one, else what the action's success proves. */
  async function stateAfter(client: VbrClient, operation: FailoverOperation, succeeded: boolean): Promise<string | null> {
    const spec = ACTIONS[operation.action];
    if (succeeded && spec.to === null) return null;
    try {
      const point = await pointOf(client, operation);
      if (point?.state) return point.state;
    } catch (error) {
      if (!isVbrError(error)) throw error;
    }
    return succeeded ? spec.to : null;
  }

  async function follow(operation: FailoverOperation): Promise<VbrStep> {
    const client = await clientOf(operation);
    let session: VbrSessionModel;
    try {
      session = await client.getSession(operation.restoreSessionId!);
    } catch (error) {
      if (!isVbrError(error, 'not_found')) throw error;
      return {
        type: 'end',
        ending: {
          state: 'FAILED',
          result: 'Unknown',
          message: `The backup server no longer knows session ${operation.restoreSessionId}; the outcome was not observed: check the replica in the Veeam console`,
          progress: operation.progress,
          replicaState: null,
        },
      };
    }
    const progress = Math.max(0, Math.min(100, session.progressPercent ?? operation.progress));
    if (session.state !== 'Stopped') {
      const replicaState = ACTIONS[operation.action].followsReplicaState ? ((await pointOf(client, operation))?.state ?? null) : null;
      return { type: 'look', progress, sessionState: session.state, replicaState };
    }
    const result = session.result?.result ?? 'Success';
    const succeeded = result === 'Success' || result === 'Warning';
    const replicaState = await stateAfter(client, operation, succeeded);
    return {
      type: 'end',
      ending: {
        state: result === 'Failed' ? 'FAILED' : result === 'Warning' ? 'WARNING' : 'SUCCEEDED',
        result,
        message: session.result?.message || operation.message,
        progress: 100,
        replicaState,
        sessionState: session.state,
        removeReplica: succeeded && ACTIONS[operation.action].to === null,
      },
    };
  }

  /** A POST whose answer was lost: the server's sessions of its type, for the VM, created since it was sent. */
  async function reconcile(operation: FailoverOperation, taken: (ids: string[]) => Promise<Set<string>>): Promise<VbrStep> {
    const client = await clientOf(operation);
    const sessions: VbrSessionModel[] = [];
    const vm = operation.emDisplayName.toLowerCase();
    for await (const page of client.listSessions({ type: endpointOf(operation).sessionType, createdAfter: new Date(operation.createdAt.getTime() - CLOCK_MARGIN_MS) })) {
      sessions.push(...page.filter((session) => session.name.toLowerCase() === vm));
    }
    const others = await taken(sessions.map((session) => session.id));
    // The newest: the clock margin also lets in sessions of the VM from just before the attempt that no operation
    // follows (a switch VBR started itself at its scheduled time, the console's), while VBR runs one session on a
    // VM at a time and the operation holds the replica, so nothing of its type starts after its own meanwhile.
    const own = sessions.filter((session) => !others.has(session.id)).sort((a, b) => b.creationTime.getTime() - a.creationTime.getTime())[0];
    if (own) return { type: 'reconciled', session: own };
    const since = operation.dispatchedAt ?? operation.createdAt;
    if (now().getTime() - since.getTime() < graceMs) return { type: 'wait' };
    return {
      type: 'end',
      ending: {
        state: 'NOT_STARTED',
        result: 'UPSTREAM_UNAVAILABLE',
        message: `The backup server has no session for this ${ACTIONS[operation.action].label} ${Math.round(graceMs / 1000)} s after it was sent: it did not start`,
        progress: 0,
        replicaState: null,
      },
    };
  }

  return { follow, reconcile };
}
