import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VbrServerEntry } from '../../../src/config/vbr-servers.js';
import { formatDoctorReport, runDoctor } from '../../../src/doctor/doctor.js';
import { createEmClient, type EmClient } from '../../../src/em/index.js';
import { simulatorVbrServers } from '../../../src/server/upstream.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { createVbrClient } from '../../../src/vbr/index.js';
import { simulator } from '../em/helpers.js';

describe('failover-gateway doctor', () => {
  let sim: RunningSimulator;
  let em: EmClient;
  const connect = (endpoint: NonNullable<VbrServerEntry['connection']>) => createVbrClient({ ...endpoint, readRetries: 0 });

  beforeAll(async () => {
    sim = await simulator({ vbrDisabled: ['vbr-02.lab.local'] });
    em = createEmClient({ url: sim.url, username: 'em-admin', password: 'em-admin', readRetries: 0 });
  });
  afterAll(async () => {
    await em.close();
    await sim.close();
  });

  it('passes against the simulator with every face configured, and changes nothing upstream', async () => {
    const servers = simulatorVbrServers(sim);
    const before = sim.counters.failoverPosts;
    const report = await runDoctor({ em, sources: { servers }, connect });
    expect(report.ok).toBe(true);
    expect(report.servers).toHaveLength(4);
    const editions = new Map(Array.from({ length: sim.inventory.counts.backupServers }, (_, i) => sim.inventory.backupServer(i)!).map((s) => [s.name, s.edition]));
    for (const server of report.servers) {
      if (server.name === 'vbr-02.lab.local') {
        // Its face is off and VBR_SERVERS does not name it: a warning, not a failure.
        expect(server.checks).toEqual([expect.objectContaining({ name: 'VBR access', status: 'warn' })]);
        continue;
      }
      expect(server.apiRevision).toBe('1.3-rev1');
      expect(server.unknownUrnTokens).toEqual([]);
      expect(server.replicas.unmatched).toBe(0);
      expect(server.replicas.matched).toBeGreaterThan(0);
      expect(server.ids.agree).toBeGreaterThan(0);
      expect(server.license?.edition).toBe(editions.get(server.name));
    }
    expect(sim.counters.failoverPosts).toBe(before);
    expect(formatDoctorReport(report)).toMatch(/^failover-gateway doctor: no failure/);
  });

  it('names what is missing: a server without VBR access, wrong credentials, a face that does not answer', async () => {
    const servers = simulatorVbrServers(sim)
      .filter((s) => s.key !== 'vbr-04.lab.local')
      .map((s) => (s.key === 'vbr-03.lab.local' ? { ...s, connection: { ...s.connection!, password: 'wrong' } } : s));
    servers.push({ key: 'vbr-02.lab.local', connection: { url: `${sim.url.replace(/\/api$/, '')}/vbr/vbr-02.lab.local`, username: 'vbr-admin', password: 'vbr-admin' } });
    const report = await runDoctor({ em, sources: { servers: servers.filter((s, i, all) => all.findIndex((t) => t.key === s.key) === i) }, connect });
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.servers.map((s) => [s.name, s]));
    expect(byName['vbr-04.lab.local']!.checks[0]).toMatchObject({ name: 'VBR access', status: 'warn' });
    expect(byName['vbr-04.lab.local']!.checks[0]!.detail).toMatch(/LICENSE_EDITION/);
    expect(byName['vbr-03.lab.local']!.checks.find((c) => c.name === 'VBR logon')).toMatchObject({ status: 'fail' });
    expect(byName['vbr-03.lab.local']!.checks.find((c) => c.name === 'VBR logon')!.detail).toMatch(/refused the VBR credentials/);
    expect(byName['vbr-02.lab.local']!.checks.find((c) => c.name === 'VBR logon')).toMatchObject({ status: 'fail' });
  });
});
