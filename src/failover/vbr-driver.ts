import { createHash } from 'node:crypto';
import type { Prisma } from '../generated/prisma/client.js';
import { ACTIONS, REPLICA_ACTIONS, type ReplicaAction, type VbrLifecycleEndpoint } from '../operations/actions.js';
import { KINDS, upstreamSupports } from '../operations/kinds.js';
import { asReplica, decideAction } from '../policy/index.js';
import { buildFailbackSpec, isPointOfVm, isVbrError, VbrFailbackSpecError, vmReplicaPoint, type VbrClient, type VbrError, type VbrLifecycleBody, type VbrReplicaPoint } from '../vbr/index.js';
import type { DispatchResult } from './dispatch.js';
import type { Check, Driver, Verdict } from './driver.js';
import { notFound, policyRefusal } from './em-driver.js';
import { FailoverInputError } from './request.js';
import type { FailoverSubject } from './subject.js';
import type { ActionRequest, FailbackRequest, FailoverRefusal } from './types.js';
import { VBR_MESSAGE } from './vbr-messages.js';

/** The backup server's REST client, when the gateway has one for it (VBR_SERVERS). */
export type VbrClientFor = (server: { uid: string; name: string }) => VbrClient | undefined;

/** Audit rule of the refusal of an action no API offers for the replica's kind. */
export const CONSOLE_ONLY_RULE = 'upstream.console-only';

/** A well-formed point id, for checking a failback description before the real point is known. */
const PLACEHOLDER_POINT = '00000000-0000-4000-8000-000000000000';

/**
 * The lifecycle after failover (undo, permanent and planned failover,
 * failback and its phases) through the backup server's own REST API, which
 * has it for VMware vSphere snapshot replicas only (vbr-rest.md §0).
 */
