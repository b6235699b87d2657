import { describe, expect, it } from 'vitest';
import { EmForbiddenError, EmNotFoundError, EmOutcomeUnknownError, EmRejectedError, EmSessionExpiredError, EmUnauthenticatedError, EmUnavailableError } from '../../../src/em/index.js';
import { classify } from '../../../src/failover/dispatch.js';

describe('what a failed failover POST proves', () => {
  it('a lost answer and a 5xx other than 503 may have started it: reconcile, never resend', () => {
    expect(classify(new EmOutcomeUnknownError('timeout after send')).type).toBe('unknown');
    for (const status of [500, 502, 504]) expect(classify(new EmUnavailableError('boom', { status })).type).toBe('unknown');
  });

  it('a refused connection, a 503 and a refused logon started nothing', () => {
    for (const error of [new EmUnavailableError('ECONNREFUSED'), new EmUnavailableError('busy', { status: 503 }), new EmSessionExpiredError('401 twice'), new EmUnauthenticatedError('bad password')]) {
      const result = classify(error);
      expect(result).toMatchObject({ type: 'refused', refusal: { code: 'UPSTREAM_UNAVAILABLE' } });
    }
  });

  it("maps EM's refusals to the caller's codes, keeping EM's words", () => {
    expect(classify(new EmNotFoundError('404'))).toMatchObject({ refusal: { code: 'NOT_FOUND' } });
    expect(classify(new EmRejectedError('400', { status: 400, emMessage: "Failover is not possible: the replica is in state 'Failover'" }))).toMatchObject({
      refusal: { code: 'REPLICA_NOT_READY' },
    });
    expect(classify(new EmRejectedError('400', { status: 400, emMessage: 'No application-consistent restore point is available for this replica' }))).toMatchObject({
      refusal: { code: 'INVALID_RESTORE_TARGET' },
    });
    expect(classify(new EmForbiddenError('403', { status: 403, emMessage: 'Access denied' }))).toMatchObject({ refusal: { code: 'UPSTREAM_REJECTED', emMessage: 'Access denied' } });
    expect(classify(new EmRejectedError('405', { status: 405, emMessage: 'Method not allowed' }))).toMatchObject({ refusal: { code: 'UPSTREAM_REJECTED' } });
  });
});
