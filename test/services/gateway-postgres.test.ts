import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayInfoDocument } from '../generated/graphql.js';
import { postGraphQL, startTestGateway, type TestGateway } from '../support/gateway.js';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('the gateway on PostgreSQL', () => {
  const name = `fg_gateway_${randomBytes(4).toString('hex')}`;
  let gateway: TestGateway;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    gateway = await startTestGateway({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await gateway?.stop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('migrates a fresh database at start and says ready', async () => {
    const ready = await fetch(`${gateway.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, database: 'ok', migrations: 'ok', demoAccounts: 'ok' });
  });

  it('answers queries and reports PostgreSQL', async () => {
    const { json } = await postGraphQL(gateway.url, { query: String(GatewayInfoDocument) });
    expect(json.data.gateway.database).toBe('POSTGRESQL');
  });
});
