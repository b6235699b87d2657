import type { FailoverOperation, FailoverRefusal } from './types.js';

/** The refusal a NOT_STARTED operation stored (code in `result`), for a duplicate that waited on it. */
export function refusalFromOperation(operation: FailoverOperation): FailoverRefusal {
  const message = operation.message ?? 'The failover was not started';
  switch (operation.result) {
    case 'NOT_FOUND':
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'UPSTREAM_UNAVAILABLE':
      return { code: operation.result, message };
    case 'REPLICA_NOT_READY':
      return { code: 'REPLICA_NOT_READY', message, replicaState: operation.replicaState };
    case 'INVALID_RESTORE_TARGET':
      return { code: 'INVALID_RESTORE_TARGET', message, availableFrom: null, availableTo: null };
    default:
      return { code: 'UPSTREAM_REJECTED', message, emMessage: null };
  }
}
