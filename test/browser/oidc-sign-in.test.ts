import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { auditSigningKeyFile } from '../support/audit-key.js';
import { createLogger } from '../../src/log/logger.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { launchBrowser, openPage } from './support/browser.js';
import { startOpenIdProvider, type LocalOpenIdProvider } from './support/openid-provider.js';
import { seriousViolations } from './support/accessibility.js';
import { vbrServersFile } from '../support/vbr-servers.js';

/**
 * Production mode: no development signer, EM at EM_URL (the simulator run on
 * its own), and the console signing in through a real OpenID provider with
 * the authorization code flow and PKCE. The gateway verifies the provider's
 * access tokens through JWT_JWKS_URL, as it would any issuer's.
 */
describe('sign-in through OpenID Connect on a production gateway', () => {
  let provider: LocalOpenIdProvider;
  let simulator: RunningSimulator;
  let gateway: RunningGateway;
  let browser: Browser;
  let origin: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-oidc-'));

  beforeAll(async () => {
    [provider, simulator, browser] = await Promise.all([startOpenIdProvider(), startSimulator({ port: 0 }), launchBrowser()]);
    const config = loadConfig({
      env: {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        EM_URL: simulator.url,
        VBR_SERVERS: vbrServersFile(simulator),
        EM_USERNAME: 'em-admin',
        EM_PASSWORD: 'em-admin',
        JWT_ISSUER: provider.issuer,
        JWT_AUDIENCE: 'failover-gateway',
        JWT_JWKS_URL: provider.jwksUrl,
        CONSOLE_OIDC_ISSUER: provider.issuer,
        BOOTSTRAP_ADMINS: 'group:dr-admins',
        AUDIT_SIGNING_KEY_FILE: auditSigningKeyFile(),
      },
    });
    gateway = await startGateway({ config, logger: createLogger({ level: 'silent', format: 'json' }) });
    origin = new URL(gateway.url).origin;
    provider.serve({
      clientId: config.consoleOidcClientId,
      redirectUri: `${origin}/auth/callback`,
      audience: 'failover-gateway',
      groups: (accountId) => (accountId === 'alice' ? ['dr-admins'] : []),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await simulator?.close();
    await provider?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers no development sign-in, signs in at the issuer, and the gateway accepts the issuer\'s token', async () => {
    const { page, context, consoleErrors } = await openPage(browser);
    await page.goto(`${origin}/operations`);
    expect(await page.getByRole('button', { name: /Sign in as/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.getByRole('button', { name: `Sign in with ${new URL(provider.issuer).host}` }).click();

    // The provider's own login page: any login, any password.
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill('alice');
    await page.locator('input[name="password"]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    // Its consent page, the first time a client asks.
    const consent = page.getByRole('button', { name: /continue/i });
    await Promise.race([consent.waitFor().then(() => consent.click()), page.waitForURL((url) => url.origin === origin)]);

    // Back on the console, on the page asked for, as alice with her group's rights (Portal Administrator through dr-admins).
    await page.getByTestId('signed-in-as').filter({ hasText: 'alice' }).waitFor();
    // The provider's pages (not ours) ask for web fonts this machine cannot reach: only the console's own errors count.
    consoleErrors.length = 0;
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/operations');
    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByTestId('replica-row').first().waitFor();
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(1);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
