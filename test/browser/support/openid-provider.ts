import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider (the `oidc-provider` package) on a loopback port, with
 * its development login page (any login, any password). Access tokens are JWTs
 * for one resource, carrying the groups asked for, so a gateway verifies them
 * through the provider's JWKS exactly as it would a production issuer's.
 */
export interface LocalOpenIdProvider {
  issuer: string;
  jwksUrl: string;
  /** Registers the console as a public client (PKCE, no secret) once the gateway's address is known, and starts answering. */
  serve(options: { clientId: string; redirectUri: string; audience: string; groups: (accountId: string) => string[] }): void;
  close(): Promise<void>;
}

export async function startOpenIdProvider(): Promise<LocalOpenIdProvider> {
  // The port first: the issuer URL names it, and the gateway needs the issuer before the client can be registered.
  const server: Server = createServer((_request, response) => {
    response.statusCode = 503;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    serve({ clientId, redirectUri, audience, groups }) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const resource = 'urn:failover-gateway';
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            token_endpoint_auth_method: 'none',
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
        cookies: { keys: ['a-cookie-key-for-the-test-provider'] },
        pkce: { required: () => true },
        ttl: { AccessToken: 600, IdToken: 600, AuthorizationCode: 60, Grant: 600, Interaction: 600, Session: 600 },
        findAccount: async (_ctx, accountId) => ({ accountId, claims: async () => ({ sub: accountId }) }),
        features: {
          devInteractions: { enabled: true },
          resourceIndicators: {
            enabled: true,
            defaultResource: () => resource,
            useGrantedResource: () => true,
            getResourceServerInfo: () => ({ scope: 'openid profile', audience, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
          },
        },
        extraTokenClaims: async (_ctx, token) => ('accountId' in token && typeof token.accountId === 'string' ? { groups: groups(token.accountId) } : {}),
      });
      server.removeAllListeners('request');
      server.on('request', provider.callback());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
