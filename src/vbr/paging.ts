import { hash } from 'node:crypto';
import type { Logger } from 'pino';
import type { VbrPage } from './types.js';
import { listing } from './wire.js';

/**
 * Every answer of a `{data, pagination}` listing, `limit` objects at a time,
 * with its `data`. It ends when `skip` reaches `pagination.total`; without a
 * total, at the first page shorter than asked (a server that caps `limit`
 * below the asked size is then read to the end only when it reports its
 * total, which VBR documents as required). An empty page always ends it. An
 * answer given as bytes (a Buffer) is parsed here for its data.
 */
async function* answers(fetchPage: (skip: number, limit: number) => Promise<unknown>, pageSize: number): AsyncGenerator<{ answer: unknown; data: unknown[] }> {
  for (let skip = 0; ; ) {
    const answer = await fetchPage(skip, pageSize);
    const { data, total } = listing(Buffer.isBuffer(answer) ? (JSON.parse(answer.toString('utf8')) as unknown) : answer);
    yield { answer, data };
    skip += data.length;
    if (data.length === 0 || (total !== undefined ? skip >= total : data.length < pageSize)) return;
  }
}

/** The objects of a `{data, pagination}` listing, page by page (see answers); pages with nothing readable are passed over. */
export async function* pages<T>(
  fetchPage: (skip: number, limit: number) => Promise<unknown>,
  /** undefined: unreadable (skipped with a warning); null: not of interest (passed over). */
  parse: (o: unknown) => T | undefined | null,
  pageSize: number,
  what: string,
  logger?: Logger,
): AsyncGenerator<T[]> {
  for await (const { data } of answers(fetchPage, pageSize)) {
    const items = readAll(data, parse, what, logger);
    if (items.length > 0) yield items;
  }
}

/**
 * As pages, but each page comes as the bytes VBR sent (`fetchRaw` answers a
 * Buffer) with their fingerprint, its objects read only when asked for. Every
 * page is yielded, empty ones too, so a caller comparing fingerprints sees
 * the listing exactly as it was answered.
 */
export async function* fingerprintedPages<T>(
  fetchRaw: (skip: number, limit: number) => Promise<unknown>,
  parse: (o: unknown) => T | undefined | null,
  pageSize: number,
  what: string,
  logger?: Logger,
): AsyncGenerator<VbrPage<T>> {
  for await (const { answer, data } of answers(fetchRaw, pageSize)) {
    let items: T[] | undefined;
    yield { fingerprint: hash('sha1', answer as Buffer, 'base64'), items: () => (items ??= readAll(data, parse, what, logger)) };
  }
}

function readAll<T>(data: unknown[], parse: (o: unknown) => T | undefined | null, what: string, logger?: Logger): T[] {
  const items: T[] = [];
  let unread = 0;
  for (const raw of data) {
    const item = parse(raw);
    if (item === undefined) unread++;
    else if (item !== null) items.push(item);
  }
  if (unread > 0) logger?.warn({ what, skipped: unread }, 'VBR listed objects the client cannot read; skipped');
  return items;
}
