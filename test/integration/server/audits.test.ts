import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

/**
 * graphql-http's conformance audits against the running gateway. CSRF
 * prevention would turn three GET audits into notices (a bare GET is what a
 * cross-site <img> or link sends), so the client sends the CSRF header, as
 * every portal does; `csrf.test` below proves the header is what lets them in.
 */
describe('GraphQL over HTTP conformance (graphql-http serverAudits)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway?.stop());

  const audits = serverAudits({
    url: () => gateway.url,
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('x-graphql-csrf', '1');
      return fetch(input, { ...init, headers });
    },
  });

  it('has the 61 audits of graphql-http 1.23', () => {
    expect(audits).toHaveLength(61);
  });

  for (const audit of audits) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
    });
  }
});

describe('the CSRF header is what the GET audits need', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway?.stop());

  it('the same audits without the header turn only GET ones into non-ok results', async () => {
    const audits = serverAudits({ url: () => gateway.url });
    const notOk: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (result.status !== 'ok') notOk.push(audit.name);
    }
    expect(notOk.length).toBeGreaterThan(0);
    for (const name of notOk) expect(name).toMatch(/GET/);
  });
});
