/**
 * The console's Content-Security-Policy: scripts and styles only from the
 * gateway's own files (no inline script or style element), no framing, and
 * connections only to the gateway (HTTP and its WebSocket) and, when the
 * console signs in through OpenID Connect, the issuer (discovery and the
 * token endpoint are fetched from the page).
 */
export function consoleContentSecurityPolicy(oidcIssuer: string | undefined): string {
  const issuer = oidcIssuer ? ` ${new URL(oidcIssuer).origin}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${issuer}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    `form-action 'self'${issuer}`,
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
