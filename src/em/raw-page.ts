import { hash } from 'node:crypto';
import { trailingMemberText } from '../http-client/json-tail.js';
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

/** The JSON text of the top-level `"PagingInfo"` member when it comes last, as in every answer seen so far (see trailingMemberText). */
export function pagingInfoText(bytes: Buffer): string | undefined {
  return trailingMemberText(bytes, 'PagingInfo');
}
