/** ALLOW or DENY, as stored (the Prisma enum AuditDecision). */
export type AuditDecision = 'ALLOW' | 'DENY';

export const AUDIT_DECISIONS: readonly AuditDecision[] = ['ALLOW', 'DENY'];

/** Any value JSON can carry, as `details` holds it once normalised. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Who acted. A null subject is the gateway itself (e.g. the failover tracker). */
export interface AuditActor {
  subject: string | null;
  /** Default: []. */
  groups?: readonly string[];
  /** Default: []. */
  roles?: readonly string[];
}

/** What a caller records; the log adds seq, prevHash and hash. */
export interface AuditEntryInput {
  /** When it happened. Default: the time `append` is called. Stored with millisecond precision. */
  at?: Date;
  actor: AuditActor;
  /** e.g. `failover`, `account.update`. */
  action: string;
  subject?: { type: string | null; id: string | null } | null;
  decision: AuditDecision;
  /** The rule that decided. Default: null. */
  rule?: string | null;
  /** Why, as the rule states it. Default: null. */
  reason?: string | null;
  requestId?: string | null;
  clientAddress?: string | null;
  userAgent?: string | null;
  /** The reason text the caller gave (e.g. a failover's justification). */
  callerReason?: string | null;
  /**
   * Anything else, as JSON (before and after values of a change…). Taken as
   * `JSON.stringify` would write it: Dates become strings, undefined members
   * disappear. Default: null.
   */
  details?: unknown;
}

/** One stored entry: a row of audit_entry. */
export interface AuditEntry {
  /** Position in the chain: 1, 2, 3… with no gap. */
  seq: bigint;
  at: Date;
  actorSubject: string | null;
  actorGroups: string[];
  actorRoles: string[];
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  decision: AuditDecision;
  rule: string | null;
  reason: string | null;
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  callerReason: string | null;
  details: JsonValue | null;
  /** The previous entry's hash; GENESIS_HASH for seq 1. */
  prevHash: string;
  /** SHA-256 (lower-case hex) of the entry's canonical encoding. */
  hash: string;
}

/** An entry's fields before it is placed in the chain. */
export type UnchainedEntry = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** The last entry of a chain: record it elsewhere to pass as a later verify's anchor. */
export interface ChainHead {
  seq: bigint;
  hash: string;
}
