import { describe, expect, it } from 'vitest';
import { openPage } from './support/browser.js';
import { consoleSuite } from './support/console-gateway.js';
import { failoverCandidates, visibleReplicas } from './support/inventory.js';
import { signInAs } from './support/sign-in.js';

describe('refusals in words, with what to do next', () => {
  const suite = consoleSuite();

  it('a replica on a Standard server: the dry run says the license does not allow failover and what to do', async () => {
    const replica = (await visibleReplicas(suite.gateway, 'admin')).find((candidate) => candidate.kind === 'VM_REPLICA' && !candidate.canFailOver);
    if (!replica) throw new Error('the demo inventory has no VM replica on a server whose edition forbids failover');
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'admin');
    await page.goto(`${suite.gateway.origin}/replicas/${encodeURIComponent(replica.id)}`);
    await page.getByRole('note').filter({ hasText: 'Not offered now' }).waitFor();
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'What to do next' });
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('EDITION_NOT_SUPPORTED');
    expect(await refusal.textContent()).toMatch(/license does not allow failover.*Enterprise or Enterprise Plus/s);
    expect(await page.getByRole('button', { name: 'Fail over…' }).isDisabled()).toBe(true);
    await context.close();
  });

  it('a CDP moment outside the history: the dry run names the range that can be restored', async () => {
    const [replica] = await failoverCandidates(suite.gateway, 'admin', 'CDP_VM');
    if (!replica) throw new Error('the demo inventory has no CDP VM to fail over');
    const { page, context } = await openPage(suite.browser);
    await signInAs(page, suite.gateway.origin, 'admin');
    await page.goto(`${suite.gateway.origin}/replicas/${encodeURIComponent(replica.id)}`);
    await page.getByTestId('point-in-time').fill('2001-01-01T00:00:00');
    expect(await page.getByRole('radio', { name: 'A point in time' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'What to do next' });
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('INVALID_RESTORE_TARGET');
    expect(await refusal.textContent()).toMatch(/not in the replica’s history.*Restorable from .+ to .+/s);
    await context.close();
  });
});
