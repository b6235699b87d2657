import { beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './support/browser.js';
import { consoleSuite } from './support/console-gateway.js';
import { visibleReplicas, type ReplicaSummary } from './support/inventory.js';
import { signInAs } from './support/sign-in.js';

describe('the console shows exactly what the API lets the caller see', () => {
  const suite = consoleSuite();
  let mine: ReplicaSummary[];
  let outside: ReplicaSummary;

  beforeAll(async () => {
    mine = await visibleReplicas(suite.gateway, 'operator');
    const visible = new Set(mine.map((replica) => replica.id));
    const all = await visibleReplicas(suite.gateway, 'admin');
    // A replica whose name shares no prefix with one the operator sees, so a search for it can only find it.
    const candidate = all.find((replica) => !visible.has(replica.id) && !mine.some((other) => other.name.includes(replica.name)));
    if (!candidate || mine.length === 0) throw new Error('the demo inventory needs replicas both inside and outside the operator\'s scope');
    outside = candidate;
  });

  it('an out-of-scope replica appears nowhere: not in the inventory, not in a search, not at its own URL', async () => {
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'operator');

    // The inventory, every page of it: the operator's replicas and nothing else.
    const seen: string[] = [];
    for (;;) {
      await page.getByTestId('replica-row').first().waitFor();
      seen.push(...(await page.getByTestId('replica-row').getByRole('rowheader').allTextContents()));
      const next = page.getByRole('button', { name: 'Next page' });
      if (await next.isDisabled()) break;
      const first = await page.getByTestId('replica-row').first().textContent();
      await next.click();
      await expect.poll(() => page.getByTestId('replica-row').first().textContent()).not.toBe(first);
    }
    expect(seen.sort()).toEqual(mine.map((replica) => replica.name).sort());
    expect(await page.getByText(`${mine.length} replica`).count()).toBe(1);

    await page.getByLabel('Search by name').fill(outside.name);
    await page.getByText('No replica matches').waitFor();
    expect(await page.getByTestId('replica-row').count()).toBe(0);
    expect(await page.getByText(outside.name, { exact: true }).count()).toBe(0);

    await page.goto(`${suite.gateway.origin}/replicas/${encodeURIComponent(outside.id)}`);
    await page.getByRole('heading', { name: 'Replica not found' }).waitFor();
    expect(await page.getByText(outside.name).count()).toBe(0);

    // The same page for an id that never existed: the two cannot be told apart.
    const missing = await page.locator('main').textContent();
    await page.goto(`${suite.gateway.origin}/replicas/${encodeURIComponent(Buffer.from('VmReplica:00000000-0000-4000-8000-000000000000').toString('base64'))}`);
    await page.getByRole('heading', { name: 'Replica not found' }).waitFor();
    expect(await page.locator('main').textContent()).toBe(missing);
    await context.close();
  });
});
