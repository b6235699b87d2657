import type { Logger } from 'pino';
import type { AuditLog } from '../audit/index.js';
import type { EmClient } from '../em/index.js';
import { KINDS } from '../operations/kinds.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { asReplica, createPolicy, decideFailover, loadPolicyInputs, RULE, type AccountGrant, type Decision, type Policy, type PolicyPrincipal, type ServerEdition } from '../policy/index.js';
import { decisionEntry, endEntry, FAILOVER_RULE, requestDetails } from './audit-entries.js';
import { dispatchFailover, type DispatchResult } from './dispatch.js';
import type { OperationStore } from './operation-store.js';
import { refusalFromOperation } from './refusal.js';
import { checkCdpTarget, describeTarget, FailoverInputError, normaliseIdempotencyKey, normaliseReason, requestHash, type ReasonPolicy } from './request.js';
import { loadSubject, type FailoverSubject } from './subject.js';
import { NO_STATE_SOURCE, type ReplicaStateSource } from './replica-state.js';
import { checkUpstream, type FreshFacts } from './upstream-check.js';
import { UPSTREAM_MESSAGE } from './upstream-messages.js';
import type { FailoverActor, FailoverOperation, FailoverOutcome, FailoverRefusal, FailoverTargetRequest, RequestOrigin } from './types.js';

export interface FailoverServiceOptions {
  prisma: PrismaClient;
  em: EmClient;
  /** Where the replica's current state is read before dispatch (default: none; the cache's state stands). */
  states?: ReplicaStateSource;
  audit: AuditLog;
  /** This process's GatewayInstance id: it holds the lease of the operations it dispatches. */
  instanceId: string;
  logger: Logger;
  reason: ReasonPolicy;
  /** How long an idempotency key keeps its operation. Default: 24 h. */
  idempotencyTtlMs?: number;
  /** Owns every write to the operation table and publishes each change. */
  store: OperationStore;
  /** Lease on a new operation; the tracker renews it. Default: 30 s. */
  leaseMs?: number;
  /**
   * How long a duplicate request waits for the original's dispatch to settle,
   * so both get the same answer. Default: 15 s (longer than EM's call timeout).
   */
  duplicateWaitMs?: number;
  now?: () => Date;
}

/**
 * Who asks: the verified principal. Its policy is built from what the
 * failover's one read statement loads along with the target.
 */
export interface FailoverCaller {
  principal: PolicyPrincipal;
  origin: RequestOrigin;
}

/** A `failover` call before validation: a target that failed to decode arrives as its error. */
export interface FailoverCall {
  /** The FailoverInput member used (vmReplica, cdpVmReplica, …): error fields are paths from it. */
  member: string;
  target: FailoverTargetRequest | FailoverInputError;
  reason: string | null | undefined;
  dryRun: boolean;
  idempotencyKey: string | null | undefined;
  /** The Idempotency-Key HTTP header, if any. */
  idempotencyHeader: string | null | undefined;
}

export interface FailoverService {
  failover(caller: FailoverCaller, call: FailoverCall): Promise<FailoverOutcome>;
  /** Whether this process is sending the operation's failover right now (the tracker leaves it alone). */
  isDispatching(operationId: string): boolean;
}

const DUPLICATE_POLL_MS = 50;

