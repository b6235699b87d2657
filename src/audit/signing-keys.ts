import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config/config.js';
import { createFileOnce } from '../config/data-dir-file.js';
import { keyIdOf } from './signed-head.js';

/** The settings the audit keys come from. */
export type AuditKeyConfig = Pick<Config, 'mode' | 'dataDir' | 'auditSigningKeyFile' | 'auditPublicKeyFile'>;

/** The key the gateway signs heads with. */
export interface HeadSigningKey {
  privateKey: KeyObject;
  keyId: string;
  /** AUDIT_SIGNING_KEY_FILE, or the data folder's development key. */
  origin: 'configured' | 'development';
}

/** Public keys by key id: all verify needs. */
export type HeadVerifyKeys = ReadonlyMap<string, KeyObject>;

/** Where the development signing key lives: generated once per data folder, like the development JWT secret. */
export function devSigningKeyPath(dataDir: string): string {
  return join(dataDir, 'dev-audit-signing-key.pem');
}

/**
 * The gateway's signing key. Production refuses to start without
 * AUDIT_SIGNING_KEY_FILE: unsigned, the chain's tail is anyone's to forge who
 * can write to the database. Outside production, the data folder's
 * development key is read, or created first.
 */
export function resolveSigningKey(config: AuditKeyConfig): HeadSigningKey {
  if (config.auditSigningKeyFile) return signingKey(readPrivateKey(config.auditSigningKeyFile, 'AUDIT_SIGNING_KEY_FILE'), 'configured');
  if (config.mode === 'production') {
    throw new ConfigError(
      'NODE_ENV=production needs AUDIT_SIGNING_KEY_FILE (an Ed25519 private key in PEM: openssl genpkey -algorithm ed25519 -out audit-key.pem): the development key only applies outside production',
    );
  }
  return signingKey(loadOrCreateDevKey(config.dataDir), 'development');
}

/**
 * The public keys verify checks heads with: those of AUDIT_PUBLIC_KEY_FILE,
 * the one of AUDIT_SIGNING_KEY_FILE, and outside production the development
 * key when the data folder has one (verify never creates it). Empty when none
 * is configured: every head is then unchecked and every entry unsigned.
 */
export function resolveVerifyKeys(config: AuditKeyConfig): HeadVerifyKeys {
  const keys = new Map<string, KeyObject>();
  const add = (key: KeyObject) => keys.set(keyIdOf(key), key);
  if (config.auditPublicKeyFile) readPublicKeys(config.auditPublicKeyFile).forEach(add);
  if (config.auditSigningKeyFile) add(createPublicKey(readPrivateKey(config.auditSigningKeyFile, 'AUDIT_SIGNING_KEY_FILE')));
  const devPath = devSigningKeyPath(config.dataDir);
  if (config.mode !== 'production' && existsSync(devPath)) add(createPublicKey(readPrivateKey(devPath, 'the development audit key')));
  return keys;
}

function signingKey(privateKey: KeyObject, origin: HeadSigningKey['origin']): HeadSigningKey {
  return { privateKey, keyId: keyIdOf(createPublicKey(privateKey)), origin };
}

function readPrivateKey(path: string, name: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read ${name} ${path} as a PEM private key: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(`${name} ${path} holds a ${key.asymmetricKeyType} key; audit heads are signed with Ed25519`);
  return key;
}

const PUBLIC_KEY_PEM = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

function readPublicKeys(path: string): KeyObject[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read AUDIT_PUBLIC_KEY_FILE ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const blocks = text.match(PUBLIC_KEY_PEM) ?? [];
  if (blocks.length === 0) throw new ConfigError(`AUDIT_PUBLIC_KEY_FILE ${path} holds no PEM public key (-----BEGIN PUBLIC KEY-----)`);
  return blocks.map((pem, index) => {
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch (error) {
      throw new ConfigError(`AUDIT_PUBLIC_KEY_FILE ${path}: key ${index + 1} cannot be read: ${(error as Error).message}`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(`AUDIT_PUBLIC_KEY_FILE ${path}: key ${index + 1} is ${key.asymmetricKeyType}, not Ed25519`);
    return key;
  });
}

/** Reads the data folder's development key, creating it first if missing (mode 0600). */
function loadOrCreateDevKey(dataDir: string): KeyObject {
  const path = devSigningKeyPath(dataDir);
  if (!existsSync(path)) createFileOnce(path, () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  return readPrivateKey(path, 'the development audit key');
}
