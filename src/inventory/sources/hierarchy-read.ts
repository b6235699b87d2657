import type { HierarchyRoot } from '../../em/index.js';
import { describeUrnFailure, hierarchyRootResolver, resolveUrn, type UrnRefsFailure } from '../../hierarchy/index.js';
import type { VbrClient, VbrInventoryObject } from '../../vbr/types.js';
import { contentHash } from '../hash.js';
import { HierarchyIndex, type UrnToRefs } from './hierarchy-index.js';

/** vSphere hierarchies read per vCenter (ancestors, VM folders, tags), and Cloud Director's. */
const VSPHERE_HIERARCHIES = ['HostsAndClusters', 'VmsAndTemplates', 'VmsAndTags'] as const;
const VCD_HIERARCHIES = ['VAppsAndVms'] as const;

/**
 * What one read of a server's hierarchy listings was, for the next sync: VBR
 * REST gives no change stamp, so the fingerprints of the listing pages (and of
 * what turns urns into refs: EM's roots, the inventory hosts) are how the next
 * read knows that nothing changed. Plain data: it crosses into a sync worker.
 */
export interface HierarchyRecord {
  /** Digest of EM's roots of the server and its inventory hosts. */
  head: string;
  /** Fingerprint of every Inventory Browser page, in listing order. */
  pages: string[];
  /** Objects listed. */
  listed: number;
  /** Names (lower case) shared by several vSphere VMs: their replicas' jobs must be read to tell them apart. */
  ambiguous: string[];
}

export interface HierarchyRead {
  record: HierarchyRecord;
  /** Digest of every listing page and of what turns urns into refs: equal digests place replicas the same way. */
  digest: string;
  /** Reads urns as EM refs under this server's roots (job includes). */
  toRefs: UrnToRefs;
  /** The index, when the listing was read in full. */
  index?: HierarchyIndex;
  /**
   * The listing is page for page what `previous` recorded: no index was built.
   * Building it reads the listing again (when some EM object must be placed).
   */
  unchanged?: () => Promise<HierarchyIndex>;
}

/** A root that could not be matched, in words. */
function describeFailure(f: UrnRefsFailure): string {
  switch (f.kind) {
    case 'no-hierarchy-root':
      return `EM has no hierarchy root named ${f.hostName} on this backup server`;
    case 'ambiguous-hierarchy-root':
      return `EM has ${f.hierarchyRootIds.length} hierarchy roots named ${f.hostName}`;
    case 'unique-id-mismatch':
      return `EM's root ${f.hostName} has UniqueId ${f.uniqueId}, VBR says ${f.objectId}`;
    case 'host-type-mismatch':
      return `EM's root ${f.hostName} is a ${f.hostType}, expected ${f.expected.join(' or ')}`;
    default:
      return describeUrnFailure(f);
  }
}

/** Reads urns as EM refs under this server's roots, each host confirmed by its id where EM has it. */
function urnReader(roots: HierarchyRoot[], hosts: VbrInventoryObject[]): UrnToRefs {
  const resolve = hierarchyRootResolver(roots.map((r) => ({ hierarchyRootId: r.hierarchyRootId, name: r.name, uniqueId: r.uniqueId, hostType: r.hostType })));
  const hostIds = new Map(hosts.map((h) => [h.hostName.toLowerCase(), h.objectId]));
  return (object) => {
    const result = resolveUrn(object.urn!, resolve, hostIds.get(object.hostName.toLowerCase()));
    return result.ok ? { ok: true, refs: result.refs } : { ok: false, gap: describeFailure(result.failure) };
  };
}

/** Every Inventory Browser listing of the server's hosts, page by page, in a fixed order. */
async function* listingPages(client: VbrClient, hosts: VbrInventoryObject[], signal?: AbortSignal) {
  for (const host of hosts) {
    const hierarchies = host.platform === 'VSphere' ? VSPHERE_HIERARCHIES : host.platform === 'CloudDirector' ? VCD_HIERARCHIES : [];
    for (const hierarchyType of hierarchies) {
      for await (const page of client.browseInventoryPages(host.hostName || host.name, { hierarchyType })) {
        yield page;
        signal?.throwIfAborted();
      }
    }
  }
}

/** The whole listing read into an index, with the fingerprints of its pages. */
async function readIndex(client: VbrClient, hosts: VbrInventoryObject[], toRefs: UrnToRefs, signal?: AbortSignal): Promise<{ index: HierarchyIndex; pages: string[] }> {
  const index = new HierarchyIndex(toRefs);
  const pages: string[] = [];
  for await (const page of listingPages(client, hosts, signal)) {
    pages.push(page.fingerprint);
    for (const object of page.items()) index.add(object);
  }
  index.seal();
  return { index, pages };
}

/**
 * Reads a backup server's hierarchy. With the record of the previous read,
 * the pages are first only fingerprinted: while each equals the recorded one,
 * no object is read (of its bytes, only the trailing pagination), and a listing equal to
 * the end builds no index at all (the previous sync's placements still hold). At the first page that differs
 * the listing is read again from its start, in full.
 */
export async function readHierarchy(client: VbrClient, roots: HierarchyRoot[], previous: HierarchyRecord | undefined, signal?: AbortSignal): Promise<HierarchyRead> {
  const hosts: VbrInventoryObject[] = [];
  for await (const page of client.listInventoryHosts()) hosts.push(...page);
  const toRefs = urnReader(roots, hosts);
  const head = contentHash([
    roots.map((r) => [r.hierarchyRootId, r.name, r.uniqueId ?? null, r.hostType]),
    hosts.map((h) => [h.platform, h.hostName, h.name, h.type, h.objectId ?? null, h.urn ?? null]),
  ]);
  const digestOf = (pages: string[]): string => contentHash([head, pages]);
  if (previous !== undefined && previous.head === head && (await sameListing(client, hosts, previous.pages, signal))) {
    return { record: previous, digest: digestOf(previous.pages), toRefs, unchanged: async () => (await readIndex(client, hosts, toRefs, signal)).index };
  }
  const { index, pages } = await readIndex(client, hosts, toRefs, signal);
  return { record: { head, pages, listed: index.listed, ambiguous: index.ambiguousVmNames() }, digest: digestOf(pages), toRefs, index };
}

/** Whether every page of the listing has the recorded fingerprint, and no page more or less; stops at the first that differs. */
async function sameListing(client: VbrClient, hosts: VbrInventoryObject[], recorded: string[], signal?: AbortSignal): Promise<boolean> {
  let n = 0;
  for await (const page of listingPages(client, hosts, signal)) {
    if (recorded[n++] !== page.fingerprint) return false;
  }
  return n === recorded.length;
}
