import { describe, expect, it } from 'vitest';
import { EmForbiddenError, EmNotFoundError, EmOutcomeUnknownError, EmRejectedError, EmSessionExpiredError, EmUnauthenticatedError, EmUnavailableError } from '../../../src/em/index.js';
import { classify } from '../../../src/failover/dispatch.js';
import { refusalFor } from '../../../src/failover/upstream-check.js';

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

describe('what the caller is told when EM fails', () => {
  const url = 'http://10.1.2.3:9398/api/vmReplicaPoints/0f6c/replica?format=Entity';
  const text = (status: number) => `EM answered ${status} to GET ${url}: Replica 'db01' on host esx07.corp.example:443 is in state 'Failover'`;
  const errors = [
    new EmOutcomeUnknownError(`No answer to POST ${url} (socket hang up)`, { url }),
    new EmUnavailableError(`EM is unavailable: POST ${url}: connect ECONNREFUSED 10.1.2.3:9398`, { url }),
    new EmUnavailableError(text(503), { url, status: 503 }),
    new EmUnavailableError(text(500), { url, status: 500 }),
    new EmSessionExpiredError(text(401), { url, status: 401 }),
    new EmUnauthenticatedError(`EM refused the logon of 'svc': ${url}`, { url, status: 401 }),
    new EmNotFoundError(text(404), { url, status: 404 }),
    new EmForbiddenError(text(403), { url, status: 403, emMessage: 'Access denied' }),
    new EmRejectedError(text(400), { url, status: 400, emMessage: "Failover is not possible: the replica is in state 'Failover'" }),
    new EmRejectedError(text(400), { url, status: 400, emMessage: 'The point in time is outside the intervals' }),
    new EmRejectedError(text(405), { url, status: 405, emMessage: 'Method not allowed' }),
  ];
  const leaks = /10\.1\.2\.3|9398|\/api\/|format=|esx07|Failover'|Access denied|Method not allowed|socket hang up|ECONNREFUSED/;

  it.each(errors.map((error) => [`${error.kind} ${error.status ?? ''}`, error] as const))('a failover POST failing with %s: plain words, EM\'s error kept as the cause for the log', (_label, error) => {
    const result = classify(error);
    if (result.type === 'accepted') throw new Error('a failure cannot be accepted');
    const message = result.type === 'refused' ? result.refusal.message : result.message;
    expect(message).toMatch(/Enterprise Manager/);
    expect(message).not.toMatch(leaks);
    expect(result.cause).toBe(error);
  });

  it.each(errors.map((error) => [`${error.kind} ${error.status ?? ''}`, error] as const))('a fresh read failing with %s: plain words', (_label, error) => {
    const refusal = refusalFor(error);
    expect(refusal.message).toMatch(/Enterprise Manager/);
    expect(refusal.message).not.toMatch(leaks);
  });
});
