import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/log/logger.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';

export interface TestGateway extends RunningGateway {
  config: Config;
  /** Base URL without the /graphql path, e.g. http://127.0.0.1:53121 */
  origin: string;
}

/**
 * A real gateway on a free loopback port, with its own PGlite folder (or the
 * PostgreSQL in DATABASE_URL of `env`). Settings come from `env` exactly as the
 * process would read them, so tests exercise the real configuration path.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  options: { /** Use this folder and leave it in place at stop. Default: a temporary folder, removed at stop. */ dataDir?: string } = {},
): Promise<TestGateway> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'fg-test-'));
  const config = loadConfig({
    // READ_CACHE from the test run's environment: `READ_CACHE=off npm test` runs every test without the response cache.
    env: { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(process.env.READ_CACHE ? { READ_CACHE: process.env.READ_CACHE } : {}), ...env },
  });
  const logger = createLogger({ level: config.logLevel, format: 'json' });
  const gateway = await startGateway({ config, logger });
  const origin = new URL(gateway.url).origin;
  return {
    ...gateway,
    config,
    origin,
    async stop() {
      await gateway.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POST a GraphQL operation as a portal would (JSON, which needs no CSRF header). */
export async function postGraphQL(
  url: string,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}
