import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { URN_TOKENS, describeUrnFailure, formatUrn, parseUrn, type HierarchyPlatform } from '../../../src/hierarchy/index.js';

const PLATFORMS: HierarchyPlatform[] = ['VMware', 'vCloud'];
const rowsOf = (p: HierarchyPlatform) => URN_TOKENS.filter((t) => t.platform === p);
const rootOf = (p: HierarchyPlatform) => rowsOf(p).find((t) => t.objectRef.kind === 'root')!;
const tokensOf = (p: HierarchyPlatform) => new Set(rowsOf(p).map((t) => t.token));
const rootTokens = new Set(URN_TOKENS.filter((t) => t.objectRef.kind === 'root').map((t) => t.token));

/** Any text a urn value may hold: anything but the segment separator, colons included. */
const valueText = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes(';'));
const tokenText = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes(':') && !s.includes(';'));

const segmentOf = (p: HierarchyPlatform) =>
  fc.constantFrom(...rowsOf(p).filter((t) => t.objectRef.kind !== 'root')).chain((row) =>
    (row.objectRef.kind === 'vcloud-urn' ? fc.uuid() : valueText).map((value) => ({ token: row.token, value })),
  );

const urnOf = fc
  .constantFrom(...PLATFORMS)
  .chain((p) => fc.tuple(fc.constant(p), valueText, fc.array(segmentOf(p), { maxLength: 8 })))
  .map(([platform, host, rest]) => ({ platform, segments: [{ token: rootOf(platform).token, value: host }, ...rest] }));

describe('parseUrn', () => {
  it('reads back every urn written from the token table, values and all', () => {
    fc.assert(
      fc.property(urnOf, ({ platform, segments }) => {
        const urn = formatUrn(segments);
        const parsed = parseUrn(urn);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.urn.platform).toBe(platform);
        expect(parsed.urn.host).toBe(segments[0]!.value);
        expect(parsed.urn.segments.map(({ token, value }) => ({ token, value }))).toEqual(segments);
        expect(formatUrn(parsed.urn.segments)).toBe(urn);
      }),
    );
  });

  it('splits each segment on its first colon only', () => {
    fc.assert(
      fc.property(valueText, valueText, (a, b) => {
        const parsed = parseUrn(`vc:vcsa.example.test;tag:${a}:${b}`);
        expect(parsed.ok && parsed.urn.segments[1]!.value).toBe(`${a}:${b}`);
      }),
    );
  });

  it('rejects a token the table does not hold under that platform, naming it', () => {
    fc.assert(
      fc.property(urnOf, tokenText, fc.nat(), valueText, ({ platform, segments }, token, at, value) => {
        fc.pre(!tokensOf(platform).has(token) && !rootTokens.has(token));
        const index = 1 + (at % segments.length);
        const bad = [...segments.slice(0, index), { token, value }, ...segments.slice(index)];
        const parsed = parseUrn(formatUrn(bad));
        expect(parsed).toEqual({ ok: false, failure: { kind: 'unknown-token', urn: formatUrn(bad), index, token, platform } });
      }),
    );
  });

  it('rejects a urn whose first token is not a root, naming it', () => {
    fc.assert(
      fc.property(tokenText, valueText, (token, value) => {
        fc.pre(!rootTokens.has(token));
        const parsed = parseUrn(`${token}:${value}`);
        expect(parsed.ok ? undefined : parsed.failure).toMatchObject({ kind: 'unknown-token', index: 0, token });
      }),
    );
  });

  it('does not take the other platform’s tokens', () => {
    const parsed = parseUrn('vc:vcsa.example.test;orgvdc:2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f');
    expect(parsed.ok ? undefined : parsed.failure).toMatchObject({ kind: 'unknown-token', token: 'orgvdc', platform: 'VMware' });
  });

  it('compares tokens exactly: Veeam writes them in lower case', () => {
    const parsed = parseUrn('vc:vcsa.example.test;VirtualMachine:vm-1');
    expect(parsed.ok ? undefined : parsed.failure).toMatchObject({ kind: 'unknown-token', token: 'VirtualMachine' });
  });

  it.each([
    ['', { kind: 'empty-urn' }],
    ['vc:vcsa.example.test;', { kind: 'malformed-segment', index: 1, reason: 'no ":" between token and value' }],
    ['vc:vcsa.example.test;;vm:vm-1', { kind: 'malformed-segment', index: 1 }],
    ['vc:vcsa.example.test;:vm-1', { kind: 'malformed-segment', index: 1, reason: 'empty token' }],
    ['vc:vcsa.example.test;virtualmachine:', { kind: 'malformed-segment', index: 1, reason: 'empty value' }],
    ['vc:', { kind: 'malformed-segment', index: 0, reason: 'empty value' }],
    ['vcdsystem:vcd.example.test;org:not-a-uuid', { kind: 'malformed-segment', index: 1 }],
    ['vc:vcsa.example.test;vc:vcsa2.example.test', { kind: 'root-not-first', index: 1, token: 'vc' }],
    ['vc:vcsa.example.test;vcdsystem:vcd.example.test', { kind: 'root-not-first', index: 1, token: 'vcdsystem' }],
  ])('fails on %j', (urn, failure) => {
    const parsed = parseUrn(urn);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.failure).toMatchObject(failure);
    expect(describeUrnFailure(parsed.failure)).toMatch(/urn/);
  });
});
