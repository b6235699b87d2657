import { describe, expect, it } from 'vitest';
import { containerTypeLabel, hasChildren, scopeItemName } from '../src/lib/containers';

describe('containers in the restore-scope picker', () => {
  it('names EM’s types in words, and passes unknown ones through', () => {
    expect(containerTypeLabel('Vc')).toBe('vCenter Server');
    expect(containerTypeLabel('OrgVdc')).toBe('Org VDC');
    expect(containerTypeLabel('StoragePod')).toBe('StoragePod');
  });

  it('offers to open every container but tags and vApps', () => {
    expect(hasChildren('Cluster')).toBe(true);
    expect(hasChildren('Category')).toBe(true);
    expect(hasChildren('Tag')).toBe(false);
    expect(hasChildren('Vapp')).toBe(false);
  });

  it('names a picked container with its backup server, since names repeat across servers', () => {
    expect(scopeItemName({ name: 'Cluster 1.1', backupServer: { name: 'vbr-03' } })).toBe('Cluster 1.1 (vbr-03)');
  });
});
