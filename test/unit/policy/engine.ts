import { accessibleBy } from '@casl/prisma/runtime';
import type { Database } from '../../../src/db/index.js';
import {
  asBackupServer,
  asCdpLongTermPoint,
  asCdpRange,
  asReplica,
  asRestorePoint,
  decide,
  visibilityInclude,
  withPolicyExtension,
  type Policy,
} from '../../../src/policy/index.js';
import type { Expected } from './oracle.js';

/** The engine's answers as the database gives them: every query filtered by `accessibleBy`. */
export async function answersFromDatabase(db: Database, policy: Policy): Promise<Expected> {
  const p = withPolicyExtension(db.prisma);
  const where = (action: 'read' | 'failover') => accessibleBy(policy.ability, action);
  const [replicas, points, ranges, longTerm, servers, failover] = await Promise.all([
    p.replica.findMany({ where: where('read').ofType('Replica'), select: { id: true } }),
    p.restorePoint.findMany({ where: where('read').ofType('RestorePoint'), select: { id: true } }),
    p.cdpRange.findMany({ where: where('read').ofType('CdpRange'), select: { replicaId: true } }),
    p.cdpLongTermPoint.findMany({ where: where('read').ofType('CdpLongTermPoint'), select: { replicaId: true } }),
    p.backupServer.findMany({ where: where('read').ofType('BackupServer'), select: { id: true } }),
    p.replica.findMany({ where: where('failover').ofType('Replica'), select: { id: true } }),
  ]);
  return {
    read: {
      Replica: new Set(replicas.map((r) => r.id)),
      RestorePoint: new Set(points.map((r) => r.id)),
      CdpRange: new Set(ranges.map((r) => r.replicaId)),
      CdpLongTermPoint: new Set(longTerm.map((r) => r.replicaId)),
      BackupServer: new Set(servers.map((r) => r.id)),
    },
    failover: new Set(failover.map((r) => r.id)),
    administer: policy.ability.can('manage', 'Account'),
  };
}

/**
 * The engine's answers from `ability.can` on plain loaded objects: every row is
 * loaded (unfiltered) with the visibility rows of the principal's scoped accounts.
 */
export async function answersFromCan(db: Database, policy: Policy): Promise<Expected> {
  const p = db.prisma;
  const visibility = visibilityInclude(policy.rights.scopedAccountIds);
  const [replicas, points, ranges, longTerm, servers] = await Promise.all([
    p.replica.findMany({ select: { id: true, kind: true, backupServerId: true, visibility } }),
    p.restorePoint.findMany({ select: { id: true, replica: { select: { visibility } } } }),
    p.cdpRange.findMany({ select: { replicaId: true, replica: { select: { visibility } } } }),
    p.cdpLongTermPoint.findMany({ select: { replicaId: true, replica: { select: { visibility } } } }),
    p.backupServer.findMany({ select: { id: true, replicas: { select: { visibility } } } }),
  ]);
  const { ability } = policy;
  // `decide` must agree with `can` everywhere; checked here on every object.
  const can = (action: 'read' | 'failover', subject: Parameters<typeof decide>[2]) => {
    const allowed = ability.can(action, subject);
    if (decide(ability, action, subject).allowed !== allowed) throw new Error(`decide disagrees with can on ${action}`);
    return allowed;
  };
  return {
    read: {
      Replica: new Set(replicas.filter((r) => can('read', asReplica(r))).map((r) => r.id)),
      RestorePoint: new Set(points.filter((r) => can('read', asRestorePoint(r))).map((r) => r.id)),
      CdpRange: new Set(ranges.filter((r) => can('read', asCdpRange(r))).map((r) => r.replicaId)),
      CdpLongTermPoint: new Set(longTerm.filter((r) => can('read', asCdpLongTermPoint(r))).map((r) => r.replicaId)),
      BackupServer: new Set(servers.filter((r) => can('read', asBackupServer(r))).map((r) => r.id)),
    },
    failover: new Set(replicas.filter((r) => can('failover', asReplica(r))).map((r) => r.id)),
    administer: ability.can('read', 'AuditEntry') && ability.can('explain', 'Policy'),
  };
}

/** Sets as sorted arrays, so a failure shows which ids differ. */
export function plain(expected: Expected) {
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    read: Object.fromEntries(Object.entries(expected.read).map(([k, v]) => [k, sorted(v)])),
    failover: sorted(expected.failover),
    administer: expected.administer,
  };
}
