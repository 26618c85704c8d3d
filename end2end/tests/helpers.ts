import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';

/** A new API key from the real CLI, on the test server's data directory. */
export function createKey(scopes: string, account = 'default'): string {
  const output = execFileSync(
    process.env.HERALD_BIN!,
    ['api-key', 'create', '--account', account, '--scopes', scopes],
    { env: { HERALD_DATA_DIR: process.env.HERALD_E2E_DATA_DIR! }, encoding: 'utf8' },
  );
  return output.trim();
}

/** Waits until the wasm bundle has hydrated the page (an effect sets the flag). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('.app[data-hydrated="true"]')).toBeAttached();
}

export async function signIn(page: Page, key: string): Promise<void> {
  await page.goto('/console/sign-in');
  await waitForHydration(page);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/console\/webhooks$/);
}
