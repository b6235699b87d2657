import { describe, expect, it } from 'vitest';
import { openPage } from './support/browser.js';
import { consoleSuite } from './support/console-gateway.js';
import { failoverCandidates, operationsOf } from './support/inventory.js';
import { screenshot } from './support/screenshots.js';
import { signInAs } from './support/sign-in.js';

describe('operator console: a VM failover from sign-in to the audit log', () => {
  const suite = consoleSuite();

  it('the operator finds an in-scope VM replica, fails it over with a reason and watches the bar reach 100 %; the administrator finds it in the audit log', async () => {
    const [replica] = await failoverCandidates(suite.gateway, 'operator', 'VM_REPLICA');
    if (!replica) throw new Error('the demo operator has no VM replica to fail over');
    const reason = `Site A flooded, ticket ${Date.now()}`;
    const { page, context, consoleErrors } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'operator');

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

    const operations = await operationsOf(suite.gateway, replica.id);
    expect(operations).toHaveLength(1);
    expect(operations[0]).toMatchObject({ reason, state: 'SUCCEEDED' });
    await context.close();

    const admin = await openPage(suite.browser);
    await signInAs(admin.page, suite.gateway.origin, 'admin');
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
