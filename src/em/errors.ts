/**
 * Typed EM failures. `kind` discriminates them; each kind also has its own
 * class for `instanceof`. `retryable` says whether resending is safe and useful.
 */
export type EmErrorKind = 'not_found' | 'forbidden' | 'unauthenticated' | 'session_expired' | 'unavailable' | 'rejected' | 'outcome_unknown';

export interface EmErrorDetails {
  method?: string;
  url?: string;
  /** HTTP status, when EM answered. */
  status?: number;
  /** EM's Error.Message, when EM answered with one. */
  emMessage?: string;
  cause?: unknown;
}

export abstract class EmError extends Error {
  abstract readonly kind: EmErrorKind;
  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  readonly emMessage?: string;

  constructor(message: string, details: EmErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.emMessage = details.emMessage;
  }
}

/** 404: the object does not exist (or is not visible to this session, e.g. another session's task). */
export class EmNotFoundError extends EmError {
  readonly kind = 'not_found';
}

/** 403: the EM account may not do this (role, or edition of the backup server). */
export class EmForbiddenError extends EmError {
  readonly kind = 'forbidden';
}

/** Logon refused: wrong credentials or an account without an EM role. */
export class EmUnauthenticatedError extends EmError {
  readonly kind = 'unauthenticated';
}

/** 401 again right after logging on again: the session keeps being refused. */
export class EmSessionExpiredError extends EmError {
  readonly kind = 'session_expired';
}

/** EM is unreachable, timed out (on a read), or answered 5xx; reads already retried. */
export class EmUnavailableError extends EmError {
  readonly kind = 'unavailable';
}

/** EM refused the request (400, 405, …) with its message in `emMessage`. */
export class EmRejectedError extends EmError {
  readonly kind = 'rejected';
}

/**
 * A failover POST may have reached EM but no answer came (timeout or dropped
 * connection). The failover may or may not have started: reconcile (e.g.
 * findRestoreSessions) instead of resending.
 */
export class EmOutcomeUnknownError extends EmError {
  readonly kind = 'outcome_unknown';
}

export function isEmError(e: unknown, kind?: EmErrorKind): e is EmError {
  return e instanceof EmError && (kind === undefined || e.kind === kind);
}
