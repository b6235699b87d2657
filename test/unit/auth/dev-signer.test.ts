import { existsSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  createDevSigner,
  createTokenVerifier,
  DEMO_ACCOUNTS,
  DevSignerRefused,
  devSecretPath,
  mintDevToken,
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
    await expect(mintDevToken(authConfig(dirs.make()), DEMO_ACCOUNTS.admin)).rejects.toThrow(DevSignerRefused);
  });

  it('refuses to mint where production is configured, before creating any secret', async () => {
    const dataDir = dirs.make();
    await expect(mintDevToken(authConfig(dataDir, { mode: 'production' }), DEMO_ACCOUNTS.admin)).rejects.toThrow(/production/);
    expect(existsSync(devSecretPath(dataDir))).toBe(false);
  });

  it('refuses a gateway that verifies with a JWKS: it has no private key', () => {
    expect(() => createDevSigner({ mode: 'development', auth: { ...hsOptions(), algorithm: 'RS256', key: { kind: 'jwks', url: new URL('https://idp.test/jwks') } } })).toThrow(/JWT_JWKS_URL/);
  });

  it('mints demo tokens that a gateway on the same data folder accepts', async () => {
    const config = authConfig(dirs.make());
    const verifier = createTokenVerifier(resolveAuthOptions(config));
    for (const [account, identity] of Object.entries(DEMO_ACCOUNTS)) {
      const principal = await verifier.verify(await mintDevToken(config, identity));
      expect(principal.subject).toBe(account);
      expect(principal.groups).toEqual([]);
      expect(principal.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 3600_000);
    }
  });

  it('is not accepted by a gateway on another data folder', async () => {
    const token = await mintDevToken(authConfig(dirs.make()), DEMO_ACCOUNTS.admin);
    const other = createTokenVerifier(resolveAuthOptions(authConfig(dirs.make())));
    await expect(other.verify(token)).rejects.toMatchObject({ failure: 'invalid' });
  });

  it('mints for any subject and groups, but not for an empty subject', async () => {
    const config = authConfig(dirs.make());
    const principal = await createTokenVerifier(resolveAuthOptions(config)).verify(await mintDevToken(config, { subject: 'carol', groups: ['dr-admins'] }));
    expect(principal).toMatchObject({ subject: 'carol', groups: ['dr-admins'] });
    await expect(mintDevToken(config, { subject: ' ', groups: [] })).rejects.toThrow(DevSignerRefused);
  });

  it('honours the configured claim names and lifetime', async () => {
    const auth = hsOptions({ subjectClaim: 'upn', groupsClaim: 'roles' });
    const signer = createDevSigner({ mode: 'test', auth });
    const principal = await createTokenVerifier(auth).verify(await signer.sign({ subject: 'dave', groups: ['ops'] }, 120));
    expect(principal).toMatchObject({ subject: 'dave', groups: ['ops'] });
    expect(principal.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 121_000);
  });
});
