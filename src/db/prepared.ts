import { createHash } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';

/**
 * Statements that PostgreSQL should plan once per connection. A statement on
 * the failover admission path joins a dozen relations; planning it took
 * several times as long as running it, on every call, because Prisma's
 * adapter sends statements unnamed. A tagged statement is sent under a name,
 * so the connection keeps it prepared and PostgreSQL can settle on one plan.
 *
 * Only tagged statements are named: each name stays prepared on its connection
 * for the connection's life, and PostgreSQL may move a prepared statement to a
 * generic plan, which suits a lookup by keys but not every list query.
 */
const TAG = /^\/\* prepared:([a-z][a-zA-Z0-9]*) \*\//;

export function prepared(name: string, sql: Prisma.Sql): Prisma.Sql {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) throw new TypeError(`prepared statement names are camelCase words, not '${name}'`);
  return Prisma.sql`${Prisma.raw(`/* prepared:${name} */ `)}${sql}`;
}

/**
 * Names already given, by text: a tagged statement runs on every failover,
 * and its text (a few kilobytes) would be digested again each time. Tagged
 * texts are few and fixed by the code, but a cap keeps a mistake from growing
 * the map without end.
 */
const NAMES = new Map<string, string>();
const MAX_REMEMBERED = 256;

/** The name a tagged statement is sent under (its tag and its text's digest: texts differ, names do too); undefined: sent unnamed. */
export function statementName(text: string): string | undefined {
  // The anchored tag first: every untagged statement Prisma sends comes through here too, and needs no lookup.
  const tag = TAG.exec(text);
  if (!tag) return undefined;
  const known = NAMES.get(text);
  if (known !== undefined) return known;
  const name = `${tag[1]}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  if (NAMES.size < MAX_REMEMBERED) NAMES.set(text, name);
  return name;
}
