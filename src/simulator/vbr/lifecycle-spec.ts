import { FAILBACK_MODES, type FailbackModeType } from '../lifecycle-machine.js';
import { invalid } from './route-types.js';

/**
 * The request bodies of the lifecycle POSTs (ViVMSnapshotReplica…Spec,
 * vbr-rest.md §2.2–§2.3), checked as VBR's model binding most likely checks
 * them: a malformed body is 400 UnexpectedContent before any point is looked
 * up. Field names are the document's, `destinationhost` with its lower-case h.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Body = Record<string, unknown>;

/** EReplicaFailbackType. */
export type FailbackType = 'OriginalLocation' | 'OriginalVM' | 'Customized';
const FAILBACK_TYPES: readonly FailbackType[] = ['OriginalLocation', 'OriginalVM', 'Customized'];

export interface FailbackMode {
  type: FailbackModeType;
  /** Scheduled: when to switch (epoch ms). */
  scheduledTime?: number;
}

export interface PointsSpec {
  /** Lower-case, in the order given. */
  replicaPointIds: string[];
}

export interface FailoverSpec extends PointsSpec {
  reason?: string;
}

export interface FailbackSpec extends PointsSpec {
  type: FailbackType;
  failbackMode: FailbackMode;
}

export interface SwitchoverTimeSpec extends PointsSpec {
  failbackMode: FailbackMode;
}

function object(raw: unknown): Body {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('The request body must be a JSON object.');
  return raw as Body;
}

function uuids(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !UUID.test(v))) throw invalid(`${field} must be an array of UUIDs.`);
  return (value as string[]).map((v) => v.toLowerCase());
}

/** `replicaPointIds` is optional in every spec but failover's; nothing to act on is refused all the same. */
function points(body: Body): string[] {
  if (body['replicaPointIds'] === undefined || (Array.isArray(body['replicaPointIds']) && body['replicaPointIds'].length === 0)) throw invalid('replicaPointIds must list at least one replica restore point.');
  return uuids(body['replicaPointIds'], 'replicaPointIds');
}

function optional(body: Body, field: string, type: 'boolean' | 'string'): void {
  if (body[field] !== undefined && typeof body[field] !== type) throw invalid(`${field} must be a ${type}.`);
}

export function parsePointsSpec(raw: unknown): PointsSpec {
  return { replicaPointIds: points(object(raw)) };
}

export function parseFailoverSpec(raw: unknown): FailoverSpec {
  const body = object(raw);
  optional(body, 'reason', 'string');
  const reason = body['reason'] as string | undefined;
  return { replicaPointIds: points(body), ...(reason === undefined ? {} : { reason }) };
}

/**
 * ReplicaFailbackModeSpec. Left out, or without a type: Manual, as
 * Start-VBRViReplicaFailback without -SwitchingSchedule leaves the switch to
 * -SwitchToProduction.
 */
export function parseFailbackMode(value: unknown): FailbackMode {
  if (value === undefined || value === null) return { type: 'Manual' };
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('failbackMode must be an object.');
  const mode = value as Body;
  const type = mode['type'] ?? 'Manual';
  if (typeof type !== 'string' || !(FAILBACK_MODES as readonly string[]).includes(type)) throw invalid(`failbackMode.type must be one of ${FAILBACK_MODES.join(', ')}.`);
  if (type !== 'Scheduled') return { type: type as FailbackModeType };
  const raw = mode['scheduledTime'];
  const at = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(at)) throw invalid('failbackMode.scheduledTime must be a date-time when failbackMode.type is Scheduled.');
  return { type: 'Scheduled', scheduledTime: at };
}

/** A vSphere InventoryObjectModel: platform VSphere with name, type and hostName (VmwareObjectModel's required fields). */
function vsphereObject(value: unknown, field: string): void {
  const o = value as Body | null;
  const ok = typeof o === 'object' && o !== null && o['platform'] === 'VSphere' && ['name', 'type', 'hostName'].every((k) => typeof o[k] === 'string' && o[k] !== '');
  if (!ok) throw invalid(`${field} must be a VMware vSphere inventory object (platform VSphere, name, type, hostName).`);
}

/** Each point needs an entry in `field` ({replicaPointId, <key>: inventory object}): where to fail back to. */
function perPoint(body: Body, ids: string[], field: string, key: string): void {
  const list = body[field];
  if (!Array.isArray(list)) throw invalid(`${field} is required for failback of type ${String(body['type'])}: one entry per replica point.`);
  for (const id of ids) {
    const entry = list.find((e) => typeof e === 'object' && e !== null && typeof (e as Body)['replicaPointId'] === 'string' && ((e as Body)['replicaPointId'] as string).toLowerCase() === id);
    if (!entry) throw invalid(`${field} has no entry for replica point ${id}.`, id);
    vsphereObject((entry as Body)[key], `${field}[].${key}`);
  }
}

/**
 * ViVMSnapshotReplicaFailbackSpec, polymorphic on `type`. What the target
 * needs follows Start-VBRViReplicaFailback's parameter sets: OriginalVM needs
 * the recovered VM of each point (-Vm), Customized the host of each point
 * (-Server); resource pool, datastore, folder and networks default to the
 * host's. Proxies are accepted and ignored.
 */
export function parseFailbackSpec(raw: unknown): FailbackSpec {
  const body = object(raw);
  const type = body['type'];
  if (typeof type !== 'string' || !(FAILBACK_TYPES as readonly string[]).includes(type)) throw invalid(`type must be one of ${FAILBACK_TYPES.join(', ')}.`);
  const ids = points(body);
  optional(body, 'powerOnTargetVM', 'boolean');
  if (body['drSiteProxyId'] !== undefined) uuids(body['drSiteProxyId'], 'drSiteProxyId');
  if (body['productionSiteProxyId'] !== undefined) uuids(body['productionSiteProxyId'], 'productionSiteProxyId');
  if (type === 'OriginalLocation') optional(body, 'quickRollback', 'boolean');
  if (type === 'OriginalVM') perPoint(body, ids, 'targetVM', 'destinationVM');
  if (type === 'Customized') {
    perPoint(body, ids, 'destinationhost', 'host');
    for (const field of ['resourcePool', 'datastore', 'network']) if (body[field] !== undefined && !Array.isArray(body[field])) throw invalid(`${field} must be an array.`);
    if (body['folder'] !== undefined && (typeof body['folder'] !== 'object' || body['folder'] === null || Array.isArray(body['folder']))) throw invalid('folder must be an object.');
  }
  return { replicaPointIds: ids, type: type as FailbackType, failbackMode: parseFailbackMode(body['failbackMode']) };
}

/** ViVMSnapshotReplicaChangeSwitchoverTimeFailbackSpec: the new mode is what the call is for. */
export function parseSwitchoverTimeSpec(raw: unknown): SwitchoverTimeSpec {
  const body = object(raw);
  if (body['failbackMode'] === undefined || body['failbackMode'] === null) throw invalid('failbackMode is required: the new switchover mode and time.');
  return { replicaPointIds: points(body), failbackMode: parseFailbackMode(body['failbackMode']) };
}
