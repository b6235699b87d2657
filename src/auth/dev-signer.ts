import { SignJWT } from 'jose';
import type { AuthOptions, JwtAlgorithm } from './auth-options.js';

/**
 * The demo accounts of the embedded development setup. A token names only the
 * subject (and groups); the roles and scopes live in the seeded Account rows,
 * which the seeding code creates as USER accounts with these names.
 */
export const DEMO_ACCOUNTS = {
  /** Portal Administrator. */
  admin: { subject: 'admin', groups: [] },
  /** Restore Operator; scope: one vSphere cluster and one Cloud Director org VDC. */
  operator: { subject: 'operator', groups: [] },
  /** Portal User; scope: one vSphere folder and one tag. */
  'portal-user': { subject: 'portal-user', groups: [] },
  /** Signed in, no role: sees nothing. */
  nobody: { subject: 'nobody', groups: [] },
} as const satisfies Record<string, TokenIdentity>;

export type DemoAccount = keyof typeof DEMO_ACCOUNTS;

export const isDemoAccount = (name: string): name is DemoAccount => Object.hasOwn(DEMO_ACCOUNTS, name);

/** What a development token says about its bearer. */
export interface TokenIdentity {
  subject: string;
  groups: readonly string[];
}

/** Thrown when the development signer is asked to work where it must not. */
export class DevSignerRefused extends Error {
  override name = 'DevSignerRefused';
}

/** Throws in production (by the given mode or NODE_ENV), where no development token may be minted. */
export function refuseProduction(mode?: DevSignerOptions['mode']): void {
  if (mode === 'production' || process.env.NODE_ENV === 'production') {
    throw new DevSignerRefused('The development token signer does not run in production mode');
  }
}

export interface DevSigner {
  /** A signed token for the identity, valid for `ttlSeconds` (default: the signer's). */
  sign(identity: TokenIdentity, ttlSeconds?: number): Promise<string>;
}

export interface DevSignerOptions {
  /** The gateway's mode; production is refused. */
  mode: 'development' | 'production' | 'test';
  /** The gateway's verification settings: tokens are minted to pass exactly these checks. */
  auth: AuthOptions;
  /** Lifetime of a token, in seconds. Default: 8 hours. */
  ttlSeconds?: number;
}

const DEFAULT_TTL_SECONDS = 8 * 3600;

/**
 * Mints tokens the gateway accepts, with its own HMAC key. Refuses production
 * (by the given mode or NODE_ENV) and a JWKS setup (it has no private key).
 */
export function createDevSigner(options: DevSignerOptions): DevSigner {
  refuseProduction(options.mode);
  const { auth } = options;
  if (auth.key.kind !== 'secret') {
    throw new DevSignerRefused('The development token signer needs a shared secret; this gateway verifies tokens with JWT_JWKS_URL');
  }
  const secret = auth.key.secret;
  const algorithm: JwtAlgorithm = auth.algorithm;
  const defaultTtl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  return {
    async sign(identity, ttlSeconds = defaultTtl) {
      const claims: Record<string, unknown> = { [auth.groupsClaim]: [...identity.groups] };
      if (auth.subjectClaim !== 'sub') claims[auth.subjectClaim] = identity.subject;
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
        .setIssuer(auth.issuer)
        .setAudience(auth.audience)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`);
      if (auth.subjectClaim === 'sub') jwt.setSubject(identity.subject);
      return jwt.sign(secret);
    },
  };
}
