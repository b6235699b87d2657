import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveVerifyKeys, verifyAuditLog } from '../../../src/audit/index.js';
import { openDatabase } from '../../../src/db/index.js';
import { startTestGateway } from '../../support/gateway.js';
import { tempDirs } from '../../unit/db/support.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe('the gateway signs the audit chain head', () => {
  it('on shutdown, with the development key it generated into DATA_DIR', async () => {
    const dataDir = await dirs.make('fg-audit-signing-');
    // Creating the bootstrap administrator is audited: the chain has an entry to sign.
    const gateway = await startTestGateway({ BOOTSTRAP_ADMINS: 'user:alice', AUDIT_SIGN_INTERVAL_SECONDS: '3600' }, { dataDir });
    const config = gateway.config;
    await gateway.stop();
    const db = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    try {
      const head = await db.prisma.auditEntry.findFirstOrThrow({ orderBy: { seq: 'desc' } });
      const result = await verifyAuditLog(db.prisma, { keys: resolveVerifyKeys(config) });
      expect(result.ok).toBe(true);
      expect(result.signatures.lastSigned).toMatchObject({ seq: head.seq, hash: head.hash });
      expect(result.signatures.unsigned.count).toBe(0);
    } finally {
      await db.close();
    }
  });
});
