/**
 * The VBR inventory `urn` path grammar the simulator emits (docs/em.md, "VBR
 * faces"): segments `<token>:<value>` joined by `;`, split on the first `:`.
 * The table maps each token to the EM hierarchy type it stands for; the EM
 * ref of a segment is `urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>`.
 */
export type UrnPlatform = 'VMware' | 'vCloud';

export interface UrnTokenMeaning {
  platform: UrnPlatform;
  emType: string;
  /** The root token (vc, vcdsystem): its ObjectRef is the HierarchyRootId, not the segment value. */
  root?: boolean;
}

export const URN_TOKENS: Readonly<Record<string, UrnTokenMeaning>> = {
  vc: { platform: 'VMware', emType: 'Vc', root: true },
  datacenter: { platform: 'VMware', emType: 'Datacenter' },
  folder: { platform: 'VMware', emType: 'Folder' },
  clustercomputeresource: { platform: 'VMware', emType: 'Cluster' },
  computeresource: { platform: 'VMware', emType: 'ComputeResource' },
  hostsystem: { platform: 'VMware', emType: 'Host' },
  esx: { platform: 'VMware', emType: 'Host' },
  resourcepool: { platform: 'VMware', emType: 'ResourcePool' },
  virtualapp: { platform: 'VMware', emType: 'VirtualApp' },
  virtualmachine: { platform: 'VMware', emType: 'Vm' },
  category: { platform: 'VMware', emType: 'Category' },
  tag: { platform: 'VMware', emType: 'Tag' },
  vcdsystem: { platform: 'vCloud', emType: 'VcdSystem', root: true },
  org: { platform: 'vCloud', emType: 'Organization' },
  orgvdc: { platform: 'vCloud', emType: 'OrgVdc' },
  vapp: { platform: 'vCloud', emType: 'Vapp' },
  // `vm` is a vSphere VM's short form too; under a Cloud Director root it is a VCD VM.
  vm: { platform: 'vCloud', emType: 'Vm' },
};

/** VCD object ids are VCD URNs; the urn segment carries only the uuid. */
const VCD_OBJECT_REF: Readonly<Record<string, string>> = { org: 'urn:vcloud:org:', orgvdc: 'urn:vcloud:vdc:', vapp: 'urn:vcloud:vapp:', vm: 'urn:vcloud:vm:' };

export interface UrnSegment {
  token: string;
  value: string;
}

export function joinUrn(segments: readonly UrnSegment[]): string {
  return segments.map((s) => `${s.token}:${s.value}`).join(';');
}

export function splitUrn(urn: string): UrnSegment[] {
  return urn.split(';').map((part) => {
    const at = part.indexOf(':');
    if (at <= 0) throw new SyntaxError(`not a urn segment: '${part}'`);
    return { token: part.slice(0, at), value: part.slice(at + 1) };
  });
}

export function emRef(platform: UrnPlatform, emType: string, root: string, objectRef: string): string {
  return `urn:${platform}:${emType}:${root}.${objectRef}`;
}

/** The EM ref of one segment of a urn under hierarchy root `root`. */
export function segmentRef(segment: UrnSegment, root: string, platform: UrnPlatform): string {
  const meaning = URN_TOKENS[segment.token];
  if (!meaning) throw new SyntaxError(`unknown urn token '${segment.token}'`);
  if (meaning.root) return emRef(meaning.platform, meaning.emType, root, root);
  if (platform === 'vCloud') return emRef('vCloud', meaning.emType, root, `${VCD_OBJECT_REF[segment.token] ?? ''}${segment.value}`);
  return emRef('VMware', meaning.emType, root, segment.value);
}

/**
 * Every EM ref a client derives from a urn (root first), given the
 * HierarchyRootId of the urn's root host: the translation the gateway does.
 */
export function refsOfUrn(urn: string, root: string): string[] {
  const segments = splitUrn(urn);
  const platform = URN_TOKENS[segments[0]!.token]?.platform;
  if (!platform || !URN_TOKENS[segments[0]!.token]!.root) throw new SyntaxError(`a urn starts at its host (vc: or vcdsystem:), got '${urn}'`);
  return segments.map((s) => segmentRef(s, root, platform));
}
