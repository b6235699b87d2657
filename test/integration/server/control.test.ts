import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlFilePath, readControlFile } from '../../../src/server/control-file.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { runCli } from '../../support/process.js';

describe('local control of a running gateway', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway?.stop());

  it('writes a control file readable by its owner only, naming this process', () => {
    const file = readControlFile(gateway.config.dataDir);
    expect(file).toMatchObject({ pid: process.pid, url: gateway.origin });
    expect(statSync(controlFilePath(gateway.config.dataDir)).mode & 0o777).toBe(0o600);
  });

  it('refuses /control/* without the right token, and hides unknown commands behind it', async () => {
    const none = await fetch(`${gateway.origin}/control/inventory/summary`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${gateway.origin}/control/inventory/summary`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const token = readControlFile(gateway.config.dataDir)!.token;
    const unknown = await fetch(`${gateway.origin}/control/nothing`, { headers: { authorization: `Bearer ${token}` } });
    expect(unknown.status).toBe(404);
  });

  it('lets the CLI sync the inventory through the gateway that holds the embedded database', async () => {
    const cli = runCli(['inventory', 'sync', '--json'], { DATA_DIR: gateway.config.dataDir, LOG_LEVEL: 'warn' });
    expect(await cli.exited).toBe(0);
    const { report, summary } = JSON.parse(cli.stdout());
    expect(report.ok).toBe(true);
    // The simulator's demo inventory: 40 replicas across one server per edition.
    const counts = gateway.simulator!.inventory.counts;
    expect(summary.totals.replicas).toEqual({
      VM_REPLICA: counts.vmReplicas,
      CDP_VM: counts.cdpVms,
      VCD_VAPP_REPLICA: counts.vAppReplicas,
      VCD_CDP_VAPP: counts.cdpVApps,
    });
    expect(summary.totals.allReplicas).toBe(40);
    expect(summary.servers.map((server: { edition: string }) => server.edition).sort()).toEqual([
      'COMMUNITY',
      'ENTERPRISE',
      'ENTERPRISE_PLUS',
      'STANDARD',
    ]);
    for (const server of summary.servers) expect(server.stale).toBe(false);
  });

  it('removes the control file when the gateway stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-control-'));
    try {
      const other = await startTestGateway({}, { dataDir });
      expect(existsSync(controlFilePath(dataDir))).toBe(true);
      await other.stop();
      expect(existsSync(controlFilePath(dataDir))).toBe(false);
      expect(existsSync(join(dataDir, 'pglite'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
