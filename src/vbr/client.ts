import { HttpTransport } from '../http-client/exchange.js';
import { normalizeFingerprint } from '../http-client/tls.js';
import { VbrAuth } from './auth.js';
import { VbrRejectedError, VbrUnavailableError } from './errors.js';
import { lifecycleCalls } from './lifecycle.js';
import { fingerprintedPages, pages } from './paging.js';
import { isRevision } from './revisions.js';
import { VbrSession, type VbrCall } from './session.js';
import { VBR_API_REVISIONS, type VbrClient, type VbrClientOptions, type VbrInventoryQuery, type VbrSessionFilter } from './types.js';
import { parseInventoryObject, parseJob, parseLicense, parseReplica, parseReplicaPoint, parseServerInfo, parseSession } from './wire.js';

const seg = encodeURIComponent;

export interface VbrConnection {
  client: VbrClient;
  /** The call layer, for calls the client has no method for (e.g. a changing POST: `kind: 'change'`). */
  session: VbrSession;
}

/**
 * Creates the client of one VBR server's REST API. It logs on lazily, on the
 * first call; bad options throw a TypeError naming the option.
 */
export function createVbrClient(options: VbrClientOptions): VbrClient {
  return connectVbr(options).client;
}

/** The client and its call layer. */
export function connectVbr(options: VbrClientOptions): VbrConnection {
  const o = checkOptions(options);
  const baseUrl = o.url.replace(/\/+$/, '');
  const transport = new HttpTransport({ ca: o.ca, fingerprint: o.fingerprint });
  const timeoutMs = o.timeoutMs ?? 10_000;
  const now = o.now ?? Date.now;
  const retry = { retries: o.readRetries ?? 3, baseDelayMs: o.retryBaseDelayMs ?? 200, maxDelayMs: o.retryMaxDelayMs ?? 5_000 };
  const auth = new VbrAuth({
    baseUrl,
    username: o.username,
    password: o.password,
    transport,
    timeoutMs,
    retry,
    refreshMarginMs: o.refreshMarginMs ?? 30_000,
    pinned: o.apiVersion,
    logger: o.logger,
    now,
  });
  const session = new VbrSession({ baseUrl, transport, timeoutMs, retry, logger: o.logger }, auth);
  const pageSize = o.pageSize ?? 500;

  const read = (path: string, endpoint: VbrCall['endpoint']): Promise<unknown> => session.call({ method: 'GET', path, kind: 'read', endpoint });
  /** A single object that VBR answered without a field the documents mark required. */
  const unreadable = (what: string, path: string): VbrUnavailableError =>
    new VbrUnavailableError(`VBR answered a ${what} the client cannot read (required fields missing)`, { method: 'GET', url: `${baseUrl}${path}` });
  const required = (value: string, name: string): void => {
    if (typeof value !== 'string' || value.trim() === '') throw new VbrRejectedError(`${name} must be a non-empty string`);
  };

  /** One page of a host's Inventory Browser listing, as the bytes VBR sent. */
  const browse = (hostName: string, query: VbrInventoryQuery) => {
    required(hostName, 'hostName');
    required(query.hierarchyType, 'hierarchyType');
    const path = `/api/v1/inventory/${seg(hostName)}`;
    return (skip: number, limit: number): Promise<unknown> =>
      session.call({ method: 'POST', path, body: { pagination: { skip, limit }, hierarchyType: query.hierarchyType, ...(query.filter ? { filter: query.filter } : {}) }, kind: 'read', endpoint: 'inventoryBrowse', raw: true });
  };

  const client: VbrClient = {
    apiRevision: () => auth.revision(),
    async logon() {
      await auth.accessToken();
    },
    close: () => session.close(),

    async getServerInfo() {
      const path = '/api/v1/serverInfo';
      return parseServerInfo(await read(path, 'serverInfo')) ?? Promise.reject(unreadable('ServerInfoModel', path));
    },
    async getLicense() {
      const path = '/api/v1/license';
      return parseLicense(await read(path, 'license')) ?? Promise.reject(unreadable('InstalledLicenseModel', path));
    },
    listReplicas: () =>
      pages((skip, limit) => session.call({ method: 'GET', path: '/api/v1/replicas', query: { skip, limit }, kind: 'read', endpoint: 'replicas' }), parseReplica, pageSize, 'replicas', o.logger),
    async getReplica(id) {
      required(id, 'replica id');
      const path = `/api/v1/replicas/${seg(id)}`;
      return parseReplica(await read(path, 'replicas')) ?? Promise.reject(unreadable('ReplicaModel', path));
    },
    listReplicaPoints(filter = {}) {
      if (filter.replicaId !== undefined) required(filter.replicaId, 'replicaId');
      if (filter.name !== undefined) required(filter.name, 'name');
      const path = filter.replicaId === undefined ? '/api/v1/replicaPoints' : `/api/v1/replicas/${seg(filter.replicaId)}/replicaPoints`;
      const named = filter.name === undefined ? {} : { nameFilter: filter.name };
      return pages((skip, limit) => session.call({ method: 'GET', path, query: { ...named, skip, limit }, kind: 'read', endpoint: 'replicaPoints' }), parseReplicaPoint, pageSize, 'replica points', o.logger);
    },
    async getJob(id) {
      required(id, 'job id');
      const path = `/api/v1/jobs/${seg(id)}`;
      const parsed = parseJob(await read(path, 'jobs'));
      if (parsed === undefined) throw unreadable('JobModel', path);
      if (parsed.unreadIncludes > 0) o.logger?.warn({ jobId: id, skipped: parsed.unreadIncludes }, 'VBR job includes the client cannot read; skipped');
      return parsed.job;
    },
    listInventoryHosts: () =>
      pages(
        (skip, limit) => session.call({ method: 'POST', path: '/api/v1/inventory', body: { pagination: { skip, limit } }, kind: 'read', endpoint: 'inventoryHosts' }),
        parseInventoryObject,
        pageSize,
        'inventory hosts',
        o.logger,
      ),
    browseInventoryPages(hostName: string, query: VbrInventoryQuery) {
      return fingerprintedPages(browse(hostName, query), parseInventoryObject, pageSize, `inventory of ${hostName}`, o.logger);
    },

    ...lifecycleCalls(session, { baseUrl, now, logger: o.logger }),
    async getSession(id) {
      required(id, 'session id');
      const path = `/api/v1/sessions/${seg(id)}`;
      return parseSession(await read(path, 'sessions')) ?? Promise.reject(unreadable('SessionModel', path));
    },
    listSessions(filter = {}) {
      const query = sessionQuery(filter);
      // Oldest first: sessions created while the listing runs land after the pages already read instead of shifting them.
      return pages(
        (skip, limit) => session.call({ method: 'GET', path: '/api/v1/sessions', query: { skip, limit, orderColumn: 'CreationTime', orderAsc: 'true', ...query }, kind: 'read', endpoint: 'sessions' }),
        parseSession,
        pageSize,
        'sessions',
        o.logger,
      );
    },
  };
  return { client, session };
}

