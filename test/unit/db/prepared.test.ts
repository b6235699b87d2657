import { describe, expect, it } from 'vitest';
import { Prisma } from '../../../src/generated/prisma/client.js';
import { prepared, statementName } from '../../../src/db/prepared.js';

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

  it('refuses a name the tag cannot carry', () => {
    expect(() => prepared('load subject */ DROP', Prisma.sql`SELECT 1`)).toThrow(/camelCase/);
  });
});
