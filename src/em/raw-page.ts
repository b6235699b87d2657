import { hash } from 'node:crypto';
import type { EmPage } from './types.js';
import { collectionItems, pagingInfo, type Json, type PagingInfo } from './wire.js';

/**
 * One listing page kept as the bytes EM sent. Its fingerprint (SHA-1 of the
 * bytes) lets a caller recognise a page it has already seen, and the entities
 * are parsed only when asked for: a page that did not change costs a hash
 * instead of a JSON parse and a domain object per entity.
 */
export class RawPage<T> implements EmPage<T> {
  readonly fingerprint: string;
  private bytes: Buffer | undefined;
  private parsed: Json | undefined;
  private items_: T[] | undefined;

  constructor(
    bytes: Buffer,
    private readonly plural: string,
    private readonly parse: (o: Json) => T,
  ) {
    this.bytes = bytes;
    this.fingerprint = hash('sha1', bytes, 'base64');
  }

  /** The paging links, read from the tail of the bytes when possible (without parsing the entities). */
  paging(): PagingInfo | undefined {
    if (this.parsed === undefined && this.bytes !== undefined) {
      const tail = pagingInfoText(this.bytes);
      if (tail !== undefined) {
        try {
          return pagingInfo({ PagingInfo: JSON.parse(tail) as unknown });
        } catch {
          // Not what it looked like: read the whole body below.
        }
      }
    }
    return pagingInfo(this.body());
  }

  items(): T[] {
    if (this.items_ === undefined) {
      this.items_ = collectionItems(this.body(), this.plural).map((o) => this.parse(o));
      // The bytes and the parsed tree are garbage from here on: only the domain objects are kept.
      this.bytes = undefined;
      this.parsed = undefined;
    }
    return this.items_;
  }

  private body(): Json {
    if (this.parsed === undefined) {
      this.parsed = JSON.parse(this.bytes!.toString('utf8')) as Json;
      this.bytes = undefined;
    }
    return this.parsed;
  }
}

const KEY = Buffer.from('"PagingInfo"');

/**
 * The JSON text of the top-level `"PagingInfo"` member when it comes last, as
 * in every answer seen so far: the text after the key up to the matching
 * closing brace. Undefined when the member is not found there (spelled
 * otherwise, or nested in an entity): the caller then parses the whole body.
 */
export function pagingInfoText(bytes: Buffer): string | undefined {
  const at = bytes.lastIndexOf(KEY);
  if (at < 0) return undefined;
  const text = bytes.toString('utf8', at + KEY.length);
  let i = 0;
  while (i < text.length && (text[i] === ':' || text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  if (text[i] !== '{') return undefined;
  const start = i;
  let depth = 0;
  let inString = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        // Only the outer object may follow: a closing brace and whitespace.
        return /^\s*\}\s*$/.test(text.slice(i + 1)) ? text.slice(start, i + 1) : undefined;
      }
    }
  }
  return undefined;
}
