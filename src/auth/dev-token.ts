import { resolveAuthOptions, type AuthConfig } from './auth-options.js';
import { createDevSigner, DEMO_ACCOUNTS, DevSignerRefused, isDemoAccount } from './dev-signer.js';

/**
 * `npm run token -- <account>`: a bearer token for a demo account, signed with
 * the key the gateway on the same settings (DATA_DIR, JWT_*) verifies with.
 */
export async function mintDemoToken(config: AuthConfig, account: string, ttlSeconds?: number): Promise<string> {
  // Refused before the key is resolved: production must not even create a development secret.
  if (config.mode === 'production' || process.env.NODE_ENV === 'production') {
    throw new DevSignerRefused('The development token signer does not run in production mode');
  }
  if (!isDemoAccount(account)) {
    throw new DevSignerRefused(`Unknown demo account "${account}"; one of: ${Object.keys(DEMO_ACCOUNTS).join(', ')}`);
  }
  const signer = createDevSigner({ mode: config.mode, auth: resolveAuthOptions(config) });
  return signer.sign(DEMO_ACCOUNTS[account], ttlSeconds);
}
