/** EM's container types (the <Type> of a hierarchy ref) in words. */
const TYPE_LABELS: Record<string, string> = {
  Vc: 'vCenter Server',
  Datacenter: 'Datacenter',
  Folder: 'Folder',
  Cluster: 'Cluster',
  ComputeResource: 'Compute resource',
  Host: 'Host',
  ResourcePool: 'Resource pool',
  Category: 'Tag category',
  Tag: 'Tag',
  VcdSystem: 'Cloud Director',
  Organization: 'Organization',
  OrgVdc: 'Org VDC',
  Vapp: 'vApp',
};

export const containerTypeLabel = (type: string): string => TYPE_LABELS[type] ?? type;

/** Types nothing hangs below in the hierarchy (`containers(parentRef:)` of them is always empty). */
const LEAVES = new Set(['Tag', 'Vapp']);

export const hasChildren = (type: string): boolean => !LEAVES.has(type);

/**
 * The display name a picked container gets in a restore scope: its name and
 * its backup server's, since names repeat across servers ("Cluster 1" on each).
 */
export const scopeItemName = (container: { name: string; backupServer: { name: string } }): string => `${container.name} (${container.backupServer.name})`;
