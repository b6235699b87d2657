import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type Database } from '../../../src/db/index.js';
import { createEmClient, type EmClient } from '../../../src/em/index.js';
import { createInventorySync } from '../../../src/inventory/index.js';
import { simulatorVbrServers } from '../../../src/server/upstream.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { startAccessGateway, tokenSigner } from '../../support/access.js';
import { postGraphQL, type TestGateway } from '../../support/gateway.js';
import { simulator } from '../em/helpers.js';

/** The rows a restricted user's scope is computed from: refs and state per replica. */
async function placements(db: Database, serverName: string) {
  const rows = await db.prisma.replica.findMany({ where: { backupServer: { name: serverName } }, orderBy: { emKey: 'asc' }, select: { emKey: true, refs: true, state: true, objectRef: true } });
  return rows;
}

describe('the sync against real sources that fail', () => {
  let sim: RunningSimulator;
  let em: EmClient;
  let db: Database;

  beforeAll(async () => {
    sim = await simulator();
    em = createEmClient({ url: sim.url, username: 'em-admin', password: 'em-admin', readRetries: 0 });
    db = await openDatabase({ dataDir: 'memory://' });
    await applyMigrations(db);
  });
  afterAll(async () => {
    await db.close();
    await em.close();
    await sim.close();
  });

  const SERVER = 'vbr-04.lab.local';

  it('a backup server whose REST API stops answering keeps its last known refs, states and edition, and is marked stale; the others sync', async () => {
    const servers = simulatorVbrServers(sim).map((s) => ({ ...s, connection: { ...s.connection!, readRetries: 0 } }));
    const sync = createInventorySync({ db, em, sources: { servers } });
    try {
      expect((await sync.syncNow()).ok).toBe(true);
      const before = await placements(db, SERVER);
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((r) => r.refs.length > 1)).toBe(true);
      sim.setVbrFaults({ errorRate: 1, errorStatus: 503 }, SERVER);
      const report = await sync.syncNow();
      const failed = report.servers.find((s) => s.name === SERVER)!;
      expect(failed.ok).toBe(false);
      expect(failed.error).toMatch(/did not answer/);
      expect(report.servers.filter((s) => s.name !== SERVER).every((s) => s.ok)).toBe(true);
      expect(await placements(db, SERVER)).toEqual(before);
      const row = await db.prisma.backupServer.findFirstOrThrow({ where: { name: SERVER } });
      expect(row).toMatchObject({ stale: true, edition: 'ENTERPRISE_PLUS', vbrReachable: false });
      expect(row.licenseReadAt).not.toBeNull();
    } finally {
      sim.setVbrFaults({});
      await sync.stop();
    }
  });

  it('expired tokens and a refresh token answered as used: the client logs on again and the sync goes through', async () => {
    const sync = createInventorySync({ db, em, sources: { servers: simulatorVbrServers(sim) } });
    try {
      expect((await sync.syncNow()).ok).toBe(true);
      sim.expireVbrTokens();
      sim.failNextVbrRefresh();
      const report = await sync.syncNow();
      expect(report.ok).toBe(true);
      expect(report.servers.every((s) => s.sources.reachable && s.sources.license.ok)).toBe(true);
    } finally {
      await sync.stop();
    }
  });

  it('a backup server without VBR access: edition unknown with what to configure, VM replicas without refs, CDP objects with EM\'s own ref only', async () => {
    const fresh = await openDatabase({ dataDir: 'memory://' });
    await applyMigrations(fresh);
    const sync = createInventorySync({ db: fresh, em, sources: { servers: simulatorVbrServers(sim).filter((s) => s.key !== SERVER) } });
    try {
      expect((await sync.syncNow()).ok).toBe(true);
      const row = await fresh.prisma.backupServer.findFirstOrThrow({ where: { name: SERVER } });
      expect(row).toMatchObject({ edition: 'UNKNOWN', editionSource: 'UNKNOWN', vbrConfigured: false, stale: false });
      expect(row.editionDetail).toMatch(new RegExp(`^edition unknown: give the gateway VBR access to backup server ${SERVER.replace(/\./g, '\\.')} .*or set LICENSE_EDITION`));
      const rows = await fresh.prisma.replica.findMany({ where: { backupServerId: row.id } });
      for (const r of rows) {
        if (r.kind === 'VM_REPLICA' || r.kind === 'VCD_VAPP_REPLICA') expect(r.refs).toEqual([]);
        else expect(r.refs).toEqual([r.objectRef]);
      }
    } finally {
      await sync.stop();
      await fresh.close();
    }
  });

  it('LICENSE_EDITION states the edition of a server the gateway cannot read', async () => {
    const fresh = await openDatabase({ dataDir: 'memory://' });
    await applyMigrations(fresh);
    const sync = createInventorySync({ db: fresh, em, sources: { servers: [], licenseEdition: 'Enterprise' } });
    try {
      await sync.syncNow();
      const rows = await fresh.prisma.backupServer.findMany();
      expect(rows.map((r) => [r.edition, r.editionSource])).toEqual(rows.map(() => ['ENTERPRISE', 'SETTING']));
    } finally {
      await sync.stop();
      await fresh.close();
    }
  });
});

describe('gateway { upstreams }', () => {
  let gateway: TestGateway;
  let sign: ReturnType<typeof tokenSigner>['sign'];
  const query = '{ gateway { upstreams { name vbrConfigured reachable apiRevision edition editionSource replicasMatched replicasUnmatched hierarchyObjects license { ok readAt } hierarchy { ok error } } } }';

  beforeAll(async () => {
    gateway = await startAccessGateway();
    sign = tokenSigner(gateway).sign;
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('tells an administrator, per backup server, what its REST API gave and from where', async () => {
    const { json } = await postGraphQL(gateway.url, { query }, { authorization: `Bearer ${await sign({ subject: 'admin', groups: [] })}` });
    expect(json.errors).toBeUndefined();
    const upstreams = json.data.gateway.upstreams as Array<Record<string, unknown>>;
    expect(upstreams.map((u) => u['edition'])).toEqual(['COMMUNITY', 'STANDARD', 'ENTERPRISE', 'ENTERPRISE_PLUS']);
    for (const u of upstreams) {
      expect(u).toMatchObject({ vbrConfigured: true, reachable: true, apiRevision: '1.3-rev1', editionSource: 'VBR_LICENSE', replicasUnmatched: 0, license: { ok: true }, hierarchy: { ok: true, error: null } });
      expect(u['replicasMatched']).toBeGreaterThan(0);
      expect(u['hierarchyObjects']).toBeGreaterThan(0);
    }
  });

  it('is refused to anyone else', async () => {
    const { json } = await postGraphQL(gateway.url, { query }, { authorization: `Bearer ${await sign({ subject: 'operator', groups: [] })}` });
    expect(json.data?.gateway?.upstreams ?? null).toBeNull();
    expect(json.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
