import { badUserInput } from './errors.js';

/** Connection arguments as Relay defines them. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Default and largest page size. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A keyset position: the sort values of an object, last one its unique id. */
export type SortKey = ReadonlyArray<string | number>;

/** Cursors are opaque to clients: base64url of the sort key as JSON. */
export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): SortKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === length && key.every((part) => typeof part === 'string' || typeof part === 'number')) {
      return key as SortKey;
    }
  } catch {
    // reported below
  }
  throw badUserInput(`Cursor ${JSON.stringify(cursor)} is not one this connection gave out`);
}

/** What a page query needs: direction, size and bounds. */
export interface PageWindow {
  /** Rows to fetch: the page plus one, to tell whether there is more. */
  take: number;
  size: number;
  /** True for `last`/`before`: fetch in reverse order, then flip. */
  backward: boolean;
  after?: SortKey;
  before?: SortKey;
}

export function pageWindow(args: ConnectionArgs, keyLength: number): PageWindow {
  if (args.first != null && args.last != null) throw badUserInput('Pass first or last, not both');
  const requested = args.first ?? args.last ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(requested) || requested < 0 || requested > MAX_PAGE_SIZE) {
    throw badUserInput(`first and last must be from 0 to ${MAX_PAGE_SIZE}`);
  }
  return {
    take: requested + 1,
    size: requested,
    backward: args.last != null,
    after: args.after ? decodeCursor(args.after, keyLength) : undefined,
    before: args.before ? decodeCursor(args.before, keyLength) : undefined,
  };
}

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Turns the rows of a window (in fetch order, one extra at most) into a page. */
export function toPage<T>(rows: readonly T[], window: PageWindow, keyOf: (row: T) => SortKey): Page<T> {
  const more = rows.length > window.size;
  const kept = rows.slice(0, window.size);
  const ordered = window.backward ? kept.reverse() : kept;
  const edges = ordered.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: window.backward ? window.before !== undefined : more,
      hasPreviousPage: window.backward ? more : window.after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

type Direction = 'asc' | 'desc';

/**
 * The Prisma `where` and `orderBy` of a keyset window over (fields…), the last
 * field unique: rows strictly after `after` and strictly before `before` in
 * the connection's order, fetched backward for `last`.
 */
export function keysetQuery(fields: readonly string[], directions: readonly Direction[], window: PageWindow) {
  const flip = (direction: Direction): Direction => (direction === 'asc' ? 'desc' : 'asc');
  const beyond = (key: SortKey, forward: boolean) => {
    // (a, b, c) > (x, y, z) as OR of prefixes: a > x, or a = x and b > y, …
    const or = fields.map((field, index) => {
      const clause: Record<string, unknown> = {};
      for (let i = 0; i < index; i += 1) clause[fields[i]!] = key[i];
      const direction = forward ? directions[index]! : flip(directions[index]!);
      clause[field] = { [direction === 'asc' ? 'gt' : 'lt']: key[index] };
      return clause;
    });
    // The OR alone is no index bound: every later page would walk the index
    // from its start. The redundant bound on the first field is one.
    const first = forward ? directions[0]! : flip(directions[0]!);
    return { [fields[0]!]: { [first === 'asc' ? 'gte' : 'lte']: key[0] }, OR: or };
  };
  const and: object[] = [];
  if (window.after) and.push(beyond(window.after, true));
  if (window.before) and.push(beyond(window.before, false));
  const orderBy = fields.map((field, index) => ({
    [field]: window.backward ? flip(directions[index]!) : directions[index]!,
  }));
  return { where: and.length > 0 ? { AND: and } : {}, orderBy, take: window.take };
}

/** The same window applied to rows already in memory (children of one parent, loaded in a batch). */
export function keysetSlice<T>(
  rows: readonly T[],
  window: PageWindow,
  keyOf: (row: T) => SortKey,
  directions: readonly Direction[],
): T[] {
  const compare = (a: SortKey, b: SortKey): number => {
    for (let i = 0; i < a.length; i += 1) {
      const x = a[i]!;
      const y = b[i]!;
      if (x === y) continue;
      const order = x < y ? -1 : 1;
      return directions[i] === 'desc' ? -order : order;
    }
    return 0;
  };
  const sorted = [...rows].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const within = sorted.filter(
    (row) =>
      (window.after === undefined || compare(keyOf(row), window.after) > 0) &&
      (window.before === undefined || compare(keyOf(row), window.before) < 0),
  );
  return (window.backward ? within.reverse() : within).slice(0, window.take);
}
