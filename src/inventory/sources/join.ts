import type { CdpReplicaVm, CdpVApp, Replica, VAppReplicaPoint, VmReplicaPoint } from '../../em/index.js';
import { idFromUid } from '../../em/wire.js';
import type { HierarchyIndex } from './hierarchy-index.js';
import type { ReplicaFacts, ServerFacts } from './server-facts.js';

/** Where a replica's source sits and what state it is in, as the joined sources say. */
export interface Placement {
  /** Every ancestor's ref and the object's own, root first; [] when no source places it. */
  refs: string[];
  objectRef: string | null;
  memberVmRefs: string[];
  /** From VBR (vSphere snapshot replicas only); null when no source says. */
  state: string | null;
  /** The matched VBR replica's id (vSphere snapshot replicas only). */
  vbrReplicaId: string | null;
}

/** Per backup server: how many replicas the sources placed, and the names of those they could not. */
export interface MatchCounts {
  matched: number;
  unmatched: number;
  /** The first unmatched replicas, each with why (at most MAX_NAMED). */
  unmatchedNames: string[];
}

const MAX_NAMED = 20;

/** An EM ref split into its parts (`urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>`); undefined when it is not one. */
export type EmRefParser = (ref: string) => { rootId: string; objectRef: string } | undefined;

/**
 * Joins what EM lists with what each backup server's REST API said, on
 * documented fields only (see docs/real-sources.md, "Matching"): EM's
 * job-level replica to VBR's replica by id where id and name agree, else by
 * job name; a VM by name within its server's hosts, told apart by the job's
 * includes when the name is not unique; CDP VMs and vApps by the refs EM
 * documents for them. Whatever cannot be placed is counted and named, never
 * guessed.
 */
export class SourceJoin {
  private readonly counts = new Map<string, MatchCounts>();
  /** EM replica uid → VBR replica, per pass. */
  private readonly replicaMatches = new Map<string, ReplicaFacts | null>();
  /** EM hierarchy root id → host name. */
  private readonly hostOfRoot: Map<string, string>;
  idsAgree = 0;
  idsDisagree = 0;

  constructor(
    private readonly facts: Map<string, ServerFacts>,
    roots: Array<{ hierarchyRootId: string; name: string }>,
    private readonly parseRef: EmRefParser,
    /** EM refs of a VBR job's includes, read while collecting; undefined when not read. */
    private readonly includesOf: (server: string, jobId: string) => string[] | undefined,
  ) {
    this.hostOfRoot = new Map(roots.map((r) => [r.hierarchyRootId.toLowerCase(), r.name]));
  }

  /** The server's hierarchy; a hierarchy left unbuilt (SourcesStage.ready not awaited) is a caller's bug, never an empty one. */
  private indexOf(facts: ServerFacts | undefined): HierarchyIndex | undefined {
    if (facts?.index === undefined && facts?.buildIndex !== undefined) throw new Error(`the hierarchy of backup server ${facts.serverName} is not built: await the sources stage's ready() before placing`);
    return facts?.index;
  }

  matchCounts(server: string): MatchCounts {
    let c = this.counts.get(server);
    if (c === undefined) this.counts.set(server, (c = { matched: 0, unmatched: 0, unmatchedNames: [] }));
    return c;
  }

  private placed(server: string, placement: Placement): Placement {
    this.matchCounts(server).matched++;
    return placement;
  }

  private unplaced(server: string, name: string, why: string, placement: Placement): Placement {
    const c = this.matchCounts(server);
    c.unmatched++;
    if (c.unmatchedNames.length < MAX_NAMED) c.unmatchedNames.push(`${name}: ${why}`);
    return placement;
  }

  /** The VBR replica of an EM job-level replica: same id and name, else the one replica of that job name. */
  vbrReplica(server: string, job: Replica | undefined): ReplicaFacts | undefined {
    const facts = this.facts.get(server);
    if (job === undefined || facts === undefined || !facts.replicaStates.ok) return undefined;
    const known = this.replicaMatches.get(job.uid);
    if (known !== undefined) return known ?? undefined;
    const byId = facts.replicas.get(idFromUid(job.uid));
    let match: ReplicaFacts | null = null;
    if (byId !== undefined && byId.name.toLowerCase() === job.name.toLowerCase()) {
      this.idsAgree++;
      match = byId;
    } else {
      if (byId !== undefined) this.idsDisagree++;
      const named = facts.replicasByName.get(job.name.toLowerCase()) ?? [];
      match = named.length === 1 ? named[0]! : null;
    }
    this.replicaMatches.set(job.uid, match);
    return match ?? undefined;
  }

