/**
 * THE table of refusals: every code a mutation's payload can carry. The
 * GraphQL `ErrorCode` enum, its error object types and the refusal a stored
 * operation replays derive from it. The data each refusal carries is the
 * `Refusal` union below; the GraphQL fields beyond code and message are
 * declared beside the types (src/graphql/refusal-types.ts).
 */
export interface RefusalSpec {
  /** The GraphQL object type (implements `Error`); null: a transport-level code only (a GraphQL error's `extensions.code`). */
  graphqlType: string | null;
  /** What the code means (the enum value's description). */
  meaning: string;
  /** What the error type says (its description). */
  description: string;
  /** The fields beyond code and message when a stored operation is replayed and only its code and message are known. */
  whenReplayed: Record<string, null | readonly never[]>;
}

export const REFUSALS = {
  UNAUTHENTICATED: {
    graphqlType: null,
    meaning: 'No valid bearer token (a GraphQL error, HTTP 401).',
    description: '',
    whenReplayed: {},
  },
  NOT_FOUND: {
    graphqlType: 'NotFoundError',
    meaning: 'No such object, or it is outside your restore scope: the two are indistinguishable.',
    description: 'No such replica or restore point, or it is outside your restore scope.',
    whenReplayed: {},
  },
  FORBIDDEN: {
    graphqlType: 'ForbiddenError',
    meaning: 'You may see the object but not do this to it (e.g. a kind your account may not fail over).',
    description: 'You may see the replica but not do this to it.',
    whenReplayed: { rule: null },
  },
  EDITION_NOT_SUPPORTED: {
    graphqlType: 'EditionNotSupportedError',
    meaning: "The backup server's edition does not allow failover (Enterprise or Enterprise Plus needed).",
    description: "The backup server's edition does not allow failover.",
    whenReplayed: { edition: null, backupServerId: null },
  },
  REPLICA_NOT_READY: {
    graphqlType: 'ReplicaNotReadyError',
    meaning: 'The replica is not Ready in EM.',
    description: 'The replica is not Ready in EM.',
    whenReplayed: { replicaState: null },
  },
  FAILOVER_IN_PROGRESS: {
    graphqlType: 'FailoverInProgressError',
    meaning: 'Another operation on this replica (a failover or any other action) is active.',
    description: 'Another operation on this replica is active.',
    whenReplayed: { operationId: null },
  },
  INVALID_RESTORE_TARGET: {
    graphqlType: 'InvalidRestoreTargetError',
    meaning: 'The restore point or CDP target does not exist (any more) for this replica.',
    description: "The target is not in the replica's history.",
    whenReplayed: { availableFrom: null, availableTo: null },
  },
  IDEMPOTENCY_KEY_REUSED: {
    graphqlType: 'IdempotencyKeyReusedError',
    meaning: 'The idempotency key belongs to a different request.',
    description: 'The idempotency key was used for a different request.',
    whenReplayed: {},
  },
  UPSTREAM_UNAVAILABLE: {
    graphqlType: 'UpstreamUnavailableError',
    meaning: 'Enterprise Manager or the backup server could not be reached; nothing was started. Safe to retry, same key included.',
    description: 'Enterprise Manager or the backup server could not be reached; nothing was started.',
    whenReplayed: {},
  },
  UPSTREAM_REJECTED: {
    graphqlType: 'UpstreamRejectedError',
    meaning: 'Enterprise Manager or the backup server refused the request; its message says why. Nothing was started.',
    description: 'Enterprise Manager or the backup server refused the request; nothing was started.',
    whenReplayed: { emMessage: null },
  },
  BAD_USER_INPUT: {
    graphqlType: 'BadUserInputError',
    meaning: 'The input is malformed: `field` names the culprit. Nothing changed.',
    description: 'The input is malformed; nothing changed.',
    whenReplayed: { field: null },
  },
  WRONG_REPLICA_STATE: {
    graphqlType: 'WrongReplicaStateError',
    meaning: "The replica's current state does not allow this action: `replicaState` says where it stands and `allowedActions` what it allows.",
    description: "The replica's state does not allow this action; nothing was started.",
    whenReplayed: { replicaState: null, allowedActions: [] },
  },
  ACTION_NOT_SUPPORTED: {
    graphqlType: 'ActionNotSupportedError',
    meaning: "No API offers this action for the replica's kind (CDP, Cloud Director and Hyper-V replicas): use the Veeam console.",
    description: "No API offers this action for this kind of replica; use the Veeam Backup & Replication console.",
    whenReplayed: { kind: null },
  },
} as const satisfies Record<string, RefusalSpec>;

export type ErrorCode = keyof typeof REFUSALS;
/** Codes a payload carries (every code but the transport-only ones). */
export type RefusalCode = Exclude<ErrorCode, 'UNAUTHENTICATED'>;

export const ERROR_CODES = Object.keys(REFUSALS) as ErrorCode[];
export const REFUSAL_CODES = ERROR_CODES.filter((code): code is RefusalCode => REFUSALS[code].graphqlType !== null);

export const isRefusalCode = (value: string | null): value is RefusalCode => value !== null && (REFUSAL_CODES as string[]).includes(value);
