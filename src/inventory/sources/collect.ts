import type { Logger } from 'pino';
import type { VbrEndpoint, VbrServerEntry, StatedEdition } from '../../config/vbr-servers.js';
import type { HierarchyRoot } from '../../em/index.js';
import { isVbrError, type VbrErrorKind } from '../../vbr/errors.js';
import type { VbrClient, VbrLicense } from '../../vbr/types.js';
import type { LicenseEdition } from '../types.js';
import { contentHash } from '../hash.js';
import type { UrnToRefs } from './hierarchy-index.js';
import { readHierarchy, type HierarchyRecord } from './hierarchy-read.js';
import type { ReplicaFacts, ServerFacts, SourceStatus } from './server-facts.js';

/** What the sources stage needs to reach each backup server; plain data, so it crosses into a sync worker. */
export interface SourceSettings {
  /** The VBR_SERVERS entries. */
  servers: VbrServerEntry[];
  /** LICENSE_EDITION: the edition of servers whose license cannot be read. */
  licenseEdition?: StatedEdition;
}

const STATED: Record<StatedEdition, LicenseEdition> = {
  Community: 'COMMUNITY',
  Standard: 'STANDARD',
  Enterprise: 'ENTERPRISE',
  EnterprisePlus: 'ENTERPRISE_PLUS',
};

/** EInstalledLicenseEdition → the cache's edition; Unspecified is no edition at all. */
const LICENSED: Record<string, LicenseEdition> = { ...STATED, Unspecified: 'UNKNOWN' };

const text = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const kindOf = (e: unknown): VbrErrorKind | undefined => (isVbrError(e) ? e.kind : undefined);

const LASTING = new Set<VbrErrorKind | undefined>(['forbidden', 'not_implemented', 'not_found', 'unauthenticated', 'rejected']);

/** A failed source, with why in words that say what to fix. */
function failed(server: string, what: string, role: string, e: unknown): SourceStatus {
  return { ok: false, error: explain(server, what, role, e), transient: !LASTING.has(kindOf(e)) };
}

function explain(server: string, what: string, role: string, e: unknown): string {
  switch (kindOf(e)) {
    case 'forbidden':
      return `${what}: the VBR account of backup server ${server} lacks the ${role} role`;
    case 'not_implemented':
    case 'not_found':
      return `${what}: backup server ${server}'s REST API does not have it (needs a newer VBR)`;
    case 'unauthenticated':
      return `${what}: backup server ${server} refused the VBR credentials`;
    default:
      return `${what}: backup server ${server} did not answer (${text(e)})`;
  }
}

export interface CollectOptions {
  server: { uid: string; name: string };
  entry: VbrServerEntry | undefined;
  settings: SourceSettings;
  /** Opens a client for an endpoint (tests pass a fake). */
  connect: (endpoint: VbrEndpoint) => VbrClient;
  /** EM's hierarchy roots of this backup server (their Up link names it). */
  roots: HierarchyRoot[];
  /** What the previous sync's read of this server's hierarchy was, when it is still what the database holds. */
  previous?: HierarchyRecord;
  logger?: Logger;
  signal?: AbortSignal;
}

function statedEdition(server: string, entry: VbrServerEntry | undefined, settings: SourceSettings, why: string): ServerFacts['edition'] {
  const stated = entry?.licenseEdition ?? settings.licenseEdition;
  if (stated !== undefined) return { value: STATED[stated], source: 'SETTING', detail: why };
  return {
    value: 'UNKNOWN',
    source: 'UNKNOWN',
    detail: `edition unknown: give the gateway VBR access to backup server ${server} (Backup Administrator, VBR 12.3 or later) or set LICENSE_EDITION (${why})`,
  };
}

/**
 * Reads one backup server's facts from its REST API: license edition,
 * replica states and the hierarchy of its hosts. Each part fails alone and
 * says why; nothing here throws for a VBR failure.
 */
