import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/accessibility.js';
import { openPage, VIEWPORTS, type ViewportName } from './support/browser.js';
import { consoleSuite } from './support/console-gateway.js';
import { containers, replicasUnder, visibleReplicas } from './support/inventory.js';
import { screenshot } from './support/screenshots.js';
import { signInAs } from './support/sign-in.js';

describe('the restore-scope picker', () => {
  const suite = consoleSuite();

  it('an administrator adds a container to the operator’s scope by searching for it; the operator then sees its replicas', async () => {
    const before = new Set((await visibleReplicas(suite.gateway, 'operator')).map((replica) => replica.id));
    // A cluster with replicas the operator does not see yet.
    let picked: { ref: string; name: string; backupServer: { name: string } } | undefined;
    let gained: Array<{ id: string; name: string }> = [];
    for (const container of await containers(suite.gateway, 'Cluster')) {
      if (container.type !== 'Cluster' || container.replicaCount === 0) continue;
      gained = (await replicasUnder(suite.gateway, container.ref)).filter((replica) => !before.has(replica.id));
      if (gained.length > 0) {
        picked = container;
        break;
      }
    }
    if (!picked) throw new Error('the demo inventory has no cluster outside the operator’s scope');

    const admin = await openPage(suite.browser);
    await signInAs(admin.page, suite.gateway.origin, 'admin');
    await admin.page.getByRole('link', { name: 'Administration' }).click();
    await admin.page.getByRole('button', { name: 'Edit operator' }).click();
    const dialog = admin.page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Find a container by name').fill(picked.name);
    const row = dialog.locator(`[data-testid="container"][data-ref="${picked.ref}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(new RegExp(`${picked.name}.*${picked.backupServer.name}.*\\d+ replicas?`));
    await row.getByRole('button', { name: /^Add / }).click();
    expect(await row.getByRole('button', { name: /^Added / }).isDisabled()).toBe(true);
    const scope = dialog.getByRole('list', { name: 'In the restore scope' });
    await scope.locator(`[data-ref="${picked.ref}"]`).waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.page.getByRole('row', { name: /operator/ }).filter({ hasText: `${picked.name} (${picked.backupServer.name})` }).first().waitFor();
    await admin.context.close();

    const after = await visibleReplicas(suite.gateway, 'operator');
    expect(after.map((replica) => replica.id)).toEqual(expect.arrayContaining(gained.map((replica) => replica.id)));

    const operator = await openPage(suite.browser);
    await signInAs(operator.page, suite.gateway.origin, 'operator');
    await operator.page.getByText(`${after.length} replicas`, { exact: true }).waitFor();
    const one = gained[0]!;
    await operator.page.getByLabel('Search by name').fill(one.name);
    await operator.page.getByTestId('replica-row').getByRole('link', { name: one.name, exact: true }).waitFor();
    await operator.context.close();
  });

  it.each(Object.keys(VIEWPORTS) as ViewportName[])('walks the tree at %s: replica counts at each level, no serious accessibility violation', async (viewport) => {
    const { page, context, consoleErrors } = await openPage(suite.browser, viewport);
    await signInAs(page, suite.gateway.origin, 'admin');
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('button', { name: 'Add an account' }).click();
    const dialog = page.getByRole('dialog');
    const picker = dialog.getByTestId('container-picker');
    await picker.getByTestId('container').first().waitFor();
    // The vCenter with the most replicas, then the first thing below it that has any.
    const top = picker.getByTestId('container').filter({ hasText: 'vCenter Server' }).last();
    const toggle = top.getByRole('button', { name: /^What is in / }).first();
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const children = top.getByRole('list').first().getByTestId('container');
    await children.first().waitFor();
    expect(await children.first().textContent()).toMatch(/\d+ replicas?/);
    await children.first().getByRole('button', { name: /^What is in / }).click();
    await children.first().getByRole('list').getByTestId('container').first().waitFor();
    await page.waitForLoadState('networkidle');
    const path = await screenshot(page, 'scope-picker', viewport);
    expect(await seriousViolations(page), `scope picker at ${viewport} (${path})`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `scope picker at ${viewport} scrolls sideways`).toBeLessThanOrEqual(0);
    await context.close();
    expect(consoleErrors).toEqual([]);
  });
});
