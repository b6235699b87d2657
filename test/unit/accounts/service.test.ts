import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountChangeError, bootstrapAdmins, createAccountService, seedDemoAccounts, type AccountService } from '../../../src/accounts/index.js';
import { createAuditLog, verifyAuditChain, type AuditLog } from '../../../src/audit/index.js';
import type { Database } from '../../../src/db/index.js';
import { migratedPGlite } from '../inventory/support.js';
import { uuid, writeWorld, type World } from '../policy/world.js';

const cluster = 'urn:VMware:Cluster:vc1.c1';
const folder = 'urn:VMware:Folder:vc1.f1';
const tag = 'urn:VMware:Tag:vc1.t1';
const orgVdc = 'urn:vCloud:OrgVdc:vcd1.vdc1';
const R = (n: number) => uuid(1, n);

const world: World = {
  servers: [
    { id: 's-ent', edition: 'ENTERPRISE' },
    { id: 's-std', edition: 'STANDARD' },
  ],
  replicas: [
    { id: R(1), kind: 'VM_REPLICA', serverId: 's-ent', refs: [cluster, folder, tag, 'urn:VMware:Vm:vc1.vm-1'] },
    { id: R(2), kind: 'CDP_VM', serverId: 's-ent', refs: [cluster, 'urn:VMware:Vm:vc1.vm-2'] },
    { id: R(3), kind: 'VCD_VAPP_REPLICA', serverId: 's-std', refs: [orgVdc, 'urn:vCloud:Vapp:vcd1.va-1'] },
  ],
  accounts: [],
};

let db: Database;
let accounts: AccountService;
let audit: AuditLog;
const snapshot = async () =>
  db.prisma.account.findMany({ include: { scopeItems: true, visibility: true }, orderBy: { name: 'asc' } });

beforeAll(async () => {
  db = await migratedPGlite();
  await writeWorld(db, world);
  accounts = createAccountService(db.prisma);
  audit = createAuditLog(db);
}, 60_000);
afterAll(async () => {
  await audit?.close();
  await db?.close();
});

async function refused(change: Promise<unknown>, problem: string) {
  const before = await snapshot();
  const error = await change.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccountChangeError);
  expect((error as AccountChangeError).problem).toBe(problem);
  expect(await snapshot()).toEqual(before);
  return error as AccountChangeError;
}