/** VbrSessionFilter → the documented query parameters; bad values are refused before anything is sent. */
function sessionQuery(f: VbrSessionFilter): Record<string, string | undefined> {
  const when = (value: Date | undefined, name: string): string | undefined => {
    if (value === undefined) return undefined;
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new VbrRejectedError(`${name} must be a valid date`);
    return value.toISOString();
  };
  const word = (value: string | undefined, name: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') throw new VbrRejectedError(`${name} must be a non-empty string`);
    return value;
  };
  return {
    createdAfterFilter: when(f.createdAfter, 'createdAfter'),
    createdBeforeFilter: when(f.createdBefore, 'createdBefore'),
    endedAfterFilter: when(f.endedAfter, 'endedAfter'),
    endedBeforeFilter: when(f.endedBefore, 'endedBefore'),
    typeFilter: word(f.type, 'type'),
    stateFilter: word(f.state, 'state'),
    resultFilter: word(f.result, 'result'),
    nameFilter: word(f.name, 'name'),
    jobIdFilter: word(f.jobId, 'jobId'),
  };
}

function checkOptions(o: VbrClientOptions): VbrClientOptions {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new TypeError(`url must be an absolute http(s) URL, not '${o.url}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`url must be http: or https:, not ${url.protocol}`);
  if (url.search || url.hash) throw new TypeError('url must not carry a query or a fragment');
  if (/\/api\/?$/.test(url.pathname)) throw new TypeError('url is the server base without /api (e.g. https://vbr01:9419)');
  if (url.protocol === 'http:' && (o.ca !== undefined || o.fingerprint !== undefined)) throw new TypeError('ca and fingerprint apply to https: URLs only');
  if (typeof o.username !== 'string' || o.username === '') throw new TypeError('username must be a non-empty string');
  if (typeof o.password !== 'string') throw new TypeError('password must be a string');
  if (o.ca !== undefined && !/-----BEGIN CERTIFICATE-----/.test(o.ca)) throw new TypeError('ca must be PEM text (-----BEGIN CERTIFICATE-----)');
  if (o.fingerprint !== undefined) normalizeFingerprint(o.fingerprint);
  if (o.apiVersion !== undefined && !isRevision(o.apiVersion)) throw new TypeError(`apiVersion must be one of ${VBR_API_REVISIONS.join(', ')}, not '${String(o.apiVersion)}'`);
  const counts: Array<[keyof VbrClientOptions, number]> = [
    ['timeoutMs', 1],
    ['readRetries', 0],
    ['retryBaseDelayMs', 0],
    ['retryMaxDelayMs', 0],
    ['pageSize', 1],
    ['refreshMarginMs', 0],
  ];
  for (const [name, min] of counts) {
    const v = o[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min)) throw new TypeError(`${name} must be a whole number ≥ ${min}, not ${String(v)}`);
  }
  return o;
}
