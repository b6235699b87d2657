import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devSigningKeyPath, keyIdOf, resolveSigningKey, resolveVerifyKeys, type AuditKeyConfig } from '../../../src/audit/index.js';
import { ConfigError } from '../../../src/config/config.js';
import { auditSigningKeyFile } from '../../support/audit-key.js';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));
function folder(): string {
  const path = mkdtempSync(join(tmpdir(), 'fg-audit-keys-'));
  folders.push(path);
  return path;
}
const config = (overrides: Partial<AuditKeyConfig> = {}): AuditKeyConfig => ({
  mode: 'development',
  dataDir: folder(),
  auditSigningKeyFile: undefined,
  auditPublicKeyFile: undefined,
  ...overrides,
});
const publicPem = () => generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();

describe('the signing key', () => {
  it('is generated once into the data folder outside production, readable by its owner only', () => {
    const settings = config();
    const first = resolveSigningKey(settings);
    const path = devSigningKeyPath(settings.dataDir);
    expect(first.origin).toBe('development');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const pem = readFileSync(path, 'utf8');
    expect(resolveSigningKey(settings).keyId).toBe(first.keyId);
    expect(readFileSync(path, 'utf8')).toBe(pem);
    // Verify finds it there too, without creating anything.
    expect([...resolveVerifyKeys(settings).keys()]).toEqual([first.keyId]);
  });

  it('is required in production', () => {
    expect(() => resolveSigningKey(config({ mode: 'production' }))).toThrow(ConfigError);
    expect(() => resolveSigningKey(config({ mode: 'production' }))).toThrow(/AUDIT_SIGNING_KEY_FILE/);
  });

  it('comes from AUDIT_SIGNING_KEY_FILE, whose public key verify uses', () => {
    const file = auditSigningKeyFile();
    folders.push(join(file, '..'));
    const settings = config({ mode: 'production', auditSigningKeyFile: file });
    const key = resolveSigningKey(settings);
    expect(key.origin).toBe('configured');
    expect([...resolveVerifyKeys(settings).keys()]).toEqual([key.keyId]);
  });

  it('refuses a file that is not an Ed25519 private key, naming it', () => {
    const dir = folder();
    const rsa = join(dir, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    expect(() => resolveSigningKey(config({ auditSigningKeyFile: rsa }))).toThrow(/rsa key; audit heads are signed with Ed25519/);
    expect(() => resolveSigningKey(config({ auditSigningKeyFile: join(dir, 'absent.pem') }))).toThrow(/ENOENT/);
  });
});

describe('the verify keys', () => {
  it('are every key of AUDIT_PUBLIC_KEY_FILE, by key id', () => {
    const dir = folder();
    const file = join(dir, 'public.pem');
    const pems = [publicPem(), publicPem()];
    writeFileSync(file, pems.join('\n'));
    const keys = resolveVerifyKeys(config({ mode: 'production', auditPublicKeyFile: file }));
    expect(keys.size).toBe(2);
    for (const [id, key] of keys) expect(keyIdOf(key)).toBe(id);
  });

  it('are none in production without a key setting', () => {
    expect(resolveVerifyKeys(config({ mode: 'production' })).size).toBe(0);
  });

  it('refuse a public key file without a PEM public key', () => {
    const file = join(folder(), 'empty.pem');
    writeFileSync(file, 'nothing here\n');
    expect(() => resolveVerifyKeys(config({ auditPublicKeyFile: file }))).toThrow(/holds no PEM public key/);
  });
});