describe('account administration', () => {
  it('creates an account with its scope and rebuilds its visibility in the same change', async () => {
    const op = await accounts.create({ type: 'USER', name: 'op', roles: ['RESTORE_OPERATOR'], scope: { all: false, items: [{ ref: cluster, name: 'Cluster 1' }] } });
    expect(op.scopeItems).toEqual([{ ref: cluster, name: 'Cluster 1' }]);
    expect(op.allowedKinds).toEqual(['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP']);
    const visible = await db.prisma.replicaVisibility.findMany({ where: { accountId: op.id } });
    expect(visible.map((row) => row.replicaId).sort()).toEqual([R(1), R(2)]);
  });

  it('moves visibility with a scope change and returns before and after', async () => {
    const op = (await accounts.list()).find((account) => account.name === 'op')!;
    const { before, after } = await accounts.update(op.id, { scope: { all: false, items: [{ ref: orgVdc, name: 'VDC 1' }] } });
    expect(before.scopeItems.map((item) => item.ref)).toEqual([cluster]);
    expect(after.scopeItems.map((item) => item.ref)).toEqual([orgVdc]);
    const visible = await db.prisma.replicaVisibility.findMany({ where: { accountId: op.id } });
    expect(visible.map((row) => row.replicaId)).toEqual([R(3)]);
  });

  it('refuses malformed and unknown references, changing nothing', async () => {
    const malformed = await refused(
      accounts.create({ type: 'GROUP', name: 'g', roles: ['PORTAL_USER'], scope: { all: false, items: [{ ref: 'cluster-1', name: 'x' }] } }),
      'malformed-ref',
    );
    expect(malformed.refs).toEqual(['cluster-1']);
    const unknown = await refused(
      accounts.create({ type: 'GROUP', name: 'g', roles: ['PORTAL_USER'], scope: { all: false, items: [{ ref: tag, name: 't' }, { ref: 'urn:VMware:Cluster:vc1.gone', name: 'x' }] } }),
      'unknown-ref',
    );
    expect(unknown.refs).toEqual(['urn:VMware:Cluster:vc1.gone']);
  });

  it('grants lifecycle actions beyond the defaults, kept in the actions table\'s order, and changes them on update', async () => {
    const fb = await accounts.create({ type: 'USER', name: 'fb', roles: ['PORTAL_USER'], grantedActions: ['UNDO_FAILBACK', 'FAILBACK', 'FAILBACK'] });
    expect(fb.grantedActions).toEqual(['FAILBACK', 'UNDO_FAILBACK']);
    expect((await accounts.get(fb.id))!.grantedActions).toEqual(['FAILBACK', 'UNDO_FAILBACK']);
    expect((await accounts.create({ type: 'USER', name: 'plain', roles: ['PORTAL_USER'] })).grantedActions).toEqual([]);
    const { before, after } = await accounts.update(fb.id, { grantedActions: ['PERMANENT_FAILOVER'] });
    expect([before.grantedActions, after.grantedActions]).toEqual([['FAILBACK', 'UNDO_FAILBACK'], ['PERMANENT_FAILOVER']]);
    // Absent: unchanged; empty: none.
    expect((await accounts.update(fb.id, { displayName: 'Failback team' })).after.grantedActions).toEqual(['PERMANENT_FAILOVER']);
    expect((await accounts.update(fb.id, { grantedActions: [] })).after.grantedActions).toEqual([]);
  });

  it('refuses granted actions that are not replica actions, or that every restricted role has by default, changing nothing', async () => {
    const unknown = await refused(accounts.create({ type: 'USER', name: 'x1', roles: ['PORTAL_USER'], grantedActions: ['FAILBACK', 'REBOOT' as never] }), 'invalid');
    expect(unknown.message).toBe('Not a replica action: "REBOOT"');
    const defaults = await refused(accounts.create({ type: 'USER', name: 'x2', roles: ['RESTORE_OPERATOR'], grantedActions: ['FAILOVER', 'UNDO_FAILOVER', 'FAILBACK'] }), 'invalid');
    expect(defaults.message).toContain('FAILOVER, UNDO_FAILOVER are every Restore Operator\'s and Portal User\'s by default');
    expect(defaults.message).toContain('grant only PERMANENT_FAILOVER, FAILBACK, SWITCH_TO_PRODUCTION, COMMIT_FAILBACK, UNDO_FAILBACK');
    const op = (await accounts.list()).find((account) => account.name === 'op')!;
    await refused(accounts.update(op.id, { grantedActions: ['PLANNED_FAILOVER'] }), 'invalid');
  });

  it('refuses a duplicate type and name', async () => {
    await refused(accounts.create({ type: 'USER', name: 'op', roles: [] }), 'duplicate');
  });

  it('never removes or demotes the last Portal Administrator', async () => {
    const admin = await accounts.create({ type: 'USER', name: 'root', roles: ['PORTAL_ADMINISTRATOR'], scope: { all: true } });
    await refused(accounts.update(admin.id, { roles: ['PORTAL_USER'] }), 'last-administrator');
    await refused(accounts.delete(admin.id), 'last-administrator');
    const second = await accounts.create({ type: 'GROUP', name: 'admins', roles: ['PORTAL_ADMINISTRATOR'] });
    expect((await accounts.delete(admin.id)).name).toBe('root');
    await refused(accounts.delete(second.id), 'last-administrator');
  });

  it('bootstraps missing administrators once, audited as the gateway', async () => {
    expect(await bootstrapAdmins(db.prisma, audit, ['user:alice', 'group:admins'])).toEqual(['user:alice']);
    expect(await bootstrapAdmins(db.prisma, audit, ['user:alice'])).toEqual([]);
    const alice = await db.prisma.account.findUnique({ where: { type_name: { type: 'USER', name: 'alice' } } });
    expect(alice?.roles).toEqual(['PORTAL_ADMINISTRATOR']);
    const entries = await db.prisma.auditEntry.findMany({ where: { action: 'account.bootstrap' } });
    expect(entries.map((entry) => [entry.actorSubject, entry.subjectId])).toEqual([[null, alice!.id]]);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('seeds the demo accounts only when none of them exists, with scopes from the inventory', async () => {
    const created = await seedDemoAccounts(db.prisma);
    expect(created).toEqual(['admin', 'operator', 'portal-user']);
    const operator = await db.prisma.account.findUnique({ where: { type_name: { type: 'USER', name: 'operator' } }, include: { scopeItems: true } });
    // The cluster whose replicas sit on the Enterprise server, and the only org VDC.
    expect(operator!.scopeItems.map((item) => item.ref).sort()).toEqual([cluster, orgVdc].sort());
    expect(await seedDemoAccounts(db.prisma)).toEqual([]);
  });
});
