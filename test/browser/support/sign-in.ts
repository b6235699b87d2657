import type { Page } from 'playwright-core';

/** Signs in on the console's own page as a demo account (development sign-in), and waits for the inventory. */
export async function signInAs(page: Page, origin: string, account: string, path = '/'): Promise<void> {
  await page.goto(`${origin}${path}`);
  await page.getByRole('button', { name: `Sign in as ${account}`, exact: true }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: account }).waitFor();
}
