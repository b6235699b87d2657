import type { Config } from '../../config/config.js';
import { DEMO_ACCOUNTS, type DemoAccount } from '../../auth/index.js';
import { AUDIT_EXPORT_PATH } from '../audit-export.js';
import { GRAPHQL_PATH } from '../yoga.js';

/** Path of the settings the console reads when it loads. */
export const CONSOLE_SETTINGS_PATH = '/console/settings.json';

/** What each demo account is, for the sign-in page's picker. */
const DEMO_ACCOUNT_ROLES: Record<DemoAccount, string> = {
  admin: 'Portal Administrator: every replica, accounts and the audit log',
  operator: 'Restore Operator: one vSphere cluster and one Cloud Director org VDC',
  'portal-user': 'Portal User: one vSphere folder and one tag',
  nobody: 'Signed in without a role: sees nothing',
};

/** The console's view of the gateway's settings (nothing secret). */
export interface ConsolePageSettings {
  mode: Config['mode'];
  graphqlPath: string;
  auditExportPath: string;
  /** Development sign-in: demo accounts, or any subject and groups. Null where the development signer is refused. */
  devSignIn: { path: string; demoAccounts: Array<{ name: DemoAccount; role: string }> } | null;
  /** OpenID Connect sign-in (authorization code with PKCE). */
  oidc: { issuer: string; clientId: string; scope: string } | null;
  failoverReason: { required: boolean; maxLength: number };
}

export function consolePageSettings(config: Config, devSignInPath: string | null): ConsolePageSettings {
  return {
    mode: config.mode,
    graphqlPath: GRAPHQL_PATH,
    auditExportPath: AUDIT_EXPORT_PATH,
    devSignIn: devSignInPath
      ? {
          path: devSignInPath,
          demoAccounts: (Object.keys(DEMO_ACCOUNTS) as DemoAccount[]).map((name) => ({ name, role: DEMO_ACCOUNT_ROLES[name] })),
        }
      : null,
    oidc: config.consoleOidcIssuer
      ? { issuer: config.consoleOidcIssuer, clientId: config.consoleOidcClientId, scope: config.consoleOidcScope }
      : null,
    failoverReason: { required: config.failoverReasonRequired, maxLength: config.failoverReasonMaxLength },
  };
}
