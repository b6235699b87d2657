import { describe, expect, it } from 'vitest';
import { hierarchyRootResolver, type HierarchyRootInfo } from '../../../src/hierarchy/index.js';

const vc: HierarchyRootInfo = { hierarchyRootId: 'root-vc', name: 'VCSA-East.example.test', uniqueId: '7E3A9C01-5B2D-4F6E-8A1C-9D0B2E4F6A8C', hostType: 'VC' };
const vcd: HierarchyRootInfo = { hierarchyRootId: 'root-vcd', name: 'vcd-east.example.test', hostType: 'VcdSystem' };

describe('hierarchyRootResolver', () => {
  const resolve = hierarchyRootResolver([vc, vcd]);

  it('finds a root by host name, case-insensitively', () => {
    expect(resolve({ hostName: 'vcsa-east.example.test' })).toEqual({ ok: true, root: vc, confirmedById: false });
  });

  it('confirms it when VBR objectId equals EM UniqueId (case-insensitively)', () => {
    expect(resolve({ hostName: 'vcsa-east.example.test', objectId: '7e3a9c01-5b2d-4f6e-8a1c-9d0b2e4f6a8c' })).toEqual({ ok: true, root: vc, confirmedById: true });
  });

  it('fails when both ids are known and differ', () => {
    expect(resolve({ hostName: 'vcsa-east.example.test', objectId: '00000000-0000-4000-8000-000000000000' })).toEqual({
      ok: false,
      failure: { kind: 'unique-id-mismatch', hostName: 'vcsa-east.example.test', objectId: '00000000-0000-4000-8000-000000000000', uniqueId: vc.uniqueId, hierarchyRootId: 'root-vc' },
    });
  });

  it('accepts a name match when EM has no UniqueId, unconfirmed', () => {
    expect(resolve({ hostName: 'vcd-east.example.test', objectId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b' })).toEqual({ ok: true, root: vcd, confirmedById: false });
  });

  it('fails on an unknown host', () => {
    expect(resolve({ hostName: 'vcsa-west.example.test' })).toEqual({ ok: false, failure: { kind: 'no-hierarchy-root', hostName: 'vcsa-west.example.test' } });
  });

  it('fails when the root is of another host type than the urn says', () => {
    expect(resolve({ hostName: 'vcd-east.example.test' }, ['VC'])).toMatchObject({ ok: false, failure: { kind: 'host-type-mismatch', hostType: 'VcdSystem', expected: ['VC'] } });
    expect(resolve({ hostName: 'vcsa-east.example.test' }, ['VC'])).toMatchObject({ ok: true });
  });

  it('takes the one of several same-named roots whose UniqueId matches, and refuses to pick otherwise', () => {
    const twin: HierarchyRootInfo = { ...vc, hierarchyRootId: 'root-vc-2', uniqueId: 'AAAAAAAA-5B2D-4F6E-8A1C-9D0B2E4F6A8C' };
    const both = hierarchyRootResolver([vc, twin]);
    expect(both({ hostName: vc.name, objectId: twin.uniqueId!.toLowerCase() })).toEqual({ ok: true, root: twin, confirmedById: true });
    expect(both({ hostName: vc.name })).toEqual({ ok: false, failure: { kind: 'ambiguous-hierarchy-root', hostName: vc.name, hierarchyRootIds: ['root-vc', 'root-vc-2'] } });
  });
});
