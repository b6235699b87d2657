/**
 * Which EM hierarchy root a VBR inventory host is. EM names a root after the
 * host (`HierarchyRoot.Name`) and keeps the vCenter instance UUID (or the
 * Cloud Director id) in `UniqueId`; VBR's inventory gives the host name and
 * the same id as `objectId`. The name finds the root; the id, when both sides
 * have it, confirms it, and a disagreement is a failure, never a pick.
 */

/** The documented fields of EM's `HierarchyRoot` the match needs. */
export interface HierarchyRootInfo {
  hierarchyRootId: string;
  name: string;
  uniqueId?: string;
  /** `VC`, `VcdSystem`, `ESX`, … */
  hostType?: string;
}

/** A VBR Inventory Browser server (`POST /api/v1/inventory`), or just the host name of a urn's root. */
export interface InventoryHost {
  hostName: string;
  objectId?: string;
}

export type RootMatchFailure =
  | { kind: 'no-hierarchy-root'; hostName: string }
  | { kind: 'ambiguous-hierarchy-root'; hostName: string; hierarchyRootIds: string[] }
  | { kind: 'unique-id-mismatch'; hostName: string; objectId: string; uniqueId: string; hierarchyRootId: string }
  | { kind: 'host-type-mismatch'; hostName: string; hostType: string; expected: readonly string[]; hierarchyRootId: string };

export type RootMatch = { ok: true; root: HierarchyRootInfo; confirmedById: boolean } | { ok: false; failure: RootMatchFailure };

export type HierarchyRootResolver = (host: InventoryHost, expectedHostTypes?: readonly string[]) => RootMatch;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Build one resolver per backup server, from the roots whose `Up` link names
 * it: the same vCenter added to two backup servers is two EM roots.
 */
export function hierarchyRootResolver(roots: readonly HierarchyRootInfo[]): HierarchyRootResolver {
  return (host, expectedHostTypes) => {
    const named = roots.filter((r) => same(r.name, host.hostName));
    if (named.length === 0) return { ok: false, failure: { kind: 'no-hierarchy-root', hostName: host.hostName } };
    const match = pick(named, host);
    if (!match.ok) return match;
    const { root } = match;
    if (expectedHostTypes && root.hostType !== undefined && !expectedHostTypes.some((t) => same(t, root.hostType!))) {
      return { ok: false, failure: { kind: 'host-type-mismatch', hostName: host.hostName, hostType: root.hostType, expected: expectedHostTypes, hierarchyRootId: root.hierarchyRootId } };
    }
    return match;
  };
}

function pick(named: HierarchyRootInfo[], host: InventoryHost): RootMatch {
  const { objectId } = host;
  if (named.length === 1) {
    const root = named[0]!;
    if (objectId === undefined || root.uniqueId === undefined) return { ok: true, root, confirmedById: false };
    if (same(objectId, root.uniqueId)) return { ok: true, root, confirmedById: true };
    return { ok: false, failure: { kind: 'unique-id-mismatch', hostName: host.hostName, objectId, uniqueId: root.uniqueId, hierarchyRootId: root.hierarchyRootId } };
  }
  const byId = objectId === undefined ? [] : named.filter((r) => r.uniqueId !== undefined && same(r.uniqueId, objectId));
  if (byId.length === 1) return { ok: true, root: byId[0]!, confirmedById: true };
  return { ok: false, failure: { kind: 'ambiguous-hierarchy-root', hostName: host.hostName, hierarchyRootIds: named.map((r) => r.hierarchyRootId) } };
}
