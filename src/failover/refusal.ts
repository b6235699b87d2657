import { isRefusalCode, REFUSALS } from '../operations/refusals.js';
import type { FailoverOperation, FailoverRefusal } from './types.js';

/**
 * The refusal a NOT_STARTED operation stored (its code in `result`), for a
 * duplicate that waited on it: the code and message as stored, the other
 * fields as the table says a replay knows them. A code the table does not
 * know (an upstream's own result) reads as the upstream's refusal.
 */
export function refusalFromOperation(operation: FailoverOperation): FailoverRefusal {
  const message = operation.message ?? 'The operation was not started';
  const code = isRefusalCode(operation.result) ? operation.result : 'UPSTREAM_REJECTED';
  return { code, message, ...REFUSALS[code].whenReplayed } as FailoverRefusal;
}
