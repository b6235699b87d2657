import { formatEmRef, type EmRef } from './em-ref.js';
import type { HierarchyRootInfo, HierarchyRootResolver, RootMatchFailure } from './hierarchy-roots.js';
import { parseUrn, type ParsedUrn, type UrnParseFailure, type UrnSegment } from './urn.js';

/** The EM ref of one urn segment under its hierarchy root. */
export function segmentEmRef(segment: UrnSegment, hierarchyRootId: string): EmRef {
  const { spec, value } = segment;
  const form = spec.objectRef;
  const objectRef = form.kind === 'root' ? hierarchyRootId : form.kind === 'vcloud-urn' ? `urn:vcloud:${form.entity}:${value}` : value;
  return { platform: spec.platform, type: spec.emType, hierarchyRootId, objectRef };
}

/** EM refs of every segment of a parsed urn, root first: the object's ancestors, then itself. */
export function urnEmRefs(urn: ParsedUrn, root: Pick<HierarchyRootInfo, 'hierarchyRootId'>): string[] {
  return urn.segments.map((s) => formatEmRef(segmentEmRef(s, root.hierarchyRootId)));
}

export type UrnRefsFailure = UrnParseFailure | RootMatchFailure;

export type UrnRefsResult =
  | { ok: true; urn: ParsedUrn; root: HierarchyRootInfo; confirmedById: boolean; refs: string[] }
  | { ok: false; failure: UrnRefsFailure };

/**
 * Parse a urn and write its EM refs, finding the root through `resolve`.
 * `hostObjectId` is the VBR `objectId` of the urn's root server (from
 * `POST /api/v1/inventory`), which confirms the EM root when EM has its UniqueId.
 */
export function resolveUrn(urn: string, resolve: HierarchyRootResolver, hostObjectId?: string): UrnRefsResult {
  const parsed = parseUrn(urn);
  if (!parsed.ok) return parsed;
  const rootSpec = parsed.urn.segments[0]!.spec.objectRef;
  const hostTypes = rootSpec.kind === 'root' ? rootSpec.hostTypes : undefined;
  const match = resolve(hostObjectId === undefined ? { hostName: parsed.urn.host } : { hostName: parsed.urn.host, objectId: hostObjectId }, hostTypes);
  if (!match.ok) return match;
  return { ok: true, urn: parsed.urn, root: match.root, confirmedById: match.confirmedById, refs: urnEmRefs(parsed.urn, match.root) };
}
