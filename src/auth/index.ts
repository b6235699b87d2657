export { AuthError, type AuthFailure } from './auth-error.js';
export { DEV_AUDIENCE, DEV_ISSUER, resolveAuthOptions, type AuthConfig, type AuthOptions, type JwtAlgorithm, type VerificationKey } from './auth-options.js';
export { bearerToken } from './bearer.js';
export { devSecretPath, loadOrCreateDevSecret } from './dev-secret.js';
export { createDevSigner, DEMO_ACCOUNTS, DevSignerRefused, isDemoAccount, refuseProduction, type DemoAccount, type DevSigner, type DevSignerOptions, type TokenIdentity } from './dev-signer.js';
export { mintDevToken } from './dev-token.js';
export type { Principal } from './principal.js';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierDeps } from './verify-token.js';
