import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/accessibility.js';
import { openPage, VIEWPORTS, type ViewportName } from './support/browser.js';
import { consoleSuite } from './support/console-gateway.js';
import { failoverCandidates } from './support/inventory.js';
import { screenshot } from './support/screenshots.js';
import { signInAs } from './support/sign-in.js';

/**
 * Every page at both sizes: no serious or critical axe-core violation, no
 * error in the browser's console, and a screenshot in the folder printed
 * above (SCREENSHOT_DIR to choose it).
 */
describe('every console page, at 1440×900 and 390×844', () => {
  const suite = consoleSuite();
  let vm: { id: string; name: string };
  let cdp: { id: string; name: string };

  beforeAll(async () => {
    const [vmReplica] = await failoverCandidates(suite.gateway, 'admin', 'VM_REPLICA');
    const [cdpReplica] = await failoverCandidates(suite.gateway, 'admin', 'CDP_VM');
    if (!vmReplica || !cdpReplica) throw new Error('the demo inventory has no VM or CDP replica to show');
    vm = vmReplica;
    cdp = cdpReplica;
  });

  async function check(page: Page, name: string, viewport: ViewportName): Promise<void> {
    await page.waitForLoadState('networkidle');
    const path = await screenshot(page, name, viewport);
    expect(await seriousViolations(page), `${name} at ${viewport} (${path})`).toEqual([]);
    // Nothing wider than the screen: the layout fits, tables scroll inside their own region.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} at ${viewport} scrolls sideways`).toBeLessThanOrEqual(0);
  }

  it.each(Object.keys(VIEWPORTS) as ViewportName[])('at %s', async (viewport) => {
    const { page, context, consoleErrors } = await openPage(suite.browser, viewport);
    await page.goto(suite.gateway.origin);
    await page.getByRole('heading', { name: 'Failover console' }).waitFor();
    await check(page, 'sign-in', viewport);

    await signInAs(page, suite.gateway.origin, 'admin');
    await page.getByTestId('replica-row').first().waitFor();
    await check(page, 'inventory', viewport);

    await page.goto(`${suite.gateway.origin}/replicas/${encodeURIComponent(vm.id)}`);
    await page.getByRole('heading', { level: 1, name: vm.name }).waitFor();
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await page.getByTestId('dry-run-decision').waitFor();
    await check(page, 'replica-vm-dry-run', viewport);
    await page.getByRole('button', { name: 'Fail over…' }).click();
    await page.getByRole('dialog').waitFor();
    await check(page, 'failover-confirm', viewport);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${suite.gateway.origin}/replicas/${encodeURIComponent(cdp.id)}`);
    await page.getByTestId('cdp-timeline').waitFor();
    await page.getByTestId('cdp-range').last().click();
    await check(page, 'replica-cdp-timeline', viewport);

    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    await check(page, 'operations', viewport);

    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('tab', { name: 'Accounts and restore scopes' }).waitFor();
    await page.getByRole('cell', { name: /Demo restore operator/ }).or(page.getByRole('rowheader', { name: /operator/ })).first().waitFor();
    await check(page, 'administration-accounts', viewport);
    await page.getByRole('button', { name: 'Edit operator' }).click();
    await page.getByRole('dialog').waitFor();
    await check(page, 'administration-account-editor', viewport);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('tab', { name: 'Explain a decision' }).click();
    await page.getByLabel('Account', { exact: true }).selectOption({ label: 'user operator' });
    await page.getByLabel('Replica', { exact: true }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByTestId('explanation').waitFor();
    await check(page, 'administration-explain', viewport);

    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByTestId('chain-badge').filter({ hasText: 'checked' }).waitFor();
    await check(page, 'audit', viewport);
    await context.close();
    expect(consoleErrors).toEqual([]);
  });
});
