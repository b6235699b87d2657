import { subject as castSubject } from '@casl/ability';
import type { Model, PrismaQueryFactory } from '@casl/prisma/runtime';
import type { Prisma } from '../generated/prisma/client.js';
import type { ReplicaKind } from './types.js';

/**
 * The shapes `ability.can` is asked about: plain loaded objects carrying just
 * the fields the rules read. `visibility` holds the replica's visibility rows
 * for the principal's accounts (see `visibilityInclude`); rows of other
 * accounts may be present too, they are simply not matched.
 */
export interface VisibilityFacts {
  accountId: string;
}

export interface ReplicaFacts {
  kind: ReplicaKind;
  backupServerId: string;
  visibility: readonly VisibilityFacts[];
}

/** A restore point, CDP range or long-term CDP point: judged by its replica. */
export interface ReplicaChildFacts {
  replica: { visibility: readonly VisibilityFacts[] };
}

export interface BackupServerFacts {
  replicas: ReadonlyArray<{ visibility: readonly VisibilityFacts[] }>;
}

/** A failover operation: judged by its replica's visibility and by who started it. */
export interface FailoverOperationFacts {
  kind: ReplicaKind;
  initiatorSubject: string;
  /** Null once a sync removed the replica. */
  replica: { visibility: readonly VisibilityFacts[] } | null;
}

export type PolicySubject =
  | 'all'
  | 'BackupServer'
  | 'Replica'
  | 'RestorePoint'
  | 'CdpRange'
  | 'CdpLongTermPoint'
  | 'Account'
  | 'AuditEntry'
  | 'Policy'
  | 'Inventory'
  | 'FailoverOperation'
  | Model<ReplicaFacts, 'Replica'>
  | Model<ReplicaChildFacts, 'RestorePoint'>
  | Model<ReplicaChildFacts, 'CdpRange'>
  | Model<ReplicaChildFacts, 'CdpLongTermPoint'>
  | Model<BackupServerFacts, 'BackupServer'>
  | Model<FailoverOperationFacts, 'FailoverOperation'>;

/** Rule conditions: Prisma where-inputs of this project's generated client (not `@prisma/client`'s). */
export type PolicyQuery = PrismaQueryFactory<Prisma.TypeMap>;

/** Tags a loaded object with its subject type, so CASL picks the right rules (plain objects have no class to go by). */
export const asReplica = <T extends ReplicaFacts>(object: T) => castSubject('Replica', object);
export const asRestorePoint = <T extends ReplicaChildFacts>(object: T) => castSubject('RestorePoint', object);
export const asCdpRange = <T extends ReplicaChildFacts>(object: T) => castSubject('CdpRange', object);
export const asCdpLongTermPoint = <T extends ReplicaChildFacts>(object: T) => castSubject('CdpLongTermPoint', object);
export const asBackupServer = <T extends BackupServerFacts>(object: T) => castSubject('BackupServer', object);
export const asFailoverOperation = <T extends FailoverOperationFacts>(object: T) => castSubject('FailoverOperation', object);
