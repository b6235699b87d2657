import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthOptions } from './auth-options.js';
import { AuthError } from './auth-error.js';
import type { Principal } from './principal.js';

/** Turns a bearer token into a principal, or throws AuthError. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export interface TokenVerifierDeps {
  /** Clock, for tests. Default: the system clock. */
  now?: () => Date;
}

/** How long fetched keys are trusted before the key set is fetched again. Default of jose: 10 minutes. */
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
/** A token naming an unknown key triggers a refetch at most this often (a rotated key is found, a flood is not forwarded). */
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_TIMEOUT_MS = 5_000;
/**
 * Verified tokens are remembered this long at most (never past their expiry), so a portal
 * sending the same token with every request pays for the signature check once a minute,
 * not on every request. Bounded, oldest first out.
 */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/**
 * One verifier per gateway: the remote key set is created once, so jose's
 * cache of fetched keys lives as long as the verifier.
 */
export function createTokenVerifier(options: AuthOptions, deps: TokenVerifierDeps = {}): TokenVerifier {
  const remote: JWTVerifyGetKey | undefined =
    options.key.kind === 'jwks'
      ? createRemoteJWKSet(options.key.url, {
          cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
          cooldownDuration: JWKS_COOLDOWN_MS,
          timeoutDuration: JWKS_TIMEOUT_MS,
        })
      : undefined;
  const secret = options.key.kind === 'secret' ? options.key.secret : undefined;
  const verifyOptions = {
    algorithms: [options.algorithm],
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockToleranceSeconds,
    // The principal carries the expiry (WebSockets close then): a token without one is refused.
    requiredClaims: ['exp'],
  };
  const verified = new Map<string, { principal: Principal; until: number }>();
  const clock = () => deps.now?.().getTime() ?? Date.now();
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known && known.until > clock()) return known.principal;
      verified.delete(token);
      let payload: JWTPayload;
      try {
        const now = deps.now?.();
        const checks = now ? { ...verifyOptions, currentDate: now } : verifyOptions;
        const result = remote ? await jwtVerify(token, remote, checks) : await jwtVerify(token, secret!, checks);
        payload = result.payload;
      } catch (error) {
        throw authErrorOf(error);
      }
      const principal = principalOf(payload, options);
      if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
      verified.set(token, { principal, until: Math.min(principal.expiresAt.getTime(), clock() + VERIFIED_TTL_MS) });
      return principal;
    },
  };
}

function principalOf(payload: JWTPayload, options: AuthOptions): Principal {
  const subject = claim(payload, options.subjectClaim);
  if (typeof subject !== 'string' || subject.trim() === '') {
    throw new AuthError('invalid', `The token has no "${options.subjectClaim}" claim naming the user`);
  }
  return { subject, groups: groupsOf(claim(payload, options.groupsClaim), options.groupsClaim), expiresAt: new Date(payload.exp! * 1000) };
}

function groupsOf(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  // Some issuers send a lone group as a string rather than a one-element list.
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((group) => typeof group !== 'string' || group === '')) {
    throw new AuthError('invalid', `The token's "${name}" claim must be a list of group names`);
  }
  return [...new Set(list as string[])];
}

/**
 * A claim by name; a dotted name that is not itself a claim reaches into nested
 * objects (Keycloak's `realm_access.roles`). Exact names win, so namespaced
 * claims such as `https://example.com/groups` keep working.
 */
function claim(payload: JWTPayload, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  if (!name.includes('.')) return undefined;
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function authErrorOf(error: unknown): AuthError {
  if (error instanceof errors.JWTExpired) return new AuthError('expired', 'The token has expired', { cause: error });
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new AuthError('malformed', 'The token is not a well-formed signed JWT', { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthError('invalid', 'The token is signed with an algorithm this gateway does not accept', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) return new AuthError('invalid', `The token's "${error.claim}" claim is not accepted`, { cause: error });
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JOSENotSupported) {
    return new AuthError('invalid', 'The token signature does not verify', { cause: error });
  }
  // Key set timeouts, HTTP errors and unreadable key sets: the issuer's side, not the token's.
  return new AuthError('unavailable', 'The token cannot be verified now: the issuer key set is unavailable', { cause: error });
}
