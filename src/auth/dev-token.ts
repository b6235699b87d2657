import { resolveAuthOptions, type AuthConfig } from './auth-options.js';
import { createDevSigner, DevSignerRefused, refuseProduction, type TokenIdentity } from './dev-signer.js';

/**
 * `npm run token`: a bearer token for any identity, signed with the key the
 * gateway on the same settings (DATA_DIR, JWT_*) verifies with.
 */
export async function mintDevToken(config: AuthConfig, identity: TokenIdentity, ttlSeconds?: number): Promise<string> {
  // Refused before the key is resolved: production must not even create a development secret.
  refuseProduction(config.mode);
  if (identity.subject.trim() === '') throw new DevSignerRefused('A token needs a subject');
  const signer = createDevSigner({ mode: config.mode, auth: resolveAuthOptions(config) });
  return signer.sign(identity, ttlSeconds);
}
