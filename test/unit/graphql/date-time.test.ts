import { GraphQLScalarType, parseValue as parseLiteralText } from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema } from '../../../src/graphql/schema.js';

const scalar = getSchema().getType('DateTime') as GraphQLScalarType<Date, string>;
const fromVariable = (value: unknown) => scalar.parseValue(value);
const fromLiteral = (text: string) => scalar.parseLiteral(parseLiteralText(JSON.stringify(text)));

describe('DateTime input', () => {
  it('accepts RFC 3339 date-times with an offset, as the instant they name', () => {
    const cases: Array<[string, string]> = [
      ['2026-11-25T13:37:00Z', '2026-11-25T13:37:00.000Z'],
      ['2026-11-25T15:37:00+02:00', '2026-11-25T13:37:00.000Z'],
      ['2026-11-25T13:37:00.123456789-00:30', '2026-11-25T14:07:00.123Z'],
      ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
      ['2000-02-29T23:59:59Z', '2000-02-29T23:59:59.000Z'],
      // RFC 3339, section 5.6: "T" and "Z" may be lower case.
      ['2026-11-25t13:37:00z', '2026-11-25T13:37:00.000Z'],
    ];
    for (const [text, instant] of cases) {
      expect(fromVariable(text).toISOString(), text).toBe(instant);
      expect(fromLiteral(text).toISOString(), text).toBe(instant);
    }
  });

  it('refuses moments that do not exist instead of rolling them over, naming the value', () => {
    const impossible = [
      '2026-02-30T00:00:00Z',
      '2026-11-31T10:00:00Z',
      '2026-12-03T24:00:00Z',
      '2026-12-03T10:61:00Z',
      '2026-12-03T10:00:61Z',
      // A leap second: a JavaScript Date cannot hold one.
      '2026-12-31T23:59:60Z',
      '2100-02-29T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-12-00T00:00:00Z',
      '2026-12-03T10:00:00+24:00',
      '2026-12-03T10:00:00+02:60',
    ];
    for (const text of impossible) {
      expect(() => fromVariable(text), text).toThrow(text);
      expect(() => fromLiteral(text), text).toThrow(text);
    }
  });

  it('refuses a time without an offset, other shapes and other types', () => {
    for (const text of ['2026-12-03T10:00:00', '2026-12-03', '2026-12-03 10:00:00Z', '2026-12-03T10:00Z', '2026-12-03T10:00:00+0200', 'yesterday', '']) {
      expect(() => fromVariable(text), text).toThrow(/RFC 3339/);
    }
    expect(() => fromVariable(1_796_292_000_000)).toThrow(/RFC 3339/);
    expect(() => fromVariable(new Date())).toThrow(/RFC 3339/);
  });
});
