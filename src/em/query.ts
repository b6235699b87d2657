import type { EmSession } from './session.js';
import { collectionItems, pagingInfo, type Json } from './wire.js';

/** A query-service filter value, quoted as EM wants when it has spaces or quotes. */
export function filterValue(v: string): string {
  return /[\s;,()"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Streams `GET /query?type=<type>&format=Entities` page by page. Follows the
 * PagingInfo Next link when EM gives one; without PagingInfo, EM answered
 * unpaged, so the one answer is everything.
 */
export async function* queryPages<T>(
  session: EmSession,
  type: string,
  plural: string,
  parse: (o: Json) => T,
  options: { pageSize: number; filter?: string; sortDesc?: string },
): AsyncGenerator<T[]> {
  const params = new URLSearchParams({ type, format: 'Entities', pageSize: String(options.pageSize), page: '1' });
  if (options.filter) params.set('filter', options.filter);
  if (options.sortDesc) params.set('sortDesc', options.sortDesc);
  let path: string | undefined = `/query?${params}`;
  for (let page = 1; path !== undefined; page++) {
    const res = await session.call({ method: 'GET', path, kind: 'read' });
    const items = collectionItems(res.body, plural);
    if (items.length > 0) yield items.map(parse);
    const info = pagingInfo(res.body);
    if (!info || items.length === 0) return;
    if (info.nextHref) path = info.nextHref;
    else if (info.pagesCount !== undefined && page < info.pagesCount) {
      params.set('page', String(page + 1));
      path = `/query?${params}`;
    } else path = undefined;
  }
}

/**
 * A navigation collection (e.g. /cdpReplica/vApps) as entities, page by page.
 * pageSize/page are a simulator extension there; a real EM answers whole, without PagingInfo.
 */
export async function* collectionPages<T>(session: EmSession, path: string, plural: string, parse: (o: Json) => T, pageSize: number): AsyncGenerator<T[]> {
  const sep = path.includes('?') ? '&' : '?';
  let next: string | undefined = `${path}${sep}format=Entities&pageSize=${pageSize}&page=1`;
  while (next !== undefined) {
    const res = await session.call({ method: 'GET', path: next, kind: 'read' });
    const items = collectionItems(res.body, plural);
    if (items.length === 0) return;
    yield items.map(parse);
    next = pagingInfo(res.body)?.nextHref;
  }
}

export async function collection<T>(session: EmSession, path: string, plural: string, parse: (o: Json) => T, pageSize: number): Promise<T[]> {
  const out: T[] = [];
  for await (const page of collectionPages(session, path, plural, parse, pageSize)) out.push(...page);
  return out;
}
