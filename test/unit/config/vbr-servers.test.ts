import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { loadVbrServers, vbrEntryFor } from '../../../src/config/vbr-servers.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vbr-servers-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const FINGERPRINT = 'AB:'.repeat(31) + 'AB';

describe('VBR_SERVERS', () => {
  it('reads servers by name or UID, with password files and CA files relative to it', () => {
    const dir = folder({
      'vbr.json': JSON.stringify({
        'vbr-1.example.com': { url: 'https://vbr-1.example.com:9419/', username: 'svc', passwordFile: 'secret.txt', caFile: 'ca.pem', fingerprint: FINGERPRINT, apiVersion: '1.2-rev1' },
        'urn:veeam:BackupServer:0f0e': { url: 'https://10.0.0.2:9419', username: 'svc', password: 'pw', licenseEdition: 'Enterprise' },
        'vbr-old': { licenseEdition: 'EnterprisePlus' },
      }),
      'secret.txt': 's3cret\n',
      'ca.pem': '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n',
    });
    const entries = loadVbrServers(join(dir, 'vbr.json'));
    expect(entries[0]).toEqual({
      key: 'vbr-1.example.com',
      connection: { url: 'https://vbr-1.example.com:9419', username: 'svc', password: 's3cret', ca: expect.stringContaining('BEGIN CERTIFICATE'), fingerprint: 'ab'.repeat(32), apiVersion: '1.2-rev1' },
      licenseEdition: undefined,
    });
    expect(entries[1]!.licenseEdition).toBe('Enterprise');
    expect(entries[2]).toEqual({ key: 'vbr-old', connection: undefined, licenseEdition: 'EnterprisePlus' });
    expect(vbrEntryFor(entries, { uid: 'urn:veeam:BackupServer:aaaa', name: 'VBR-1.EXAMPLE.COM' })?.key).toBe('vbr-1.example.com');
    expect(vbrEntryFor(entries, { uid: 'URN:VEEAM:BACKUPSERVER:0F0E', name: 'other' })?.key).toBe('urn:veeam:BackupServer:0f0e');
    expect(vbrEntryFor(entries, { uid: 'urn:veeam:BackupServer:ffff', name: 'nobody' })).toBeUndefined();
  });

  it.each([
    [{ s: { url: 'ftp://x', username: 'u', password: 'p' } }, 'server "s" url'],
    [{ s: { url: 'https://x', username: 'u' } }, 'server "s" password give exactly one of password and passwordFile'],
    [{ s: { url: 'https://x', username: 'u', password: 'p', passwordFile: 'f' } }, 'give exactly one of password and passwordFile'],
    [{ s: { url: 'https://x', password: 'p' } }, 'server "s" username is required with url'],
    [{ s: { url: 'https://x', username: 'u', password: 'p', fingerprint: 'abc' } }, 'must be a SHA-256 fingerprint'],
    [{ s: { url: 'https://x', username: 'u', password: 'p', apiVersion: '9.9-rev0' } }, 'server "s" apiVersion'],
    [{ s: { url: 'https://x', username: 'u', password: 'p', ignoreTls: true } }, 'server "s"'],
    [{ s: {} }, 'needs url, username and password (or passwordFile), or at least licenseEdition'],
    [{ s: { licenseEdition: 'Premium' } }, 'server "s" licenseEdition'],
    [[1, 2], 'VBR_SERVERS file'],
  ])('refuses %j with one line naming what is wrong', (content, expected) => {
    const dir = folder({ 'vbr.json': JSON.stringify(content) });
    const message = errorOf(() => loadVbrServers(join(dir, 'vbr.json')));
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('refuses a server listed twice, a missing password file and a file that is not JSON', () => {
    const twice = folder({ 'vbr.json': JSON.stringify({ A: { licenseEdition: 'Standard' }, a: { licenseEdition: 'Standard' } }) });
    expect(errorOf(() => loadVbrServers(join(twice, 'vbr.json')))).toContain('listed twice');
    const missing = folder({ 'vbr.json': JSON.stringify({ s: { url: 'https://x', username: 'u', passwordFile: 'nope.txt' } }) });
    expect(errorOf(() => loadVbrServers(join(missing, 'vbr.json')))).toMatch(/cannot read passwordFile .*nope\.txt: ENOENT/);
    const broken = folder({ 'vbr.json': '{ not json' });
    expect(errorOf(() => loadVbrServers(join(broken, 'vbr.json')))).toContain('is not valid JSON');
  });

  it('is read and validated by loadConfig, with LICENSE_EDITION beside it', () => {
    const dir = folder({ 'vbr.json': JSON.stringify({ s: { url: 'https://x:9419', username: 'u', password: 'p' } }) });
    const config = loadConfig({ env: { VBR_SERVERS: join(dir, 'vbr.json'), LICENSE_EDITION: 'EnterprisePlus' } });
    expect(config.vbr.map((e) => e.key)).toEqual(['s']);
    expect(config.licenseEdition).toBe('EnterprisePlus');
    expect(loadConfig({ env: {} }).vbr).toEqual([]);
    expect(errorOf(() => loadConfig({ env: { LICENSE_EDITION: 'Gold' } }))).toContain('LICENSE_EDITION');
    expect(errorOf(() => loadConfig({ env: { VBR_SERVERS: join(dir, 'missing.json') } }))).toContain('cannot read the file');
  });
});
