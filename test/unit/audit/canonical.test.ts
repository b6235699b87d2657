import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalEncoding, canonicalJson, entryHash, type ChainedFields } from '../../../src/audit/index.js';

const entry: ChainedFields = {
  seq: 42n,
  at: new Date('2031-02-03T04:05:06.007Z'),
  actorSubject: 'alice',
  actorGroups: ['ops', 'a"b'],
  actorRoles: [],
  action: 'failover',
  subjectType: 'Replica',
  subjectId: null,
  decision: 'DENY',
  rule: 'edition',
  reason: 'line\nbreak',
  requestId: null,
  clientAddress: '::1',
  userAgent: 'é',
  callerReason: '',
  details: { z: 1, a: { y: [2.5, 'x', null], b: false } },
  prevHash: GENESIS_HASH,
};

describe('canonical encoding', () => {
  it('is one JSON array in the documented field order, keys sorted, no whitespace', () => {
    expect(canonicalEncoding(entry)).toBe(
      '["fg-audit-v1","42","2031-02-03T04:05:06.007Z","alice",["ops","a\\"b"],[],"failover","Replica",null,"DENY",' +
        '"edition","line\\nbreak",null,"::1","é","",{"a":{"b":false,"y":[2.5,"x",null]},"z":1},' +
        `"${GENESIS_HASH}"]`,
    );
  });

  it('hashes the UTF-8 bytes with SHA-256, as lower-case hex', () => {
    const expected = createHash('sha256').update(Buffer.from(canonicalEncoding(entry), 'utf8')).digest('hex');
    expect(entryHash(entry)).toBe(expected);
    expect(entryHash(entry)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps fields apart: moving text from one field to the next changes the hash', () => {
    const a = { ...entry, rule: 'ab', reason: '' };
    const b = { ...entry, rule: 'a', reason: 'b' };
    expect(canonicalEncoding(a)).not.toBe(canonicalEncoding(b));
    expect(entryHash({ ...entry, actorGroups: ['a,b'] })).not.toBe(entryHash({ ...entry, actorGroups: ['a', 'b'] }));
  });

  it('tells null from empty', () => {
    expect(entryHash({ ...entry, actorRoles: null })).not.toBe(entryHash(entry));
    expect(entryHash({ ...entry, callerReason: null })).not.toBe(entryHash(entry));
    expect(entryHash({ ...entry, details: null })).not.toBe(entryHash({ ...entry, details: {} }));
  });

  it('ignores the key order of details but not the order of arrays', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(entryHash({ ...entry, details: { a: { b: false, y: [2.5, 'x', null] }, z: 1 } })).toBe(entryHash(entry));
    expect(entryHash({ ...entry, details: { z: 1, a: { y: ['x', 2.5, null], b: false } } })).not.toBe(entryHash(entry));
  });

  it('covers every field: changing any one changes the hash', () => {
    const changed: Array<Partial<ChainedFields>> = [
      { seq: 43n }, { at: new Date('2031-02-03T04:05:06.008Z') }, { actorSubject: null }, { actorGroups: ['ops'] },
      { actorRoles: ['ADMIN'] }, { action: 'failback' }, { subjectType: null }, { subjectId: 'r1' }, { decision: 'ALLOW' },
      { rule: null }, { reason: 'line break' }, { requestId: 'r' }, { clientAddress: '::2' }, { userAgent: 'e' },
      { callerReason: null }, { details: { z: 2, a: { y: [2.5, 'x', null], b: false } } }, { prevHash: 'f'.repeat(64) },
    ];
    const hashes = new Set(changed.map((change) => entryHash({ ...entry, ...change })));
    hashes.add(entryHash(entry));
    expect(hashes.size).toBe(changed.length + 1);
  });
});
