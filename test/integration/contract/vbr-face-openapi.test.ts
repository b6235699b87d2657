import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, applyMigrations, type Database } from '../../../src/db/index.js';
import { createEmClient } from '../../../src/em/index.js';
import { createInventorySync } from '../../../src/inventory/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { simulator } from '../em/helpers.js';
import { validateRequestBody, validateResponse } from '../../contract/vbr-validator.js';
import { startForwardProxy } from '../../support/forward-proxy.js';

/** One exchange between the gateway's VBR client and a simulated VBR face, as the proxy saw it. */
interface Exchange {
  method: string;
  /** The path as the OpenAPI document templates it. */
  template: string;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
}

const TEMPLATES: Array<[RegExp, string]> = [
  [/^\/api\/oauth2\/token$/, '/api/oauth2/token'],
  [/^\/api\/oauth2\/logout$/, '/api/oauth2/logout'],
  [/^\/api\/v1\/serverInfo$/, '/api/v1/serverInfo'],
  [/^\/api\/v1\/license$/, '/api/v1/license'],
  [/^\/api\/v1\/replicas$/, '/api/v1/replicas'],
  [/^\/api\/v1\/replicaPoints$/, '/api/v1/replicaPoints'],
  [/^\/api\/v1\/replicas\/[^/]+\/replicaPoints$/, '/api/v1/replicas/{id}/replicaPoints'],
  [/^\/api\/v1\/jobs\/[^/]+$/, '/api/v1/jobs/{id}'],
  [/^\/api\/v1\/inventory$/, '/api/v1/inventory'],
  [/^\/api\/v1\/inventory\/[^/]+$/, '/api/v1/inventory/{hostname}'],
];

const json = (text: string): unknown => (text === '' ? undefined : JSON.parse(text));

/**
 * Everything the gateway reads from a backup server's REST API, checked
 * against Veeam's published OpenAPI document (the subset in test/contract):
 * a real inventory sync runs through a recording proxy in front of the
 * simulator's VBR faces, and every answer it got, and every JSON request it
 * sent, must match the document.
 */
describe('the VBR faces against the published OpenAPI document', () => {
  let sim: RunningSimulator;
  let proxy: Awaited<ReturnType<typeof startForwardProxy>>;
  let db: Database;
  const exchanges: Exchange[] = [];

  beforeAll(async () => {
    sim = await simulator();
    proxy = await startForwardProxy(new URL(sim.url).origin, (e) => {
      const path = e.url.pathname.replace(/^\/vbr\/[^/]+/, '');
      const template = TEMPLATES.find(([re]) => re.test(path))?.[1] ?? path;
      const isJson = (e.requestHeaders['content-type'] ?? '').includes('json');
      exchanges.push({ method: e.method, template, status: e.status, requestBody: isJson ? json(e.requestBody) : undefined, responseBody: json(e.responseBody) });
      return e.responseBody;
    });
    const base = proxy.origin;
    db = await openDatabase({ dataDir: 'memory://' });
    await applyMigrations(db);
    const servers = Object.keys(sim.vbrUrls).map((name) => ({ key: name, connection: { url: `${base}/vbr/${name}`, username: 'vbr-admin', password: 'vbr-admin' } }));
    const em = createEmClient({ url: sim.url, username: 'em-admin', password: 'em-admin' });
    const sync = createInventorySync({ db, em, sources: { servers } });
    const report = await sync.syncNow();
    expect(report.ok).toBe(true);
    await sync.stop();
    await em.close();
  });

  afterAll(async () => {
    await db?.close();
    await proxy?.close();
    await sim?.close();
  });

  it('the sync used every endpoint the gateway reads', () => {
    const used = new Set(exchanges.map((e) => `${e.method} ${e.template}`));
    for (const endpoint of ['POST /api/oauth2/token', 'GET /api/v1/license', 'GET /api/v1/replicas', 'GET /api/v1/replicaPoints', 'POST /api/v1/inventory', 'POST /api/v1/inventory/{hostname}', 'POST /api/oauth2/logout']) {
      expect(used, endpoint).toContain(endpoint);
    }
  });

  it('every answer matches the document (status and body)', () => {
    const failures = exchanges
      .map((e) => ({ e, result: validateResponse(e.method, e.template, e.status, e.responseBody) }))
      .filter(({ result }) => !result.valid)
      .map(({ e, result }) => `${e.method} ${e.template} ${e.status}: ${result.errors.slice(0, 3).join('; ')}`);
    expect(failures).toEqual([]);
    expect(exchanges.length).toBeGreaterThan(10);
  });

  it('every JSON request the client sent matches the document', () => {
    const sent = exchanges.filter((e) => e.requestBody !== undefined);
    expect(sent.length).toBeGreaterThan(0);
    const failures = sent
      .map((e) => ({ e, result: validateRequestBody(e.method, e.template, e.requestBody) }))
      .filter(({ result }) => !result.valid)
      .map(({ e, result }) => `${e.method} ${e.template}: ${result.errors.slice(0, 3).join('; ')}`);
    expect(failures).toEqual([]);
  });
});