export function createFailoverService(options: FailoverServiceOptions): FailoverService {
  const { prisma, em, audit, logger, store } = options;
  const states = options.states ?? NO_STATE_SOURCE;
  const now = options.now ?? (() => new Date());
  const idempotencyTtlMs = options.idempotencyTtlMs ?? 86_400_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const duplicateWaitMs = options.duplicateWaitMs ?? 15_000;
  /** Dispatches in flight in this process, by operation id: duplicates here wait on them instead of polling. */
  const inFlight = new Map<string, Promise<unknown>>();

  const actorOf = (caller: FailoverCaller, policy: Policy): FailoverActor => ({
    subject: caller.principal.subject,
    groups: caller.principal.groups,
    roles: policy.rights.roles,
    accountIds: policy.rights.accountIds,
  });
  const policyOf = (caller: FailoverCaller, inputs: { accounts: AccountGrant[]; servers: ServerEdition[] }) => createPolicy({ principal: caller.principal, ...inputs });

  /** The stages of one call, each taking what the previous one proved: validate → load → decide → check upstream → claim → dispatch. */
  async function failover(caller: FailoverCaller, call: FailoverCall): Promise<FailoverOutcome> {
    const validated = await validate(caller, call);
    if ('type' in validated) return validated;
    const loaded = await load(caller, validated);
    if ('type' in loaded) return loaded;
    const decided = await decideOn(loaded);
    if ('type' in decided) return decided;
    const checked = await checkUpstreamOf(decided);
    if ('type' in checked) return checked;
    if (call.dryRun) return dryRun(checked);
    const claimed = await claim(checked);
    if ('type' in claimed) return claimed;
    return dispatch(claimed);
  }

  /** Stage 1: the input alone, before anything is looked up. A refusal is audited with the caller's roles. */
  async function validate(caller: FailoverCaller, call: FailoverCall): Promise<Validated | FailoverOutcome> {
    const started = now();
    let target: FailoverTargetRequest | null = call.target instanceof FailoverInputError ? null : call.target;
    let reason: string | null = null;
    try {
      // The reason first: a refusal of the target still records the reason the caller gave.
      reason = normaliseReason(call.reason, options.reason);
      if (call.target instanceof FailoverInputError) throw call.target;
      target = call.target;
      // Validated even for a dry run (a malformed key is a bug worth reporting), used only for a real one.
      const given = normaliseIdempotencyKey(call.idempotencyKey, call.idempotencyHeader);
      if ('target' in target) checkCdpTarget(target.target, started);
      return { caller, call, target, reason, key: call.dryRun ? null : given, started };
    } catch (error) {
      if (!(error instanceof FailoverInputError)) throw error;
      const refusal: FailoverRefusal = { code: 'BAD_USER_INPUT', message: error.message, field: error.pathIn(call.member) };
      // The audit entry names the caller's roles: its policy inputs, on this (rare) path alone.
      const policy = policyOf(caller, await loadPolicyInputs(prisma, caller.principal));
      // The caller's text is not recorded when it is what was refused (then `reason` is still null).
      await audit.append(
        decisionEntry({
          actor: actorOf(caller, policy),
          origin: caller.origin,
          callerReason: reason,
          subject: null,
          allowed: false,
          rule: FAILOVER_RULE.validation(error.problem),
          reason: error.message,
          details: { ...requestDetails(target, { dryRun: call.dryRun, idempotencyKey: null }), code: refusal.code, field: refusal.field },
        }),
      );
      return { type: 'refused', refusal };
    }
  }

  /** Stage 2: one statement loads the caller's policy inputs, the target and what its key holds; a key with its operation is answered here. */
  async function load(caller: FailoverCaller, v: Validated): Promise<LoadedCall | FailoverOutcome> {
    const loaded = await loadSubject(prisma, v.target, caller.principal, { idempotencyKey: v.key, now: v.started });
    const policy = policyOf(caller, loaded.policyInputs);
    const actor = actorOf(caller, policy);
    const details = requestDetails(v.target, { dryRun: v.call.dryRun, idempotencyKey: v.key });
    const record: RecordDecision = (subject, allowed, rule, why, extra = {}) =>
      audit.append(decisionEntry({ actor, origin: caller.origin, callerReason: v.reason, subject, allowed, rule, reason: why, details: { ...details, ...extra } }));
    const hash = requestHash(v.target, v.reason);
    const at: LoadedCall = { ...v, policy, actor, subject: loaded.subject, record, hash };
    // A retry with a key that already has its operation: answered without looking upstream again.
    if (loaded.keyedOperationId !== null) {
      const existing = await store.find(loaded.keyedOperationId);
      if (existing) return replay(existing, hash, record);
    }
    return at;
  }

  /** Stage 3: the policy decides on the loaded replica, as `explain` does. */
  async function decideOn(l: LoadedCall): Promise<Decided | FailoverOutcome> {
    const refuse = refuser(l.record);
    const { target, subject } = l;
    const requested = 'restorePointId' in target ? { type: 'RestorePoint', id: target.restorePointId } : { type: 'Replica', id: target.replicaId };
    if (!subject) return refuse(requested, FAILOVER_RULE.unknown, notFound());
    const replicaSubject = { type: 'Replica', id: subject.replica.id };
    // The same decision `explain` gives (decideFailover), whichever id the caller sent.
    const decision = decideFailover(l.policy.ability, asReplica(subject.replica));
    // Outside the scope reads exactly like unknown; only the audit entry says which.
    if (!decision.readable) return refuse(replicaSubject, decision.rule, notFound());
    if (subject.replica.kind !== target.kind) return refuse(replicaSubject, FAILOVER_RULE.wrongKind, wrongKind(target, subject));
    if (!decision.allowed) return refuse(replicaSubject, decision.rule, policyRefusal(decision, subject, l.policy));
    return { ...l, subject, replicaSubject, decision };
  }

  /** Stage 4: the upstream's fresh word on the target (never the cache's). */
  async function checkUpstreamOf(d: Decided): Promise<Checked | FailoverOutcome> {
    const check = await checkUpstream(em, states, d.subject, d.target, d.started);
    if (check.ok) return { ...d, facts: check.facts };
    if (check.cause) logger.warn({ requestId: d.caller.origin.requestId, code: check.refusal.code, err: check.cause }, 'Enterprise Manager failed the fresh check of a failover');
    // EM may see the replica busy because of a failover that raced this call past the checks above: that
    // failover is this call's own (same key) or another one in progress, which is what the caller must hear.
    const raced = await racedBy(d.actor.subject, d.key, d.subject.replica.id, d.started);
    if (raced?.type === 'own') return replay(raced.operation, d.hash, d.record);
    const refuse = refuser(d.record);
    if (raced?.type === 'other') return refuse(d.replicaSubject, FAILOVER_RULE.inProgress, inProgress(raced.operationId));
    return refuse(d.replicaSubject, FAILOVER_RULE.upstream(check.refusal.code), check.refusal);
  }

  /** A dry run ends after the checks: audited as allowed, nothing claimed or sent. */
  async function dryRun(c: Checked): Promise<FailoverOutcome> {
    await c.record(c.replicaSubject, true, c.decision.rule, c.decision.reason);
    return {
      type: 'dryRun',
      plan: {
        kind: c.target.kind,
        replicaId: c.subject.replica.id,
        restorePointId: c.subject.point?.id ?? null,
        restorePointTime: c.facts.restorePointTime,
        cdpTarget: 'target' in c.target ? c.target.target : null,
        rule: c.decision.rule,
        reason: c.decision.reason,
      },
    };
  }

  /** Stage 5: the durable claim: the operation and the replica's one active slot, or the reason there is none. */
  async function claim(c: Checked): Promise<Claimed | FailoverOutcome> {
    const { target, subject, facts, actor, key } = c;
    const claimed = await store.claim(
      {
        action: 'FAILOVER',
        kind: target.kind,
        replicaId: subject.replica.id,
        replicaEmKey: subject.replica.emKey,
        replicaName: subject.replica.name,
        emDisplayName: facts.emDisplayName,
        backupServerId: subject.replica.backupServerId,
        restorePointId: subject.point?.id ?? null,
        restorePointTime: facts.restorePointTime,
        ...('target' in target ? describeTarget(target.target) : { cdpTarget: null, cdpTargetAt: null }),
        upstreamPointId: null,
        parameters: null,
        initiatorSubject: actor.subject,
        initiatorGroups: [...actor.groups],
        initiatorRoles: [...actor.roles],
        callerReason: c.reason,
        requestId: c.caller.origin.requestId,
        idempotencyKey: key,
        idempotencyExpiresAt: key === null ? null : new Date(c.started.getTime() + idempotencyTtlMs),
        requestHash: c.hash,
      },
      { instanceId: options.instanceId, leaseMs },
      // The claim's own moment: it is event 1's time, and watchers measure from it.
      now(),
    );
    if (claimed.type === 'keyTaken') return replay(claimed.operation, c.hash, c.record);
    if (claimed.type === 'busy') return refuser(c.record)(c.replicaSubject, FAILOVER_RULE.inProgress, inProgress(claimed.operationId));
    return { ...c, operation: claimed.operation };
  }

  /** Stage 6: on the record, then sent once; duplicates in this process wait on it. */
  async function dispatch(c: Claimed): Promise<FailoverOutcome> {
    const settled = dispatchClaimed(c);
    inFlight.set(c.operation.id, settled);
    try {
      return await settled;
    } finally {
      inFlight.delete(c.operation.id);
    }
  }

  /** Records the decision, sends the failover once, and stores what EM answered. */
  async function dispatchClaimed(c: Claimed): Promise<FailoverOutcome> {
    const { operation } = c;
    const requestId = c.caller.origin.requestId;
    try {
      // On the record before anything is sent.
      await c.record(c.replicaSubject, true, c.decision.rule, c.decision.reason, { operationId: operation.id });
    } catch (error) {
      await store.notStarted(operation.id, { code: 'UPSTREAM_UNAVAILABLE', message: 'The audit log could not record the decision; nothing was sent' }, now());
      throw error;
    }
    const result: DispatchResult = await dispatchFailover(em, c.subject.replica, c.target).catch(async (error: unknown): Promise<DispatchResult> => {
      // Not an EM error: a bug. Whether the request left is unknown, so it is reconciled like a lost answer.
      logger.error({ err: error, requestId, operationId: operation.id }, 'failover dispatch failed unexpectedly');
      return { type: 'unknown', message: UPSTREAM_MESSAGE.dispatchFailed, cause: error };
    });
    const at = now();
    switch (result.type) {
      case 'accepted':
        return { type: 'started', operation: await store.running({ id: operation.id, task: result.task, at, sequence: operation.sequence }), replayed: false };
      case 'unknown': {
        logger.warn({ requestId, operationId: operation.id, err: result.cause }, 'failover outcome unknown; reconciling from EM, never resending');
        return { type: 'started', operation: await store.outcomeUnknown(operation.id, result.message, at), replayed: false };
      }
      case 'refused': {
        if (result.cause) logger.warn({ requestId, operationId: operation.id, code: result.refusal.code, err: result.cause }, 'Enterprise Manager did not start a failover');
        const ended = await store.notStarted(operation.id, result.refusal, at);
        await audit.append(endEntry(ended));
        return { type: 'refused', refusal: result.refusal };
      }
    }
  }

  /** An operation that claimed the replica since this call looked: the caller's own (its key) or another active one. */
  async function racedBy(subject: string, key: string | null, replicaId: string, at: Date): Promise<{ type: 'own'; operation: FailoverOperation } | { type: 'other'; operationId: string } | null> {
    const own = key === null ? null : await store.keyHolder(subject, key, at);
    if (own) return { type: 'own', operation: own };
    const holder = await store.activeOn(replicaId);
    return holder ? { type: 'other', operationId: holder } : null;
  }

  /** The answer for a key that already has its operation: the same result, or a refusal when the request differs. */
  async function replay(existing: FailoverOperation, hash: string, record: RecordDecision): Promise<FailoverOutcome> {
    const subject = { type: 'Replica', id: existing.replicaId ?? existing.replicaEmKey };
    if (existing.requestHash !== hash) {
      const message = 'This idempotency key was used for a different failover request; use a new key for a new request';
      await record(subject, false, FAILOVER_RULE.keyReused, message, { code: 'IDEMPOTENCY_KEY_REUSED', operationId: existing.id });
      return { type: 'refused', refusal: { code: 'IDEMPOTENCY_KEY_REUSED', message } };
    }
    const operation = existing.state === 'DISPATCHING' ? await settledState(existing) : existing;
    await record(subject, true, FAILOVER_RULE.replay, `Same key and request as operation ${existing.id}: its result is returned and nothing is sent again`, { operationId: existing.id });
    if (operation.state === 'NOT_STARTED') return { type: 'refused', refusal: refusalFromOperation(operation) };
    return { type: 'started', operation, replayed: true };
  }

  /** The operation once its dispatch settled (here or on another instance), or as it is when the wait runs out. */
  async function settledState(operation: FailoverOperation): Promise<FailoverOperation> {
    const deadline = Date.now() + duplicateWaitMs;
    let current = operation;
    while (current.state === 'DISPATCHING' && Date.now() < deadline) {
      const local = inFlight.get(current.id);
      if (local) await local.catch(() => undefined);
      else await new Promise((resolve) => setTimeout(resolve, DUPLICATE_POLL_MS));
      current = (await store.find(current.id)) ?? current;
    }
    return current;
  }

  return { failover, isDispatching: (id) => inFlight.has(id) };
}

