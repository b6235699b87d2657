/**
 * The console's pages. The gateway answers each of these paths with the
 * console (src/server/console/routes.ts lists the same prefixes).
 */
export const paths = {
  inventory: '/',
  signIn: '/sign-in',
  authCallback: '/auth/callback',
  replica: (id: string) => `/replicas/${encodeURIComponent(id)}`,
  /** The replica page with that action's dialog open. */
  replicaAction: (id: string, action: string) => `/replicas/${encodeURIComponent(id)}#action-${action}`,
  operations: '/operations',
  operation: (id: string) => `/operations/${encodeURIComponent(id)}`,
  administration: '/administration',
  auditLog: '/audit-log',
} as const;

/** A route parameter as the gateway gave it (ids may hold characters that need escaping in a path). */
export function decodeParam(value: string | undefined): string {
  if (value === undefined) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
