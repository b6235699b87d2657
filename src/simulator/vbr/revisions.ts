/**
 * `x-api-version` revisions, oldest first. A face supports a set of them
 * (default: those of VBR 13.0.1); a request names one, and endpoints newer
 * than the named revision do not exist for it (404 NotFound).
 */
export const VBR_REVISIONS = ['1.1-rev0', '1.1-rev1', '1.1-rev2', '1.2-rev0', '1.2-rev1', '1.3-rev0', '1.3-rev1'] as const;
export type VbrRevision = (typeof VBR_REVISIONS)[number];

/** What VBR 13.0.1 (build 13.0.1.1071, the simulated servers' version) accepts. */
export const DEFAULT_REVISIONS: readonly VbrRevision[] = VBR_REVISIONS;

export function isRevision(value: string): value is VbrRevision {
  return (VBR_REVISIONS as readonly string[]).includes(value);
}

/** Position of a revision, for "available from" comparisons. */
export function revisionRank(revision: VbrRevision): number {
  return VBR_REVISIONS.indexOf(revision);
}

export function validateRevisions(server: string, revisions: readonly string[]): VbrRevision[] {
  if (!Array.isArray(revisions) || revisions.length === 0) throw new RangeError(`vbrRevisions of ${server} must be a non-empty list`);
  for (const r of revisions) if (!isRevision(r)) throw new RangeError(`vbrRevisions of ${server}: unknown revision '${r}' (known: ${VBR_REVISIONS.join(', ')})`);
  return [...revisions] as VbrRevision[];
}