/** What stage 1 proved: well-formed input. */
interface Validated {
  caller: FailoverCaller;
  call: FailoverCall;
  target: FailoverTargetRequest;
  reason: string | null;
  /** Null for a dry run or when none was given. */
  key: string | null;
  started: Date;
}

/** What stage 2 loaded: the caller's policy, the target (null: unknown) and how to record decisions. */
interface LoadedCall extends Validated {
  policy: Policy;
  actor: FailoverActor;
  subject: FailoverSubject | null;
  record: RecordDecision;
  hash: string;
}

/** Stage 3: the policy allows it on a known replica of the right kind. */
interface Decided extends LoadedCall {
  subject: FailoverSubject;
  replicaSubject: DecisionSubject;
  decision: Decision;
}

/** Stage 4: the upstream agrees now. */
interface Checked extends Decided {
  facts: FreshFacts;
}

/** Stage 5: the operation holds the replica. */
interface Claimed extends Checked {
  operation: FailoverOperation;
}

/** A refusal, audited with the rule that made it. */
const refuser =
  (record: RecordDecision) =>
  async (subject: DecisionSubject, rule: string, refusal: FailoverRefusal): Promise<FailoverOutcome> => {
    await record(subject, false, rule, refusal.message, { code: refusal.code });
    return { type: 'refused', refusal };
  };

