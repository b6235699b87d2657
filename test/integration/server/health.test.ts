import { afterEach, describe, expect, it } from 'vitest';
import { postGraphQL, startTestGateway, type TestGateway } from '../../support/gateway.js';

describe('health, readiness and metrics', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
  });

  it('/healthz says alive and /readyz says ready once migrations are applied and the demo accounts exist', async () => {
    gateway = await startTestGateway();
    const health = await fetch(`${gateway.origin}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${gateway.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, database: 'ok', migrations: 'ok', demoAccounts: 'ok' });
  });

  it('/readyz stays 503 and names the pending migrations when MIGRATE_ON_START=false', async () => {
    gateway = await startTestGateway({ MIGRATE_ON_START: 'false' });
    const ready = await fetch(`${gateway.origin}/readyz`);
    expect(ready.status).toBe(503);
    const body = await ready.json();
    expect(body.ready).toBe(false);
    expect(body.database).toBe('ok');
    expect(body.migrations).toMatch(/pending: \d{14}_init/);
  });

  it('/readyz says 503 when the database is gone', async () => {
    gateway = await startTestGateway();
    await gateway.services.db.close();
    const ready = await fetch(`${gateway.origin}/readyz`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).database).toMatch(/^unreachable/);
  });

  it('/metrics counts requests, errors and durations in Prometheus format', async () => {
    gateway = await startTestGateway();
    await postGraphQL(gateway.url, { query: '{ __typename }' });
    await postGraphQL(gateway.url, { query: '{ nope }' });
    const response = await fetch(`${gateway.origin}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^gateway_http_request_duration_seconds_count\{method="POST",status="200"\} 1$/m);
    expect(text).toMatch(/^gateway_http_request_duration_seconds_count\{method="POST",status="400"\} 1$/m);
    expect(text).toMatch(/^gateway_http_request_duration_seconds_bucket\{le="0\.005",method="POST",status="200"\} [01]$/m);
    expect(text).toMatch(/^gateway_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} 1$/m);
    expect(text).toMatch(/^# TYPE gateway_open_subscriptions gauge$/m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
  });

  it('serves no /metrics when METRICS=false', async () => {
    gateway = await startTestGateway({ METRICS: 'false' });
    const response = await fetch(`${gateway.origin}/metrics`);
    expect(response.status).toBe(404);
  });
});
