import { ApiError } from '../core.js';
import { link, refOf, type Json } from '../representation.js';

/** Default and maximum page sizes (guess: EM does not document either). */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 10_000;

export interface PageRequest {
  pageSize: number;
  page: number;
  entities: boolean;
}

export function pageRequest(url: URL): PageRequest {
  const q = url.searchParams;
  const pageSize = q.has('pageSize') ? Number(q.get('pageSize')) : DEFAULT_PAGE_SIZE;
  const page = q.has('page') ? Number(q.get('page')) : 1;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new ApiError(400, `pageSize must be an integer in 1..${MAX_PAGE_SIZE}`);
  if (!Number.isInteger(page) || page < 1) throw new ApiError(400, 'page must be a positive integer');
  const format = (q.get('format') ?? 'References').toLowerCase();
  if (format !== 'entities' && format !== 'references' && format !== 'entity') throw new ApiError(400, `Unknown format '${q.get('format')}'`);
  return { pageSize, page, entities: format !== 'references' };
}

/**
 * One page of a collection, in the shape the only known JSON sample has
 * (guess): {"Entities":{"<Plural>":{"<Plural>":[…]}},"PagingInfo":{…}}, or
 * {"Refs":[…],"PagingInfo":{…}} for references.
 */
export function pageBody(url: URL, plural: string, total: number, request: PageRequest, entities: Json[]): Json {
  const pagesCount = Math.max(1, Math.ceil(total / request.pageSize));
  const pageHref = (n: number): string => {
    const u = new URL(url);
    u.searchParams.set('pageSize', String(request.pageSize));
    u.searchParams.set('page', String(n));
    return u.toString();
  };
  const links = [link('First', pageHref(1), 'PageReference'), link('Last', pageHref(pagesCount), 'PageReference')];
  if (request.page < pagesCount) links.push(link('Next', pageHref(request.page + 1), 'PageReference'));
  if (request.page > 1) links.push(link('Previous', pageHref(Math.min(request.page - 1, pagesCount)), 'PageReference'));
  const pagingInfo = { Links: links, PageNum: request.page, PageSize: request.pageSize, PagesCount: pagesCount };
  return request.entities
    ? { Entities: { [plural]: { [plural]: entities } }, PagingInfo: pagingInfo }
    : { Refs: entities.map(refOf), PagingInfo: pagingInfo };
}

/** Page `request.page` of an index range [0, total), materializing only that page. */
export function pageOfRange(url: URL, plural: string, total: number, request: PageRequest, entityAt: (i: number) => Json | undefined): Json {
  const start = (request.page - 1) * request.pageSize;
  const end = Math.min(total, start + request.pageSize);
  const out: Json[] = [];
  for (let i = start; i < end; i++) {
    const e = entityAt(i);
    if (e) out.push(e);
  }
  return pageBody(url, plural, total, request, out);
}
