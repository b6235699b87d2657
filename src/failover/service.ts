import type { Logger } from 'pino';
import type { AuditEntryInput, AuditLog } from '../audit/index.js';
import type { EmClient } from '../em/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { ACTIONS, type ReplicaAction } from '../operations/actions.js';
import { createPolicy, loadPolicyInputs, type AccountGrant, type Decision, type Policy, type PolicyPrincipal, type ServerEdition } from '../policy/index.js';
import { decisionEntry, FAILOVER_RULE } from './audit-entries.js';
import type { DispatchResult } from './dispatch.js';
import type { Driver, Facts } from './driver.js';
import { emFailoverDriver, notFound } from './em-driver.js';
import type { OperationStore } from './operation-store.js';
import { refusalFromOperation } from './refusal.js';
import { FailoverInputError, normaliseIdempotencyKey, normaliseReason, type ReasonPolicy } from './request.js';
import { loadSubject, type FailoverSubject } from './subject.js';
import { NO_STATE_SOURCE, type ReplicaStateSource } from './replica-state.js';
import { UPSTREAM_MESSAGE } from './upstream-messages.js';
import type { ActionRequest, FailoverActor, FailoverOperation, FailoverOutcome, FailoverRefusal, FailoverTargetRequest, RequestOrigin } from './types.js';

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
  /** The lifecycle actions after failover (undo, permanent, planned, failback…) through the backup servers' REST APIs. */
  lifecycle: Driver<ActionRequest>;
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

/** A call before validation: a request that failed to decode arrives as its error. */
export interface OperationCall<R> {
  /** What the mutation asks for: known even when its input did not decode. */
  action: ReplicaAction;
  /** The input member or argument used (vmReplica, input, …): error fields are paths from it. */
  member: string;
  request: R | FailoverInputError;
  reason: string | null | undefined;
  dryRun: boolean;
  idempotencyKey: string | null | undefined;
  /** The Idempotency-Key HTTP header, if any. */
  idempotencyHeader: string | null | undefined;
}

/** A `failover` call (EM's four kinds). */
export type FailoverCall = Omit<OperationCall<FailoverTargetRequest>, 'request' | 'action'> & { target: FailoverTargetRequest | FailoverInputError };

/** A lifecycle action after failover (VBR REST). */
export type ActionCall = OperationCall<ActionRequest>;

export interface FailoverService {
  failover(caller: FailoverCaller, call: FailoverCall): Promise<FailoverOutcome>;
  /** Undo failover, permanent failover, planned failover and the failback actions. */
  act(caller: FailoverCaller, call: ActionCall): Promise<FailoverOutcome>;
  /** Whether this process is sending the operation's request right now (the tracker leaves it alone). */
  isDispatching(operationId: string): boolean;
}

const DUPLICATE_POLL_MS = 50;

