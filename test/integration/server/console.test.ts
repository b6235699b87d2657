import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSigningKeyFile } from '../../support/audit-key.js';
import { postGraphQL, startTestGateway, type TestGateway } from '../../support/gateway.js';

// These tests serve the console that `npm install` built (npm run build:console) into dist/console.

const inlineScript = /<script(?![^>]*\bsrc=)[^>]*>/i;

async function signIn(origin: string, body: unknown, contentType = 'application/json') {
  const response = await fetch(`${origin}/console/dev-sign-in`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json().catch(() => ({}))) as { token?: string; expiresAt?: string; error?: string } };
}

describe('the operator console, served by a development gateway', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ FAILOVER_REASON_REQUIRED: 'true', GRAPHIQL: 'true' });
  });
  afterAll(() => gateway?.stop());

  it('answers / and its page routes with the page, under a strict CSP and without inline script', async () => {
    for (const path of ['/', '/replicas/UmVwbGljYTox', '/operations', '/operations/x', '/administration', '/audit-log', '/sign-in', '/auth/callback']) {
      const response = await fetch(`${gateway.origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await response.text();
      expect(html).toMatch(/<div id="root">/);
      expect(html).not.toMatch(inlineScript);
    }
  });

  it('serves hashed assets as immutable, gzipped when asked, and leaves other paths to the gateway', async () => {
    const html = await (await fetch(gateway.origin)).text();
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const plain = await fetch(`${gateway.origin}${script}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const body = Buffer.from(await plain.arrayBuffer());
    // fetch decompresses on its own: read the raw bytes through node:http instead.
    const { request } = await import('node:http');
    const gzipped = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      request(`${gateway.origin}${script}`, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ encoding: response.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(gzipped.encoding).toBe('gzip');
    expect(gzipped.bytes.length).toBeLessThan(body.length);
    expect(gunzipSync(gzipped.bytes).equals(body)).toBe(true);

    expect((await fetch(`${gateway.origin}/assets/no-such-file.js`)).status).toBe(404);
    expect((await fetch(`${gateway.origin}/no-such-page`)).status).toBe(404);
    // GraphiQL stays at /graphql.
    const graphiql = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toMatch(/graphiql/i);
  });

  it('tells the page how to sign in and whether a failover needs a reason', async () => {
    const settings = await (await fetch(`${gateway.origin}/console/settings.json`)).json();
    expect(settings).toMatchObject({
      graphqlPath: '/graphql',
      oidc: null,
      failoverReason: { required: true, maxLength: 1000 },
      devSignIn: { path: '/console/dev-sign-in' },
    });
    expect(settings.devSignIn.demoAccounts.map((account: { name: string }) => account.name)).toEqual(['admin', 'operator', 'portal-user', 'nobody']);
  });

  it('signs any subject and groups in through the development signer; the gateway accepts the token', async () => {
    const { status, json } = await signIn(gateway.origin, { subject: 'carol', groups: ['dr-operators', 'site-b', 'dr-operators'] });
    expect(status).toBe(200);
    expect(new Date(json.expiresAt!).getTime()).toBeGreaterThan(Date.now());
    const viewer = await postGraphQL(gateway.url, { query: '{ viewer { subject groups } }' }, { authorization: `Bearer ${json.token}` });
    expect(viewer.json.data.viewer).toEqual({ subject: 'carol', groups: ['dr-operators', 'site-b'] });
  });

  it('refuses a sign-in without a subject, with bad JSON, or from a form, and says why', async () => {
    expect(await signIn(gateway.origin, { groups: [] })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/subject/) } });
    expect(await signIn(gateway.origin, { subject: '  ' })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/subject/) } });
    expect(await signIn(gateway.origin, { subject: 'x', groups: 'admins' })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/groups/) } });
    expect(await signIn(gateway.origin, '{not json')).toMatchObject({ status: 400 });
    expect(await signIn(gateway.origin, 'subject=admin', 'application/x-www-form-urlencoded')).toMatchObject({ status: 415 });
  });
});

describe('CONSOLE=false', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ CONSOLE: 'false' });
  });
  afterAll(() => gateway?.stop());

  it('serves neither the page, nor its settings, nor the development sign-in', async () => {
    expect((await fetch(gateway.origin)).status).toBe(404);
    expect((await fetch(`${gateway.origin}/console/settings.json`)).status).toBe(404);
    expect((await signIn(gateway.origin, { subject: 'admin' })).status).toBe(404);
  });
});

describe('the operator console on a production gateway', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      NODE_ENV: 'production',
      EM_URL: 'http://127.0.0.1:9/api',
      EM_USERNAME: 'unused',
      EM_PASSWORD: 'unused',
      JWT_ISSUER: 'https://login.example.org/realms/dr',
      JWT_AUDIENCE: 'failover-gateway',
      JWT_SECRET: 'a-production-test-secret-of-enough-length',
      CONSOLE_OIDC_ISSUER: 'https://login.example.org/realms/dr',
      CONSOLE_OIDC_CLIENT_ID: 'dr-console',
      AUDIT_SIGNING_KEY_FILE: auditSigningKeyFile(),
    });
  });
  afterAll(() => gateway?.stop());

  it('refuses the development sign-in as the signer does', async () => {
    const { status, json } = await signIn(gateway.origin, { subject: 'admin' });
    expect(status).toBe(403);
    expect(json.error).toMatch(/production/);
  });

  it('offers OpenID Connect sign-in and lets the page reach the issuer, nothing else', async () => {
    const settings = await (await fetch(`${gateway.origin}/console/settings.json`)).json();
    expect(settings).toMatchObject({
      mode: 'production',
      devSignIn: null,
      oidc: { issuer: 'https://login.example.org/realms/dr', clientId: 'dr-console', scope: 'openid profile' },
    });
    const csp = (await fetch(gateway.origin)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' https://login.example.org;");
    expect(csp).toContain("form-action 'self' https://login.example.org;");
  });
});
