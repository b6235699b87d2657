import { describe, expect, it } from 'vitest';
import { HierarchyIndex, type UrnToRefs } from '../../../src/inventory/sources/hierarchy-index.js';
import type { VbrInventoryObject } from '../../../src/vbr/types.js';

/** Each urn segment is one ref, root first: enough to test the index alone. */
const toRefs: UrnToRefs = (object) => ({ ok: true, refs: object.urn!.split(';').map((segment) => `ref:${segment}`) });
const vm = (objectId: string, urn: string, platform = 'VSphere', hostName = 'vc1'): VbrInventoryObject => ({ platform, hostName, name: objectId, type: 'VirtualMachine', objectId, urn });
const vApp = (objectId: string, urn: string): VbrInventoryObject => ({ platform: 'CloudDirector', hostName: 'vcd1', name: objectId, type: 'vApp', objectId, urn });

describe('HierarchyIndex', () => {
  it('merges the ancestors every hierarchy lists for an object, and objects share equal lists', () => {
    const index = new HierarchyIndex(toRefs);
    index.add(vm('vm-1', 'vc;dc;cluster;vm-1'));
    index.add(vm('vm-2', 'vc;dc;cluster;vm-2'));
    index.add(vm('vm-1', 'vc;dc;folder;vm-1'));
    index.add(vm('vm-1', 'vc;tag;vm-1'));
    const one = index.find('vc1', 'vm-1')!;
    const two = index.find('vc1', 'vm-2')!;
    expect(index.refsOf(one)).toEqual(['ref:vc', 'ref:dc', 'ref:cluster', 'ref:folder', 'ref:tag', 'ref:vm-1']);
    expect(index.refsOf(two)).toEqual(['ref:vc', 'ref:dc', 'ref:cluster', 'ref:vm-2']);
    expect(index.isUnder(one, 'ref:tag')).toBe(true);
    expect(index.isUnder(two, 'ref:tag')).toBe(false);
    expect(index.isUnder(two, 'ref:vm-2')).toBe(true);
    expect(index.isUnder(two, 'ref:unknown')).toBe(false);
  });

  it("keeps a vApp's member VMs in listing order, once each, whether listed before or after the vApp", () => {
    const index = new HierarchyIndex(toRefs);
    index.add(vm('vm-a', 'vcd;org;vapp-1;vm-a', 'CloudDirector', 'vcd1'));
    index.add(vApp('vapp-1', 'vcd;org;vapp-1'));
    index.add(vm('vm-b', 'vcd;org;vapp-1;vm-b', 'CloudDirector', 'vcd1'));
    index.add(vm('vm-a', 'vcd;org;vapp-1;vm-a', 'CloudDirector', 'vcd1'));
    index.add(vApp('vapp-2', 'vcd;org;vapp-2'));
    const first = index.find('vcd1', 'vapp-1')!;
    expect(index.membersOf(first)).toEqual(['ref:vm-a', 'ref:vm-b']);
    expect(index.membersOf(index.find('vcd1', 'vapp-2')!)).toEqual([]);
    expect(index.membersOf(index.find('vcd1', 'vm-a')!)).toEqual([]);
    // A vSphere VM is nobody's member.
    index.add(vm('vm-c', 'vc;vapp-1;vm-c'));
    expect(index.membersOf(first)).toEqual(['ref:vm-a', 'ref:vm-b']);
  });

  it('places thousands of objects with their own ancestor lists', () => {
    const index = new HierarchyIndex(toRefs);
    for (let i = 0; i < 5_000; i++) index.add(vm(`vm-${i}`, `vc;folder-${i % 97};vm-${i}`));
    for (let i = 0; i < 5_000; i++) index.add(vm(`vm-${i}`, `vc;tag-${i % 13};vm-${i}`));
    for (const i of [0, 1, 96, 97, 4_999]) {
      expect(index.refsOf(index.find('vc1', `vm-${i}`)!)).toEqual(['ref:vc', `ref:folder-${i % 97}`, `ref:tag-${i % 13}`, `ref:vm-${i}`]);
    }
    expect(index.placed).toBe(5_000);
  });
});

describe('HierarchyIndex.seal', () => {
  it('answers every lookup as before sealing, and refuses further objects', () => {
    const build = (): HierarchyIndex => {
      const index = new HierarchyIndex(toRefs);
      index.add(vm('vm-a', 'vcd;org;vapp-1;vm-a', 'CloudDirector', 'vcd1'));
      index.add(vApp('vapp-1', 'vcd;org;vapp-1'));
      index.add(vm('vm-b', 'vcd;org;vapp-1;vm-b', 'CloudDirector', 'vcd1'));
      for (let i = 0; i < 3_000; i++) index.add(vm(`vm-${i}`, `vc;folder-${i % 97};vm-${i}`));
      for (let i = 0; i < 3_000; i++) index.add(vm(`vm-${i}`, `vc;tag-${i % 13};vm-${i}`));
      index.add({ platform: 'VSphere', hostName: 'vc2', name: 'vm-7', type: 'VirtualMachine', objectId: 'vm-7', urn: 'vc2;vm-7' });
      return index;
    };
    const answers = (index: HierarchyIndex) => {
      const objects = [index.find('vcd1', 'vapp-1')!, index.find('vcd1', 'vm-a')!, ...[0, 1, 7, 2_999].map((i) => index.find('vc1', `vm-${i}`)!)];
      return {
        objects,
        refs: objects.map((n) => index.refsOf(n)),
        own: objects.map((n) => index.ownRef(n)),
        members: objects.map((n) => index.membersOf(n)),
        named: [index.named('virtualmachine', 'VM-7', 'VSphere'), index.named('vapp', 'vapp-1', 'CloudDirector'), index.named('vapp', 'nothing', 'CloudDirector')],
        under: objects.map((n) => [index.isUnder(n, 'ref:tag-7'), index.isUnder(n, 'ref:vapp-1'), index.isUnder(n, 'ref:folder-1')]),
        ambiguous: index.ambiguousVmNames(),
        counts: [index.placed, index.listed],
      };
    };
    const sealed = build();
    const expected = answers(build());
    sealed.seal();
    expect(answers(sealed)).toEqual(expected);
    expect(expected.ambiguous).toEqual(['vm-7']);
    expect(() => sealed.add(vm('vm-new', 'vc;vm-new'))).toThrow(/after seal/);
  });
});
