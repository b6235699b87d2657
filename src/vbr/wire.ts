import type { VbrInventoryObject, VbrJob, VbrJobInclude, VbrLicense, VbrReplica, VbrReplicaPoint, VbrServerInfo, VbrSessionModel } from './types.js';

/**
 * VBR's JSON → domain objects. VBR REST is JSON-native with the camelCase
 * names of its OpenAPI documents, so names are matched exactly; only
 * documented fields are read and unknown ones are ignored. A reader returns
 * undefined when a field the document marks required (and the gateway needs)
 * is missing: the caller decides whether to skip the object or fail.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(o: Json, name: string): string | undefined {
  const v = o[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function date(o: Json, name: string): Date | undefined {
  const v = text(o, name);
  if (v === undefined) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function objects(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/** The `data` array and `pagination.total` of a `{data, pagination}` listing. */
export function listing(body: unknown): { data: unknown[]; total?: number } {
  if (!isObject(body)) return { data: [] };
  const data = Array.isArray(body.data) ? body.data : [];
  return { data, total: pagination(body.pagination).total };
}

/** `total` and `count` of a PaginationResult, each when it is a count. */
export function pagination(o: unknown): { total?: number; count?: number } {
  if (!isObject(o)) return {};
  const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  return { total: count(o.total), count: count(o.count) };
}

/** VBR's `Error` body; a non-JSON answer arrives from the transport as `{Message}`. */
export function errorBody(body: unknown): { errorCode?: string; message?: string; resourceId?: string } {
  if (!isObject(body)) return {};
  return { errorCode: text(body, 'errorCode'), message: text(body, 'message') ?? text(body, 'Message'), resourceId: text(body, 'resourceId') };
}

export interface WireToken {
  accessToken: string;
  refreshToken?: string;
  /** Lifetime of the access token in ms: `expires_in`, else `.expires` − `.issued`. */
  lifetimeMs?: number;
}

/** TokenModel. */
export function parseToken(body: unknown): WireToken | undefined {
  if (!isObject(body)) return undefined;
  const accessToken = text(body, 'access_token');
  if (accessToken === undefined) return undefined;
  const expiresIn = body.expires_in;
  let lifetimeMs = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : undefined;
  if (lifetimeMs === undefined) {
    const issued = date(body, '.issued');
    const expires = date(body, '.expires');
    if (issued && expires && expires > issued) lifetimeMs = expires.getTime() - issued.getTime();
  }
  return { accessToken, refreshToken: text(body, 'refresh_token'), lifetimeMs };
}

/** ServerInfoModel. */
export function parseServerInfo(o: unknown): VbrServerInfo | undefined {
  if (!isObject(o)) return undefined;
  const vbrId = text(o, 'vbrId');
  const name = text(o, 'name');
  const buildVersion = text(o, 'buildVersion');
  if (vbrId === undefined || name === undefined || buildVersion === undefined) return undefined;
  return { vbrId, name, buildVersion, platform: text(o, 'platform') };
}

/** InstalledLicenseModel. */
export function parseLicense(o: unknown): VbrLicense | undefined {
  if (!isObject(o)) return undefined;
  const status = text(o, 'status');
  const edition = text(o, 'edition');
  if (status === undefined || edition === undefined) return undefined;
  const summaryPackage = (name: string): string | undefined => (isObject(o[name]) ? text(o[name] as Json, 'package') : undefined);
  return {
    status,
    edition,
    type: text(o, 'type'),
    package: summaryPackage('instanceLicenseSummary') ?? summaryPackage('socketLicenseSummary'),
    expirationDate: date(o, 'expirationDate'),
  };
}

/** ReplicaModel (RegularReplicaModel adds creationTime and state). */
export function parseReplica(o: unknown): VbrReplica | undefined {
  if (!isObject(o)) return undefined;
  const id = text(o, 'id');
  const type = text(o, 'type');
  const jobId = text(o, 'jobId');
  const name = text(o, 'name');
  const platformName = text(o, 'platformName');
  if (id === undefined || type === undefined || jobId === undefined || name === undefined || platformName === undefined) return undefined;
  return { id, type, jobId, name, platformName, platformId: text(o, 'platformId'), creationTime: date(o, 'creationTime'), state: text(o, 'state') };
}