type DecisionSubject = { type: string; id: string };
type RecordDecision = (subject: DecisionSubject, allowed: boolean, rule: string, why: string, extra?: Record<string, unknown>) => Promise<unknown>;

const inProgress = (operationId: string | null): FailoverRefusal => ({ code: 'FAILOVER_IN_PROGRESS', message: 'Another failover of this replica is in progress', operationId });

const notFound = (): FailoverRefusal => ({ code: 'NOT_FOUND', message: 'No such replica or restore point' });

function wrongKind(target: FailoverTargetRequest, subject: FailoverSubject): FailoverRefusal {
  const what = subject.point ? 'restore point belongs to' : 'replica is';
  return {
    code: 'BAD_USER_INPUT',
    message: `This ${what} a ${subject.replica.kind} replica, not ${target.kind}: use the ${KINDS[subject.replica.kind].member} member`,
    field: KINDS[target.kind].member,
  };
}

function policyRefusal(decision: Decision, subject: FailoverSubject, policy: Policy): FailoverRefusal {
  if (decision.rule === RULE.editionBelowEnterprise || decision.rule === RULE.editionUnknown) {
    // An unknown edition is a gap in the gateway's sources: say what to configure (collected by the sync, docs/real-sources.md).
    const server = subject.replica.backupServer;
    const message = decision.rule === RULE.editionUnknown ? (server.editionDetail ?? `edition unknown: give the gateway VBR access to backup server ${server.name} or set LICENSE_EDITION`) : decision.reason;
    return { code: 'EDITION_NOT_SUPPORTED', message, edition: server.edition, backupServerId: subject.replica.backupServerId };
  }
  // "No rule allows failover" says little to an operator: name the kind when that is what no account allows.
  const kind = subject.replica.kind;
  const message = policy.rights.allowedKinds.includes(kind) ? decision.reason : `None of your accounts may start ${KINDS[kind].label} failovers`;
  return { code: 'FORBIDDEN', message, rule: decision.rule };
}
