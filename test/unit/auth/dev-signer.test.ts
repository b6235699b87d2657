import { existsSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  createDevSigner,
  createTokenVerifier,
  DEMO_ACCOUNTS,
  DevSignerRefused,
  devSecretPath,
  mintDemoToken,
  resolveAuthOptions,
} from '../../../src/auth/index.js';
import { authConfig, hsOptions, tempDir } from './support.js';

const dirs = tempDir();
afterAll(dirs.cleanup);
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('development signer', () => {
  it('refuses production mode, by setting or by NODE_ENV', async () => {
    expect(() => createDevSigner({ mode: 'production', auth: hsOptions() })).toThrow(DevSignerRefused);
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => createDevSigner({ mode: 'development', auth: hsOptions() })).toThrow(/production/);
    await expect(mintDemoToken(authConfig(dirs.make()), 'admin')).rejects.toThrow(DevSignerRefused);
  });

  it('refuses to mint where production is configured, before creating any secret', async () => {
    const dataDir = dirs.make();
    await expect(mintDemoToken(authConfig(dataDir, { mode: 'production' }), 'admin')).rejects.toThrow(/production/);
    expect(existsSync(devSecretPath(dataDir))).toBe(false);
  });

  it('refuses a gateway that verifies with a JWKS: it has no private key', () => {
    expect(() => createDevSigner({ mode: 'development', auth: { ...hsOptions(), algorithm: 'RS256', key: { kind: 'jwks', url: new URL('https://idp.test/jwks') } } })).toThrow(/JWT_JWKS_URL/);
  });

  it('mints demo tokens that a gateway on the same data folder accepts', async () => {
    const config = authConfig(dirs.make());
    const verifier = createTokenVerifier(resolveAuthOptions(config));
    for (const account of Object.keys(DEMO_ACCOUNTS)) {
      const principal = await verifier.verify(await mintDemoToken(config, account));
      expect(principal.subject).toBe(account);
      expect(principal.groups).toEqual([]);
      expect(principal.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 3600_000);
    }
  });

  it('is not accepted by a gateway on another data folder', async () => {
    const token = await mintDemoToken(authConfig(dirs.make()), 'admin');
    const other = createTokenVerifier(resolveAuthOptions(authConfig(dirs.make())));
    await expect(other.verify(token)).rejects.toMatchObject({ failure: 'invalid' });
  });

  it('refuses an account that is not a demo account', async () => {
    await expect(mintDemoToken(authConfig(dirs.make()), 'root')).rejects.toThrow(/admin, operator, portal-user, nobody/);
  });

  it('honours the configured claim names and lifetime', async () => {
    const auth = hsOptions({ subjectClaim: 'upn', groupsClaim: 'roles' });
    const signer = createDevSigner({ mode: 'test', auth });
    const principal = await createTokenVerifier(auth).verify(await signer.sign({ subject: 'dave', groups: ['ops'] }, 120));
    expect(principal).toMatchObject({ subject: 'dave', groups: ['ops'] });
    expect(principal.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 121_000);
  });
});
