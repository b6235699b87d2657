import { describe, expect, it } from 'vitest';
import { Prisma } from '../../../src/generated/prisma/client.js';
import { MAX_TEXTS_PER_TAG, prepared, statementName } from '../../../src/db/prepared.js';

describe('prepared statements', () => {
  it('names a tagged statement after its tag and text, and leaves the rest unnamed', () => {
    const one = prepared('loadSubject', Prisma.sql`SELECT * FROM "Replica" WHERE id = ${'a'}`);
    const other = prepared('loadSubject', Prisma.sql`SELECT * FROM "Replica" WHERE name = ${'a'}`);
    expect(one.sql.startsWith('/* prepared:loadSubject */ SELECT')).toBe(true);
    expect(one.values).toEqual(['a']);
    expect(statementName(one.sql)).toMatch(/^loadSubject_[0-9a-f]{16}$/);
    expect(statementName(one.sql)).toBe(statementName(prepared('loadSubject', Prisma.sql`SELECT * FROM "Replica" WHERE id = ${'b'}`).sql));
    expect(statementName(other.sql)).not.toBe(statementName(one.sql));
    expect(statementName(Prisma.sql`SELECT 1`.sql)).toBeUndefined();
    expect(statementName('SELECT 1 /* prepared:late */')).toBeUndefined();
  });

  it('names at most a bounded number of texts per tag, and sends the others unnamed', () => {
    // A tag whose text varies with the request (a page's columns and filters) must not prepare one statement per variant on every connection.
    const text = (n: number) => prepared('manyShapes', Prisma.sql`SELECT ${Prisma.raw(`col${n}`)} FROM t`).sql;
    const names = Array.from({ length: MAX_TEXTS_PER_TAG }, (_, n) => statementName(text(n)));
    expect(new Set(names).size).toBe(MAX_TEXTS_PER_TAG);
    expect(names.every((name) => name?.startsWith('manyShapes_'))).toBe(true);
    expect(statementName(text(MAX_TEXTS_PER_TAG))).toBeUndefined();
    // The texts named first keep their names; other tags are not affected.
    expect(statementName(text(0))).toBe(names[0]);
    expect(statementName(prepared('otherTag', Prisma.sql`SELECT 1`).sql)).toMatch(/^otherTag_/);
  });

  it('refuses a name the tag cannot carry', () => {
    expect(() => prepared('load subject */ DROP', Prisma.sql`SELECT 1`)).toThrow(/camelCase/);
  });
});
