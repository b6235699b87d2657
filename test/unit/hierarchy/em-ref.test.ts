import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EM_REF_TYPES, formatEmRef, parseEmRef, type EmPlatform, type EmRef } from '../../../src/hierarchy/index.js';
import examples from '../../fixtures/em-ref-examples.json' with { type: 'json' };

const PLATFORMS = Object.keys(EM_REF_TYPES) as EmPlatform[];

const emRef: fc.Arbitrary<EmRef> = fc.constantFrom(...PLATFORMS).chain((platform) =>
  fc.record({
    platform: fc.constant(platform),
    type: fc.constantFrom(...EM_REF_TYPES[platform]),
    hierarchyRootId: fc.uuid(),
    objectRef: fc.string({ minLength: 1, maxLength: 60 }),
  }),
);

const anyCase = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

describe('EM refs', () => {
  it('reads back every ref it writes, whatever the object ref holds (colons, dots)', () => {
    fc.assert(
      fc.property(emRef, (ref) => {
        expect(parseEmRef(formatEmRef(ref))).toEqual({ ok: true, ref });
      }),
    );
  });

  it('reads platform and type in any case, giving the documented spelling', () => {
    fc.assert(
      fc.property(
        emRef.chain((ref) => fc.tuple(fc.constant(ref), anyCase(ref.platform), anyCase(ref.type))),
        ([ref, platform, type]) => {
          expect(parseEmRef(`urn:${platform}:${type}:${ref.hierarchyRootId}.${ref.objectRef}`)).toEqual({ ok: true, ref });
        },
      ),
    );
  });

  it('rejects types and platforms EM does not document', () => {
    expect(parseEmRef('urn:VMware:Organization:2f6d8a1c-3b4e-4c5d-9e6f-7a8b9c0d1e2f.vm-1')).toMatchObject({ ok: false, failure: { kind: 'unknown-em-type' } });
    expect(parseEmRef('urn:Nutanix:Vm:2f6d8a1c-3b4e-4c5d-9e6f-7a8b9c0d1e2f.vm-1')).toMatchObject({ ok: false, failure: { kind: 'unknown-em-platform' } });
  });

  it.each(['urn:veeam:Replica:2f6d8a1c-3b4e-4c5d-9e6f-7a8b9c0d1e2f', 'urn:VMware:Vm:.vm-1', 'urn:VMware:Vm:root.', 'VMware:Vm:root.vm-1', 'urn:VMware:Vm'])(
    'rejects the malformed %j',
    (ref) => {
      expect(parseEmRef(ref)).toMatchObject({ ok: false, failure: { kind: 'malformed-em-ref', ref } });
    },
  );

  describe('the documented examples', () => {
    it.each(examples.refs.map((e) => [e.source, e] as const))('%s', (_source, example) => {
      const parsed = parseEmRef(example.ref);
      if ('failure' in example) expect(parsed).toMatchObject({ ok: false, failure: { kind: example.failure } });
      else expect(parsed).toEqual({ ok: true, ref: example.expect });
    });
  });
});