/** ReplicaPointModel. */
export function parseReplicaPoint(o: unknown): VbrReplicaPoint | undefined {
  if (!isObject(o)) return undefined;
  const id = text(o, 'id');
  const name = text(o, 'name');
  const platformName = text(o, 'platformName');
  const platformId = text(o, 'platformId');
  const creationTime = date(o, 'creationTime');
  const replicaId = text(o, 'replicaId');
  if (id === undefined || name === undefined || platformName === undefined || platformId === undefined || creationTime === undefined || replicaId === undefined) return undefined;
  const allowed = Array.isArray(o.allowedOperations) ? o.allowedOperations.filter((x): x is string => typeof x === 'string') : [];
  return { id, name, platformName, platformId, creationTime, replicaId, allowedOperations: allowed, state: text(o, 'state') };
}

/** .NET's DateTime.MinValue, which VBR writes for a time not set yet (an example's `endTime` of a running session). */
const NOT_SET = /^0001-01-01T00:00:00/;

/** SessionModel. A `result` present without its required `result.result` makes the session unreadable. */
export function parseSession(o: unknown): VbrSessionModel | undefined {
  if (!isObject(o)) return undefined;
  const id = text(o, 'id');
  const name = text(o, 'name');
  const sessionType = text(o, 'sessionType');
  const state = text(o, 'state');
  const creationTime = date(o, 'creationTime');
  if (id === undefined || name === undefined || sessionType === undefined || state === undefined || creationTime === undefined) return undefined;
  let result: VbrSessionModel['result'];
  if (o.result !== undefined && o.result !== null) {
    if (!isObject(o.result)) return undefined;
    const value = text(o.result, 'result');
    if (value === undefined) return undefined;
    const isCanceled = o.result.isCanceled;
    result = { result: value, message: text(o.result, 'message'), isCanceled: typeof isCanceled === 'boolean' ? isCanceled : undefined };
  }
  const progress = o.progressPercent;
  const endText = text(o, 'endTime');
  return {
    id,
    name,
    sessionType,
    state,
    progressPercent: typeof progress === 'number' && Number.isFinite(progress) ? progress : undefined,
    creationTime,
    endTime: endText === undefined || NOT_SET.test(endText) ? undefined : date(o, 'endTime'),
    result,
  };
}

/**
 * EInventoryPlatformType spellings of the two platforms the gateway reads. The
 * spec's own "Get All Servers" result example writes `VMware` where the enum
 * says `VSphere`: both are read as VSphere.
 */
const PLATFORMS: Record<string, 'VSphere' | 'CloudDirector'> = { VSphere: 'VSphere', VMware: 'VSphere', CloudDirector: 'CloudDirector' };

/** VmwareObjectModel / CloudDirectorObjectModel; null for other platforms (Hyper-V, agents, …), which are passed over. */
export function parseInventoryObject(o: unknown): VbrInventoryObject | undefined | null {
  if (!isObject(o)) return undefined;
  const spelled = text(o, 'platform');
  if (spelled === undefined) return undefined;
  const platform = PLATFORMS[spelled];
  if (platform === undefined) return null;
  const include = parseInclude(o);
  return include === undefined ? undefined : { platform, ...include };
}

function parseInclude(o: Json): VbrJobInclude | undefined {
  const name = text(o, 'name');
  const type = text(o, 'type');
  const hostName = text(o, 'hostName');
  if (name === undefined || type === undefined || hostName === undefined) return undefined;
  return { name, type, hostName, objectId: text(o, 'objectId'), urn: text(o, 'urn') };
}

/** JobModel; `includes` from VSphereReplicaJobModel.virtualMachines.includes (empty for other job types). */
export function parseJob(o: unknown): { job: VbrJob; unreadIncludes: number } | undefined {
  if (!isObject(o)) return undefined;
  const id = text(o, 'id');
  const name = text(o, 'name');
  const type = text(o, 'type');
  if (id === undefined || name === undefined || type === undefined) return undefined;
  const raw = isObject(o.virtualMachines) ? objects(o.virtualMachines.includes) : [];
  const includes = raw.map(parseInclude).filter((x): x is VbrJobInclude => x !== undefined);
  return { job: { id, name, type, includes }, unreadIncludes: raw.length - includes.length };
}
