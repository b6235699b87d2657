import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayInfoDocument } from '../../generated/graphql.js';
import { auditSigningKeyFile } from '../../support/audit-key.js';
import { postGraphQL, startTestGateway, type TestGateway } from '../../support/gateway.js';

describe('GraphQL over HTTP', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ MAX_ALIASES: '3', MAX_TOKENS: '200', MAX_BODY_BYTES: '4096' });
  });
  afterAll(() => gateway?.stop());

  it('answers a query with the gateway it reached', async () => {
    const { status, json } = await postGraphQL(gateway.url, { query: String(GatewayInfoDocument) });
    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
    expect(json.data.gateway).toMatchObject({ database: 'PGLITE', version: gateway.services.version });
    expect(Date.parse(json.data.gateway.startedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('gives every response a request id, keeping a sane one from the caller', async () => {
    const mine = await postGraphQL(gateway.url, { query: '{ __typename }' }, { 'x-request-id': 'portal-42.a' });
    expect(mine.headers.get('x-request-id')).toBe('portal-42.a');
    const junk = await postGraphQL(gateway.url, { query: '{ __typename }' }, { 'x-request-id': 'a b\tc' });
    expect(junk.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const none = await postGraphQL(gateway.url, { query: '{ __typename }' });
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a GET without the CSRF header and serves it with the header', async () => {
    const query = encodeURIComponent('{ __typename }');
    const bare = await fetch(`${gateway.url}?query=${query}`, { headers: { accept: 'application/json' } });
    expect(bare.status).toBe(403);
    const withHeader = await fetch(`${gateway.url}?query=${query}`, {
      headers: { accept: 'application/json', 'x-graphql-csrf': '1' },
    });
    expect(withHeader.status).toBe(200);
    expect(await withHeader.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a cross-site form post (a "simple" request) without the CSRF header', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    });
    expect(response.status).toBe(403);
  });

  it('does not batch', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('refuses a body over MAX_BODY_BYTES with 413, by length and when chunked', async () => {
    const big = JSON.stringify({ query: `{ __typename }${' '.repeat(5000)}` });
    const byLength = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(byLength.status).toBe(413);
    const stream = new Blob([big]).stream();
    const chunked = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('limits aliases and tokens, naming the limit', async () => {
    // __typename aliases are free in graphql-armor; aliases of real fields count.
    const aliases = await postGraphQL(gateway.url, {
      query: '{ a: gateway { version } b: gateway { version } c: gateway { version } d: gateway { version } }',
    });
    expect(aliases.status).toBe(400);
    expect(aliases.json.errors[0].message).toBe('Aliases limit of 3 exceeded, found 4.');
    expect(aliases.json.errors[0].extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxAliases' });
    const tokens = await postGraphQL(gateway.url, { query: `{ ${'__typename '.repeat(250)} }` });
    expect(tokens.status).toBe(400);
    expect(tokens.json.errors[0].message).toMatch(/^Token limit of 200 exceeded/);
    expect(tokens.json.errors[0].extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxTokens' });
  });

  it('rejects a malformed document as a GraphQL error, not a crash', async () => {
    const { status, json } = await postGraphQL(gateway.url, { query: '{ gateway { ' });
    expect(status).toBe(400);
    expect(json.errors[0].message).toMatch(/Syntax Error/);
  });

  it('serves GraphiQL to a browser only when enabled (off in test mode)', async () => {
    const response = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
  });
});

describe('operation depth and cost limits', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ MAX_DEPTH: '1', MAX_COST: '4' });
  });
  afterAll(() => gateway?.stop());

  it('refuses an operation deeper than MAX_DEPTH', async () => {
    const { status, json } = await postGraphQL(gateway.url, { query: '{ gateway { version } }' });
    expect(status).toBe(400);
    expect(json.errors[0].message).toBe('Query depth limit of 1 exceeded, found 2.');
    expect(json.errors[0].extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxDepth' });
  });

  it('refuses an operation costlier than MAX_COST', async () => {
    const { status, json } = await postGraphQL(gateway.url, {
      query: '{ a: __typename b: __typename c: __typename d: __typename e: __typename f: __typename }',
    });
    expect(status).toBe(400);
    expect(json.errors[0].message).toMatch(/^Query Cost limit of 4 exceeded/);
    expect(json.errors[0].extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxCost' });
  });

  it('keeps introspection (GraphiQL, codegen) exempt from depth', async () => {
    const { status, json } = await postGraphQL(gateway.url, { query: '{ __schema { queryType { fields { name } } } }' });
    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
  });
});

describe('GraphQL over HTTP in production mode', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      NODE_ENV: 'production',
      EM_URL: 'http://127.0.0.1:9/api',
      EM_USERNAME: 'unused',
      EM_PASSWORD: 'unused',
      // Production needs a real token setup; these requests need no token.
      JWT_ISSUER: 'https://issuer.example',
      JWT_AUDIENCE: 'failover-gateway',
      JWT_SECRET: 'a-production-test-secret-of-enough-length',
      AUDIT_SIGNING_KEY_FILE: auditSigningKeyFile(),
    });
  });
  afterAll(() => gateway?.stop());

  it('refuses introspection', async () => {
    const { json } = await postGraphQL(gateway.url, { query: '{ __schema { queryType { name } } }' });
    expect(json.errors?.[0]?.message).toMatch(/introspection/i);
    expect(json.data ?? null).toBeNull();
  });

  it('does not suggest field names', async () => {
    const { json } = await postGraphQL(gateway.url, { query: '{ gatewy { version } }' });
    expect(json.errors[0].message).not.toMatch(/Did you mean/);
  });

  it('serves no GraphiQL page', async () => {
    const response = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
  });
});

describe('GraphiQL in development mode', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ NODE_ENV: 'development' });
  });
  afterAll(() => gateway?.stop());

  it('is served to a browser', async () => {
    const response = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const page = await response.text();
    expect(page).toContain('Failover gateway');
    // Works on a network without internet: no script or stylesheet from a CDN.
    expect(page).not.toMatch(/<script[^>]+src=["']?https?:/);
    expect(page).not.toMatch(/<link[^>]+href=["']?https?:[^>]+stylesheet|stylesheet[^>]+href=["']?https?:/);
  });
});
