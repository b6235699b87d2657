import type {
  BackupServer,
  CdpIntervals,
  CdpReplica,
  CdpReplicaVm,
  CdpVApp,
  EmTask,
  HierarchyRoot,
  Replica,
  RestoreSession,
  RestoreSessionResult,
  RestoreSessionState,
  TaskState,
  VAppReplicaPoint,
  VmReplicaPoint,
} from './types.js';

/**
 * EM's JSON, read tolerantly: the reference shows XML, so property spelling,
 * nesting of collections and the presence of simulator extension fields may
 * all differ on a real EM. Every reader here accepts the variants we know of
 * and falls back to links where a field is missing.
 */
export type Json = Record<string, unknown>;

export interface WireLink {
  rel: string;
  href: string;
  type: string;
  name?: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A property by exact name, else case-insensitively. */
export function field(o: unknown, ...names: string[]): unknown {
  if (!isObject(o)) return undefined;
  for (const n of names) if (o[n] !== undefined) return o[n];
  const wanted = names.map((n) => n.toLowerCase());
  for (const key of Object.keys(o)) if (wanted.includes(key.toLowerCase())) return o[key];
  return undefined;
}

export function str(o: unknown, ...names: string[]): string | undefined {
  const v = field(o, ...names);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function num(o: unknown, ...names: string[]): number | undefined {
  const v = field(o, ...names);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

function bool(o: unknown, ...names: string[]): boolean | undefined {
  const v = field(o, ...names);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.toLowerCase() === 'true';
  return undefined;
}

function date(o: unknown, ...names: string[]): Date | undefined {
  const v = str(o, ...names);
  if (v === undefined) return undefined;
  // EM's samples sometimes omit the zone on UTC fields. (The common 'Z' ending skips the regex: tens of thousands of dates per sync.)
  const d = new Date(v.endsWith('Z') || /[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function strings(o: unknown, ...names: string[]): string[] {
  const v = field(o, ...names);
  const list = Array.isArray(v) ? v : isObject(v) ? Object.values(v).find(Array.isArray) : undefined;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

/** XML-to-JSON mappings wrap lists ({"Interval":[…]}) or collapse one-element lists to an object. */
function list(v: unknown, inner?: string): Json[] {
  if (Array.isArray(v)) return v.filter(isObject);
  if (isObject(v)) {
    const nested = inner ? field(v, inner) : undefined;
    if (nested !== undefined) return list(nested);
    const arr = Object.values(v).find(Array.isArray);
    if (arr) return arr.filter(isObject);
    // A one-element list collapsed by an XML mapping: {"VmReplicaPoint": {…}}.
    const keys = Object.keys(v);
    if (keys.length === 1 && isObject(v[keys[0]!])) return list(v[keys[0]!]);
    return [v];
  }
  return [];
}

export function links(o: unknown): WireLink[] {
  const raw = field(o, 'Links', 'Link');
  return list(raw, 'Link').flatMap((l) => {
    const href = str(l, 'Href');
    return href === undefined ? [] : [{ rel: str(l, 'Rel') ?? '', href, type: str(l, 'Type') ?? '', name: str(l, 'Name') }];
  });
}

/** First link with this Rel whose Type starts with `typePrefix` (EM writes e.g. "BackupServerReference"). */
export function findLink(o: unknown, rel: string, typePrefix?: string): WireLink | undefined {
  const r = rel.toLowerCase();
  const t = typePrefix?.toLowerCase();
  return links(o).find((l) => l.rel.toLowerCase() === r && (t === undefined || l.type.toLowerCase().startsWith(t)));
}

/** The bare GUID that follows `/<segment>/` in an href, or the last path segment. */
export function idFromHref(href: string, segment?: string): string | undefined {
  const path = href.split(/[?#]/)[0]!;
  const parts = path.split('/').filter(Boolean);
  if (segment) {
    const i = parts.findIndex((p) => p.toLowerCase() === segment.toLowerCase());
    return i >= 0 ? parts[i + 1] : undefined;
  }
  return parts[parts.length - 1];
}

export function idFromUid(uid: string): string {
  return uid.slice(uid.lastIndexOf(':') + 1);
}

function identity(o: Json, type: string): { id: string; uid: string; name: string } {
  const uid = str(o, 'UID', 'Uid');
  const href = str(o, 'Href') ?? findLink(o, 'Alternate')?.href;
  const id = uid ? idFromUid(uid) : href ? idFromHref(href) : undefined;
  if (!id) throw new TypeError(`EM returned a ${type} without UID or Href`);
  return { id, uid: uid ?? `urn:veeam:${type}:${id}`, name: str(o, 'Name') ?? '' };
}

function upUid(o: Json, linkType: string, uidType: string, ...fields: string[]): string | undefined {
  const own = str(o, ...fields);
  if (own) return own;
  const up = findLink(o, 'Up', linkType);
  const id = up ? idFromHref(up.href) : undefined;
  return id ? `urn:veeam:${uidType}:${id}` : undefined;
}

const squash = (s: string): string => s.replace(/[^a-z]/gi, '').toLowerCase();

export function errorMessage(body: unknown): string | undefined {
  const inner = field(body, 'Error');
  return str(isObject(inner) ? inner : body, 'Message');
}

export function parseBackupServer(o: Json): BackupServer {
  return {
    ...identity(o, 'BackupServer'),
    version: str(o, 'Version'),
    description: str(o, 'Description'),
  };
}

export function parseHierarchyRoot(o: Json): HierarchyRoot {
  const base = identity(o, 'HierarchyRoot');
  return {
    ...base,
    hierarchyRootId: str(o, 'HierarchyRootId') ?? base.id,
    uniqueId: str(o, 'UniqueId'),
    hostType: str(o, 'HostType') ?? 'Unknown',
    backupServerUid: upUid(o, 'BackupServer', 'BackupServer'),
  };
}

export function parseReplica(o: Json): Replica {
  return {
    ...identity(o, 'Replica'),
    platform: str(o, 'Platform') ?? 'Unknown',
    backupServerUid: upUid(o, 'BackupServer', 'BackupServer'),
  };
}

export function parseVmReplicaPoint(o: Json): VmReplicaPoint {
  const base = identity(o, 'VmReplicaPoint');
  const vmDisplayName = str(o, 'VmDisplayName') ?? base.name.split('@')[0]!;
  const replicaUid = upUid(o, 'Replica', 'Replica') ?? 'urn:veeam:Replica:unknown';
  return {
    ...base,
    vmDisplayName,
    creationTime: date(o, 'CreationTimeUTC', 'CreationTime') ?? new Date(0),
    algorithm: str(o, 'Algorithm'),
    pointType: str(o, 'PointType', 'PoinType'),
    replicaUid,
    backupServerUid: upUid(o, 'BackupServer', 'BackupServer'),
    vmReplicaKey: `${replicaUid}/name:${vmDisplayName}`,
  };
}

export function parseVAppReplicaPoint(o: Json): VAppReplicaPoint {
  const base = identity(o, 'VAppReplicaPoint');
  const vAppDisplayName = str(o, 'VAppDisplayName') ?? base.name.split('@')[0]!;
  const replicaUid = upUid(o, 'Replica', 'Replica') ?? 'urn:veeam:Replica:unknown';
  return {
    ...base,
    vAppDisplayName,
    vAppName: str(o, 'VAppName'),
    creationTime: date(o, 'CreationTimeUTC', 'CreationTime') ?? new Date(0),
    algorithm: str(o, 'Algorithm'),
    pointType: str(o, 'PointType', 'PoinType'),
    replicaUid,
    backupServerUid: upUid(o, 'BackupServer', 'BackupServer'),
    vAppReplicaKey: `${replicaUid}/name:${vAppDisplayName}`,
  };
}

export function parseCdpReplica(o: Json): CdpReplica {
  return {
    ...identity(o, 'CdpReplica'),
    backupServerUid: upUid(o, 'BackupServer', 'BackupServer'),
    backupServerName: str(o, 'BackupServer'),
    policyUid: str(o, 'PolicyUid'),
    policyName: str(o, 'PolicyName'),
  };
}

export function parseCdpReplicaVm(o: Json, knownCdpReplicaId?: string): CdpReplicaVm {
  const base = identity(o, 'CdpReplicaVm');
  const cdpReplicaUid = upUid(o, 'CdpReplica', 'CdpReplica', 'ReplicaUid');
  const href = str(o, 'Href') ?? findLink(o, 'Alternate')?.href;
  const cdpReplicaId = knownCdpReplicaId ?? (href ? idFromHref(href, 'cdpReplicas') : undefined) ?? (cdpReplicaUid ? idFromUid(cdpReplicaUid) : '');
  return {
    ...base,
    cdpReplicaId,
    cdpReplicaUid,
    vmRef: str(o, 'VmRef'),
    backupServerUid: upUid(o, 'BackupServer', 'BackupServer'),
    policyUid: str(o, 'PolicyUid'),
    policyName: str(o, 'PolicyName'),
  };
}

export function parseCdpVApp(o: Json): CdpVApp {
  return {
    ...identity(o, 'VAppCdpReplica'),
    vAppRef: str(o, 'vAppRef'),
    cdpReplicaUid: str(o, 'ReplicaUid'),
    backupServerUid: upUid(o, 'BackupServer', 'BackupServer'),
    policyUid: str(o, 'PolicyUid'),
    policyName: str(o, 'PolicyName'),
  };
}

export function parseIntervals(o: Json): CdpIntervals {
  return {
    from: date(o, 'StartDate') ?? new Date(0),
    to: date(o, 'EndDate') ?? new Date(0),
    hasApplicationConsistentState: bool(o, 'HasApplicationConsistentState') ?? false,
    ranges: list(field(o, 'Intervals'), 'Interval').map((i) => ({
      start: date(i, 'StartDate') ?? new Date(0),
      end: date(i, 'EndDate') ?? new Date(0),
      rpo: num(i, 'Rpo'),
      type: str(i, 'IntervalType') ?? 'RestoreAvailable',
    })),
    longTermPoints: list(field(o, 'RestorePoints'), 'RestorePoint').map((p) => ({
      id: str(p, 'Id', 'UID') ?? '',
      date: date(p, 'Date', 'CreationTimeUTC') ?? new Date(0),
      applicationConsistent: bool(p, 'IsApplicationConsistent') ?? false,
    })),
  };
}

const TASK_STATES: readonly TaskState[] = ['Running', 'OperationFinished', 'Finished'];

export function parseTask(o: Json): EmTask {
  const stateText = str(o, 'State') ?? '';
  const result = field(o, 'Result');
  const related = findLink(o, 'Related', 'RestoreSession') ?? links(o).find((l) => /\/restoreSessions\//i.test(l.href));
  const id = str(o, 'TaskId') ?? (str(o, 'Href') ? idFromHref(str(o, 'Href')!) : undefined);
  if (!id) throw new TypeError('EM returned a Task without TaskId');
  return {
    id,
    state: TASK_STATES.find((s) => squash(s) === squash(stateText)) ?? 'Unknown',
    operation: str(o, 'Operation') ?? '',
    result: isObject(result) ? { success: bool(result, 'Success') ?? false, message: str(result, 'Message') ?? '' } : undefined,
    restoreSessionId: related ? idFromHref(related.href, 'restoreSessions') : undefined,
  };
}

const SESSION_STATES: readonly RestoreSessionState[] = ['Starting', 'Working', 'Stopping', 'Stopped'];
const SESSION_RESULTS: readonly RestoreSessionResult[] = ['Success', 'Warning', 'Failed'];

export function parseRestoreSession(o: Json): RestoreSession {
  const stateText = squash(str(o, 'State') ?? '');
  const resultText = squash(str(o, 'Result') ?? '');
  return {
    ...identity(o, 'RestoreSession'),
    vmDisplayName: str(o, 'VmDisplayName'),
    jobType: str(o, 'JobType'),
    state: SESSION_STATES.find((s) => squash(s) === stateText) ?? 'Unknown',
    result: SESSION_RESULTS.find((s) => squash(s) === resultText),
    progress: Math.max(0, Math.min(100, num(o, 'Progress') ?? 0)),
    creationTime: date(o, 'CreationTimeUTC', 'CreationTime'),
    endTime: date(o, 'EndTimeUTC', 'EndTime'),
    restoredObjRef: str(o, 'RestoredObjRef'),
    backupServerUid: upUid(o, 'BackupServer', 'BackupServer'),
  };
}

/**
 * The entity list of a collection or query answer, whatever the wrapping:
 * {"Entities":{"X":{"X":[…]}}} (the known sample), {"Entities":{"X":[…]}},
 * {"X":[…]}, {"Refs":[…]} or a bare array.
 */
export function collectionItems(body: unknown, plural: string): Json[] {
  if (Array.isArray(body)) return body.filter(isObject);
  if (!isObject(body)) return [];
  const container = field(body, 'Entities') ?? body;
  const direct = field(container, plural);
  if (direct !== undefined) return list(direct, plural);
  const refs = field(body, 'Refs', 'EntityReferences');
  if (refs !== undefined) return list(refs, 'Ref');
  // Unknown plural spelling: the one array-valued member of Entities.
  if (container !== body) return list(container);
  return [];
}

export interface PagingInfo {
  pageNum?: number;
  pagesCount?: number;
  nextHref?: string;
}

export function pagingInfo(body: unknown): PagingInfo | undefined {
  const info = field(body, 'PagingInfo');
  if (!isObject(info)) return undefined;
  return { pageNum: num(info, 'PageNum'), pagesCount: num(info, 'PagesCount'), nextHref: findLink(info, 'Next')?.href };
}
