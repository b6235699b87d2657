import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway.js';
import { postGraphQL } from '../support/gateway.js';
import { mintDemoToken } from '../../src/auth/index.js';
import { launchBrowser, openPage } from './support/browser.js';
import { startConsoleGateway } from './support/console-gateway.js';
import { screenshot } from './support/screenshots.js';
import { signInAs } from './support/sign-in.js';

/** A Ready VM replica the demo operator may fail over, found through the API as the operator. */
async function operatorVmReplica(gateway: TestGateway, exclude: string[] = []): Promise<{ id: string; name: string }> {
  const token = await mintDemoToken(gateway.config, 'operator');
  const { json } = await postGraphQL(
    gateway.url,
    {
      query: `{ replicas(first: 100, filter: { kinds: [VM_REPLICA], states: ["Ready"] }) { edges { node { id name backupServer { canFailOver } } } } }`,
    },
    { authorization: `Bearer ${token}` },
  );
  const replica = (json.data.replicas.edges as Array<{ node: { id: string; name: string; backupServer: { canFailOver: boolean } } }>)
    .map((edge) => edge.node)
    .find((node) => node.backupServer.canFailOver && !exclude.includes(node.id));
  if (!replica) throw new Error('the demo operator has no Ready VM replica on a failover-capable server');
  return replica;
}

async function operationsOf(gateway: TestGateway, replicaId: string): Promise<Array<{ id: string; reason: string | null; state: string }>> {
  const token = await mintDemoToken(gateway.config, 'admin');
  const { json } = await postGraphQL(
    gateway.url,
    { query: `query($id: ID!) { failoverOperations(first: 20, filter: { replicaId: $id }) { edges { node { id reason state } } } }`, variables: { id: replicaId } },
    { authorization: `Bearer ${token}` },
  );
  return json.data.failoverOperations.edges.map((edge: { node: unknown }) => edge.node);
}

describe('operator console: a VM failover from sign-in to the audit log', () => {
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    [gateway, browser] = await Promise.all([startConsoleGateway(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('the operator finds an in-scope VM replica, fails it over with a reason and watches the bar reach 100 %; the administrator finds it in the audit log', async () => {
    const replica = await operatorVmReplica(gateway);
    const reason = `Site A flooded, ticket ${Date.now()}`;
    const { page, context, consoleErrors } = await openPage(browser);
    await signInAs(page, gateway.origin, 'operator');

    await page.getByLabel('Search by name').fill(replica.name);
    const row = page.getByTestId('replica-row').filter({ hasText: replica.name });
    await expect.poll(() => page.getByTestId('replica-row').count()).toBe(1);
    await row.getByRole('link', { name: replica.name, exact: true }).click();

    await page.getByRole('heading', { level: 1, name: replica.name }).waitFor();
    await page.getByLabel(/^Reason/).fill(reason);
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const decision = page.getByTestId('dry-run-decision');
    await decision.waitFor();
    expect(await decision.textContent()).toMatch(/Allowed by rule \S+/);
    await page.getByRole('button', { name: 'Fail over…' }).click();
    await page.getByTestId('confirm-failover').click();

    await page.getByRole('heading', { level: 1, name: `Failover of ${replica.name}` }).waitFor();
    await page.getByTestId('progress-text').filter({ hasText: '100 %' }).first().waitFor({ timeout: 60_000 });
    await page.getByTestId('progress-text').filter({ hasText: 'Succeeded' }).first().waitFor();
    expect(await page.getByTestId('operation-reason').textContent()).toBe(reason);
    await screenshot(page, 'operation-finished', 'desktop');

    const operations = await operationsOf(gateway, replica.id);
    expect(operations).toHaveLength(1);
    expect(operations[0]).toMatchObject({ reason, state: 'SUCCEEDED' });
    await context.close();

    const admin = await openPage(browser);
    await signInAs(admin.page, gateway.origin, 'admin');
    await admin.page.getByRole('link', { name: 'Audit' }).click();
    await admin.page.getByLabel('Actor').fill('operator');
    await admin.page.getByLabel('Action').fill('failover');
    await admin.page.getByRole('button', { name: 'Apply filters' }).click();
    const entry = admin.page.getByTestId('audit-row').filter({ hasText: reason }).filter({ hasText: 'Allowed' });
    await entry.first().waitFor();
    expect(await entry.first().textContent()).toMatch(/scope\.\S+|role\.\S+|\w+\.\w+/);
    expect(await admin.page.getByTestId('chain-badge').textContent()).toMatch(/Chain intact · \d+ entries checked/);
    await screenshot(admin.page, 'audit-after-failover', 'desktop');
    await admin.context.close();
    expect(consoleErrors).toEqual([]);
  });
});
