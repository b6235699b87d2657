import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser.js';
import { consoleSuite, startRelay, type Relay } from './support/console-gateway.js';
import { failoverCandidates, operationsOf, startVmFailover, type ReplicaSummary } from './support/inventory.js';
import { signInAs } from './support/sign-in.js';

/** From a replica's page: reason, dry run, open the confirmation. */
async function prepareFailover(page: Page, origin: string, replica: ReplicaSummary, reason: string): Promise<void> {
  await page.goto(`${origin}/replicas/${encodeURIComponent(replica.id)}`);
  await page.getByRole('heading', { level: 1, name: replica.name }).waitFor();
  await page.getByLabel(/^Reason/).fill(reason);
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  await page.getByTestId('dry-run-decision').waitFor();
  await page.getByRole('button', { name: 'Fail over…' }).click();
}

/** The sequences the operation page lists, in page order. */
async function shownSequences(page: Page): Promise<number[]> {
  const values = await page.getByTestId('event-timeline').locator('li').evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-sequence'))));
  return values;
}

describe('failover flows in the console', () => {
  // Failovers long enough to cut the connection in the middle of one.
  const suite = consoleSuite({ SIMULATOR_FAILOVER_MS: '6000' });
  let relay: Relay;
  let vms: ReplicaSummary[];

  beforeAll(async () => {
    relay = await startRelay({ host: '127.0.0.1', port: suite.gateway.port });
    vms = await failoverCandidates(suite.gateway, 'operator', 'VM_REPLICA');
    if (vms.length < 3) throw new Error('the demo operator needs three VM replicas to fail over');
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('a double click on confirm starts one failover', async () => {
    const replica = vms[0]!;
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'operator');
    await prepareFailover(page, suite.gateway.origin, replica, 'double click');
    await page.getByTestId('confirm-failover').dblclick();
    await page.getByRole('heading', { level: 1, name: `Failover of ${replica.name}` }).waitFor();
    await page.getByTestId('progress-text').filter({ hasText: 'Succeeded' }).first().waitFor({ timeout: 60_000 });
    const operations = await operationsOf(suite.gateway, replica.id);
    expect(operations).toHaveLength(1);
    expect(operations[0]).toMatchObject({ reason: 'double click', state: 'SUCCEEDED' });
    await context.close();
  });

  it('a WebSocket cut mid-failover: the page says it is reconnecting, resumes, and shows every event once', async () => {
    const replica = vms[1]!;
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, relay.origin, 'operator');
    await prepareFailover(page, relay.origin, replica, 'cut the line');
    await page.getByTestId('confirm-failover').click();
    await page.getByRole('heading', { level: 1, name: `Failover of ${replica.name}` }).waitFor();
    // Some events in, the failover still running: cut every connection and refuse new ones for a while.
    await page.locator('[data-testid="event-timeline"] li[data-sequence="4"]').waitFor();
    expect(await page.getByTestId('progress-text').first().textContent()).not.toMatch(/100 %/);
    relay.cut();
    await page.getByText('Connection lost: reconnecting').waitFor();
    const resumeNote = page.getByText(/Reconnecting: events resume after #\d+/);
    await resumeNote.waitFor();
    const lastSeen = Number(/#(\d+)/.exec((await resumeNote.textContent()) ?? '')?.[1]);
    expect(lastSeen).toBeGreaterThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    relay.restore();
    await page.getByTestId('progress-text').filter({ hasText: '100 % · Succeeded' }).first().waitFor({ timeout: 60_000 });
    await page.getByText('Connection lost: reconnecting').waitFor({ state: 'hidden' });

    const [operation] = await operationsOf(suite.gateway, replica.id);
    expect(operation?.state).toBe('SUCCEEDED');
    const expected = Array.from({ length: operation!.lastSequence }, (_, index) => index + 1);
    expect(await shownSequences(page)).toEqual(expected);
    // The resumed subscription asked for what followed the last event seen: the gateway sent nothing twice.
    const resent = [...relay.sinceRestore().matchAll(/"sequence":(\d+),/g)].map((match) => Number(match[1]));
    expect(resent.length).toBeGreaterThan(0);
    expect(resent.filter((sequence) => sequence <= lastSeen)).toEqual([]);
    await context.close();
  });

  it('the operations page shows a failover started elsewhere and moves its bar live to 100 %', async () => {
    const replica = vms[2]!;
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'operator');
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { name: /^Running now/ }).waitFor();
    await page.waitForLoadState('networkidle');
    await startVmFailover(suite.gateway, 'operator', replica.id, 'from another portal');
    const row = page.getByTestId('operation-row').filter({ hasText: replica.name });
    await row.getByTestId('progress-text').filter({ hasText: /^\d+ % · Running$/ }).waitFor({ timeout: 30_000 });
    await row.getByTestId('progress-text').filter({ hasText: '100 % · Succeeded' }).first().waitFor({ timeout: 60_000 });
    await context.close();
  });

  it('a CDP failover to a point in time picked on the timeline', async () => {
    const [cdp] = await failoverCandidates(suite.gateway, 'admin', 'CDP_VM');
    if (!cdp) throw new Error('the demo inventory has no CDP VM to fail over');
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'admin');
    await page.goto(`${suite.gateway.origin}/replicas/${encodeURIComponent(cdp.id)}`);
    const timeline = page.getByTestId('cdp-timeline');
    await timeline.waitFor();
    // A third of the way into the newest range shown.
    const range = await page.getByTestId('cdp-range').last().boundingBox();
    if (!range) throw new Error('no CDP range on the timeline');
    await page.mouse.click(range.x + range.width / 3, range.y + range.height / 2);
    await expect.poll(() => page.getByTestId('point-in-time').inputValue()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const picked = await page.getByTestId('point-in-time').inputValue();
    expect(await page.getByRole('radio', { name: 'A point in time' }).isChecked()).toBe(true);
    // The keyboard moves the pick too: one step back on the hour zoom is a minute.
    await timeline.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('point-in-time').inputValue()).not.toBe(picked);
    const stepped = await page.getByTestId('point-in-time').inputValue();
    expect(new Date(picked).getTime() - new Date(stepped).getTime()).toBe(60_000);

    await page.getByLabel(/^Reason/).fill('point in time');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await page.getByTestId('dry-run-decision').waitFor();
    await page.getByRole('button', { name: 'Fail over…' }).click();
    await page.getByTestId('confirm-failover').click();
    await page.getByTestId('progress-text').filter({ hasText: '100 % · Succeeded' }).first().waitFor({ timeout: 60_000 });

    const [operation] = await operationsOf(suite.gateway, cdp.id);
    expect(operation).toMatchObject({ cdpTarget: 'POINT_IN_TIME', state: 'SUCCEEDED', reason: 'point in time' });
    // The page's clock is the test's (same machine, same time zone): the moment sent is the one shown.
    expect(new Date(operation!.cdpPointInTime!).getTime()).toBe(new Date(stepped).getTime());
    await context.close();
  });
});
