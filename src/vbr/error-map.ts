import { TransportError, type HttpResponse } from '../http-client/exchange.js';
import {
  VbrForbiddenError,
  VbrNotFoundError,
  VbrNotImplementedError,
  VbrOutcomeUnknownError,
  VbrRejectedError,
  VbrUnauthenticatedError,
  VbrUnavailableError,
  type VbrError,
  type VbrErrorDetails,
} from './errors.js';
import { errorBody } from './wire.js';

type ErrorClass = new (message: string, details?: VbrErrorDetails) => VbrError;

/** Status → class; 5xx and 429 are unavailable, any other 4xx rejected. */
const BY_STATUS: Record<number, ErrorClass> = {
  401: VbrUnauthenticatedError,
  403: VbrForbiddenError,
  404: VbrNotFoundError,
  429: VbrUnavailableError,
};

/**
 * Maps a VBR error answer (status ≥ 400) to its typed error. For a changing
 * call, a 5xx other than 503 is outcome unknown: VBR (or a proxy in front of
 * it) may have acted before failing, and VBR documents its internal errors as
 * 500. A 503 or 429 declined the request, and any 4xx refused it: nothing was
 * started.
 */
export function errorFor(method: string, url: string, res: HttpResponse, changing = false): VbrError {
  const body = errorBody(res.body);
  const details: VbrErrorDetails = { ...body, status: res.status, method, url };
  const message = body.message ?? `VBR answered HTTP ${res.status}${body.errorCode ? ` (${body.errorCode})` : ''}`;
  if (res.status === 400 && body.errorCode === 'NotImplemented') return new VbrNotImplementedError(message, details);
  if (changing && res.status >= 500 && res.status !== 503) {
    return new VbrOutcomeUnknownError(`${message}; the request may have been carried out: reconcile before retrying`, details);
  }
  const cls = BY_STATUS[res.status] ?? (res.status >= 500 ? VbrUnavailableError : VbrRejectedError);
  return new cls(message, details);
}

/**
 * No answer. For a changing call that may have been sent, the outcome is
 * unknown; anything else is unavailable (nothing was carried out, or a read
 * may be sent again).
 */
export function transportFailure(method: string, url: string, e: unknown, changing: boolean): VbrError {
  if (!(e instanceof TransportError)) return new VbrUnavailableError(`VBR call failed: ${e instanceof Error ? e.message : String(e)}`, { method, url, cause: e });
  const details = { method, url, cause: e };
  if (changing && e.sent) return new VbrOutcomeUnknownError(`no answer from VBR (${e.message}); the request may have been carried out: reconcile before retrying`, details);
  return new VbrUnavailableError(`VBR is unavailable: ${e.message}`, details);
}

/** Worth sending again: unavailable, except a refused TLS handshake (the certificate will not change by waiting). */
export function isRetryable(e: unknown): boolean {
  return e instanceof VbrUnavailableError && !(e.cause instanceof TransportError && e.cause.reason === 'tls');
}
