/** Why a request is not authenticated; the message is safe to show the caller. */
export type AuthFailure =
  /** No bearer token at all. */
  | 'missing'
  /** Not a well-formed `Bearer <jwt>` / JWS. */
  | 'malformed'
  /** Signed correctly, but expired beyond the allowed clock skew. */
  | 'expired'
  /** Bad signature, algorithm, issuer, audience or claims. */
  | 'invalid'
  /** The issuer's key set cannot be fetched or read: not the caller's fault (503, not 401). */
  | 'unavailable';

/**
 * A request without a valid identity. HTTP maps it to 401 (`unavailable`:
 * 503); graphql-ws refuses the socket with 4403, whatever the failure; the
 * GraphQL layer maps it to `UNAUTHENTICATED`. The cause keeps jose's error for the logs.
 */
export class AuthError extends Error {
  override name = 'AuthError';
  readonly code = 'UNAUTHENTICATED';

  constructor(
    readonly failure: AuthFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
