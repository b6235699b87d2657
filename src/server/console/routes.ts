/**
 * The console's own pages: the server answers each with the console's
 * index.html and the page's router takes over. Kept apart from the gateway's
 * paths (/graphql, /healthz, /readyz, /metrics, /audit/export, /control).
 * console/src/routes.ts builds its links from the same prefixes.
 */
const PAGE_PREFIXES = ['/replicas', '/operations', '/administration', '/audit-log', '/sign-in', '/auth/callback'];

export function isConsoleRoute(path: string): boolean {
  if (path === '/') return true;
  return PAGE_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
