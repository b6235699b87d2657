import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ViewportName } from './browser.js';

let folder: string | undefined;

/** Where screenshots go: SCREENSHOT_DIR, or a folder under the system's temporary folder; printed once per run. */
export function screenshotFolder(): string {
  if (folder === undefined) {
    folder = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'failover-console-screenshots');
    mkdirSync(folder, { recursive: true });
    console.log(`console screenshots: ${folder}`);
  }
  return folder;
}

export async function screenshot(page: Page, name: string, viewport: ViewportName): Promise<string> {
  const path = join(screenshotFolder(), `${name}-${viewport}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
