import type { PolicyPrincipal, ReplicaKind } from '../../../src/policy/index.js';
import { CDP_KINDS, POINT_KINDS, type World, type WorldAccount, type WorldReplica } from './world.js';

/**
 * The policy as the issue states it, written the plain way: straight from the
 * accounts, their scope refs and each replica's refs. It shares no code with
 * src/policy (no visibility rows, no CASL), so a disagreement is a bug in one.
 */
export interface Expected {
  /** Ids per subject the principal may read. */
  read: Record<'Replica' | 'RestorePoint' | 'CdpRange' | 'CdpLongTermPoint' | 'BackupServer', Set<string>>;
  failover: Set<string>;
  administer: boolean;
}

const FAILOVER_EDITIONS = new Set(['ENTERPRISE', 'ENTERPRISE_PLUS']);

export function oracle(world: World, principal: PolicyPrincipal): Expected {
  const mine = world.accounts.filter((a) => (a.type === 'USER' ? a.name === principal.subject : principal.groups.includes(a.name)));
  const admin = (a: WorldAccount) => a.roles.includes('PORTAL_ADMINISTRATOR');
  const restricted = (a: WorldAccount) => a.roles.includes('PORTAL_USER') || a.roles.includes('RESTORE_OPERATOR');
  const sees = (a: WorldAccount, r: WorldReplica) => admin(a) || (restricted(a) && (a.scopeAll || a.scope.some((ref) => r.refs.includes(ref))));
  const edition = new Map(world.servers.map((s) => [s.id, s.edition]));
  const readable = world.replicas.filter((r) => mine.some((a) => sees(a, r)));
  const everything = mine.some((a) => admin(a) || (restricted(a) && a.scopeAll));
  const ids = (list: WorldReplica[]) => new Set(list.map((r) => r.id));
  return {
    read: {
      Replica: ids(readable),
      RestorePoint: new Set(readable.filter((r) => POINT_KINDS.has(r.kind)).map((r) => `point-${r.id}`)),
      CdpRange: ids(readable.filter((r) => CDP_KINDS.has(r.kind))),
      CdpLongTermPoint: ids(readable.filter((r) => CDP_KINDS.has(r.kind))),
      BackupServer: new Set(everything ? world.servers.map((s) => s.id) : readable.map((r) => r.serverId)),
    },
    failover: ids(
      world.replicas.filter(
        (r) => FAILOVER_EDITIONS.has(edition.get(r.serverId)!) && mine.some((a) => sees(a, r) && a.allowedKinds.includes(r.kind as ReplicaKind)),
      ),
    ),
    administer: mine.some(admin),
  };
}
