import { ConfigError, type Config } from '../config/config.js';
import { loadOrCreateDevSecret } from './dev-secret.js';

export type JwtAlgorithm = NonNullable<Config['jwtAlgorithm']>;

/** How signatures are checked: a shared HMAC secret, or the issuer's published key set. */
export type VerificationKey =
  | { kind: 'secret'; secret: Uint8Array; /** Where it came from: JWT_SECRET, or the data folder's development secret. */ origin: 'configured' | 'development' }
  | { kind: 'jwks'; url: URL };

/** Everything token verification needs, resolved from the settings. */
export interface AuthOptions {
  /** Required `iss`. */
  issuer: string;
  /** Required `aud` (one of the token's audiences). */
  audience: string;
  /** The one accepted `alg`; anything else (including `none`) is refused. */
  algorithm: JwtAlgorithm;
  /** Allowed skew on exp/nbf, in seconds. */
  clockToleranceSeconds: number;
  /** Claim holding the subject. */
  subjectClaim: string;
  /** Claim holding the groups. */
  groupsClaim: string;
  key: VerificationKey;
}

/** The settings auth reads. */
export type AuthConfig = Pick<
  Config,
  | 'mode'
  | 'dataDir'
  | 'jwtIssuer'
  | 'jwtAudience'
  | 'jwtSecret'
  | 'jwtJwksUrl'
  | 'jwtAlgorithm'
  | 'jwtClockToleranceSeconds'
  | 'jwtSubjectClaim'
  | 'jwtGroupsClaim'
>;

/** Issuer and audience of development tokens (and the defaults outside production). */
export const DEV_ISSUER = 'failover-gateway-dev';
export const DEV_AUDIENCE = 'failover-gateway';

const isHmac = (algorithm: JwtAlgorithm): boolean => algorithm.startsWith('HS');

/**
 * Resolves the auth settings, applying the development defaults outside
 * production. In development and test without JWT_SECRET or JWT_JWKS_URL, this
 * reads (or creates) the data folder's development secret. Throws ConfigError
 * for production without issuer, audience and key, for both keys at once, and
 * for an algorithm that does not fit the key.
 */
export function resolveAuthOptions(config: AuthConfig): AuthOptions {
  const production = config.mode === 'production';
  if (production) {
    const missing = [
      config.jwtIssuer ? undefined : 'JWT_ISSUER',
      config.jwtAudience ? undefined : 'JWT_AUDIENCE',
      config.jwtSecret || config.jwtJwksUrl ? undefined : 'JWT_JWKS_URL or JWT_SECRET',
    ].filter((name) => name !== undefined);
    if (missing.length > 0) {
      throw new ConfigError(`NODE_ENV=production needs ${missing.join(', ')}: the development token defaults only apply outside production`);
    }
  }
  if (config.jwtSecret && config.jwtJwksUrl) {
    throw new ConfigError('Set one of JWT_SECRET and JWT_JWKS_URL, not both');
  }
  const key: VerificationKey = config.jwtJwksUrl
    ? { kind: 'jwks', url: new URL(config.jwtJwksUrl) }
    : {
        kind: 'secret',
        secret: new TextEncoder().encode(config.jwtSecret ?? loadOrCreateDevSecret(config.dataDir)),
        origin: config.jwtSecret ? 'configured' : 'development',
      };
  const algorithm: JwtAlgorithm = config.jwtAlgorithm ?? (key.kind === 'secret' ? 'HS256' : 'RS256');
  if (key.kind === 'secret' && !isHmac(algorithm)) {
    throw new ConfigError(`JWT_ALGORITHM=${algorithm} needs JWT_JWKS_URL: a shared secret only signs HS256, HS384 or HS512`);
  }
  if (key.kind === 'jwks' && isHmac(algorithm)) {
    throw new ConfigError(`JWT_ALGORITHM=${algorithm} needs JWT_SECRET: a JSON Web Key Set holds public keys`);
  }
  return {
    issuer: config.jwtIssuer ?? DEV_ISSUER,
    audience: config.jwtAudience ?? DEV_AUDIENCE,
    algorithm,
    clockToleranceSeconds: config.jwtClockToleranceSeconds,
    subjectClaim: config.jwtSubjectClaim,
    groupsClaim: config.jwtGroupsClaim,
    key,
  };
}
