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
 * generic plan, which suits a lookup by keys or a walk of one index (the
 * replicas page), not every list query.
 */
const TAG = /^\/\* prepared:([a-z][a-zA-Z0-9]*) \*\//;

export function prepared(name: string, sql: Prisma.Sql): Prisma.Sql {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) throw new TypeError(`prepared statement names are camelCase words, not '${name}'`);
  return Prisma.sql`${Prisma.raw(`/* prepared:${name} */ `)}${sql}`;
}

/**
 * Texts one tag may have named. A tag's text may vary with the request (the
 * replicas page's columns and filters): each name stays prepared on every
 * connection that ran it, so a tag names its first texts only and sends the
 * rest unnamed, as any untagged statement. A fixed text is named for good.
 */
export const MAX_TEXTS_PER_TAG = 32;

/** Names given, by text; and how many texts each tag has named. Tagged texts run on every failover and every page: digested once each. */
const NAMES = new Map<string, string>();
const NAMED_PER_TAG = new Map<string, number>();

/** The name a tagged statement is sent under (its tag and its text's digest: texts differ, names do too); undefined: sent unnamed. */
export function statementName(text: string): string | undefined {
  // The anchored tag first: every untagged statement Prisma sends comes through here too, and needs no lookup.
  const tag = TAG.exec(text);
  if (!tag) return undefined;
  const known = NAMES.get(text);
  if (known !== undefined) return known;
  const named = NAMED_PER_TAG.get(tag[1]!) ?? 0;
  if (named >= MAX_TEXTS_PER_TAG) return undefined;
  const name = `${tag[1]}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  NAMES.set(text, name);
  NAMED_PER_TAG.set(tag[1]!, named + 1);
  return name;
}
