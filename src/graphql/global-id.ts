import { decodeGlobalID } from '@pothos/plugin-relay';
import { badUserInput } from './errors.js';

export type GlobalIdProblem = 'malformed-id' | 'wrong-id-type';

/** A global id of one of the given types as its database id, or why it is not one (with a message for the caller). */
export function parseGlobalId(globalId: string, typename: string | readonly string[]): { id: string } | { problem: GlobalIdProblem; message: string } {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    return { problem: 'malformed-id', message: `${JSON.stringify(globalId)} is not an id this gateway gave out` };
  }
  const allowed = typeof typename === 'string' ? [typename] : typename;
  if (!allowed.includes(decoded.typename)) return { problem: 'wrong-id-type', message: `${JSON.stringify(globalId)} is not the id of a ${allowed.join(' or ')}: it names a ${decoded.typename}` };
  return { id: decoded.id };
}

/** A global id of the given type, as its database id; BAD_USER_INPUT for anything else. */
export function databaseId(globalId: string, typename: string | readonly string[]): string {
  const parsed = parseGlobalId(globalId, typename);
  if ('problem' in parsed) throw badUserInput(parsed.message);
  return parsed.id;
}
