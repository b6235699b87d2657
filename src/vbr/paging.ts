import type { Logger } from 'pino';
import { listing } from './wire.js';

/**
 * Pages of a `{data, pagination}` listing, `limit` objects at a time. It ends
 * when `skip` reaches `pagination.total`; without a total, at the first page
 * shorter than asked (a server that caps `limit` below the asked size is then
 * read to the end only when it reports its total, which VBR documents as
 * required). An empty page always ends it.
 */
export async function* pages<T>(
  fetchPage: (skip: number, limit: number) => Promise<unknown>,
  /** undefined: unreadable (skipped with a warning); null: not of interest (passed over). */
  parse: (o: unknown) => T | undefined | null,
  pageSize: number,
  what: string,
  logger?: Logger,
): AsyncGenerator<T[]> {
  for (let skip = 0; ; ) {
    const { data, total } = listing(await fetchPage(skip, pageSize));
    const items: T[] = [];
    let unread = 0;
    for (const raw of data) {
      const item = parse(raw);
      if (item === undefined) unread++;
      else if (item !== null) items.push(item);
    }
    if (unread > 0) logger?.warn({ what, skipped: unread }, 'VBR listed objects the client cannot read; skipped');
    if (items.length > 0) yield items;
    skip += data.length;
    if (data.length === 0 || (total !== undefined ? skip >= total : data.length < pageSize)) return;
  }
}