export function vbrLifecycleDriver(vbrFor: VbrClientFor): Driver<ActionRequest> {
  const clientOf = (subject: FailoverSubject) => vbrFor({ uid: subject.replica.backupServerId, name: subject.replica.backupServer.name });
  const endpointOf = (action: ReplicaAction): VbrLifecycleEndpoint => {
    const upstream = ACTIONS[action].upstream;
    if (upstream.type !== 'vbr') throw new TypeError(`${action} is not a VBR lifecycle action`);
    return upstream;
  };

  return {
    upstreamName: 'the backup server',
    validate(request, now) {
      if (request.action !== 'FAILBACK') return;
      if (request.failback === null) throw new FailoverInputError('failback', 'A failback needs a destination and a switchover', 'failback-missing');
      try {
        // The builder checks what VBR needs (a customized location's host, a switchover time in the future); the point comes later.
        buildFailbackSpec({ ...request.failback, pointIds: [PLACEHOLDER_POINT] }, now);
      } catch (error) {
        if (!(error instanceof VbrFailbackSpecError)) throw error;
        throw new FailoverInputError(`failback.${error.field}`, error.message, `failback-${error.field.split('.')[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      }
    },
    lookup: (request) => ({ replicaId: request.replicaId }),
    requested: (request) => ({ type: 'Replica', id: request.replicaId }),
    hash: (request, reason) =>
      createHash('sha256')
        .update(JSON.stringify({ action: request.action, replicaId: request.replicaId, failback: request.failback, reason }))
        .digest('hex'),
    details: (request) => (request ? { action: request.action, replicaId: request.replicaId, ...(request.failback ? { failback: wireOf(request.failback) } : {}) } : {}),
    decide(policy, subject, request): Verdict {
      const decision = decideAction(policy.ability, request.action, asReplica(subject.replica));
      // Outside the scope reads exactly like unknown; only the audit entry says which.
      if (!decision.readable) return { allowed: false, rule: decision.rule, refusal: notFound() };
      if (!upstreamSupports(subject.replica, request.action)) return { allowed: false, rule: CONSOLE_ONLY_RULE, refusal: consoleOnly(subject, request.action) };
      if (!decision.allowed) return { allowed: false, rule: decision.rule, refusal: policyRefusal(decision, subject, policy, request.action) };
      return { allowed: true, decision };
    },
    async check(subject, request): Promise<Check> {
      const client = clientOf(subject);
      const server = subject.replica.backupServer.name;
      if (!client) return { ok: false, refusal: { code: 'UPSTREAM_UNAVAILABLE', message: VBR_MESSAGE.noAccess(server) } };
      if (!subject.replica.vbrReplicaId) return { ok: false, refusal: { code: 'UPSTREAM_UNAVAILABLE', message: VBR_MESSAGE.unmatched(server) } };
      try {
        const operation = endpointOf(request.action).allowedOperation;
        const vm = subject.replica.name;
        // After a failover the point to post is the one the replica runs from, not necessarily the newest; the newest still tells the state.
        const point = await vmReplicaPoint(client, subject.replica.vbrReplicaId, vm, (p) => isPointOfVm(p, vm) && p.allowedOperations.includes(operation));
        if (!point) return { ok: false, refusal: { code: 'NOT_FOUND', message: VBR_MESSAGE.noPoint } };
        const state = point.state ?? null;
        const spec = ACTIONS[request.action];
        if (state === null || !spec.from.includes(state) || !point.allowedOperations.includes(endpointOf(request.action).allowedOperation)) {
          return { ok: false, refusal: wrongState(request.action, state, point) };
        }
        return { ok: true, facts: { displayName: point.name, replicaState: state, restorePointTime: point.creationTime, upstreamPointId: point.id } };
      } catch (error) {
        if (!isVbrError(error)) throw error;
        return { ok: false, refusal: readRefusal(error), cause: error };
      }
    },
    draft: (_subject, request, facts) => ({
      emDisplayName: facts.displayName,
      restorePointId: null,
      restorePointTime: facts.restorePointTime,
      cdpTarget: null,
      cdpTargetAt: null,
      upstreamPointId: facts.upstreamPointId,
      parameters: request.failback ? (wireOf(request.failback) as Prisma.InputJsonValue) : null,
    }),
    plan: (subject, request, facts, decision) => ({
      action: request.action,
      replicaId: subject.replica.id,
      replicaState: facts.replicaState,
      upstreamPointId: facts.upstreamPointId,
      rule: decision.rule,
      reason: decision.reason,
    }),
    async dispatch(subject, request, facts, reason): Promise<DispatchResult> {
      const client = clientOf(subject);
      if (!client) return { type: 'refused', refusal: { code: 'UPSTREAM_UNAVAILABLE', message: VBR_MESSAGE.noAccess(subject.replica.backupServer.name) } };
      const endpoint = endpointOf(request.action);
      const pointIds = [facts.upstreamPointId!];
      const bodies: Record<VbrLifecycleEndpoint['body'], () => VbrLifecycleBody> = {
        failover: () => ({ replicaPointIds: pointIds, ...(reason ? { reason } : {}) }),
        failback: () => buildFailbackSpec({ ...request.failback!, pointIds }),
        points: () => ({ replicaPointIds: pointIds }),
      };
      const body = bodies[endpoint.body]();
      try {
        const [session] = await client.startReplicaAction(endpoint, body);
        if (!session) return { type: 'unknown', message: VBR_MESSAGE.noSession };
        return { type: 'accepted', accepted: { taskId: null, taskState: null, sessionId: session.id, sessionState: session.state } };
      } catch (error) {
        if (!isVbrError(error)) throw error;
        return classify(error, request.action);
      }
    },
  };
}

/** The actions the point's `allowedOperations` allow now, in the table's order. */
function allowedByPoint(point: VbrReplicaPoint): ReplicaAction[] {
  return REPLICA_ACTIONS.filter((action) => {
    const upstream = ACTIONS[action].upstream;
    return upstream.type === 'vbr' ? point.allowedOperations.includes(upstream.allowedOperation) : point.state === 'Ready';
  });
}

function wrongState(action: ReplicaAction, state: string | null, point: VbrReplicaPoint): FailoverRefusal {
  const spec = ACTIONS[action];
  const allowed = allowedByPoint(point);
  const now = allowed.length === 0 ? 'it allows no action now' : `it allows ${allowed.map((a) => ACTIONS[a].label).join(', ')}`;
  return {
    code: 'WRONG_REPLICA_STATE',
    message: `The replica is ${state ?? 'in an unknown state'}; ${spec.label} needs ${spec.from.join(' or ')}: ${now}. Nothing was started`,
    replicaState: state,
    allowedActions: allowed,
  };
}

function consoleOnly(subject: FailoverSubject, action: ReplicaAction): FailoverRefusal {
  const kind = subject.replica.kind;
  const what = KINDS[kind].lifecyclePlatforms.length === 0 ? `${KINDS[kind].label} replicas` : `${subject.replica.platform} ${KINDS[kind].label}s`;
  return {
    code: 'ACTION_NOT_SUPPORTED',
    message: `No Veeam API offers ${ACTIONS[action].label} for ${what}: use the Veeam Backup & Replication console`,
    kind,
  };
}

/** A failed read before dispatch, as a refusal. */
function readRefusal(error: VbrError): FailoverRefusal {
  switch (error.kind) {
    case 'not_found':
      return { code: 'NOT_FOUND', message: VBR_MESSAGE.gone };
    case 'forbidden':
    case 'rejected':
      return { code: 'UPSTREAM_REJECTED', message: VBR_MESSAGE.readRefused, emMessage: null };
    case 'unauthenticated':
      return { code: 'UPSTREAM_UNAVAILABLE', message: VBR_MESSAGE.signIn };
    default:
      return { code: 'UPSTREAM_UNAVAILABLE', message: VBR_MESSAGE.unavailable };
  }
}

/**
 * Which failures of the POST prove that nothing started (the client already
 * made a lost answer or a 5xx other than 503 "outcome unknown").
 */
function classify(error: VbrError, action: ReplicaAction): DispatchResult {
  const refused = (refusal: FailoverRefusal): DispatchResult => ({ type: 'refused', refusal, cause: error });
  switch (error.kind) {
    case 'outcome_unknown':
      return { type: 'unknown', message: VBR_MESSAGE.outcomeUnknown, cause: error };
    case 'not_found':
      return refused({ code: 'NOT_FOUND', message: VBR_MESSAGE.gone });
    case 'unauthenticated':
      return refused({ code: 'UPSTREAM_UNAVAILABLE', message: VBR_MESSAGE.signIn });
    case 'unavailable':
    case 'not_implemented':
      return refused({ code: 'UPSTREAM_UNAVAILABLE', message: VBR_MESSAGE.unavailable });
    case 'forbidden':
      return refused({ code: 'UPSTREAM_REJECTED', message: VBR_MESSAGE.accountRefused(ACTIONS[action].label), emMessage: error.message });
    case 'rejected':
      return refused({ code: 'UPSTREAM_REJECTED', message: VBR_MESSAGE.refused(ACTIONS[action].label), emMessage: error.message });
  }
}

/** A failback as stored on the operation and in the audit log: JSON, times as RFC 3339. */
function wireOf(failback: FailbackRequest): unknown {
  return JSON.parse(JSON.stringify(failback));
}
