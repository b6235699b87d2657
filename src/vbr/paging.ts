import { hash } from 'node:crypto';
import type { Logger } from 'pino';
import type { VbrPage } from './types.js';
import { trailingMemberText } from '../http-client/json-tail.js';
import { VbrUnavailableError } from './errors.js';
import { listing, pagination } from './wire.js';

/** One answer of a listing: how many objects it holds, the listing's total, and its data. */
interface Answer {
  answer: unknown;
  count: number;
  total?: number;
  data: () => unknown[];
}

/**
 * Every answer of a `{data, pagination}` listing, `limit` objects at a time.
 * It ends when `skip` reaches `pagination.total`; without a total, at the
 * first page shorter than asked (a server that caps `limit` below the asked
 * size is then read to the end only when it reports its total, which VBR
 * documents as required). An empty page always ends it.
 */
async function* answers(fetchPage: (skip: number, limit: number) => Promise<unknown>, pageSize: number, what: string): AsyncGenerator<Answer> {
  for (let skip = 0; ; ) {
    const answer = readAnswer(await fetchPage(skip, pageSize), what);
    yield answer;
    skip += answer.count;
    if (answer.count === 0 || (answer.total !== undefined ? skip >= answer.total : answer.count < pageSize)) return;
  }
}

/**
 * An answer's paging and data. An answer given as bytes (a Buffer) whose
 * `pagination` member comes last with its `count` (required by VBR's
 * PaginationResult: "Number of returned results") is paged by it without
 * being parsed: a caller that compares fingerprints never parses a page it
 * has seen. Its data, when asked for, must hold that many objects. Any other
 * answer is parsed whole.
 */
function readAnswer(answer: unknown, what: string): Answer {
  if (Buffer.isBuffer(answer)) {
    const tail = trailingMemberText(answer, 'pagination');
    const paging = tail === undefined ? undefined : paginationOf(tail);
    if (paging?.count !== undefined) {
      const count = paging.count;
      let data: unknown[] | undefined;
      const read = (): unknown[] => {
        const parsed = listing(JSON.parse(answer.toString('utf8')) as unknown).data;
        if (parsed.length !== count) throw new VbrUnavailableError(`VBR answered a page of ${what} whose pagination.count (${count}) is not the number of objects it holds (${parsed.length})`);
        return parsed;
      };
      return { answer, count, total: paging.total, data: () => (data ??= read()) };
    }
  }
  const { data, total } = listing(Buffer.isBuffer(answer) ? (JSON.parse(answer.toString('utf8')) as unknown) : answer);
  return { answer, count: data.length, total, data: () => data };
}

/** `total` and `count` of a `pagination` member's JSON text; neither when it is not one. */
function paginationOf(text: string): { total?: number; count?: number } | undefined {
  try {
    return pagination(JSON.parse(text) as unknown);
  } catch {
    return undefined;
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
  for await (const { data } of answers(fetchPage, pageSize, what)) {
    const items = readAll(data(), parse, what, logger);
    if (items.length > 0) yield items;
  }
}

/**
 * As pages, but each page comes as the bytes VBR sent (`fetchRaw` answers a
 * Buffer) with their fingerprint, its objects read only when asked for (see
 * readAnswer). Every
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
  for await (const { answer, data } of answers(fetchRaw, pageSize, what)) {
    let items: T[] | undefined;
    yield { fingerprint: hash('sha1', answer as Buffer, 'base64'), items: () => (items ??= readAll(data(), parse, what, logger)) };
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
