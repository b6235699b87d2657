import type { PrismaClient } from '../generated/prisma/client.js';
import { rebuildVisibility } from '../policy/index.js';

/**
 * A ref of the given hierarchy type carried by replicas, preferring one whose
 * replicas sit on a server that may fail over (Enterprise or Enterprise Plus),
 * so the demo operator has something to fail over. Among folders, the one
 * holding the fewest replicas: vCenter's root folders (`group-d1`, the VM
 * folder of a datacenter) hold everything, and a scope of one of them would
 * be no restriction at all.
 */
async function demoRef(prisma: PrismaClient, type: string): Promise<string | undefined> {
  const rows = await prisma.$queryRawUnsafe<{ ref: string }[]>(
    `SELECT rr.ref
       FROM replica_ref rr
       JOIN "Replica" r ON r.id = rr."replicaId"
       JOIN "BackupServer" b ON b.id = r."backupServerId"
      WHERE rr.ref LIKE $1
      GROUP BY rr.ref
      ORDER BY bool_or(b.edition IN ('ENTERPRISE', 'ENTERPRISE_PLUS')) DESC, CASE WHEN $2::boolean THEN count(*) END, rr.ref
      LIMIT 1`,
    `urn:%:${type}:%`,
    type === 'Folder',
  );
  return rows[0]?.ref;
}

const DEMO_NAMES = ['admin', 'operator', 'portal-user'];

/** Whether the demo accounts were created (one deleted since still counts: deleting keeps it deleted). */
export async function demoAccountsExist(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.account.count({ where: { type: 'USER', name: { in: DEMO_NAMES } } })) > 0;
}

/**
 * The demo accounts of the embedded setup (see DEMO_ACCOUNTS in src/auth):
 * `admin` (Portal Administrator), `operator` (Restore Operator: one vSphere
 * cluster and one Cloud Director org VDC), `portal-user` (Portal User: one
 * vSphere folder and one tag). `nobody` has no account: signed in, no role.
 *
 * Created when none of the three exists (BOOTSTRAP_ADMINS accounts do not
 * count) and the inventory holds the references the scopes need; returns the
 * names created. Deleting one keeps it deleted; deleting all three brings them
 * back at the next sync.
 */
export async function seedDemoAccounts(prisma: PrismaClient): Promise<string[]> {
  if (await demoAccountsExist(prisma)) return [];
  const [cluster, orgVdc, folder, tag] = await Promise.all(['Cluster', 'OrgVdc', 'Folder', 'Tag'].map((type) => demoRef(prisma, type)));
  if (!cluster || !orgVdc || !folder || !tag) return [];
  await prisma.$transaction([
    prisma.account.create({ data: { type: 'USER', name: 'admin', displayName: 'Demo administrator', roles: ['PORTAL_ADMINISTRATOR'], scopeAll: true } }),
    prisma.account.create({
      data: {
        type: 'USER',
        name: 'operator',
        displayName: 'Demo restore operator',
        roles: ['RESTORE_OPERATOR'],
        scopeItems: { create: [{ ref: cluster, name: 'Demo cluster' }, { ref: orgVdc, name: 'Demo org VDC' }] },
      },
    }),
    prisma.account.create({
      data: {
        type: 'USER',
        name: 'portal-user',
        displayName: 'Demo portal user',
        roles: ['PORTAL_USER'],
        scopeItems: { create: [{ ref: folder, name: 'Demo folder' }, { ref: tag, name: 'Demo tag' }] },
      },
    }),
  ]);
  await rebuildVisibility(prisma, 'all');
  return [...DEMO_NAMES];
}
