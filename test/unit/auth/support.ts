import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import type { AuthConfig, AuthOptions } from '../../../src/auth/index.js';

export const SECRET = 'test-secret-test-secret-test-secret-0123';
export const secretKey = new TextEncoder().encode(SECRET);

export function hsOptions(overrides: Partial<AuthOptions> = {}): AuthOptions {
  return {
    issuer: 'https://issuer.test',
    audience: 'gateway-test',
    algorithm: 'HS256',
    clockToleranceSeconds: 30,
    subjectClaim: 'sub',
    groupsClaim: 'groups',
    key: { kind: 'secret', secret: secretKey, origin: 'configured' },
    ...overrides,
  };
}

/** A token with the usual claims, every part overridable; `exp` in seconds from now unless given. */
export async function hsToken(
  claims: JWTPayload = {},
  { alg = 'HS256', key = secretKey, expiresIn = 600 }: { alg?: string; key?: Uint8Array | CryptoKey; expiresIn?: number | null } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { iss: 'https://issuer.test', aud: 'gateway-test', sub: 'alice', groups: ['ops'], iat: now, ...claims };
  if (expiresIn !== null && !('exp' in claims)) payload.exp = now + expiresIn;
  return new SignJWT(payload).setProtectedHeader({ alg }).sign(key);
}

/** Settings as the gateway would resolve them, for a data folder of the test's own. */
export function authConfig(dataDir: string, overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    mode: 'development',
    dataDir,
    jwtIssuer: undefined,
    jwtAudience: undefined,
    jwtSecret: undefined,
    jwtJwksUrl: undefined,
    jwtAlgorithm: undefined,
    jwtClockToleranceSeconds: 30,
    jwtSubjectClaim: 'sub',
    jwtGroupsClaim: 'groups',
    ...overrides,
  };
}

export function tempDir() {
  const made: string[] = [];
  return {
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), 'fg-auth-'));
      made.push(dir);
      return dir;
    },
    cleanup: () => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })),
  };
}
