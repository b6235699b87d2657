import type { UserManager } from 'oidc-client-ts';
import type { PageSettings } from '../settings';
import { paths } from '../routes';
import type { Session } from './session';

type OidcSettings = NonNullable<PageSettings['oidc']>;

/**
 * OpenID Connect, authorization code with PKCE, through oidc-client-ts. It is
 * loaded only when used: a development sign-in never downloads it.
 */
async function userManager(oidc: OidcSettings): Promise<UserManager> {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: oidc.issuer,
    client_id: oidc.clientId,
    redirect_uri: `${location.origin}${paths.authCallback}`,
    post_logout_redirect_uri: `${location.origin}${paths.signIn}`,
    response_type: 'code',
    scope: oidc.scope,
    // No hidden iframe (the page's CSP forbids framing) and no token kept past the tab.
    automaticSilentRenew: false,
    monitorSession: false,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

/** Leaves for the issuer's sign-in page; the browser comes back to /auth/callback. */
export async function startOidcSignIn(oidc: OidcSettings, returnTo: string): Promise<void> {
  await (await userManager(oidc)).signinRedirect({ state: { returnTo } });
}

/** Completes the sign-in on /auth/callback: the access token is what the gateway verifies. */
export async function finishOidcSignIn(oidc: OidcSettings): Promise<{ session: Session; returnTo: string }> {
  const user = await (await userManager(oidc)).signinRedirectCallback();
  const expiresAt = (user.expires_at ?? Math.floor(Date.now() / 1000) + 300) * 1000;
  const state = user.state as { returnTo?: unknown } | undefined;
  const returnTo = typeof state?.returnTo === 'string' && state.returnTo.startsWith('/') ? state.returnTo : paths.inventory;
  return { session: { token: user.access_token, expiresAt, method: 'oidc' }, returnTo };
}

export async function oidcSignOut(oidc: OidcSettings): Promise<void> {
  await (await userManager(oidc)).removeUser();
}
