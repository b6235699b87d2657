import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { openDatabase } from '../../../src/db/index.js';
import { pgliteDataDir } from '../../../src/server/early-start.js';
import { postGraphQL, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { tokenSigner } from '../../support/access.js';

/** What a start does before it says ready, and what a failed start leaves behind. */
describe('gateway start', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  });

  it('a start that fails (port in use) starts no inventory sync', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-start-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    await expect(startTestGateway({ PORT: String(port) }, { dataDir })).rejects.toThrow(/already in use/);

    // The failed start closed its database: open the same folder and look.
    const config = loadConfig({ env: { NODE_ENV: 'test', DATA_DIR: dataDir } });
    const db = await openDatabase({ dataDir: pgliteDataDir(config) });
    cleanups.push(() => db.close());
    expect(await db.prisma.inventorySyncState.findUnique({ where: { id: 1 } })).toBeNull();
    expect(await db.prisma.backupServer.count()).toBe(0);
  });

  it('with the embedded simulator, ready means the demo accounts work: a token of each sees its roles at once', async () => {
    const gateway: TestGateway = await startTestGateway();
    cleanups.push(() => gateway.stop());
    const signer = tokenSigner(gateway);
    const expected = { admin: ['PORTAL_ADMINISTRATOR'], operator: ['RESTORE_OPERATOR'], 'portal-user': ['PORTAL_USER'] };
    for (const [subject, roles] of Object.entries(expected)) {
      const token = await signer.sign({ subject, groups: [] });
      const { json } = await postGraphQL(gateway.url, { query: '{ viewer { roles } }' }, { authorization: `Bearer ${token}` });
      expect(json.data?.viewer?.roles, subject).toEqual(roles);
    }
    const ready = await fetch(`${gateway.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, database: 'ok', migrations: 'ok', demoAccounts: 'ok' });
  });
});
