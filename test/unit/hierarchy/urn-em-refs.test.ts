import { describe, expect, it } from 'vitest';
import { EM_REF_TYPES, URN_TOKENS, descendantsFilterValue, hierarchyRootResolver, parseEmRef, parseUrn, resolveUrn, segmentEmRef } from '../../../src/hierarchy/index.js';
import fixtures from '../../fixtures/vbr-urn-examples.json' with { type: 'json' };

const resolve = hierarchyRootResolver(fixtures.hierarchyRoots);
const objectIds: Record<string, string> = fixtures.hostObjectIds;

describe('urn → EM refs', () => {
  it('maps every token to a type EM documents for its platform', () => {
    for (const row of URN_TOKENS) expect(EM_REF_TYPES[row.platform]).toContain(row.emType);
  });

  it('writes refs that parseEmRef reads back to the same root and object', () => {
    const parsed = parseUrn(fixtures.urns.find((u) => u.source.startsWith('Our choice: a Cloud Director VM'))!.urn);
    if (!parsed.ok) throw new Error('fixture does not parse');
    const cdpVmRef = parseEmRef(`urn:vCloud:Vm:b4e8f2a6-3c1d-4e7f-a0b9-8c7d6e5f4a3b.urn:vcloud:vm:${parsed.urn.segments.at(-1)!.value}`);
    expect(cdpVmRef).toEqual({ ok: true, ref: segmentEmRef(parsed.urn.segments.at(-1)!, 'b4e8f2a6-3c1d-4e7f-a0b9-8c7d6e5f4a3b') });
  });

  describe('the documented examples and our chosen shapes (test/fixtures/vbr-urn-examples.json)', () => {
    it.each(fixtures.urns.map((u) => [u.source, u] as const))('%s', (_source, example) => {
      const parsed = parseUrn(example.urn);
      const host = parsed.ok ? parsed.urn.host : '';
      const result = resolveUrn(example.urn, resolve, objectIds[host]);
      if ('failure' in example) {
        expect(result).toMatchObject({ ok: false, failure: example.failure });
      } else {
        expect(result).toMatchObject({ ok: true, confirmedById: true, refs: example.refs });
      }
    });

    it.each(fixtures.descendantFilters.map((f) => [f.source, f] as const))('filter: %s', (_source, f) => {
      expect(descendantsFilterValue(f.segment)).toBe(f.value);
    });
  });

  it('reports a urn whose vCenter EM does not know, and one whose ids disagree', () => {
    expect(resolveUrn('vc:vcsa-west.example.test;vm:vm-1', resolve)).toEqual({ ok: false, failure: { kind: 'no-hierarchy-root', hostName: 'vcsa-west.example.test' } });
    expect(resolveUrn('vc:vcsa-east.example.test;vm:vm-1', resolve, '11111111-2222-4333-8444-555555555555')).toMatchObject({ ok: false, failure: { kind: 'unique-id-mismatch' } });
  });
});
