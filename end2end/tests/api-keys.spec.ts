import { expect, test } from '@playwright/test';
import { api, createKey, freshAccount, open, screenshots, signIn } from './helpers';

test('API keys: create one (shown once, it works), then revoke it after confirming', async ({ page }) => {
  const manager = createKey('read:webhooks,write:webhooks,manage:account', freshAccount('keys'));
  await signIn(page, manager);
  await page.getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  await expect(page.getByLabel('admin')).toHaveCount(0);

  await page.getByLabel('Name').fill('Reporting');
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Choose at least one scope' })).toBeVisible();
  await page.getByLabel('read:webhooks').check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByText('This key is shown once')).toBeVisible();
  const key = await page.locator('#new-api-key').inputValue();
  expect(key).toMatch(/^sk_/);
  expect((await api(key, 'GET', '/webhooks')).status).toBe(200);
  await screenshots(page, 'api-keys');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('#new-api-key')).toHaveCount(0);

  const row = page.getByRole('row', { name: /Reporting/ });
  await expect(row).toContainText(key.slice(0, 8));
  await row.getByRole('button', { name: 'Revoke Reporting' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Revoke Reporting');
  await dialog.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.locator('.toast.success').last()).toContainText('API key revoked');
  await expect(row.getByText('Revoked')).toBeVisible();
  expect((await api(key, 'GET', '/webhooks')).status).toBe(401);
});

test('companies: add one; it is offered in the webhook form', async ({ page }) => {
  await signIn(page, createKey('read:webhooks,write:webhooks,manage:account', freshAccount('companies')));
  await page.getByRole('link', { name: 'Companies' }).click();
  await page.getByLabel('New company name').fill('Globex');
  await page.getByRole('button', { name: 'Add company' }).click();
  await expect(page.locator('.toast.success')).toContainText('Company Globex added');
  await expect(page.getByRole('row', { name: /Globex/ })).toBeVisible();
  await screenshots(page, 'companies');
  await open(page, '/console/webhooks/new');
  await expect(page.getByLabel('Company')).toContainText('Globex');
});
