import { afterAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, resolveAuthOptions } from '../../src/auth/index.js';
import { runTsx } from '../support/process.js';
import { authConfig, tempDir } from '../unit/auth/support.js';

/** `npm run token`: scripts/token.ts as a real process, its token checked by a verifier on the same data folder. */
const dirs = tempDir();
afterAll(dirs.cleanup);

async function token(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const run = runTsx('scripts/token.ts', args, { DATA_DIR: dataDir, NODE_ENV: 'development', ...env });
  const code = await run.exited;
  return { code, out: run.stdout().trim(), err: run.stderr() };
}

describe('npm run token', () => {
  it('signs in as any subject with any groups', async () => {
    const dataDir = dirs.make();
    const { code, out, err } = await token(dataDir, ['--subject', 'alice@corp.test', '--groups', 'dr-operators, dba ,,vmware-admins']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const principal = await createTokenVerifier(resolveAuthOptions(authConfig(dataDir))).verify(out);
    expect(principal).toMatchObject({ subject: 'alice@corp.test', groups: ['dr-operators', 'dba', 'vmware-admins'] });
  });

  it('keeps the demo names as shortcuts, and sets the lifetime', async () => {
    const dataDir = dirs.make();
    const verifier = createTokenVerifier(resolveAuthOptions(authConfig(dataDir)));
    const demo = await token(dataDir, ['operator']);
    expect(demo.code).toBe(0);
    expect(await verifier.verify(demo.out)).toMatchObject({ subject: 'operator', groups: [] });
    const withGroups = await token(dataDir, ['--groups', 'dr-admins', '--subject', 'bob', '--ttl', '120']);
    expect(withGroups.code).toBe(0);
    const principal = await verifier.verify(withGroups.out);
    expect(principal).toMatchObject({ subject: 'bob', groups: ['dr-admins'] });
    expect(principal.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 121_000);
  });

  it('refuses unclear requests with its usage, and production outright', async () => {
    const dataDir = dirs.make();
    for (const args of [[], ['admin', '--subject', 'alice'], ['--subject', ''], ['--subject', 'alice', '--ttl', 'soon'], ['root'], ['--user', 'alice']]) {
      const { code, out, err } = await token(dataDir, args);
      expect(code, args.join(' ')).not.toBe(0);
      expect(out, args.join(' ')).toBe('');
      expect(err, args.join(' ')).toMatch(/usage: npm run token|Unknown demo account/);
    }
    const production = await token(dataDir, ['--subject', 'alice'], { NODE_ENV: 'production' });
    expect(production.code).toBe(1);
    expect(production.out).toBe('');
    expect(production.err).toMatch(/development token signer does not run in production/);
  });
});
