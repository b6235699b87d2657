/**
 * Typed VBR REST failures. `kind` discriminates them; each kind also has its
 * own class for `instanceof`. `errorCode`, `resourceId` and the message come
 * from VBR's `{errorCode, message, resourceId}` body when it sent one; the
 * message never names the URL. `status`, `method` and `url` are for logs, not
 * for callers to show or branch on.
 */
export type VbrErrorKind = 'not_found' | 'forbidden' | 'unauthenticated' | 'unavailable' | 'rejected' | 'outcome_unknown' | 'not_implemented';

export interface VbrErrorDetails {
  /** Error.errorCode (AccessDenied, NotFound, NotImplemented, …), when VBR answered with one. */
  errorCode?: string;
  /** Error.resourceId, when VBR named the object involved. */
  resourceId?: string;
  /** HTTP status, when VBR answered. */
  status?: number;
  method?: string;
  url?: string;
  cause?: unknown;
}

export abstract class VbrError extends Error {
  abstract readonly kind: VbrErrorKind;
  readonly errorCode?: string;
  readonly resourceId?: string;
  readonly status?: number;
  readonly method?: string;
  readonly url?: string;

  constructor(message: string, details: VbrErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.errorCode = details.errorCode;
    this.resourceId = details.resourceId;
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
  }
}

/** 404: the object does not exist (`resourceId` names it). */
export class VbrNotFoundError extends VbrError {
  readonly kind = 'not_found';
}

/** 403: the account's role may not do this (e.g. a Restore Operator reading /license). */
export class VbrForbiddenError extends VbrError {
  readonly kind = 'forbidden';
}

/** The password logon was refused, or a call was refused (401) again right after a fresh token. */
export class VbrUnauthenticatedError extends VbrError {
  readonly kind = 'unauthenticated';
}

/**
 * Unreachable, timed out, TLS refused, 5xx or 429, or an answer that cannot be
 * read; reads already retried. For a changing POST only what proves nothing
 * was started: no connection, 503 or 429.
 */
export class VbrUnavailableError extends VbrError {
  readonly kind = 'unavailable';
}

/** VBR refused the request (400, 405, …), or the client refused bad input before sending it. */
export class VbrRejectedError extends VbrError {
  readonly kind = 'rejected';
}

/**
 * A changing POST may have reached VBR but no usable answer came: a timeout or
 * dropped connection, a 5xx other than 503, or a success whose body cannot be
 * read. It may or may not have been carried out: reconcile (read the state it
 * would have changed, or its sessions) instead of resending.
 */
export class VbrOutcomeUnknownError extends VbrError {
  readonly kind = 'outcome_unknown';
}

/**
 * The revision in use lacks the endpoint (refused before sending), VBR
 * answered 400 NotImplemented, or the server speaks none of the revisions this
 * client does (or not the pinned one).
 */
export class VbrNotImplementedError extends VbrError {
  readonly kind = 'not_implemented';
}

export function isVbrError(e: unknown, kind?: VbrErrorKind): e is VbrError {
  return e instanceof VbrError && (kind === undefined || e.kind === kind);
}
