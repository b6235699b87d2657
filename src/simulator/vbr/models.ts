import type { Inventory } from '../inventory-generator.js';
import type { BackupServerRecord, Edition, ReplicaState } from '../inventory-types.js';
import type { InventoryObject } from './inventory-browser.js';

/**
 * VBR REST JSON (OpenAPI 1.3-rev1 field names and enums). Everything not in
 * the shared world (license numbers, database fields) is a fixed, plausible
 * value; docs/em.md lists the choices.
 */
export type Json = Record<string, unknown>;

/** EErrorCode members the simulator answers with. */
export type VbrErrorCode = 'AccessDenied' | 'ExpiredToken' | 'InvalidToken' | 'InvalidURI' | 'MethodNotAllowed' | 'NotFound' | 'NotImplemented' | 'ServiceUnavailable' | 'UnexpectedContent' | 'UnknownError';

export class VbrApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: VbrErrorCode,
    message: string,
    readonly resourceId?: string,
    /** Real VBR answers a bad bearer token with an empty body. */
    readonly emptyBody = false,
  ) {
    super(message);
  }
}

export function errorBody(e: VbrApiError): Json {
  return { errorCode: e.errorCode, message: e.message, ...(e.resourceId === undefined ? {} : { resourceId: e.resourceId }) };
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function tokenModel(t: { accessToken: string; refreshToken: string; issuedAt: number; expiresAt: number; expiresIn: number }): Json {
  return { access_token: t.accessToken, token_type: 'bearer', refresh_token: t.refreshToken, expires_in: t.expiresIn, '.issued': iso(t.issuedAt), '.expires': iso(t.expiresAt) };
}

export function serverInfoModel(s: BackupServerRecord): Json {
  return {
    vbrId: s.id,
    name: s.name,
    buildVersion: s.version,
    patches: [],
    databaseVendor: 'PostgreSql',
    sqlServerEdition: '',
    sqlServerVersion: '15.10',
    databaseSchemaVersion: '2025.1',
    databaseContentVersion: '13.0.1.1071',
    veeamRegistration: { isRegistered: false },
    platform: 'Windows',
  };
}

/** License type and package per edition (EInstalledLicenseType, ELicensePackageType); Community is the free edition. */
const LICENSE_OF: Record<Edition, { type: string; package?: string; instances: number }> = {
  Community: { type: 'Free', instances: 10 },
  Standard: { type: 'Perpetual', package: 'Backup', instances: 500 },
  Enterprise: { type: 'Subscription', package: 'Suite', instances: 1_000 },
  EnterprisePlus: { type: 'Rental', package: 'Suite', instances: 100_000 },
};

export function licenseModel(s: BackupServerRecord, usedInstances: number, referenceTime: number): Json {
  const l = LICENSE_OF[s.edition];
  const expires = iso(referenceTime + 365 * 24 * 3_600_000);
  return {
    status: 'Valid',
    ...(l.type === 'Free' ? {} : { expirationDate: expires }),
    type: l.type,
    edition: s.edition,
    licensedTo: 'Simulated Lab Ltd',
    instanceLicenseSummary: {
      licensedInstancesNumber: l.instances,
      usedInstancesNumber: Math.min(usedInstances, l.instances),
      newInstancesNumber: 0,
      rentalInstancesNumber: l.type === 'Rental' ? Math.min(usedInstances, l.instances) : 0,
      ...(l.package === undefined ? {} : { package: l.package }),
    },
    supportId: l.type === 'Free' ? '' : `${s.id.slice(0, 8).toUpperCase()}`,
    ...(l.type === 'Free' ? {} : { supportExpirationDate: expires }),
    autoUpdateEnabled: false,
    freeAgentInstanceConsumptionEnabled: true,
    cloudConnect: 'Disabled',
    IsMultiSection: false,
    proactiveSupportEnabled: false,
  };
}

/** VBR's id of the VMware vSphere platform (EPlatformType VMware). */
export const VMWARE_PLATFORM_ID = '00000000-0000-0000-0000-000000000000';

export function replicaModel(inv: Inventory, job: number, state: ReplicaState, creationTime: number): Json {
  const r = inv.replica(job)!;
  return {
    id: r.id,
    type: 'Regular',
    jobId: r.jobUid.slice(r.jobUid.lastIndexOf(':') + 1),
    name: r.name,
    platformName: 'VMware',
    platformId: VMWARE_PLATFORM_ID,
    creationTime: iso(creationTime),
    state,
  };
}

export function replicaPointModel(inv: Inventory, pointIndex: number, state: ReplicaState, allowedOperations: string[]): Json {
  const p = inv.vmReplicaPoint(pointIndex)!;
  return {
    id: p.id,
    name: p.vmDisplayName,
    platformName: 'VMware',
    platformId: VMWARE_PLATFORM_ID,
    creationTime: iso(p.creationTime),
    replicaId: inv.replica(p.replica)!.id,
    allowedOperations,
    state,
  };
}

export function jobModel(inv: Inventory, job: number, includes: InventoryObject[], destinationHost: InventoryObject): Json {
  const r = inv.replica(job)!;
  const id = r.jobUid.slice(r.jobUid.lastIndexOf(':') + 1);
  if (r.platform === 'vCloud') {
    // EJobType has no Cloud Director replication: the base JobModel, typed Unknown.
    return { id, name: r.jobName, type: 'Unknown', isDisabled: false };
  }
  return {
    id,
    name: r.jobName,
    type: 'VSphereReplica',
    isDisabled: false,
    description: `Replication of ${includes.length === 1 && includes[0]!.type === 'Folder' ? `folder ${includes[0]!.name}` : `${includes.length} VMs`}`,
    isHighPriority: false,
    virtualMachines: { includes },
    destination: { host: destinationHost },
  };
}

export function pagination(total: number, count: number, skip: number, limit: number): Json {
  return { total, count, skip, limit };
}
