import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config/config.js';
import { projectRoot } from '../../project-root.js';
import { consoleContentSecurityPolicy } from '../console/content-security-policy.js';
import { createDevSignIn, DEV_SIGN_IN_PATH } from '../console/dev-sign-in.js';
import { loadConsoleFiles, type ConsoleFile } from '../console/files.js';
import { CONSOLE_SETTINGS_PATH, consolePageSettings } from '../console/page-settings.js';
import { isConsoleRoute } from '../console/routes.js';

export interface ConsoleOptions {
  config: Config;
  /** Told once when the console is on but was not built. */
  warn(message: string): void;
}

/**
 * The operator console: its built files, the page's settings and the
 * development sign-in, beside /graphql on the same port. Every path it answers
 * is decided here; anything else falls through to the gateway.
 */
export function useConsole({ config, warn }: ConsoleOptions): Plugin {
  const files = loadConsoleFiles(projectRoot());
  if (files === undefined) warn('the operator console is not built (npm run build:console); / answers 503 until it is');
  const devSignIn = createDevSignIn(config);
  const settings = JSON.stringify(consolePageSettings(config, devSignIn.available ? DEV_SIGN_IN_PATH : null));
  const securityHeaders = {
    'content-security-policy': consoleContentSecurityPolicy(config.consoleOidcIssuer),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };

  const send = (request: Request, file: ConsoleFile): Response => {
    const gzip = file.gzip !== undefined && /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
    const body = gzip ? file.gzip : file.body;
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body!), {
      headers: {
        ...securityHeaders,
        'content-type': file.contentType,
        'content-length': String(body!.length),
        // Hashed names change with their content; the page itself is looked at again each time.
        'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      },
    });
  };

  return {
    onRequest({ request, url, endResponse }) {
      const path = url.pathname;
      if (path === DEV_SIGN_IN_PATH) return devSignIn.handle(request).then(endResponse);
      if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
      if (path === CONSOLE_SETTINGS_PATH) {
        return endResponse(new Response(settings, { headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' } }));
      }
      const asset = files?.get(path);
      if (asset !== undefined && path !== '/index.html') return endResponse(send(request, asset));
      if (!isConsoleRoute(path)) return undefined;
      if (files === undefined) {
        return endResponse(
          new Response('The operator console is not built: run `npm run build:console` (npm install does it), then restart.\n', {
            status: 503,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
      }
      return endResponse(send(request, files.index));
    },
  };
}
