import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/index.js';
import { rebuildVisibility, rebuildVisibilityIn } from '../../../src/policy/index.js';
import { migratedPGlite } from '../inventory/support.js';
import { uuid, writeWorld, type World } from './world.js';

const cluster = 'urn:VMware:Cluster:vc1.c1';
const tag = 'urn:VMware:Tag:vc1.t1';
const vm = (n: number) => `urn:VMware:Vm:vc1.vm-${n}`;
const R = (n: number) => uuid(1, n);
const A = (n: number) => uuid(2, n);

const world: World = {
  servers: [{ id: 's', edition: 'ENTERPRISE' }],
  replicas: [
    { id: R(1), kind: 'VM_REPLICA', serverId: 's', refs: [cluster, tag, vm(1)] },
    { id: R(2), kind: 'CDP_VM', serverId: 's', refs: [cluster, vm(2)] },
    { id: R(3), kind: 'VM_REPLICA', serverId: 's', refs: ['urn:VMware:Cluster:vc1.c2', tag, vm(3)] },
  ],
  accounts: [
    { id: A(1), type: 'USER', name: 'op', roles: ['RESTORE_OPERATOR'], scopeAll: false, allowedKinds: ['VM_REPLICA'], scope: [cluster] },
    { id: A(2), type: 'GROUP', name: 'pu', roles: ['PORTAL_USER'], scopeAll: false, allowedKinds: [], scope: [tag, vm(2)] },
    { id: A(3), type: 'USER', name: 'all', roles: ['PORTAL_USER'], scopeAll: true, allowedKinds: [], scope: [cluster] },
    { id: A(4), type: 'USER', name: 'admin', roles: ['PORTAL_ADMINISTRATOR', 'PORTAL_USER'], scopeAll: false, allowedKinds: [], scope: [cluster] },
    { id: A(5), type: 'USER', name: 'none', roles: [], scopeAll: false, allowedKinds: [], scope: [cluster] },
  ],
};

let db: Database;
const rows = async () =>
  (await db.prisma.replicaVisibility.findMany({ select: { accountId: true, replicaId: true } })).map((r) => `${r.accountId.slice(-1)}:${r.replicaId.slice(-1)}`).sort();

beforeAll(async () => {
  db = await migratedPGlite();
  await writeWorld(db, world);
}, 60_000);
afterAll(() => db?.close());

describe('visibility rebuild', () => {
  it('grants every replica under a container ref, only to scoped restricted accounts', async () => {
    expect(await rebuildVisibility(db.prisma, 'all')).toEqual({ added: 5, removed: 0 });
    expect(await rows()).toEqual(['1:1', '1:2', '2:1', '2:2', '2:3']);
  });

  it('rebuilds one account by difference and leaves the others alone', async () => {
    await db.prisma.scopeItem.deleteMany({ where: { accountId: A(1) } });
    await db.prisma.scopeItem.create({ data: { accountId: A(1), ref: vm(3), name: 'vm-3' } });
    await db.prisma.scopeItem.deleteMany({ where: { accountId: A(2) } });
    expect(await rebuildVisibility(db.prisma, { accountId: A(1) })).toEqual({ added: 1, removed: 2 });
    expect(await rows()).toEqual(['1:3', '2:1', '2:2', '2:3']);
    expect(await rebuildVisibility(db.prisma, 'all')).toEqual({ added: 0, removed: 3 });
    expect(await rows()).toEqual(['1:3']);
  });

  it('drops the rows of an account that becomes administrator or gets the all-objects scope', async () => {
    await db.prisma.account.update({ where: { id: A(1) }, data: { scopeAll: true } });
    expect(await rebuildVisibility(db.prisma, { accountId: A(1) })).toEqual({ added: 0, removed: 1 });
    await db.prisma.account.update({ where: { id: A(1) }, data: { scopeAll: false } });
    expect((await rebuildVisibility(db.prisma, { accountId: A(1) })).added).toBe(1);
    await db.prisma.account.update({ where: { id: A(1) }, data: { roles: ['PORTAL_ADMINISTRATOR', 'RESTORE_OPERATOR'] } });
    expect(await rebuildVisibility(db.prisma, 'all')).toEqual({ added: 0, removed: 1 });
    expect(await rows()).toEqual([]);
  });

  it('commits with the caller\'s transaction, or not at all', async () => {
    await db.prisma.account.update({ where: { id: A(1) }, data: { roles: ['RESTORE_OPERATOR'] } });
    await expect(
      db.prisma.$transaction(async (tx) => {
        await rebuildVisibilityIn(tx, { accountId: A(1) });
        throw new Error('the scope change failed');
      }),
    ).rejects.toThrow('the scope change failed');
    expect(await rows()).toEqual([]);
    await db.prisma.$transaction((tx) => rebuildVisibilityIn(tx, { accountId: A(1) }));
    expect(await rows()).toEqual(['1:3']);
  });

  it('loses the rows of a deleted replica with it', async () => {
    await db.prisma.replica.delete({ where: { id: R(3) } });
    expect(await rows()).toEqual([]);
  });
});