export function createFailoverService(options: FailoverServiceOptions): FailoverService {
  const { prisma, audit, logger, store } = options;
  const now = options.now ?? (() => new Date());
  const idempotencyTtlMs = options.idempotencyTtlMs ?? 86_400_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const duplicateWaitMs = options.duplicateWaitMs ?? 15_000;
  const emDriver = emFailoverDriver(options.em, options.states ?? NO_STATE_SOURCE);
  const lifecycleDriver = options.lifecycle;
  /** Dispatches in flight in this process, by operation id: duplicates here wait on them instead of polling. */
  const inFlight = new Map<string, Promise<unknown>>();

  const actorOf = (caller: FailoverCaller, policy: Policy): FailoverActor => ({
    subject: caller.principal.subject,
    groups: caller.principal.groups,
    roles: policy.rights.roles,
    accountIds: policy.rights.accountIds,
  });
  const policyOf = (caller: FailoverCaller, inputs: { accounts: AccountGrant[]; servers: ServerEdition[] }) => createPolicy({ principal: caller.principal, ...inputs });
  const auditAction = (action: ReplicaAction) => ACTIONS[action].policyAction;

  /** The stages of one call, each taking what the previous one proved: validate → load → decide → check upstream → claim → dispatch. */
  async function run<R>(driver: Driver<R>, caller: FailoverCaller, call: OperationCall<R>): Promise<FailoverOutcome> {
    const validated = await validate(driver, caller, call);
    if ('type' in validated) return validated;
    const loaded = await load(validated);
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
  async function validate<R>(driver: Driver<R>, caller: FailoverCaller, call: OperationCall<R>): Promise<Validated<R> | FailoverOutcome> {
    const started = now();
    let request: R | null = call.request instanceof FailoverInputError ? null : call.request;
    let reason: string | null = null;
    try {
      // The reason first: a refusal of the request still records the reason the caller gave.
      reason = normaliseReason(call.reason, options.reason);
      if (call.request instanceof FailoverInputError) throw call.request;
      request = call.request;
      // Validated even for a dry run (a malformed key is a bug worth reporting), used only for a real one.
      const given = normaliseIdempotencyKey(call.idempotencyKey, call.idempotencyHeader);
      driver.validate(request, started);
      return { driver, caller, call, request, reason, key: call.dryRun ? null : given, started };
    } catch (error) {
      if (!(error instanceof FailoverInputError)) throw error;
      const refusal: FailoverRefusal = { code: 'BAD_USER_INPUT', message: error.message, field: error.pathIn(call.member) };
      // The audit entry names the caller's roles: its policy inputs, on this (rare) path alone.
      const policy = policyOf(caller, await loadPolicyInputs(prisma, caller.principal));
      // The caller's text is not recorded when it is what was refused (then `reason` is still null).
      await audit.append(
        decisionEntry({
          action: auditAction(call.action),
          actor: actorOf(caller, policy),
          origin: caller.origin,
          callerReason: reason,
          subject: null,
          allowed: false,
          rule: FAILOVER_RULE.validation(error.problem),
          reason: error.message,
          details: { ...driver.details(request), dryRun: call.dryRun, idempotencyKey: null, code: refusal.code, field: refusal.field },
        }),
      );
      return { type: 'refused', refusal };
    }
  }

  /** Stage 2: one statement loads the caller's policy inputs, the subject and what its key holds; a key with its operation is answered here. */
  async function load<R>(v: Validated<R>): Promise<LoadedCall<R> | FailoverOutcome> {
    const { driver, caller, request } = v;
    const loaded = await loadSubject(prisma, driver.lookup(request), caller.principal, { idempotencyKey: v.key, now: v.started });
    const policy = policyOf(caller, loaded.policyInputs);
    const actor = actorOf(caller, policy);
    const details = { ...driver.details(request), dryRun: v.call.dryRun, idempotencyKey: v.key };
    const action = auditAction(v.call.action);
    const entryOf: DecisionEntryOf = (subject, allowed, rule, why, extra = {}) =>
      decisionEntry({ action, actor, origin: caller.origin, callerReason: v.reason, subject, allowed, rule, reason: why, details: { ...details, ...extra } });
    const record: RecordDecision = (...decision) => audit.append(entryOf(...decision));
    const hash = driver.hash(request, v.reason);
    // A retry with a key that already has its operation: answered without looking upstream again.
    if (loaded.keyedOperationId !== null) {
      const existing = await store.find(loaded.keyedOperationId);
      if (existing) return replay(existing, hash, record);
    }
    return { ...v, policy, actor, subject: loaded.subject, entryOf, record, hash };
  }

  /** Stage 3: the policy decides on the loaded replica, as `explain` does. */
  async function decideOn<R>(l: LoadedCall<R>): Promise<Decided<R> | FailoverOutcome> {
    const refuse = refuser(l.record);
    if (!l.subject) return refuse(l.driver.requested(l.request), FAILOVER_RULE.unknown, notFound());
    const replicaSubject = { type: 'Replica', id: l.subject.replica.id };
    const verdict = l.driver.decide(l.policy, l.subject, l.request);
    if (!verdict.allowed) return refuse(replicaSubject, verdict.rule, verdict.refusal);
    return { ...l, subject: l.subject, replicaSubject, decision: verdict.decision };
  }

  /** Stage 4: the upstream's fresh word on the subject (never the cache's). */
  async function checkUpstreamOf<R>(d: Decided<R>): Promise<Checked<R> | FailoverOutcome> {
    const check = await d.driver.check(d.subject, d.request, d.started);
    if (check.ok) return { ...d, facts: check.facts };
    if (check.cause) logger.warn({ requestId: d.caller.origin.requestId, code: check.refusal.code, err: check.cause }, `${d.driver.upstreamName} failed the fresh check of an operation`);
    // The upstream may see the replica busy because of an operation that raced this call past the checks above:
    // that operation is this call's own (same key) or another one in progress, which is what the caller must hear.
    const raced = await racedBy(d.actor.subject, d.key, d.subject.replica.id, d.started);
    if (raced?.type === 'own') return replay(raced.operation, d.hash, d.record);
    const refuse = refuser(d.record);
    if (raced?.type === 'other') return refuse(d.replicaSubject, FAILOVER_RULE.inProgress, inProgress(raced.operationId));
    return refuse(d.replicaSubject, FAILOVER_RULE.upstream(check.refusal.code), check.refusal);
  }

  /** A dry run ends after the checks: audited as allowed, nothing claimed or sent. */
  async function dryRun<R>(c: Checked<R>): Promise<FailoverOutcome> {
    await c.record(c.replicaSubject, true, c.decision.rule, c.decision.reason);
    return { type: 'dryRun', plan: c.driver.plan(c.subject, c.request, c.facts, c.decision) };
  }

  /**
   * Stage 5: the durable claim: the operation and the replica's one active slot (whatever the action), or the reason there is none.
   * The decision is on the record in the claim's own transaction, before anything is sent.
   */
  async function claim<R>(c: Checked<R>): Promise<Claimed<R> | FailoverOutcome> {
    const { subject, actor, key } = c;
    const claimed = await store.claim(
      {
        action: c.call.action,
        kind: subject.replica.kind,
        replicaId: subject.replica.id,
        replicaEmKey: subject.replica.emKey,
        replicaName: subject.replica.name,
        backupServerId: subject.replica.backupServerId,
        ...c.driver.draft(subject, c.request, c.facts),
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
      (operation) => c.entryOf(c.replicaSubject, true, c.decision.rule, c.decision.reason, { operationId: operation.id }),
    );
    if (claimed.type === 'keyTaken') return replay(claimed.operation, c.hash, c.record);
    if (claimed.type === 'busy') return refuser(c.record)(c.replicaSubject, FAILOVER_RULE.inProgress, inProgress(claimed.operationId));
    return { ...c, operation: claimed.operation };
  }

  /** Stage 6: on the record, then sent once; duplicates in this process wait on it. */
  async function dispatch<R>(c: Claimed<R>): Promise<FailoverOutcome> {
    const settled = dispatchClaimed(c);
    inFlight.set(c.operation.id, settled);
    try {
      return await settled;
    } finally {
      inFlight.delete(c.operation.id);
    }
  }

  /** Sends the request once, and stores what the upstream answered. */
  async function dispatchClaimed<R>(c: Claimed<R>): Promise<FailoverOutcome> {
    const { operation, driver } = c;
    const requestId = c.caller.origin.requestId;
    const result: DispatchResult = await driver.dispatch(c.subject, c.request, c.facts, c.reason).catch(async (error: unknown): Promise<DispatchResult> => {
      // Not an upstream error: a bug. Whether the request left is unknown, so it is reconciled like a lost answer.
      logger.error({ err: error, requestId, operationId: operation.id }, 'dispatch failed unexpectedly');
      return { type: 'unknown', message: UPSTREAM_MESSAGE.dispatchFailed, cause: error };
    });
    const at = now();
    switch (result.type) {
      case 'accepted':
        return { type: 'started', operation: await store.running({ id: operation.id, accepted: result.accepted, at, sequence: operation.sequence }), replayed: false };
      case 'unknown': {
        logger.warn({ requestId, operationId: operation.id, err: result.cause }, `outcome unknown; reconciling from ${driver.upstreamName}, never resending`);
        return { type: 'started', operation: await store.outcomeUnknown(operation.id, result.message, at), replayed: false };
      }
      case 'refused': {
        if (result.cause) logger.warn({ requestId, operationId: operation.id, code: result.refusal.code, err: result.cause }, `${driver.upstreamName} did not start the operation`);
        await store.notStarted(operation.id, result.refusal, at);
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
      const message = 'This idempotency key was used for a different request; use a new key for a new request';
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

  return {
    failover: (caller, { target, ...call }) => run(emDriver, caller, { ...call, action: 'FAILOVER', request: target }),
    act: (caller, call) => run(lifecycleDriver, caller, call),
    isDispatching: (id) => inFlight.has(id),
  };
}

/** What stage 1 proved: well-formed input. */
interface Validated<R> {
  driver: Driver<R>;
  caller: FailoverCaller;
  call: OperationCall<R>;
  request: R;
  reason: string | null;
  /** Null for a dry run or when none was given. */
  key: string | null;
  started: Date;
}

/** What stage 2 loaded: the caller's policy, the target (null: unknown) and how to record decisions. */
interface LoadedCall<R> extends Validated<R> {
  policy: Policy;
  actor: FailoverActor;
  subject: FailoverSubject | null;
  /** The audit entry of a decision on this call. */
  entryOf: DecisionEntryOf;
  /** Appends it. */
  record: RecordDecision;
  hash: string;
}

/** Stage 3: the policy allows it on a known replica of the right kind. */
interface Decided<R> extends LoadedCall<R> {
  subject: FailoverSubject;
  replicaSubject: DecisionSubject;
  decision: Decision;
}

/** Stage 4: the upstream agrees now. */
interface Checked<R> extends Decided<R> {
  facts: Facts;
}

/** Stage 5: the operation holds the replica. */
interface Claimed<R> extends Checked<R> {
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
type DecisionEntryOf = (subject: DecisionSubject, allowed: boolean, rule: string, why: string, extra?: Record<string, unknown>) => AuditEntryInput;
type RecordDecision = (...decision: Parameters<DecisionEntryOf>) => Promise<unknown>;

const inProgress = (operationId: string | null): FailoverRefusal => ({ code: 'FAILOVER_IN_PROGRESS', message: 'Another failover of this replica is in progress', operationId });
