import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccessGateway, tokenSigner } from '../../support/access.js';
import { docExamples } from '../../support/doc-examples.js';
import { postGraphQL, type TestGateway } from '../../support/gateway.js';

/**
 * The examples of README.md and docs/ marked runnable (a fenced block whose
 * info string is `graphql runnable`, and the curl examples) run against a
 * gateway on its embedded defaults, as the demo administrator, and answer data
 * without a single error. Validation against the schema is the unit test's.
 */
describe('runnable GraphQL examples of README.md and docs/', () => {
  const runnable = docExamples().filter((example) => example.runnable);
  let gateway: TestGateway;
  let token: string;
  beforeAll(async () => {
    gateway = await startAccessGateway();
    token = await tokenSigner(gateway).sign({ subject: 'admin', groups: [] });
  });
  afterAll(() => gateway?.stop());

  it('there are some', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(4);
  });

  it.each(runnable.map((example) => [example.where, example] as const))('%s runs without errors', async (_where, example) => {
    const { status, json } = await postGraphQL(gateway.url, { query: example.source }, { authorization: `Bearer ${token}` });
    expect(json.errors ?? []).toEqual([]);
    expect(status).toBe(200);
    expect(Object.keys(json.data ?? {}).length).toBeGreaterThan(0);
  });
});