export async function collectServerFacts(o: CollectOptions): Promise<{ facts: ServerFacts; close: () => Promise<void> }> {
  const { server, entry, settings } = o;
  const none: SourceStatus = { ok: false, error: `backup server ${server.name} has no VBR access configured (VBR_SERVERS)` };
  const facts: ServerFacts = {
    serverUid: server.uid,
    serverName: server.name,
    configured: entry?.connection !== undefined,
    reachable: false,
    edition: statedEdition(server.name, entry, settings, 'no VBR access configured'),
    license: none,
    replicaStates: none,
    hierarchy: none,
    replicas: new Map(),
    replicasByName: new Map(),
    includesRead: new Map(),
    digest: '',
  };
  if (entry?.connection === undefined) return { facts, close: async () => undefined };
  const client = o.connect(entry.connection);
  const close = (): Promise<void> => client.close().catch(() => undefined);
  try {
    await client.logon();
    facts.revision = await client.apiRevision();
    facts.reachable = true;
  } catch (e) {
    const status = failed(server.name, 'VBR REST API', 'Restore Operator', e);
    facts.license = facts.replicaStates = facts.hierarchy = status;
    facts.edition = statedEdition(server.name, entry, settings, status.error!);
    o.logger?.warn({ server: server.name, err: e }, 'backup server REST API unreachable: serving what EM alone gives');
    return { facts, close };
  }

  const [license, states, hierarchy] = await Promise.allSettled([readLicense(client), readReplicaStates(client, o.signal), readHierarchy(client, o.roots, o.previous, o.signal)]);
  if (license.status === 'fulfilled') {
    const edition = String(license.value.edition);
    facts.license = { ok: true };
    facts.licenseRead = license.value;
    facts.edition = { value: LICENSED[edition] ?? 'UNKNOWN', source: 'VBR_LICENSE', detail: LICENSED[edition] === 'UNKNOWN' || LICENSED[edition] === undefined ? `the license of backup server ${server.name} names no known edition (${edition})` : undefined };
  } else {
    facts.license = failed(server.name, 'license', 'Backup Administrator', license.reason);
    facts.edition = statedEdition(server.name, entry, settings, facts.license.error!);
  }
  if (states.status === 'fulfilled') {
    facts.replicaStates = { ok: true };
    facts.replicas = states.value;
    for (const r of states.value.values()) {
      const k = r.name.toLowerCase();
      facts.replicasByName.set(k, [...(facts.replicasByName.get(k) ?? []), r]);
    }
  } else facts.replicaStates = failed(server.name, 'replica states', 'Restore Operator', states.reason);
  if (hierarchy.status === 'fulfilled') {
    const read = hierarchy.value;
    facts.hierarchy = { ok: true };
    facts.index = read.index;
    facts.hierarchyRecord = read.record;
    facts.hierarchyListed = read.record.listed;
    facts.buildIndex = read.unchanged;
  } else facts.hierarchy = failed(server.name, 'hierarchy (Inventory Browser)', 'Backup Administrator (before VBR 13.1)', hierarchy.reason);

  if (hierarchy.status === 'fulfilled') await readAmbiguousJobs(client, facts, new Set(hierarchy.value.record.ambiguous), hierarchy.value.toRefs, o.logger);
  facts.digest = contentHash([
    facts.revision,
    // States are kept current by a pass of their own (states.ts), so a failover does not make every page be parsed again.
    [...facts.replicas.values()].map((r) => [r.id, r.jobId, r.name]),
    hierarchy.status === 'fulfilled' ? hierarchy.value.digest : null,
    [...facts.includesRead],
  ]);
  return { facts, close };
}

/**
 * Reads the includes of every job one of whose VMs shares its name with
 * another VM of the server: only those need them, and a job read costs a call.
 */
async function readAmbiguousJobs(client: VbrClient, facts: ServerFacts, ambiguousNames: Set<string>, toRefs: UrnToRefs, logger?: Logger): Promise<void> {
  for (const replica of facts.replicas.values()) {
    if (facts.includesRead.has(replica.jobId)) continue;
    if (![...replica.vms.keys()].some((name) => ambiguousNames.has(name))) continue;
    try {
      const job = await client.getJob(replica.jobId);
      const refs = job.includes.flatMap((i) => {
        if (!i.urn) return [];
        const read = toRefs({ platform: 'VSphere', hostName: i.hostName, name: i.name, type: i.type, objectId: i.objectId, urn: i.urn });
        return read.ok ? [read.refs[read.refs.length - 1]!] : [];
      });
      facts.includesRead.set(replica.jobId, refs);
    } catch (e) {
      logger?.warn({ server: facts.serverName, job: replica.name, err: e }, 'replication job includes unreadable: its same-named VMs stay unmatched');
    }
  }
}

async function readLicense(client: VbrClient): Promise<VbrLicense> {
  return client.getLicense();
}

async function readReplicaStates(client: VbrClient, signal?: AbortSignal): Promise<Map<string, ReplicaFacts>> {
  const replicas = new Map<string, ReplicaFacts>();
  for await (const page of client.listReplicas()) {
    for (const r of page) replicas.set(r.id, { id: r.id, jobId: r.jobId, name: r.name, vms: new Map() });
    signal?.throwIfAborted();
  }
  for await (const page of client.listReplicaPoints()) {
    for (const p of page) {
      const replica = replicas.get(p.replicaId);
      if (replica === undefined) continue;
      const k = p.name.toLowerCase();
      const known = replica.vms.get(k);
      const at = p.creationTime.getTime();
      // The newest point carries the VM's state.
      if (known !== undefined && known.creationTime >= at) continue;
      replica.vms.set(k, { vmName: p.name, state: p.state ?? null, creationTime: at });
    }
    signal?.throwIfAborted();
  }
  return replicas;
}
