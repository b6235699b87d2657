import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config.js';
import { DEV_AUDIENCE, DEV_ISSUER, devSecretPath, resolveAuthOptions } from '../../../src/auth/index.js';
import { authConfig, tempDir } from './support.js';

const dirs = tempDir();
afterAll(dirs.cleanup);

describe('auth settings', () => {
  it('outside production, defaults to the development issuer, audience, HS256 and a secret kept in the data folder', () => {
    const dataDir = dirs.make();
    const first = resolveAuthOptions(authConfig(dataDir));
    expect(first).toMatchObject({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithm: 'HS256', key: { kind: 'secret', origin: 'development' } });
    expect(statSync(devSecretPath(dataDir)).mode & 0o777).toBe(0o600);
    const again = resolveAuthOptions(authConfig(dataDir, { mode: 'test' }));
    expect(again.key).toEqual(first.key);
    const elsewhere = resolveAuthOptions(authConfig(dirs.make()));
    expect(elsewhere.key).not.toEqual(first.key);
  });

  it('uses JWT_SECRET when set and writes no development secret', () => {
    const dataDir = dirs.make();
    const options = resolveAuthOptions(authConfig(dataDir, { jwtSecret: 'x'.repeat(40), jwtAlgorithm: 'HS512' }));
    expect(options.key).toEqual({ kind: 'secret', secret: new TextEncoder().encode('x'.repeat(40)), origin: 'configured' });
    expect(options.algorithm).toBe('HS512');
    expect(() => statSync(devSecretPath(dataDir))).toThrow();
  });

  it('refuses a damaged development secret with a way out', () => {
    const dataDir = dirs.make();
    writeFileSync(devSecretPath(dataDir), 'short\n');
    expect(() => resolveAuthOptions(authConfig(dataDir))).toThrow(/delete the file/);
  });

  it('in production, needs issuer, audience and a key, and names what is missing', () => {
    const dataDir = dirs.make();
    expect(() => resolveAuthOptions(authConfig(dataDir, { mode: 'production' }))).toThrow(ConfigError);
    expect(() => resolveAuthOptions(authConfig(dataDir, { mode: 'production', jwtIssuer: 'i', jwtSecret: 's'.repeat(32) }))).toThrow(/JWT_AUDIENCE/);
    expect(() => resolveAuthOptions(authConfig(dataDir, { mode: 'production', jwtIssuer: 'i', jwtAudience: 'a' }))).toThrow(/JWT_JWKS_URL or JWT_SECRET/);
    expect(() => statSync(devSecretPath(dataDir))).toThrow();
    const ok = resolveAuthOptions(authConfig(dataDir, { mode: 'production', jwtIssuer: 'i', jwtAudience: 'a', jwtJwksUrl: 'https://idp.test/jwks' }));
    expect(ok).toMatchObject({ issuer: 'i', audience: 'a', algorithm: 'RS256', key: { kind: 'jwks', url: new URL('https://idp.test/jwks') } });
  });

  it('refuses both keys at once and an algorithm that does not fit the key', () => {
    const dataDir = dirs.make();
    expect(() => resolveAuthOptions(authConfig(dataDir, { jwtSecret: 's'.repeat(32), jwtJwksUrl: 'https://idp.test/jwks' }))).toThrow(/not both/);
    expect(() => resolveAuthOptions(authConfig(dataDir, { jwtAlgorithm: 'RS256' }))).toThrow(/needs JWT_JWKS_URL/);
    expect(() => resolveAuthOptions(authConfig(dataDir, { jwtJwksUrl: 'https://idp.test/jwks', jwtAlgorithm: 'HS256' }))).toThrow(/needs JWT_SECRET/);
  });

  it('keeps the development secret out of the repository: it is random per data folder', () => {
    const dataDir = dirs.make();
    resolveAuthOptions(authConfig(dataDir));
    expect(readFileSync(devSecretPath(dataDir), 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
