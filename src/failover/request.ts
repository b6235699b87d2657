import { createHash } from 'node:crypto';
import type { CdpTarget, FailoverTargetRequest } from './types.js';

/** Input the gateway refuses before looking anything up: BAD_USER_INPUT, nothing changed. */
export class FailoverInputError extends Error {
  override readonly name = 'FailoverInputError';
  constructor(
    /** The input field at fault, inside the FailoverInput member (e.g. `reason`, `target.pointInTime`) unless `argument`. */
    readonly field: string,
    message: string,
    /** The validation problem, as the audit entry's rule names it (`validation.<problem>`). */
    readonly problem: string,
    /** True when `field` is a mutation argument (idempotencyKey) rather than a field of the member. */
    readonly argument = false,
  ) {
    super(message);
  }

  /** The field's path from the mutation's arguments, e.g. `cdpVmReplica.target.pointInTime`. */
  pathIn(member: string): string {
    return this.argument ? this.field : `${member}.${this.field}`;
  }
}

export interface ReasonPolicy {
  /** Refuse a failover without a reason. Default: false. */
  required: boolean;
  /** Longest reason accepted, in characters. Default: 1,000. */
  maxLength: number;
}

// C0 and C1 controls other than tab and line feed, every bidirectional control (Unicode's Bidi_Control:
// embeddings, overrides, isolates and the LRM, RLM and ALM marks; any of them makes an audit line read
// differently from what it stores), and unpaired surrogates (not storable as text).
const UNSAFE_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\p{Bidi_Control}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** The caller's reason, trimmed (null when empty), or a FailoverInputError. */
export function normaliseReason(raw: string | null | undefined, policy: ReasonPolicy): string | null {
  const reason = raw?.trim() ?? '';
  if (reason === '') {
    if (policy.required) throw new FailoverInputError('reason', 'This gateway requires a reason for every failover', 'reason-required');
    return null;
  }
  if (UNSAFE_TEXT.test(reason)) {
    throw new FailoverInputError('reason', 'The reason contains control or bidirectional control characters; only printable text, tabs and line breaks are accepted', 'reason-characters');
  }
  const length = [...reason].length;
  if (length > policy.maxLength) {
    throw new FailoverInputError('reason', `The reason is ${length} characters long; at most ${policy.maxLength} are accepted`, 'reason-too-long');
  }
  return reason;
}

const KEY = /^[\x21-\x7E]{1,255}$/;

/**
 * The idempotency key from the mutation argument or the Idempotency-Key header.
 * Both may be given only when they agree: a client sending two different keys has a bug worth surfacing.
 */
export function normaliseIdempotencyKey(argument: string | null | undefined, header: string | null | undefined): string | null {
  const fromArgument = argument ?? null;
  const fromHeader = header?.trim() || null;
  if (fromArgument !== null && fromHeader !== null && fromArgument !== fromHeader) {
    throw new FailoverInputError('idempotencyKey', 'The idempotencyKey argument and the Idempotency-Key header differ; send one key', 'idempotency-key-conflict', true);
  }
  const key = fromArgument ?? fromHeader;
  if (key !== null && !KEY.test(key)) {
    throw new FailoverInputError('idempotencyKey', 'An idempotency key is 1 to 255 visible ASCII characters (a UUID is a good choice)', 'idempotency-key-malformed', true);
  }
  return key;
}

/** How far ahead of this gateway's clock a point in time may lie before it counts as "in the future". */
const CLOCK_SKEW_MS = 5_000;

/** Rejects a point in time in the future: nothing replicated there yet, whatever the history says. */
export function checkCdpTarget(target: CdpTarget, now: Date): void {
  if (target.kind === 'pointInTime' && target.at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new FailoverInputError('target.pointInTime', `The point in time ${target.at.toISOString()} is in the future`, 'point-in-time-future');
  }
}

/**
 * SHA-256 of the request as normalised: target and reason. A key sent again with
 * an equal hash is a retry; with another hash, a different request.
 */
export function requestHash(target: FailoverTargetRequest, reason: string | null): string {
  const cdp = 'target' in target ? { target: target.target.kind, at: target.target.kind === 'pointInTime' ? target.target.at.toISOString() : null } : {};
  const object = 'restorePointId' in target ? { restorePointId: target.restorePointId } : { replicaId: target.replicaId };
  return createHash('sha256').update(JSON.stringify({ kind: target.kind, ...object, ...cdp, reason })).digest('hex');
}

/** A CDP target as stored on the operation and shown in the audit log. */
export function describeTarget(target: CdpTarget): { cdpTarget: string; cdpTargetAt: Date | null } {
  return { cdpTarget: target.kind, cdpTargetAt: target.kind === 'pointInTime' ? target.at : null };
}
