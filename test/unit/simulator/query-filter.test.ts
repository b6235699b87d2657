import { describe, expect, it } from 'vitest';
import { evaluateFilter, FilterSyntaxError, parseFilter } from '../../../src/simulator/query-filter.js';

type Row = Record<string, string | number>;
const get = (row: Row, f: string) => row[f];
const match = (filter: string, row: Row) => evaluateFilter(parseFilter(filter), row, get);

describe('query filter', () => {
  const row: Row = { vmdisplayname: 'sql 01', state: 'Finished', creationtime: Date.parse('2025-01-02T00:00:00Z') };

  it('compares with == and != case-insensitively, quoted values with spaces', () => {
    expect(match('VmDisplayName=="sql 01"', row)).toBe(true);
    expect(match('VmDisplayName=="SQL 01"', row)).toBe(true);
    expect(match('State!=Finished', row)).toBe(false);
  });

  it('compares dates', () => {
    expect(match('CreationTime>=2025-01-01T00:00:00Z', row)).toBe(true);
    expect(match('CreationTime<2025-01-01T00:00:00Z', row)).toBe(false);
  });

  it('; is AND, , is OR, parentheses group', () => {
    expect(match('State==Running,State==Finished', row)).toBe(true);
    expect(match('State==Running;State==Finished', row)).toBe(false);
    expect(match('(State==Running,State==Finished);VmDisplayName=="sql 01"', row)).toBe(true);
  });

  it('doubles quotes inside quoted values', () => {
    expect(match('VmDisplayName=="a ""b"""', { vmdisplayname: 'a "b"' })).toBe(true);
  });

  it('rejects malformed filters', () => {
    expect(() => parseFilter('State=')).toThrow(FilterSyntaxError);
    expect(() => parseFilter('(State==x')).toThrow(FilterSyntaxError);
    expect(() => parseFilter('State=="x')).toThrow(FilterSyntaxError);
  });
});
