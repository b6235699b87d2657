/**
 * EM hierarchy object refs, `urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>`
 * (EMREST: constructing_hierarchyobjreftype). `<HierarchyRootId>` is EM's id of
 * the vCenter / Cloud Director / Hyper-V host (not the vCenter instance UUID);
 * `<ObjectRef>` is a moref (`vm-7870`) or a Cloud Director URN
 * (`urn:vcloud:vm:<uuid>`), which may itself hold colons.
 */

export type EmPlatform = 'VMware' | 'vCloud' | 'Hyperv';

/** Documented types per platform, in EM's spelling (the docs also write `VM` for `Vm`). */
export const EM_REF_TYPES: Readonly<Record<EmPlatform, readonly string[]>> = {
  VMware: ['Vm', 'Host', 'Cluster', 'Template', 'VirtualApp', 'Vc', 'Datacenter', 'Folder', 'Datastore', 'ComputeResource', 'ResourcePool', 'Tag', 'Category', 'StoragePod'],
  vCloud: ['VcdSystem', 'Organization', 'OrgVdc', 'Vapp', 'Vm', 'VappTemplate', 'VmTemplate'],
  Hyperv: ['Vm', 'Host', 'Cluster', 'Scvmm', 'HostGroup', 'VmGroup'],
};

export interface EmRef {
  platform: EmPlatform;
  /** The documented spelling, whatever case the ref was written in. */
  type: string;
  hierarchyRootId: string;
  objectRef: string;
}

export type EmRefParseFailure = { kind: 'malformed-em-ref' | 'unknown-em-platform' | 'unknown-em-type'; ref: string; detail: string };

export type EmRefParseResult = { ok: true; ref: EmRef } | { ok: false; failure: EmRefParseFailure };

const platforms = new Map<string, EmPlatform>((Object.keys(EM_REF_TYPES) as EmPlatform[]).map((p) => [p.toLowerCase(), p]));
const types = new Map<string, string>(
  (Object.entries(EM_REF_TYPES) as [EmPlatform, readonly string[]][]).flatMap(([p, ts]) => ts.map((t) => [`${p}/${t.toLowerCase()}`, t] as const)),
);

export function formatEmRef(ref: EmRef): string {
  return `urn:${ref.platform}:${ref.type}:${ref.hierarchyRootId}.${ref.objectRef}`;
}

const SHAPE = /^urn:([^:]+):([^:]+):([^:.]+)\.(.+)$/is;

/** Reads an EM ref, comparing the platform and type case-insensitively. */
export function parseEmRef(ref: string): EmRefParseResult {
  const m = SHAPE.exec(ref);
  if (!m) return fail(ref, 'malformed-em-ref', 'expected urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>');
  const [, rawPlatform, rawType, hierarchyRootId, objectRef] = m as unknown as [string, string, string, string, string];
  const platform = platforms.get(rawPlatform.toLowerCase());
  if (!platform) return fail(ref, 'unknown-em-platform', `platform "${rawPlatform}" is not one of ${[...platforms.values()].join(', ')}`);
  const type = types.get(`${platform}/${rawType.toLowerCase()}`);
  if (!type) return fail(ref, 'unknown-em-type', `type "${rawType}" is not a documented ${platform} type`);
  return { ok: true, ref: { platform, type, hierarchyRootId, objectRef } };
}

function fail(ref: string, kind: EmRefParseFailure['kind'], detail: string): EmRefParseResult {
  return { ok: false, failure: { kind, ref, detail } };
}
