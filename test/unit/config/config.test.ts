import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeSettings, loadConfig } from '../../../src/config/config.js';
import { syncWorkerOptions } from '../../../src/server/upstream.js';
import { settings } from '../../../src/config/settings.js';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({
      mode: 'development',
      host: '127.0.0.1',
      port: 4000,
      dataDir: '.data',
      migrateOnStart: true,
      graphiql: true,
      introspection: true,
      maskErrors: false,
      csrfPrevention: true,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.emUrl).toBeUndefined();
  });

  it('turns GraphiQL and introspection off and masks errors in production', () => {
    const config = loadConfig({
      env: { NODE_ENV: 'production', EM_URL: 'https://em.example.com:9398/api', EM_USERNAME: 'u', EM_PASSWORD: 'p' },
    });
    expect(config).toMatchObject({ graphiql: false, introspection: false, maskErrors: true });
  });

  it('lets production enable introspection explicitly', () => {
    const config = loadConfig({
      env: {
        NODE_ENV: 'production',
        INTROSPECTION: 'true',
        EM_URL: 'https://em.example.com:9398/api',
        EM_USERNAME: 'u',
        EM_PASSWORD: 'p',
      },
    });
    expect(config.introspection).toBe(true);
  });

  it.each([
    ['PORT', 'abc', /^Invalid setting PORT="abc": expected an integer from 0 to 65535/],
    ['PORT', '70000', /^Invalid setting PORT="70000"/],
    ['NODE_ENV', 'staging', /^Invalid setting NODE_ENV="staging": expected one of development, production, test$/],
    ['MIGRATE_ON_START', 'maybe', /^Invalid setting MIGRATE_ON_START="maybe": expected true or false$/],
    ['DATABASE_URL', 'mysql://x', /^Invalid setting DATABASE_URL=\(hidden\): expected a postgres/],
    ['EM_URL', 'ftp://em', /^Invalid setting EM_URL="ftp:\/\/em"/],
    ['LOG_LEVEL', 'loud', /^Invalid setting LOG_LEVEL="loud"/],
    ['INVENTORY_SYNC_HEAP_MB', '8', /^Invalid setting INVENTORY_SYNC_HEAP_MB="8": expected an integer from 0 to 65536 \(0: no worker\), at least 16 when not 0$/],
  ])('rejects %s=%s with one line naming the setting', (name, value, pattern) => {
    const error = configError(() => loadConfig({ env: { [name]: value } }));
    expect(error.message).toMatch(pattern);
    expect(error.message).not.toContain('\n');
  });

  it('never prints a secret it rejects', () => {
    const error = configError(() => loadConfig({ env: { DATABASE_URL: 'mysql://user:s3cret@db/x' } }));
    expect(error.message).not.toContain('s3cret');
  });

  it('requires EM credentials with EM_URL, and EM_URL in production', () => {
    expect(configError(() => loadConfig({ env: { EM_URL: 'https://em:9398/api' } })).message).toMatch(
      /EM_USERNAME and EM_PASSWORD are required/,
    );
    expect(configError(() => loadConfig({ env: { NODE_ENV: 'production' } })).message).toMatch(/needs EM_URL/);
  });

  it('runs the inventory sync in a worker only on PostgreSQL, unless INVENTORY_SYNC_HEAP_MB is 0', () => {
    const upstream = { connection: { url: 'http://127.0.0.1:9398/api', username: 'u', password: 'p' } };
    const postgres = 'postgres://gateway@db/gateway';
    expect(syncWorkerOptions(loadConfig({ env: {} }), upstream)).toBeUndefined();
    expect(syncWorkerOptions(loadConfig({ env: { DATABASE_URL: postgres } }), upstream)).toEqual({ databaseUrl: postgres, em: upstream.connection, heapMb: 512, wasmTierUp: false });
    expect(syncWorkerOptions(loadConfig({ env: { DATABASE_URL: postgres, WASM_TIER_UP: 'true' } }), upstream)?.wasmTierUp).toBe(true);
    expect(syncWorkerOptions(loadConfig({ env: { DATABASE_URL: postgres, INVENTORY_SYNC_HEAP_MB: '256' } }), upstream)?.heapMb).toBe(256);
    expect(syncWorkerOptions(loadConfig({ env: { DATABASE_URL: postgres, INVENTORY_SYNC_HEAP_MB: '0' } }), upstream)).toBeUndefined();
  });

  it('reads a JSON config file, with the environment and flags winning over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-config-'));
    const file = join(dir, 'gateway.json');
    writeFileSync(file, JSON.stringify({ port: 4100, host: '0.0.0.0', maxDepth: 7 }));
    const config = loadConfig({ env: { PORT: '4200' }, file, overrides: { host: '127.0.0.2' } });
    expect(config).toMatchObject({ port: 4200, host: '127.0.0.2', maxDepth: 7 });
  });

  it('names the file and the setting when the file is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-config-'));
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ prot: 1 }));
    expect(configError(() => loadConfig({ env: {}, file: unknown })).message).toMatch(/unknown setting "prot"/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(configError(() => loadConfig({ env: {}, file: bad })).message).toMatch(/is not valid JSON/);
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ maxDepth: 0 }));
    expect(configError(() => loadConfig({ env: {}, file: invalid })).message).toMatch(
      /^Invalid setting maxDepth in .*invalid\.json=0: expected an integer from 1 to 1000$/,
    );
    expect(configError(() => loadConfig({ env: {}, file: join(dir, 'missing.json') })).message).toMatch(
      /Cannot read config file .*ENOENT/,
    );
  });

  it('documents every setting with its default', () => {
    const lines = describeSettings();
    expect(lines).toHaveLength(Object.keys(settings).length);
    for (const spec of Object.values(settings)) expect(spec.doc).toMatch(/Default: /);
  });
});