  vmReplica(p: VmReplicaPoint, job: Replica | undefined, server: string): Placement {
    const facts = this.facts.get(server);
    const vbr = this.vbrReplica(server, job);
    const state = vbr?.vms.get(p.vmDisplayName.toLowerCase())?.state ?? null;
    const empty: Placement = { refs: [], objectRef: null, memberVmRefs: [], state, vbrReplicaId: vbr?.id ?? null };
    const index = this.indexOf(facts);
    if (index === undefined) return empty;
    let candidates = index.named('virtualmachine', p.vmDisplayName, 'VSphere');
    if (candidates.length > 1 && vbr !== undefined) {
      const includes = this.includesOf(server, vbr.jobId);
      if (includes !== undefined) candidates = candidates.filter((c) => includes.some((ref) => index.isUnder(c, ref)));
    }
    if (candidates.length === 1) return this.placed(server, { ...placementOf(index, candidates[0]!, state), vbrReplicaId: vbr?.id ?? null });
    const why = candidates.length === 0 ? 'no VM of that name in the backup server\'s vCenters' : `${candidates.length} VMs of that name, and the replication job's includes do not tell them apart`;
    return this.unplaced(server, p.vmDisplayName, why, empty);
  }

  vAppReplica(p: VAppReplicaPoint, server: string): Placement {
    const facts = this.facts.get(server);
    const name = p.vAppName ?? p.vAppDisplayName;
    const empty: Placement = { refs: [], objectRef: null, memberVmRefs: [], state: null, vbrReplicaId: null };
    const index = this.indexOf(facts);
    if (index === undefined) return empty;
    const candidates = index.named('vapp', name, 'CloudDirector');
    if (candidates.length === 1) return this.placed(server, placementOf(index, candidates[0]!, null));
    const why = candidates.length === 0 ? 'no vApp of that name in the backup server\'s Cloud Director' : `${candidates.length} vApps of that name`;
    return this.unplaced(server, name, why, empty);
  }

  cdpVm(vm: CdpReplicaVm, server: string): Placement {
    return this.byOwnRef(server, vm.name, vm.vmRef);
  }

  cdpVApp(v: CdpVApp, server: string): Placement {
    return this.byOwnRef(server, v.name, v.vAppRef);
  }

  /** CDP VMs and vApps: EM documents their own ref, so the object is found exactly by host and id. */
  private byOwnRef(server: string, name: string, own: string | undefined): Placement {
    const facts = this.facts.get(server);
    // Without the hierarchy, EM's own ref still allows scopes that name the object itself.
    const alone: Placement = { refs: own ? [own] : [], objectRef: own ?? null, memberVmRefs: [], state: null, vbrReplicaId: null };
    const index = this.indexOf(facts);
    if (index === undefined) return alone;
    if (own === undefined) return this.unplaced(server, name, 'EM gives no ref for it', alone);
    const parts = this.parseRef(own);
    const host = parts === undefined ? undefined : this.hostOfRoot.get(parts.rootId.toLowerCase());
    if (parts === undefined || host === undefined) return this.unplaced(server, name, `EM's ref ${own} names no known hierarchy root`, alone);
    const placed = index.find(host, parts.objectRef);
    if (placed === undefined) return this.unplaced(server, name, `not found on ${host}`, alone);
    const ref = index.ownRef(placed);
    if (ref.toLowerCase() !== own.toLowerCase()) return this.unplaced(server, name, `its urn gives ${ref}, EM says ${own}`, alone);
    return this.placed(server, placementOf(index, placed, null));
  }
}

function placementOf(index: HierarchyIndex, n: number, state: string | null): Placement {
  return { refs: index.refsOf(n), objectRef: index.ownRef(n), memberVmRefs: index.membersOf(n), state, vbrReplicaId: null };
}
