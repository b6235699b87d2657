import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, keysetQuery, keysetSlice, pageWindow, toPage } from '../../../src/graphql/pagination.js';

interface Row {
  name: string;
  id: string;
}

const key = (row: Row) => [row.name, row.id] as const;
const asc = ['asc', 'asc'] as const;

/** Every row, reached page by page forward or backward, exactly once and in order. */
function walk(rows: Row[], size: number, backward: boolean): Row[] {
  const seen: Row[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < rows.length + 2; guard += 1) {
    const args = backward ? { last: size, before: cursor } : { first: size, after: cursor };
    const window = pageWindow(args, 2);
    const page = toPage(keysetSlice(rows, window, (row) => [...key(row)], asc), window, (row) => [...key(row)]);
    const nodes = page.edges.map((edge) => edge.node);
    if (backward) seen.unshift(...nodes);
    else seen.push(...nodes);
    const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more) return seen;
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

describe('keyset pagination', () => {
  const rowsArb = fc
    .uniqueArray(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'db-1', 'db-2'), id: fc.uuid() }), { selector: (row) => row.id, maxLength: 40 })
    .map((rows) => rows as Row[]);

  it('walks every row once, in (name, id) order, forward and backward, whatever the page size', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 7 }), fc.boolean(), (rows, size, backward) => {
        const sorted = [...rows].sort((x, y) => (x.name === y.name ? (x.id < y.id ? -1 : 1) : x.name < y.name ? -1 : 1));
        expect(walk(rows, size, backward)).toEqual(sorted);
      }),
    );
  });

  it('builds the Prisma keyset condition for a cursor in both directions', () => {
    const after = pageWindow({ first: 2, after: encodeCursor(['b', 'id-5']) }, 2);
    expect(keysetQuery(['name', 'id'], asc, after)).toEqual({
      where: { AND: [{ name: { gte: 'b' }, OR: [{ name: { gt: 'b' } }, { name: 'b', id: { gt: 'id-5' } }] }] },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: 3,
    });
    const before = pageWindow({ last: 2, before: encodeCursor(['b', 'id-5']) }, 2);
    expect(keysetQuery(['name', 'id'], asc, before)).toEqual({
      where: { AND: [{ name: { lte: 'b' }, OR: [{ name: { lt: 'b' } }, { name: 'b', id: { lt: 'id-5' } }] }] },
      orderBy: [{ name: 'desc' }, { id: 'desc' }],
      take: 3,
    });
  });

  it('refuses cursors it did not give out and out-of-range sizes', () => {
    expect(() => decodeCursor('not-a-cursor', 2)).toThrow(/not one this connection gave out/);
    expect(() => decodeCursor(encodeCursor(['only-one']), 2)).toThrow(/not one this connection gave out/);
    expect(() => pageWindow({ first: 501 }, 2)).toThrow(/from 0 to 500/);
    expect(() => pageWindow({ first: 1, last: 1 }, 2)).toThrow(/first or last/);
  });
});
