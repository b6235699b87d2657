import type { AuditEntryInput } from '../audit/index.js';
import { decide, type Action, type Decision, type PolicySubject } from '../policy/index.js';
import type { Caller } from './caller.js';
import type { GatewayContext } from './context.js';
import { forbidden } from './errors.js';

/** An audit entry for this operation's caller: actor, request id, client address and agent filled in. */
export function auditEntry(ctx: GatewayContext, caller: Caller | null, entry: Omit<AuditEntryInput, 'actor'>): AuditEntryInput {
  return {
    actor: caller
      ? { subject: caller.principal.subject, groups: caller.principal.groups, roles: caller.policy.rights.roles }
      : { subject: null },
    requestId: ctx.requestId,
    clientAddress: ctx.client.address,
    userAgent: ctx.client.userAgent,
    ...entry,
  };
}

export interface Guarded {
  caller: Caller;
  decision: Decision;
}

/**
 * Checks an administrative action. A denial is FORBIDDEN; when `audit` names
 * the action, the denial is recorded first (every decision on a change is on
 * the record, refused ones included).
 */
export async function authorize(
  ctx: GatewayContext,
  action: Action,
  subject: PolicySubject,
  audit?: { action: string; subject?: { type: string | null; id: string | null } },
): Promise<Guarded> {
  const caller = await ctx.caller();
  const decision = decide(caller.policy.ability, action, subject);
  if (!decision.allowed) {
    if (audit) {
      await ctx.services.audit.append(
        auditEntry(ctx, caller, { ...audit, decision: 'DENY', rule: decision.rule, reason: decision.reason }),
      );
    }
    throw forbidden(decision.reason, { rule: decision.rule });
  }
  return { caller, decision };
}
