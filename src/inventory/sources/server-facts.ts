import type { VbrLicense } from '../../vbr/types.js';
import type { LicenseEdition } from '../types.js';
import type { HierarchyIndex } from './hierarchy-index.js';
import type { HierarchyRecord } from './hierarchy-read.js';

/** Where a backup server's edition came from: its REST API's license, an operator's setting, or nowhere. */
export type EditionSource = 'VBR_LICENSE' | 'SETTING' | 'UNKNOWN';

/** The state of one VM's replica as its newest VBR replica point says. */
export interface PointState {
  /** The VM's name as VBR spells it. */
  vmName: string;
  state: string | null;
  /** Of the newest point, in ms. */
  creationTime: number;
}

/** One VBR replica (a vSphere replication job's replica) and its VMs' states. */
export interface ReplicaFacts {
  id: string;
  jobId: string;
  name: string;
  /** By VM name, lower case: the newest point's state. */
  vms: Map<string, PointState>;
}

/** What one source said of one backup server in one sync, and when. */
export interface SourceStatus {
  ok: boolean;
  /** Why not, in words an operator can act on. */
  error?: string;
  /** The failure may pass (no answer, 5xx): the last good data is kept and the server marked stale. Otherwise it lasts until someone changes a setting or a role. */
  transient?: boolean;
}

/**
 * Everything a sync learnt of one backup server beyond EM: from its own REST
 * API where the gateway has access, else from settings. Each part may be
 * missing on its own (no access, too old a revision, a failed call): the
 * sync then serves what EM alone gives and says what is missing.
 */
export interface ServerFacts {
  serverUid: string;
  serverName: string;
  /** Whether VBR_SERVERS names this server with a connection. */
  configured: boolean;
  /** Whether the REST API answered the logon. */
  reachable: boolean;
  revision?: string;
  edition: { value: LicenseEdition; source: EditionSource; detail?: string };
  license: SourceStatus;
  /** The license as read, when it was. */
  licenseRead?: VbrLicense;
  replicaStates: SourceStatus;
  hierarchy: SourceStatus;
  /** VBR replicas by id, and by job name (lower case) for matching EM's job-level replicas. */
  replicas: Map<string, ReplicaFacts>;
  replicasByName: Map<string, ReplicaFacts[]>;
  /** The hierarchy, when this sync built it (see buildIndex). */
  index?: HierarchyIndex;
  /**
   * Set when the hierarchy listing is page for page what the previous sync
   * read: no index was built, and this builds it (reading the listing again)
   * for a sync that finds an EM object to place after all.
   */
  buildIndex?: () => Promise<HierarchyIndex>;
  /** What this read of the hierarchy was, for the next sync. */
  hierarchyRecord?: HierarchyRecord;
  /** Inventory Browser objects listed. */
  hierarchyListed?: number;
  /** EM refs of the includes of the vSphere replica jobs whose VMs share a name with another VM (read only to tell them apart), by VBR job id. */
  includesRead: Map<string, string[]>;
  /** Digest of what places replicas (hierarchy, VBR replicas and job includes; not states): rows built under another one are rebuilt. */
  digest: string;
}

/** What a sync says of one backup server's sources (the `inventory sync` summary and `gateway { upstreams }`). */
export interface SourcesReport {
  configured: boolean;
  reachable: boolean;
  revision: string | null;
  edition: LicenseEdition;
  editionSource: EditionSource;
  /** Why the edition is not from the license, when it is not. */
  editionDetail: string | null;
  license: SourceStatus;
  replicaStates: SourceStatus;
  hierarchy: SourceStatus;
  /** Inventory Browser objects listed (containers, VMs, vApps; a VM once per hierarchy and tag). */
  hierarchyObjects: number;
  replicasMatched: number;
  replicasUnmatched: number;
  /** The first unmatched replicas, each with why. */
  unmatched: string[];
}

export function sourcesReport(facts: ServerFacts): Omit<SourcesReport, 'replicasMatched' | 'replicasUnmatched' | 'unmatched'> {
  return {
    configured: facts.configured,
    reachable: facts.reachable,
    revision: facts.revision ?? null,
    edition: facts.edition.value,
    editionSource: facts.edition.source,
    editionDetail: facts.edition.detail ?? null,
    license: facts.license,
    replicaStates: facts.replicaStates,
    hierarchy: facts.hierarchy,
    hierarchyObjects: facts.hierarchyListed ?? 0,
  };
}

/** A configured REST API that failed in a way that may pass: the server keeps its last good rows this sync. */
export function sourceFailure(facts: ServerFacts): string | undefined {
  if (!facts.configured) return undefined;
  const failed = [facts.license, facts.replicaStates, facts.hierarchy].find((s) => !s.ok && s.transient);
  return failed?.error;
}
