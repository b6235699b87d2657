import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, createTokenVerifier, type AuthOptions } from '../../../src/auth/index.js';

/** A local issuer: serves a real JWKS and counts the fetches. */
interface Issuer {
  url: URL;
  fetches: number;
  status: number;
  keys: JWK[];
  server: Server;
}

async function startIssuer(keys: JWK[]): Promise<Issuer> {
  const issuer = { fetches: 0, status: 200, keys } as Issuer;
  issuer.server = createServer((request, response) => {
    issuer.fetches += 1;
    if (request.url !== '/.well-known/jwks.json' || issuer.status !== 200) {
      response.writeHead(request.url === '/.well-known/jwks.json' ? issuer.status : 404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: issuer.keys }));
  });
  await new Promise<void>((resolve) => issuer.server.listen(0, '127.0.0.1', resolve));
  issuer.url = new URL(`http://127.0.0.1:${(issuer.server.address() as AddressInfo).port}/.well-known/jwks.json`);
  return issuer;
}

const options = (url: URL, overrides: Partial<AuthOptions> = {}): AuthOptions => ({
  issuer: 'https://idp.test',
  audience: 'gateway-test',
  algorithm: 'RS256',
  clockToleranceSeconds: 5,
  subjectClaim: 'sub',
  groupsClaim: 'groups',
  key: { kind: 'jwks', url },
  ...overrides,
});

const sign = (key: CryptoKey | Uint8Array, kid: string, alg = 'RS256', claims: Record<string, unknown> = {}) =>
  new SignJWT({ groups: ['ops'], ...claims })
    .setProtectedHeader({ alg, kid })
    .setSubject('carol')
    .setIssuer('https://idp.test')
    .setAudience('gateway-test')
    .setExpirationTime('5m')
    .sign(key);

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('token verification with a remote JWKS', () => {
  let issuer: Issuer;
  let signing: { privateKey: CryptoKey; publicKey: CryptoKey };
  let publicJwk: JWK;

  beforeAll(async () => {
    signing = await generateKeyPair('RS256', { extractable: true });
    publicJwk = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    issuer = await startIssuer([publicJwk]);
  });
  afterAll(() => new Promise<void>((resolve) => issuer.server.close(() => resolve())));
  beforeEach(() => {
    issuer.fetches = 0;
    issuer.status = 200;
    issuer.keys = [publicJwk];
  });

  it('verifies with the published key and fetches the key set once for many tokens', async () => {
    const verifier = createTokenVerifier(options(issuer.url));
    for (let i = 0; i < 3; i += 1) {
      expect(await verifier.verify(await sign(signing.privateKey, 'k1'))).toMatchObject({ subject: 'carol', groups: ['ops'] });
    }
    expect(issuer.fetches).toBe(1);
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const verifier = createTokenVerifier(options(issuer.url));
    const stranger = await generateKeyPair('RS256');
    expect((await refusal(verifier.verify(await sign(stranger.privateKey, 'k1')))).failure).toBe('invalid');
    expect((await refusal(verifier.verify(await sign(stranger.privateKey, 'unknown-kid')))).failure).toBe('invalid');
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const verifier = createTokenVerifier(options(issuer.url));
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(publicJwk));
    expect((await refusal(verifier.verify(await sign(publicKeyBytes, 'k1', 'HS256')))).failure).toBe('invalid');
  });

  it('refuses another asymmetric algorithm than the pinned one', async () => {
    const ec = await generateKeyPair('ES256', { extractable: true });
    issuer.keys = [publicJwk, { ...(await exportJWK(ec.publicKey)), kid: 'e1', alg: 'ES256' }];
    const verifier = createTokenVerifier(options(issuer.url));
    expect((await refusal(verifier.verify(await sign(ec.privateKey, 'e1', 'ES256')))).failure).toBe('invalid');
  });

  it('reports an unreachable or broken key set as unavailable, not as a bad token', async () => {
    issuer.status = 500;
    const verifier = createTokenVerifier(options(issuer.url));
    expect((await refusal(verifier.verify(await sign(signing.privateKey, 'k1')))).failure).toBe('unavailable');
    const closed = createTokenVerifier(options(new URL('http://127.0.0.1:1/jwks.json')));
    expect((await refusal(closed.verify(await sign(signing.privateKey, 'k1')))).failure).toBe('unavailable');
  });

  it('still checks issuer and audience', async () => {
    const verifier = createTokenVerifier(options(issuer.url, { audience: 'someone-else' }));
    expect((await refusal(verifier.verify(await sign(signing.privateKey, 'k1')))).message).toContain('"aud"');
  });
});
