import { request as httpRequest } from 'node:http';
import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER } from '../src/auth/auth-options.js';
import { readControlFile } from '../src/server/control-file.js';

/**
 * Talking to a gateway process the way the benchmarks need: GraphQL calls
 * that fail loudly, tokens for JWT_SECRET, and waiting for the start-up sync.
 */

/** The failover mutation as a portal sends it: the operation on success, the code and message of a refusal. */
export const FAILOVER_MUTATION = /* GraphQL */ `
  mutation Failover($input: FailoverInput!, $key: String) {
    failover(input: $input, idempotencyKey: $key) {
      __typename
      ... on FailoverStarted { operation { id state } }
      ... on Error { code message }
    }
  }
`;

export interface GraphQLResult<T> {
  data?: T;
  errors?: Array<{ message: string }>;
}

export async function graphql<T>(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResult<T>;
  if (!response.ok || body.errors?.length || !body.data) {
    throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  }
  return body.data;
}

/** Tokens exactly as the gateway verifies them outside production with JWT_SECRET. */
export function minter(secret: string) {
  const key = new TextEncoder().encode(secret);
  return (subject: string) =>
    new SignJWT({ groups: [] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(key);
}

/** Waits for the gateway's start-up sync (and its visibility rebuild) through the control endpoint. */
export async function waitForStartupSync(dataDir: string): Promise<{ ok: boolean; error?: string; durationMs?: number }> {
  const control = readControlFile(dataDir);
  if (!control) throw new Error(`no control file in ${dataDir}`);
  // syncNow returns the sync in flight: the start-up one, which is started before the gateway listens.
  // node:http, not fetch: fetch gives up waiting for response headers after 5 minutes.
  const body = await new Promise<string>((resolve, reject) => {
    const request = httpRequest(`${control.url}/control/inventory/sync`, { method: 'POST', headers: { authorization: `Bearer ${control.token}` } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve(text) : reject(new Error(`control sync: ${response.statusCode} ${text}`))));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
  return JSON.parse(body) as { ok: boolean; error?: string; durationMs?: number };
}
