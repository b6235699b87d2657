import { describe, expect, it } from 'vitest';
import { VbrUnavailableError } from '../../../src/vbr/index.js';
import { fingerprintedPages, pages } from '../../../src/vbr/paging.js';

const bytes = (text: string): Buffer => Buffer.from(text);
const parse = (o: unknown) => o as { n: number };

/** A listing of `total` objects `{n}`, answered as bytes; `body` may rewrite each answer's text. */
function listingOf(total: number, body: (text: string, skip: number) => string = (t) => t) {
  const asked: number[] = [];
  const fetchRaw = async (skip: number, limit: number): Promise<Buffer> => {
    asked.push(skip);
    const data = Array.from({ length: Math.max(0, Math.min(limit, total - skip)) }, (_, i) => ({ n: skip + i }));
    return bytes(body(JSON.stringify({ data, pagination: { total, count: data.length, skip, limit } }), skip));
  };
  return { fetchRaw, asked };
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('VBR listing pages', () => {
  it('pages through bytes by their trailing pagination alone: a page whose objects are never asked for is never parsed', async () => {
    // Objects no JSON parser reads: only the pagination member is.
    const { fetchRaw, asked } = listingOf(5, (text) => text.replace(/"data":\[.*\],"pagination"/, '"data":[not json],"pagination"'));
    const read = await collect(fingerprintedPages(fetchRaw, parse, 2, 'objects'));
    expect(asked).toEqual([0, 2, 4]);
    expect(read).toHaveLength(3);
    expect(new Set(read.map((p) => p.fingerprint)).size).toBe(3);
    expect(() => read[0]!.items()).toThrow(SyntaxError);
  });

  it('reads the objects of a page when asked, checked against the count the page states', async () => {
    const { fetchRaw } = listingOf(5);
    const read = await collect(fingerprintedPages(fetchRaw, parse, 2, 'objects'));
    expect(read.flatMap((p) => p.items()).map((o) => o.n)).toEqual([0, 1, 2, 3, 4]);
    const lying = listingOf(5, (text) => text.replace(/"count":\d+/, '"count":2').replace(/\{"n":\d+\},?/, ''));
    const pagesOfLiar = await collect(fingerprintedPages(lying.fetchRaw, parse, 2, 'objects'));
    expect(() => pagesOfLiar[0]!.items()).toThrow(VbrUnavailableError);
    expect(() => pagesOfLiar[0]!.items()).toThrow(/pagination\.count \(2\) is not the number of objects it holds \(1\)/);
  });

  it('parses the whole answer when pagination is not its last member or has no count', async () => {
    const first = listingOf(3, (text) => {
      const o = JSON.parse(text) as { data: unknown[]; pagination: unknown };
      return JSON.stringify({ pagination: o.pagination, data: o.data });
    });
    expect((await collect(fingerprintedPages(first.fetchRaw, parse, 2, 'objects'))).flatMap((p) => p.items()).map((o) => o.n)).toEqual([0, 1, 2]);
    const countless = listingOf(3, (text) => text.replace(/"count":\d+,/, ''));
    expect(countless.asked).toEqual([]);
    expect((await collect(fingerprintedPages(countless.fetchRaw, parse, 2, 'objects'))).flatMap((p) => p.items()).map((o) => o.n)).toEqual([0, 1, 2]);
    expect(countless.asked).toEqual([0, 2]);
  });

  it('reads parsed answers as before', async () => {
    const fetchPage = async (skip: number, limit: number) => {
      const data = Array.from({ length: Math.max(0, Math.min(limit, 3 - skip)) }, (_, i) => ({ n: skip + i }));
      return { data, pagination: { total: 3, count: data.length } };
    };
    expect((await collect(pages(fetchPage, parse, 2, 'objects'))).flat().map((o) => o.n)).toEqual([0, 1, 2]);
  });
});
