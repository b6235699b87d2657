import { AuthError } from './auth-error.js';

/**
 * The token of an `Authorization: Bearer <token>` header (or a graphql-ws
 * connection parameter holding the same text). Undefined when there is none;
 * throws AuthError('malformed') for another scheme or an empty token, so a
 * client sending Basic credentials learns why it is refused.
 */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(text);
  if (!match) throw new AuthError('malformed', 'Authorization must be "Bearer <token>"');
  return match[1];
}
