import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from './support/browser.js';
import { consoleSuite } from './support/console-gateway.js';
import { failoverCandidates, operationsOf } from './support/inventory.js';

/** Presses Tab until the focused element's text or label matches, as a keyboard user would look for it. */
async function tabTo(page: Page, name: RegExp, most = 60): Promise<void> {
  for (let presses = 0; presses < most; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element) return '';
      const labelled = element.id ? document.querySelector(`label[for="${CSS.escape(element.id)}"]`)?.textContent : undefined;
      return [element.getAttribute('aria-label'), labelled, element.textContent]
        .filter(Boolean)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
    });
    if (name.test(focused)) return;
  }
  throw new Error(`nothing matching ${name} was reached with ${most} presses of Tab`);
}

describe('the console with the keyboard alone', () => {
  const suite = consoleSuite();

  it('signs in, finds a replica, dry-runs, confirms and follows the failover without a pointer', async () => {
    const [replica] = await failoverCandidates(suite.gateway, 'operator', 'VM_REPLICA');
    if (!replica) throw new Error('the demo operator has no VM replica to fail over');
    const { page, context } = await openPage(suite.browser);
    await page.goto(suite.gateway.origin);
    await page.getByRole('heading', { name: 'Failover console' }).waitFor();

    await tabTo(page, /^Sign in as operator$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-as').filter({ hasText: 'operator' }).waitFor();

    // The first Tab reaches the skip link, which moves focus to the page's content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await tabTo(page, /Search by name/);
    await page.keyboard.type(replica.name);
    await expect.poll(() => page.getByTestId('replica-row').count()).toBe(1);
    await tabTo(page, new RegExp(`^Fail over ${replica.name}$`));
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: replica.name }).waitFor();
    await tabTo(page, /^Reason/);
    await page.keyboard.type('keyboard only');
    await tabTo(page, /^Check \(dry run\)$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('dry-run-decision').waitFor();
    await tabTo(page, /^Fail over…$/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    // Focus is kept inside the dialog: Tab cycles through its buttons.
    await tabTo(page, /^Confirm failover$/, 5);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: `Failover of ${replica.name}` }).waitFor();
    await page.getByTestId('progress-text').filter({ hasText: '100 % · Succeeded' }).first().waitFor({ timeout: 60_000 });
    expect(await operationsOf(suite.gateway, replica.id)).toMatchObject([{ reason: 'keyboard only', state: 'SUCCEEDED' }]);
    await context.close();
  });
});
