import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/accessibility.js';
import { openPage, VIEWPORTS, type ViewportName } from './support/browser.js';
import { consoleSuite } from './support/console-gateway.js';
import {
  failedOverCdp,
  failedOverVm,
  failoverCandidates,
  lifecycleCandidates,
  operationsOf,
  replicaNow,
  undoneThroughApi,
  type ReplicaSummary,
} from './support/inventory.js';
import { screenshot } from './support/screenshots.js';
import { signInAs } from './support/sign-in.js';

/** The buttons of the replica page's "What you may do now", as the page shows them. */
async function offeredActions(page: Page): Promise<string[]> {
  const section = page.getByRole('region', { name: 'What you may do now' });
  await section.waitFor();
  return section.getByRole('button').allTextContents();
}

/** Opens an action's dialog from the replica page, gives a reason and runs the dry run; answers the dialog. */
async function dryRunAction(page: Page, button: string, reason: string): Promise<Locator> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel(/^Reason/).fill(reason);
  expect(await dialog.getByTestId('confirm-action').isDisabled(), 'no confirmation before the dry run').toBe(true);
  await dialog.getByRole('button', { name: 'Check (dry run)' }).click();
  await dialog.getByTestId('action-dry-run').waitFor();
  return dialog;
}

/** On the operation page: waits for the end, then follows the link to the replica's page. */
async function watchToTheEnd(page: Page, title: string, replicaName: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByTestId('progress-text').filter({ hasText: '100 % · Succeeded' }).first().waitFor({ timeout: 60_000 });
  await page.getByTestId('next-step').getByRole('link', { name: `open ${replicaName}` }).click();
  await page.getByRole('heading', { level: 1, name: replicaName }).waitFor();
}

