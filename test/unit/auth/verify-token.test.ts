import { UnsecuredJWT, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError, createTokenVerifier, type AuthFailure } from '../../../src/auth/index.js';
import { hsOptions, hsToken } from './support.js';

async function failure(promise: Promise<unknown>): Promise<{ failure: AuthFailure; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return { failure: (error as AuthError).failure, message: (error as AuthError).message };
  }
  throw new Error('expected the token to be refused');
}

describe('token verification (HS256)', () => {
  const verifier = createTokenVerifier(hsOptions());

  it('turns a valid token into subject, groups and expiry', async () => {
    const exp = Math.floor(Date.now() / 1000) + 900;
    const principal = await verifier.verify(await hsToken({ groups: ['ops', 'dba', 'ops'], exp }));
    expect(principal).toEqual({ subject: 'alice', groups: ['ops', 'dba'], expiresAt: new Date(exp * 1000) });
  });

  it('reads no groups as an empty list and a lone group as a list of one', async () => {
    expect((await verifier.verify(await hsToken({ groups: undefined }))).groups).toEqual([]);
    expect((await verifier.verify(await hsToken({ groups: 'ops' }))).groups).toEqual(['ops']);
  });

  it('refuses groups that are not names', async () => {
    expect(await failure(verifier.verify(await hsToken({ groups: [1, 'ops'] })))).toMatchObject({ failure: 'invalid', message: expect.stringContaining('"groups"') });
    expect((await failure(verifier.verify(await hsToken({ groups: { a: 1 } })))).failure).toBe('invalid');
  });

  it('refuses a token without a subject or with an empty one', async () => {
    expect((await failure(verifier.verify(await hsToken({ sub: undefined })))).message).toContain('"sub"');
    expect((await failure(verifier.verify(await hsToken({ sub: ' ' })))).failure).toBe('invalid');
  });

  it('refuses a token without an expiry', async () => {
    expect(await failure(verifier.verify(await hsToken({}, { expiresIn: null })))).toMatchObject({ failure: 'invalid', message: expect.stringContaining('"exp"') });
  });

  it('refuses another algorithm, even another HMAC one', async () => {
    expect((await failure(verifier.verify(await hsToken({}, { alg: 'HS384' })))).failure).toBe('invalid');
    expect((await failure(verifier.verify(await hsToken({}, { alg: 'HS512' })))).failure).toBe('invalid');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'alice', groups: [] })
      .setIssuer('https://issuer.test')
      .setAudience('gateway-test')
      .setExpirationTime('10m')
      .encode();
    expect(unsigned.split('.')[2]).toBe('');
    expect(await failure(verifier.verify(unsigned))).toMatchObject({ failure: 'invalid', message: expect.stringContaining('algorithm') });
  });

  it('refuses an RS256 token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256' }).setIssuer('https://issuer.test').setAudience('gateway-test').setExpirationTime('10m').sign(privateKey);
    expect((await failure(verifier.verify(token))).failure).toBe('invalid');
  });

  it('refuses a wrong signature', async () => {
    const other = new TextEncoder().encode('another-secret-another-secret-another-secret');
    expect(await failure(verifier.verify(await hsToken({}, { key: other })))).toMatchObject({ failure: 'invalid', message: expect.stringContaining('signature') });
  });

  it('refuses a wrong issuer or audience, and a token with neither', async () => {
    expect((await failure(verifier.verify(await hsToken({ iss: 'https://evil.test' })))).message).toContain('"iss"');
    expect((await failure(verifier.verify(await hsToken({ aud: 'another-service' })))).message).toContain('"aud"');
    expect((await failure(verifier.verify(await hsToken({ iss: undefined })))).failure).toBe('invalid');
    expect((await failure(verifier.verify(await hsToken({ aud: undefined })))).failure).toBe('invalid');
  });

  it('accepts one of several audiences', async () => {
    expect((await verifier.verify(await hsToken({ aud: ['other', 'gateway-test'] }))).subject).toBe('alice');
  });

  it('tolerates skew within the bound and no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await verifier.verify(await hsToken({ exp: now - 20 }))).subject).toBe('alice');
    expect((await failure(verifier.verify(await hsToken({ exp: now - 40 })))).failure).toBe('expired');
    expect((await verifier.verify(await hsToken({ nbf: now + 20 }))).subject).toBe('alice');
    expect((await failure(verifier.verify(await hsToken({ nbf: now + 40 })))).message).toContain('"nbf"');
  });

  it('uses the configured clock', async () => {
    const token = await hsToken({}, { expiresIn: 60 });
    const later = createTokenVerifier(hsOptions(), { now: () => new Date(Date.now() + 3_600_000) });
    expect((await failure(later.verify(token))).failure).toBe('expired');
  });

  it('remembers a verified token, but never past its expiry', async () => {
    let offset = 0;
    const clocked = createTokenVerifier(hsOptions(), { now: () => new Date(Date.now() + offset) });
    const token = await hsToken({}, { expiresIn: 45 });
    const first = await clocked.verify(token);
    // Served again within its life (the same object: remembered, not verified anew).
    expect(await clocked.verify(token)).toBe(first);
    offset = 120_000; // past exp and past the clock tolerance
    expect((await failure(clocked.verify(token))).failure).toBe('expired');
  });

  it('calls garbage malformed', async () => {
    for (const text of ['', 'abc', 'a.b.c', 'x.y', `${(await hsToken()).slice(0, -5)}!!!!!`]) {
      expect(['malformed', 'invalid']).toContain((await failure(verifier.verify(text))).failure);
    }
    expect((await failure(verifier.verify('a.b.c'))).failure).toBe('malformed');
  });

  it('reads configured claim names, including a dotted path into an object', async () => {
    const custom = createTokenVerifier(hsOptions({ subjectClaim: 'preferred_username', groupsClaim: 'realm_access.roles' }));
    const principal = await custom.verify(await hsToken({ preferred_username: 'bob', realm_access: { roles: ['dba'] } }));
    expect(principal).toMatchObject({ subject: 'bob', groups: ['dba'] });
    // An exact claim name wins over the path, so namespaced claims with dots work.
    const namespaced = createTokenVerifier(hsOptions({ groupsClaim: 'https://example.com/groups' }));
    expect((await namespaced.verify(await hsToken({ 'https://example.com/groups': ['x'] }))).groups).toEqual(['x']);
  });

});
