import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLClients, startAccessGateway, tokenSigner, wsCloseCode, type GqlResult } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';

/**
 * Tokens on every transport: HTTP (and SSE) read the Authorization header and
 * answer UNAUTHENTICATED; graphql-ws reads the connection parameters, refuses
 * a bad token with 4403 and closes a socket with 4403 when its token expires.
 */

let gateway: TestGateway;
let clients: GraphQLClients;
let signer: ReturnType<typeof tokenSigner>;

beforeAll(async () => {
  gateway = await startAccessGateway();
  clients = new GraphQLClients(gateway);
  signer = tokenSigner(gateway);
}, 120_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

/** Every entry point that needs a signed-in caller. */
const OPERATIONS: Record<string, string> = {
  viewer: '{ viewer { subject } }',
  replicas: '{ replicas(first: 1) { totalCount } }',
  backupServers: '{ backupServers { totalCount } }',
  node: `{ node(id: "${encodeGlobalID('VmReplica', '00000000-0000-4000-8000-000000000000')}") { id } }`,
  accounts: '{ accounts { id } }',
  auditLog: '{ auditLog { entries { seq } } }',
  explain: `{ explain(account: "${encodeGlobalID('Account', '00000000-0000-4000-8000-000000000000')}", action: READ, object: "x") { rule } }`,
  createAccount: 'mutation { createAccount(input: { type: USER, name: "intruder", roles: [PORTAL_ADMINISTRATOR] }) { id } }',
};

const now = () => Math.floor(Date.now() / 1000);

/** Bad credentials, as the Authorization header (HTTP) or the `authorization` connection parameter (WebSocket). */
const BAD: Record<string, () => Promise<string>> = {
  'an expired token': async () => `Bearer ${await signer.custom({ expiresAt: now() - 3600 })}`,
  'a token signed with another secret': async () => `Bearer ${await signer.custom({ secret: randomBytes(32) })}`,
  'a token of another issuer': async () => `Bearer ${await signer.custom({ issuer: 'someone-else' })}`,
  'a token for another audience': async () => `Bearer ${await signer.custom({ audience: 'another-api' })}`,
  'a token whose groups claim is not a list of names': async () => `Bearer ${await signer.custom({ groups: 42 })}`,
  'a token that is not a JWT': async () => 'Bearer not-a-jwt',
  'another scheme than Bearer': async () => `Basic ${Buffer.from('admin:admin').toString('base64')}`,
  'an unsigned (alg none) token': async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'admin', iss: 'failover-gateway-dev', aud: 'failover-gateway', exp: now() + 600 })}.`;
  },
};

function expectUnauthenticated(result: GqlResult, label: string) {
  expect(result.errors?.[0]?.extensions?.code, `${label}: ${JSON.stringify(result)}`).toBe('UNAUTHENTICATED');
  // No data: null for the whole response, or null for a nullable root field such as node.
  expect(Object.values(result.data ?? {}).filter((value) => value !== null), label).toEqual([]);
}

describe('over HTTP', () => {
  it.each(Object.keys(OPERATIONS))('%s without a token: UNAUTHENTICATED (401)', async (name) => {
    const result = await clients.run('http', null, OPERATIONS[name]!);
    expectUnauthenticated(result, name);
    expect(result.status).toBe(401);
  });

  it.each(Object.keys(BAD))('%s: UNAUTHENTICATED (401) on every entry point, and a valid token is accepted', async (label) => {
    const header = await BAD[label]!();
    for (const [name, query] of Object.entries(OPERATIONS)) {
      const { status, json } = await post(query, header);
      expectUnauthenticated({ data: json.data, errors: json.errors }, `${label} / ${name}`);
      expect(status, name).toBe(401);
    }
    // The same request with a good token goes through: the refusal was about the token.
    const good = await post(OPERATIONS.viewer!, `Bearer ${await signer.custom({})}`);
    expect(good.json).toEqual({ data: { viewer: { subject: 'admin' } } });
  });

  it('a valid token is read from the Authorization header, and fields without sign-in need none', async () => {
    const token = await signer.sign({ subject: 'operator', groups: ['g1'] });
    expect((await clients.run('http', token, '{ viewer { subject groups roles } }')).data).toEqual({ viewer: { subject: 'operator', groups: ['g1'], roles: ['RESTORE_OPERATOR'] } });
    expect((await clients.run('http', null, '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('over SSE a missing token is refused with 401 and a valid one streams the result', async () => {
    const sse = (headers: Record<string, string>) =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers }, body: JSON.stringify({ query: OPERATIONS.viewer }) });
    const refused = await sse({});
    expect(refused.status).toBe(401);
    await refused.text();
    const accepted = await sse({ authorization: `Bearer ${await signer.sign({ subject: 'nobody', groups: [] })}` });
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain('"viewer":{"subject":"nobody"}');
  });
});

async function post(query: string, authorization: string) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, json: (await response.json()) as { data?: unknown; errors?: GqlResult['errors'] } };
}

describe('over graphql-ws', () => {
  it.each(Object.keys(OPERATIONS))('%s on a socket without a token: UNAUTHENTICATED', async (name) => {
    expectUnauthenticated(await clients.run('ws', null, OPERATIONS[name]!), name);
  });

  it.each(Object.keys(BAD))('%s in the connection parameters: the socket is refused with 4403', async (label) => {
    const outcome = await wsCloseCode(clients.wsUrl, { authorization: await BAD[label]!() });
    expect(outcome).toEqual({ code: 4403, opened: false });
  });

  it('a token in the connection parameters identifies the caller for every operation on the socket', async () => {
    const token = await signer.sign({ subject: 'portal-user', groups: [] });
    const first = await clients.run('ws', token, '{ viewer { subject roles } }');
    expect(first.data).toEqual({ viewer: { subject: 'portal-user', roles: ['PORTAL_USER'] } });
    const second = await clients.run('ws', token, '{ accounts { id } }');
    expect(second.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a socket whose token expires is closed with 4403, after serving operations while the token was valid', async () => {
    const token = await signer.sign({ subject: 'admin', groups: [] }, 2);
    let servedWhileValid: GqlResult | undefined;
    const outcome = await wsCloseCode(clients.wsUrl, { authorization: `Bearer ${token}` }, async (socket) => {
      servedWhileValid = await socket.request('{ viewer { subject } }');
    });
    expect(servedWhileValid).toEqual({ data: { viewer: { subject: 'admin' } } });
    expect(outcome).toEqual({ code: 4403, opened: true });
  });

  it('a long-lived token keeps its socket open past that moment (the close above is the expiry)', async () => {
    const token = await signer.sign({ subject: 'admin', groups: [] }, 3600);
    const results: GqlResult[] = [];
    const outcome = await wsCloseCode(clients.wsUrl, { authorization: `Bearer ${token}` }, async (socket) => {
      results.push(await socket.request('{ viewer { subject } }'));
      await new Promise((resolve) => setTimeout(resolve, 2500));
      results.push(await socket.request('{ viewer { subject } }'));
      socket.close();
    });
    expect(results).toEqual([{ data: { viewer: { subject: 'admin' } } }, { data: { viewer: { subject: 'admin' } } }]);
    // 1000: the client's own normal close, on the same socket that served both operations.
    expect(outcome).toEqual({ code: 1000, opened: true });
  });
});
