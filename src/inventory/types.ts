import type { ReplicaKind, LicenseEdition } from '../generated/prisma/enums.js';

import type { SourcesReport } from './sources/server-facts.js';

export type { ReplicaKind, LicenseEdition };

/** The four kinds, in the order reports and summaries list them. */
export const REPLICA_KINDS: readonly ReplicaKind[] = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'];

/** What one sync did to one kind of row. */
export interface ChangeCounts {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

/** One backup server's part of a sync. */
export interface ServerSyncReport {
  /** EM uid of the backup server. */
  id: string;
  name: string;
  edition: LicenseEdition;
  /** False when an EM call needed for this server failed: nothing of it was deleted and it is marked stale. */
  ok: boolean;
  error?: string;
  replicas: Record<ReplicaKind, ChangeCounts>;
  restorePoints: ChangeCounts;
  /** Per CDP VM or vApp: whether its ranges and long-term points were (re)written. `removed` stays 0 (they go with their replica). */
  cdpIntervals: ChangeCounts;
  /** What the server's own REST API (or a setting) said: edition and its source, states, hierarchy, matching. */
  sources: SourcesReport;
}

export interface SyncReport {
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  /** True when every EM call succeeded for every server. */
  ok: boolean;
  /** Why the sync as a whole failed (e.g. EM unreachable), if it did. */
  error?: string;
  /**
   * The sync was stopped by its own process (the gateway stopping), not by a
   * failure: it recorded no end, so every server's freshness and the last
   * sync's outcome are as they were. Rows it wrote before it stopped stay.
   */
  interrupted?: true;
  servers: ServerSyncReport[];
  /** Backup servers that EM no longer lists, deleted with everything under them. */
  removedServers: string[];
  /** Rows inserted, updated or deleted in the inventory tables (freshness columns not counted). */
  writes: number;
  /** EM objects ignored because their backup server is unknown (listed by EM under no server). */
  skipped: number;
}

export interface ServerSummary {
  id: string;
  name: string;
  edition: LicenseEdition;
  version: string | null;
  lastSyncStartedAt: Date | null;
  /** End of the last successful sync of this server. */
  lastSyncedAt: Date | null;
  lastSyncFailedAt: Date | null;
  lastSyncError: string | null;
  /** True while the last sync failed: the rows are the last good copy. */
  stale: boolean;
  replicas: Record<ReplicaKind, number>;
  restorePoints: number;
  cdpRanges: number;
  cdpLongTermPoints: number;
  /** The server's own REST API and what it gave, as the last sync stored it. */
  sources: ServerSourcesSummary;
}

/** A source read from a backup server's REST API: the error of the last sync, and the last good read (its age). */
export interface SourceFreshness {
  error: string | null;
  readAt: Date | null;
}

export interface ServerSourcesSummary {
  configured: boolean;
  reachable: boolean;
  revision: string | null;
  editionSource: 'VBR_LICENSE' | 'SETTING' | 'UNKNOWN';
  editionDetail: string | null;
  license: SourceFreshness;
  replicaStates: SourceFreshness;
  hierarchy: SourceFreshness;
  hierarchyObjects: number;
  replicasMatched: number;
  replicasUnmatched: number;
  unmatched: string[];
}

export interface InventorySummary {
  /** The last sync as a whole, including one that failed before any backup server was known. */
  lastSync: {
    startedAt: Date | null;
    finishedAt: Date | null;
    succeededAt: Date | null;
    error: string | null;
  };
  servers: ServerSummary[];
  totals: {
    replicas: Record<ReplicaKind, number>;
    allReplicas: number;
    restorePoints: number;
    cdpRanges: number;
    cdpLongTermPoints: number;
  };
}

export function emptyChangeCounts(): ChangeCounts {
  return { added: 0, updated: 0, removed: 0, unchanged: 0 };
}

export function perKind<T>(make: () => T): Record<ReplicaKind, T> {
  return { VM_REPLICA: make(), CDP_VM: make(), VCD_VAPP_REPLICA: make(), VCD_CDP_VAPP: make() };
}
