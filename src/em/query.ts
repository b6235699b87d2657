import type { HttpResponse } from '../http-client/exchange.js';
import { RawPage } from './raw-page.js';
import type { EmSession } from './session.js';
import { collectionItems, pagingInfo, type Json } from './wire.js';

/** A query-service filter value, quoted as EM wants when it has spaces or quotes. */
export function filterValue(v: string): string {
  return /[\s;,()"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * A read started now, awaited later. A rejection is kept until then, and is
 * not reported as unhandled if nobody asks (the consumer stopped early).
 */
function prefetch(session: EmSession, path: string): () => Promise<HttpResponse> {
  const pending = session.call({ method: 'GET', path, kind: 'read' });
  pending.catch(() => undefined);
  return () => pending;
}

/**
 * Streams `GET /query?type=<type>&format=Entities` page by page. Follows the
 * PagingInfo Next link when EM gives one; without PagingInfo, EM answered
 * unpaged, so the one answer is everything. The next page is requested as
 * soon as its link is known, before this page is parsed and consumed, so EM
 * builds page N+1 while the caller works on page N (at most one page ahead).
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
  let next: (() => Promise<HttpResponse>) | undefined = prefetch(session, `/query?${params}`);
  for (let page = 1; next !== undefined; page++) {
    const res: HttpResponse = await next();
    const items = collectionItems(res.body, plural);
    const info = pagingInfo(res.body);
    next = undefined;
    if (info && items.length > 0) {
      if (info.nextHref) next = prefetch(session, info.nextHref);
      else if (info.pagesCount !== undefined && page < info.pagesCount) {
        params.set('page', String(page + 1));
        next = prefetch(session, `/query?${params}`);
      }
    }
    if (items.length > 0) yield items.map(parse);
  }
}

/**
 * As queryPages, but each page is yielded unparsed with its fingerprint (see
 * RawPage): the caller parses only the pages it needs. Paging is read from the
 * PagingInfo member alone. An empty page ends the listing only once parsed;
 * a page number that does not advance, or a Next link seen before, ends it too.
 */
export async function* queryRawPages<T>(
  session: EmSession,
  type: string,
  plural: string,
  parse: (o: Json) => T,
  options: { pageSize: number },
): AsyncGenerator<RawPage<T>> {
  const params = new URLSearchParams({ type, format: 'Entities', pageSize: String(options.pageSize), page: '1' });
  const rawPrefetch = (path: string): (() => Promise<HttpResponse>) => {
    const pending = session.call({ method: 'GET', path, kind: 'read', raw: true });
    pending.catch(() => undefined);
    return () => pending;
  };
  const followed = new Set<string>();
  let next: (() => Promise<HttpResponse>) | undefined = rawPrefetch(`/query?${params}`);
  for (let page = 1; next !== undefined; page++) {
    const res: HttpResponse = await next();
    // A server that ignored `raw` handling (never the case today) still gives a parsed body.
    const raw = res.raw ?? Buffer.from(JSON.stringify(res.body ?? null));
    const current = new RawPage(raw, plural, parse);
    const info = current.paging();
    next = undefined;
    if (info && (info.pageNum === undefined || info.pageNum >= page)) {
      if (info.nextHref && !followed.has(info.nextHref)) {
        followed.add(info.nextHref);
        next = rawPrefetch(info.nextHref);
      } else if (!info.nextHref && info.pagesCount !== undefined && page < info.pagesCount) {
        params.set('page', String(page + 1));
        next = rawPrefetch(`/query?${params}`);
      }
    } else if (!info) {
      // Unpaged answer: the one page is everything.
      next = undefined;
    }
    yield current;
  }
}

/**
 * A navigation collection (e.g. /cdpReplica/vApps) as entities, page by page.
 * pageSize/page are a simulator extension there; a real EM answers whole, without PagingInfo.
 */
export async function* collectionPages<T>(session: EmSession, path: string, plural: string, parse: (o: Json) => T, pageSize: number): AsyncGenerator<T[]> {
  const sep = path.includes('?') ? '&' : '?';
  let next: (() => Promise<HttpResponse>) | undefined = prefetch(session, `${path}${sep}format=Entities&pageSize=${pageSize}&page=1`);
  while (next !== undefined) {
    const res: HttpResponse = await next();
    const items = collectionItems(res.body, plural);
    if (items.length === 0) return;
    const href: string | undefined = pagingInfo(res.body)?.nextHref;
    // Requested before this page is consumed (see queryPages).
    next = href === undefined ? undefined : prefetch(session, href);
    yield items.map(parse);
  }
}

export async function collection<T>(session: EmSession, path: string, plural: string, parse: (o: Json) => T, pageSize: number): Promise<T[]> {
  const out: T[] = [];
  for await (const page of collectionPages(session, path, plural, parse, pageSize)) out.push(...page);
  return out;
}
