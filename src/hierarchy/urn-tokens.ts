/**
 * The one table of VBR Inventory Browser `urn` segment tokens the gateway
 * understands. Veeam documents the grammar only by example (OpenAPI documents
 * 1.2-rev1 … 1.3-rev2); rows marked `choice` are ours, awaiting a lab capture.
 * A token missing here makes the whole urn unparseable: the object becomes a
 * counted gap, never a guessed ref (a restricted user then sees less, not more).
 * See docs/real-sources.md, "urn grammar".
 */

/** EM platforms a urn can lead to (EM's `urn:<Platform>:…` spelling). */
export type HierarchyPlatform = 'VMware' | 'vCloud';

/** How the `<ObjectRef>` half of an EM ref is written from a segment's value. */
export type ObjectRefForm =
  /** The segment names the hierarchy root itself (value = host name); ObjectRef = HierarchyRootId. */
  | { kind: 'root'; hostTypes: readonly string[] }
  /** The value is a vSphere moref (or vSphere tag/category id) and is written as is. */
  | { kind: 'moref' }
  /** The value is a bare Cloud Director uuid, written `urn:vcloud:<entity>:<uuid>`. */
  | { kind: 'vcloud-urn'; entity: 'org' | 'vdc' | 'vapp' | 'vm' };

export interface UrnToken {
  token: string;
  platform: HierarchyPlatform;
  /** EM hierarchy object type (EMREST: constructing_hierarchyobjreftype). */
  emType: string;
  objectRef: ObjectRefForm;
  /** `documented`: seen in Veeam's examples; `choice`: our reading until a lab capture confirms it. */
  basis: 'documented' | 'choice';
}

const MOREF: ObjectRefForm = { kind: 'moref' };

export const URN_TOKENS: readonly UrnToken[] = [
  { token: 'vc', platform: 'VMware', emType: 'Vc', objectRef: { kind: 'root', hostTypes: ['VC'] }, basis: 'documented' },
  { token: 'folder', platform: 'VMware', emType: 'Folder', objectRef: MOREF, basis: 'documented' },
  { token: 'datacenter', platform: 'VMware', emType: 'Datacenter', objectRef: MOREF, basis: 'documented' },
  { token: 'computeresource', platform: 'VMware', emType: 'ComputeResource', objectRef: MOREF, basis: 'documented' },
  { token: 'clustercomputeresource', platform: 'VMware', emType: 'Cluster', objectRef: MOREF, basis: 'choice' },
  { token: 'hostsystem', platform: 'VMware', emType: 'Host', objectRef: MOREF, basis: 'documented' },
  { token: 'esx', platform: 'VMware', emType: 'Host', objectRef: MOREF, basis: 'documented' },
  { token: 'resourcepool', platform: 'VMware', emType: 'ResourcePool', objectRef: MOREF, basis: 'documented' },
  { token: 'virtualapp', platform: 'VMware', emType: 'VirtualApp', objectRef: MOREF, basis: 'choice' },
  { token: 'virtualmachine', platform: 'VMware', emType: 'Vm', objectRef: MOREF, basis: 'documented' },
  { token: 'vm', platform: 'VMware', emType: 'Vm', objectRef: MOREF, basis: 'documented' },
  { token: 'category', platform: 'VMware', emType: 'Category', objectRef: MOREF, basis: 'choice' },
  { token: 'tag', platform: 'VMware', emType: 'Tag', objectRef: MOREF, basis: 'choice' },
  { token: 'vcdsystem', platform: 'vCloud', emType: 'VcdSystem', objectRef: { kind: 'root', hostTypes: ['VcdSystem'] }, basis: 'documented' },
  { token: 'org', platform: 'vCloud', emType: 'Organization', objectRef: { kind: 'vcloud-urn', entity: 'org' }, basis: 'documented' },
  { token: 'orgvdc', platform: 'vCloud', emType: 'OrgVdc', objectRef: { kind: 'vcloud-urn', entity: 'vdc' }, basis: 'choice' },
  { token: 'vapp', platform: 'vCloud', emType: 'Vapp', objectRef: { kind: 'vcloud-urn', entity: 'vapp' }, basis: 'choice' },
  { token: 'vm', platform: 'vCloud', emType: 'Vm', objectRef: { kind: 'vcloud-urn', entity: 'vm' }, basis: 'choice' },
];

// `vm` is a token of both platforms, so rows are found by (platform, token);
// the root segment decides the platform.
const byPlatform = new Map<string, UrnToken>(URN_TOKENS.map((t) => [`${t.platform}/${t.token}`, t]));
const roots = new Map<string, UrnToken>(URN_TOKENS.filter((t) => t.objectRef.kind === 'root').map((t) => [t.token, t]));

/** The root row (`vc`, `vcdsystem`) for a token, if it is one. */
export function rootToken(token: string): UrnToken | undefined {
  return roots.get(token);
}

/** The row of a token under a platform. Tokens are compared exactly (Veeam writes them in lower case). */
export function urnToken(platform: HierarchyPlatform, token: string): UrnToken | undefined {
  return byPlatform.get(`${platform}/${token}`);
}
