import { describe, expect, it } from 'vitest';
import { AuthError, bearerToken } from '../../../src/auth/index.js';

describe('bearer header', () => {
  it('takes the token of a Bearer header, any case, surrounding space ignored', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('  bearer   abc.def.ghi ')).toBe('abc.def.ghi');
  });

  it('is undefined without a header', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
    expect(bearerToken('  ')).toBeUndefined();
  });

  it('refuses other schemes and empty or split tokens as malformed', () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'abc.def.ghi']) {
      expect(() => bearerToken(header)).toThrow(AuthError);
    }
  });
});
