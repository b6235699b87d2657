import { randomUUID } from 'node:crypto';

/** Header a proxy or portal may send to correlate its logs with ours; echoed on every response. */
export const REQUEST_ID_HEADER = 'x-request-id';

// Accept a caller's id only when it is short and plain, so it cannot smuggle
// newlines or megabytes into log lines.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const ids = new WeakMap<Request, string>();

/** The id of an HTTP request: the caller's if sane, else a new UUID; the same on every call. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    const offered = request.headers.get(REQUEST_ID_HEADER);
    id = offered && SAFE_ID.test(offered) ? offered : randomUUID();
    ids.set(request, id);
  }
  return id;
}
