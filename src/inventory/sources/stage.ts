import type { Logger } from 'pino';
import { vbrEntryFor, type VbrEndpoint } from '../../config/vbr-servers.js';
import type { EmClient, HierarchyRoot } from '../../em/index.js';
import type { VbrClient } from '../../vbr/types.js';
import { contentHash } from '../hash.js';
import { collectServerFacts, type SourceSettings } from './collect.js';
import { SourceJoin, type EmRefParser } from './join.js';
import { parseEmRef } from '../../hierarchy/index.js';
import type { HierarchyRecord } from './hierarchy-read.js';
import type { ServerFacts } from './server-facts.js';

export interface SourcesStage {
  join: SourceJoin;
  facts: Map<string, ServerFacts>;
  /** EM's hierarchy roots, or why they could not be read. */
  roots: HierarchyRoot[];
  rootsError?: string;
  /** Changes whenever anything the sources said changes: rows built under another digest are rebuilt. */
  digest: string;
  /** Per backup server whose hierarchy was read: what the read was, for the next sync. */
  records: Map<string, HierarchyRecord>;
  /**
   * Builds backup server `serverUid`'s hierarchy when it was left unbuilt
   * because its listing had not changed (see ServerFacts.buildIndex). Call
   * before placing an EM object on that server: the join refuses to place on
   * a server whose hierarchy is not built. Other servers' stay unbuilt: one
   * changed object costs one server's listings, not every server's.
   */
  ready(serverUid: string): Promise<void>;
  close(): Promise<void>;
}

export interface SourcesStageOptions {
  em: EmClient;
  servers: Array<{ uid: string; name: string }>;
  settings: SourceSettings;
  connect: (endpoint: VbrEndpoint) => VbrClient;
  /** What the previous sync's reads of each server's hierarchy were (by server uid), when the database still holds what that sync wrote. */
  previous?: Map<string, HierarchyRecord>;
  logger?: Logger;
  signal?: AbortSignal;
}

/**
 * The sources stage of a sync: EM's hierarchy roots, then every backup
 * server's REST API side by side. What it learns is joined with EM's
 * listings as rows are built (SourceJoin).
 */
export async function runSourcesStage(o: SourcesStageOptions): Promise<SourcesStage> {
  let roots: HierarchyRoot[] = [];
  let rootsError: string | undefined;
  try {
    roots = await o.em.listHierarchyRoots();
  } catch (e) {
    rootsError = `EM did not list its hierarchy roots: ${e instanceof Error ? e.message : String(e)}`;
    o.logger?.warn({ err: e }, 'hierarchy roots unavailable: hierarchy refs cannot be built this sync');
  }
  const collected = await Promise.all(
    o.servers.map((server) =>
      collectServerFacts({
        server,
        entry: vbrEntryFor(o.settings.servers, server),
        settings: o.settings,
        connect: o.connect,
        roots: roots.filter((r) => r.backupServerUid?.toLowerCase() === server.uid.toLowerCase()),
        previous: o.previous?.get(server.uid),
        logger: o.logger,
        signal: o.signal,
      }),
    ),
  );
  const facts = new Map(collected.map(({ facts }) => [facts.serverUid, facts]));
  if (rootsError !== undefined) {
    for (const f of facts.values()) {
      if (f.hierarchy.ok) {
        f.hierarchy = { ok: false, error: rootsError };
        f.index = undefined;
        f.buildIndex = undefined;
        f.hierarchyRecord = undefined;
      }
    }
  }
  const join = new SourceJoin(facts, roots, emRefParts, (server, jobId) => facts.get(server)?.includesRead.get(jobId));
  const records = new Map<string, HierarchyRecord>();
  for (const f of facts.values()) if (f.hierarchy.ok && f.hierarchyRecord !== undefined) records.set(f.serverUid, f.hierarchyRecord);
  const building = new Map<string, Promise<void>>();
  const ready = (serverUid: string): Promise<void> => {
    const f = facts.get(serverUid);
    if (f === undefined || f.index !== undefined || f.buildIndex === undefined) return Promise.resolve();
    let built = building.get(serverUid);
    if (built === undefined) {
      const buildIndex = f.buildIndex;
      o.logger?.debug({ server: f.serverName }, 'an EM object to place on a server whose hierarchy was not built: reading it');
      built = buildIndex().then((index) => {
        f.index = index;
        f.buildIndex = undefined;
      });
      building.set(serverUid, built);
    }
    return built;
  };
  return {
    join,
    facts,
    roots,
    rootsError,
    digest: contentHash([roots.map((r) => [r.hierarchyRootId, r.name, r.backupServerUid ?? null]), digestOf(facts)]),
    records,
    ready,
    close: async () => {
      await Promise.all(collected.map((c) => c.close()));
    },
  };
}

/** The root id and object ref of an EM ref, as src/hierarchy reads it. */
const emRefParts: EmRefParser = (ref) => {
  const parsed = parseEmRef(ref);
  return parsed.ok ? { rootId: parsed.ref.hierarchyRootId, objectRef: parsed.ref.objectRef } : undefined;
};

function digestOf(facts: Map<string, ServerFacts>): string {
  return contentHash(
    [...facts.values()].map((f) => [
      f.serverUid,
      f.edition.value,
      f.digest,
    ]),
  );
}
