import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh Ed25519 private key in a PEM file of a new temporary folder, as AUDIT_SIGNING_KEY_FILE takes it; returns its path. */
export function auditSigningKeyFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fg-audit-key-')), 'audit-key.pem');
  writeFileSync(path, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  return path;
}
