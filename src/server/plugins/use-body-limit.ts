import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Only one non-negative integer is a valid Content-Length (comma-joined values are a smuggling attempt). */
const CONTENT_LENGTH = /^\d+$/;

function tooLarge(limit: number) {
  return createGraphQLError(`Request body too large: the limit is ${limit} bytes`, {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE', limit },
  });
}

/**
 * The request body limit, in place of Yoga's `maxRequestBodySize`.
 *
 * Yoga pipes every body through a counting TransformStream: about a tenth of the
 * CPU of a small request. Node's HTTP parser never delivers more than the
 * Content-Length it accepted (and refuses a request that also says chunked), so a
 * body with a valid Content-Length within the limit needs no counting; only bodies
 * without one (chunked) are counted as they arrive. Answers are Yoga's: 400 for
 * an invalid Content-Length, 413 for a body over the limit. Register it after
 * every plugin that adds a request parser, so it wraps the one selected.
 */
export function useBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength != null) {
        if (!CONTENT_LENGTH.test(contentLength)) {
          throw createGraphQLError('Content-Length header is invalid.', {
            extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
          });
        }
        if (Number(contentLength) > limit) throw tooLarge(limit);
        return;
      }
      if (requestParser == null || request.body == null) return;
      const parse = requestParser;
      setRequestParser((counted) => parse(withCountedBody(counted, limit, fetchAPI)));
    },
  };
}

type FetchAPI = Parameters<NonNullable<Plugin['onRequestParse']>>[0]['fetchAPI'];

function withCountedBody(request: Request, limit: number, fetchAPI: FetchAPI): Request {
  const body = request.body;
  if (!body) return request;
  // A native stream must go through the native TransformStream, a ponyfilled
  // one through the ponyfill's: the two do not pipe into each other.
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let received = 0;
  const counted = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > limit) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    duplex: 'half',
  } as RequestInit);
}