describe('replica actions after a failover, from the console', () => {
  const suite = consoleSuite({ SIMULATOR_FAILOVER_MS: '2500' });
  let operatorVm: ReplicaSummary;
  let adminVms: ReplicaSummary[];

  beforeAll(async () => {
    const mine = await lifecycleCandidates(suite.gateway, 'operator');
    const theirs = new Set(mine.map((replica) => replica.id));
    adminVms = (await lifecycleCandidates(suite.gateway, 'admin')).filter((replica) => !theirs.has(replica.id));
    if (!mine[0] || adminVms.length < 5) throw new Error('the demo inventory needs VM replicas with the later actions, in and outside the operator’s scope');
    operatorVm = mine[0];
  });

  it('an operator fails a VM over and undoes it, watching each finish; a double click on confirm starts one undo', async () => {
    const replica = operatorVm;
    const { page, context, consoleErrors } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'operator');
    await page.getByLabel('Search by name').fill(replica.name);
    await expect.poll(() => page.getByTestId('replica-row').count()).toBe(1);
    // The row offers what the API lists, nothing more: a Ready VM replica may be failed over, or have a planned failover.
    expect(await page.getByTestId('replica-row').getByRole('link', { name: /^(Fail over|Planned failover) / }).allTextContents()).toEqual([
      `Fail over ${replica.name}`,
      `Planned failover ${replica.name}`,
    ]);
    await page.getByRole('link', { name: replica.name, exact: true }).click();

    await page.getByRole('heading', { level: 1, name: replica.name }).waitFor();
    await expect.poll(() => offeredActions(page)).toEqual(['Planned failover…']);
    await page.getByLabel(/^Reason/).fill('site A flooded');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await page.getByTestId('dry-run-decision').waitFor();
    await page.getByRole('button', { name: 'Fail over…' }).click();
    await page.getByTestId('confirm-failover').click();
    await watchToTheEnd(page, `Failover of ${replica.name}`, replica.name);

    // Failed over: the operator may undo it (permanent failover and failback are the administrator's by default).
    expect((await replicaNow(suite.gateway, 'operator', replica.id))?.allowedActions).toEqual(['UNDO_FAILOVER']);
    await expect.poll(() => offeredActions(page)).toEqual(['Undo failover…']);
    expect(await page.getByRole('note').filter({ hasText: 'Not offered now' }).count()).toBe(1);
    const dialog = await dryRunAction(page, 'Undo failover…', 'site A is back');
    expect(await dialog.getByTestId('action-dry-run').textContent()).toMatch(/Allowed by rule scope\.undoFailover: .+The backup server reports its state now: Failover\./);
    await dialog.getByTestId('confirm-action').dblclick();
    await watchToTheEnd(page, `Undo failover of ${replica.name}`, replica.name);

    await expect.poll(() => offeredActions(page)).toEqual(['Planned failover…']);
    const operations = await operationsOf(suite.gateway, replica.id);
    expect(operations.map((operation) => [operation.action, operation.state, operation.reason])).toEqual([
      ['UNDO_FAILOVER', 'SUCCEEDED', 'site A is back'],
      ['FAILOVER', 'SUCCEEDED', 'site A flooded'],
    ]);
    // Lists and timelines name the action.
    expect(await page.getByTestId('replica-operation').first().textContent()).toMatch(/^Undo failover, /);
    await page.getByRole('link', { name: 'Operations' }).click();
    const row = page.getByTestId('operation-row').filter({ hasText: replica.name });
    await row.first().waitFor();
    expect(await row.getByTestId('operation-action').allTextContents()).toEqual(['Undo failover', 'Failover']);
    await context.close();
    expect(consoleErrors).toEqual([]);
  });

  it('an administrator fails a VM back with a manual switchover, switches to production and commits', async () => {
    const replica = adminVms[0]!;
    await failedOverVm(suite.gateway, 'admin', replica.id);
    const { page, context, consoleErrors } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'admin', `/replicas/${encodeURIComponent(replica.id)}`);
    await page.getByRole('heading', { level: 1, name: replica.name }).waitFor();
    await expect.poll(() => offeredActions(page)).toEqual(['Undo failover…', 'Permanent failover…', 'Fail back…']);

    await page.getByRole('button', { name: 'Fail back…', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'The original VM, in its original location' }).check();
    await dialog.getByRole('radio', { name: /^When I switch it/ }).check();
    await dialog.getByRole('checkbox', { name: 'Power the VM on after the switch' }).check();
    await dialog.getByLabel(/^Reason/).fill('production is back');
    await dialog.getByRole('button', { name: 'Check (dry run)' }).click();
    expect(await dialog.getByTestId('action-dry-run').textContent()).toMatch(/Allowed by rule admin\.failback/);
    await dialog.getByTestId('confirm-action').click();
    await page.getByRole('heading', { level: 1, name: `Failback of ${replica.name}` }).waitFor();
    // A manual switchover stops at Ready to switch.
    await page.locator('dd', { hasText: /^ReadyToSwitch$/ }).waitFor({ timeout: 60_000 });
    await watchToTheEnd(page, `Failback of ${replica.name}`, replica.name);

    await expect.poll(() => offeredActions(page)).toEqual(['Switch to production…', 'Undo failback…']);
    await (await dryRunAction(page, 'Switch to production…', 'maintenance window')).getByTestId('confirm-action').click();
    await watchToTheEnd(page, `Switch to production of ${replica.name}`, replica.name);

    await expect.poll(() => offeredActions(page)).toEqual(['Commit failback…', 'Undo failback…']);
    await (await dryRunAction(page, 'Commit failback…', 'all good')).getByTestId('confirm-action').click();
    await watchToTheEnd(page, `Commit failback of ${replica.name}`, replica.name);

    expect(await replicaNow(suite.gateway, 'admin', replica.id)).toMatchObject({ state: 'Ready' });
    expect((await operationsOf(suite.gateway, replica.id)).map((operation) => [operation.action, operation.state])).toEqual([
      ['COMMIT_FAILBACK', 'SUCCEEDED'],
      ['SWITCH_TO_PRODUCTION', 'SUCCEEDED'],
      ['FAILBACK', 'SUCCEEDED'],
      ['FAILOVER', 'SUCCEEDED'],
    ]);
    await context.close();
    expect(consoleErrors).toEqual([]);
  });

  it('a permanent failover is not confirmed until the replica’s name is typed exactly', async () => {
    const replica = adminVms[1]!;
    await failedOverVm(suite.gateway, 'admin', replica.id);
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'admin', `/replicas/${encodeURIComponent(replica.id)}`);
    await page.getByRole('heading', { level: 1, name: replica.name }).waitFor();
    const dialog = await dryRunAction(page, 'Permanent failover…', 'site A is lost');
    const confirm = dialog.getByTestId('confirm-action');
    const typed = dialog.getByLabel('Type the replica’s name to confirm');
    expect(await confirm.isDisabled()).toBe(true);
    for (const wrong of [replica.name.slice(0, -1), replica.name.toUpperCase(), `${replica.name}x`]) {
      await typed.fill(wrong);
      expect(await confirm.isDisabled(), `"${wrong}" confirms`).toBe(true);
    }
    // A click on the disabled button sends nothing.
    await confirm.click({ force: true });
    expect((await operationsOf(suite.gateway, replica.id)).map((operation) => operation.action)).toEqual(['FAILOVER']);
    await typed.fill(replica.name);
    expect(await confirm.isDisabled()).toBe(false);
    await confirm.click();
    await page.getByRole('heading', { level: 1, name: `Permanent failover of ${replica.name}` }).waitFor();
    await page.getByTestId('progress-text').filter({ hasText: '100 % · Succeeded' }).first().waitFor({ timeout: 60_000 });
    await page.getByText(`${replica.name} is no longer a replica`).waitFor();
    expect(await replicaNow(suite.gateway, 'admin', replica.id)).toBeNull();
    await context.close();
  });

  it('a CDP replica offers no action after its failover, in the inventory or on its page', async () => {
    const [cdp] = await failoverCandidates(suite.gateway, 'admin', 'CDP_VM');
    if (!cdp) throw new Error('the demo inventory has no CDP VM');
    await failedOverCdp(suite.gateway, 'admin', cdp.id);
    expect(await replicaNow(suite.gateway, 'admin', cdp.id)).toEqual({ state: 'Failover', allowedActions: [] });
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'admin');
    await page.getByLabel('Search by name').fill(cdp.name);
    await expect.poll(() => page.getByTestId('replica-row').count()).toBe(1);
    expect(await page.getByTestId('replica-row').locator('td').last().textContent()).toBe('Nothing now');
    await page.getByRole('link', { name: cdp.name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: cdp.name }).waitFor();
    const none = page.getByTestId('no-replica-actions');
    await none.waitFor();
    expect(await none.textContent()).toMatch(/done in the Veeam Backup & Replication console: no API offers them/);
    await expect.poll(() => offeredActions(page)).toEqual([]);
    await context.close();
  });

  it('a refusal in words: the replica changed state while the dialog was open, and the page catches up', async () => {
    const replica = adminVms[2]!;
    await failedOverVm(suite.gateway, 'admin', replica.id);
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'admin', `/replicas/${encodeURIComponent(replica.id)}`);
    await page.getByRole('heading', { level: 1, name: replica.name }).waitFor();
    await page.getByRole('button', { name: 'Undo failover…', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Another portal undoes it meanwhile.
    await undoneThroughApi(suite.gateway, 'admin', replica.id);
    await dialog.getByRole('button', { name: 'Check (dry run)' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: 'What to do next' });
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('WRONG_REPLICA_STATE');
    expect(await refusal.textContent()).toMatch(/state does not allow this now.*Its state on the backup server now: Ready\. That state allows: failover, planned failover\./s);
    expect(await dialog.getByTestId('confirm-action').isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => offeredActions(page)).toEqual(['Planned failover…']);
    await context.close();
  });

  it.each(Object.keys(VIEWPORTS) as ViewportName[])('the action dialogs at %s: no serious accessibility violation, a screenshot each', async (viewport) => {
    const replica = adminVms[viewport === 'desktop' ? 3 : 4]!;
    if ((await replicaNow(suite.gateway, 'admin', replica.id))?.state !== 'Failover') await failedOverVm(suite.gateway, 'admin', replica.id);
    const { page, context, consoleErrors } = await openPage(suite.browser, viewport);
    await signInAs(page, suite.gateway.origin, 'admin', `/replicas/${encodeURIComponent(replica.id)}`);
    await page.getByRole('heading', { level: 1, name: replica.name }).waitFor();
    await page.waitForLoadState('networkidle');
    const check = async (name: string) => {
      const path = await screenshot(page, name, viewport);
      expect(await seriousViolations(page), `${name} at ${viewport} (${path})`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} at ${viewport} scrolls sideways`).toBeLessThanOrEqual(0);
    };
    await check('replica-failed-over');

    const undo = await dryRunAction(page, 'Undo failover…', 'screenshot');
    await check('action-undo-failover');
    await undo.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Fail back…', exact: true }).click();
    const failback = page.getByRole('dialog');
    await failback.getByRole('radio', { name: 'A new VM, in a location you choose' }).check();
    await failback.getByRole('radio', { name: 'At a time' }).check();
    // Nothing named yet: the dry run points at the first field to fill.
    await failback.getByRole('button', { name: 'Check (dry run)' }).click();
    await failback.getByText('Name the vCenter Server (or standalone host) of the new location.').waitFor();
    await check('action-failback');
    await failback.getByRole('button', { name: 'Cancel' }).click();

    const permanent = await dryRunAction(page, 'Permanent failover…', 'screenshot');
    await permanent.getByLabel('Type the replica’s name to confirm').fill(replica.name.slice(0, 3));
    await check('action-permanent-failover');
    await permanent.getByRole('button', { name: 'Cancel' }).click();
    await context.close();
    expect(consoleErrors).toEqual([]);
  });
});
