/**
 * A `search` argument ("case-insensitive part of the name") as a Prisma
 * string filter. Prisma hands `contains` to ILIKE as it is, so `_` and `%`
 * would match any character and `\` would escape the next one: they are
 * escaped to stand for themselves.
 */
export function nameContains(text: string): { contains: string; mode: 'insensitive' } {
  return { contains: likeLiteral(text), mode: 'insensitive' };
}

/** `text` matched literally by LIKE and ILIKE, whose escape character is `\` by default. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
