import { describe, expect, it } from 'vitest';
import { pagingInfoText, RawPage } from '../../../src/em/raw-page.js';
import { parseVmReplicaPoint } from '../../../src/em/wire.js';

const paging = { Links: [{ Rel: 'Next', Href: 'http://em/api/query?page=2', Type: 'PageReference' }], PageNum: 1, PageSize: 2, PagesCount: 3 };
const point = (n: number) => ({ UID: `urn:veeam:VmReplicaPoint:${n}`, Name: `vm@2025-01-0${n} 00:00:00`, VmDisplayName: 'vm', ReplicaUid: 'urn:veeam:Replica:r', CreationTimeUTC: '2025-01-01T00:00:00Z' });
const bytes = (body: unknown) => Buffer.from(JSON.stringify(body));

describe('raw listing pages', () => {
  it('reads PagingInfo from the tail without parsing the entities', () => {
    const body = bytes({ Entities: { VmReplicaPoints: { VmReplicaPoints: [point(1), point(2)] } }, PagingInfo: paging });
    expect(JSON.parse(pagingInfoText(body)!)).toEqual(paging);
    const page = new RawPage(body, 'VmReplicaPoints', parseVmReplicaPoint);
    expect(page.paging()).toEqual({ pageNum: 1, pagesCount: 3, nextHref: 'http://em/api/query?page=2' });
    expect(page.items().map((p) => p.id)).toEqual(['1', '2']);
  });

  it('falls back to the whole body when PagingInfo is not the last member, or is missing', () => {
    const first = bytes({ PagingInfo: paging, Entities: { VmReplicaPoints: { VmReplicaPoints: [point(1)] } } });
    expect(pagingInfoText(first)).toBeUndefined();
    expect(new RawPage(first, 'VmReplicaPoints', parseVmReplicaPoint).paging()?.nextHref).toBe('http://em/api/query?page=2');
    const none = bytes({ Entities: { VmReplicaPoints: { VmReplicaPoints: [point(1)] } } });
    expect(pagingInfoText(none)).toBeUndefined();
    expect(new RawPage(none, 'VmReplicaPoints', parseVmReplicaPoint).paging()).toBeUndefined();
  });

  it('is not fooled by braces or the key inside strings, nor by a nested PagingInfo', () => {
    // In JSON text the quotes of "PagingInfo" inside a string are escaped, so only the member matches.
    const tricky = { ...paging, Links: [{ Rel: 'Next', Href: 'http://em/api/q?x="PagingInfo"}{][', Type: 'PageReference' }] };
    const body = bytes({ Entities: { X: { X: [{ Note: '"PagingInfo": {}' }] } }, PagingInfo: tricky });
    expect(JSON.parse(pagingInfoText(body)!)).toEqual(tricky);
    expect(new RawPage(body, 'X', (o) => o).paging()?.nextHref).toBe('http://em/api/q?x="PagingInfo"}{][');
    // A PagingInfo inside an entity, after the real one: not the top-level member, so the whole body is read.
    const nested = bytes({ PagingInfo: paging, Entities: { X: { X: [{ PagingInfo: { Links: [] } }] } } });
    expect(pagingInfoText(nested)).toBeUndefined();
    expect(new RawPage(nested, 'X', (o) => o).paging()?.nextHref).toBe('http://em/api/query?page=2');
  });

  it('fingerprints the exact bytes', () => {
    const a = new RawPage(bytes({ Entities: { X: { X: [point(1)] } } }), 'X', (o) => o);
    const b = new RawPage(bytes({ Entities: { X: { X: [point(1)] } } }), 'X', (o) => o);
    const c = new RawPage(bytes({ Entities: { X: { X: [point(2)] } } }), 'X', (o) => o);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });
});
