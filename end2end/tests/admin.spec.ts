import { expect, test } from '@playwright/test';
import { api, createKey, createWebhook, freshAccount, screenshots, signIn, open, waitForHydration } from './helpers';

test('admin: account switcher shows another account and acts in it', async ({ page }) => {
  const other = freshAccount('tenant');
  const tenantKey = createKey('read:webhooks,write:webhooks', other);
  await createWebhook(tenantKey, { url: 'https://tenant.example.com/h', name: 'Tenant hook', events: ['ping'] });
  const home = freshAccount('operator');
  await signIn(page, createKey('admin', home));
  await expect(page.locator('.account-name')).toHaveText(home);
  await expect(page.getByRole('link', { name: 'Tenant hook' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('row', { name: new RegExp(home) })).toContainText('Current');
  await page.getByRole('button', { name: `Switch to ${other}` }).click();
  await expect(page.locator('.account-name')).toHaveText(other);
  await waitForHydration(page);
  await screenshots(page, 'accounts');
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Tenant hook' })).toBeVisible();

  await page.getByRole('link', { name: 'New webhook' }).click();
  await page.getByLabel('Endpoint URL').fill('https://tenant.example.com/second');
  await page.getByLabel(/^ping/).check();
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await expect(page.getByRole('heading', { name: 'Signing secret' })).toBeVisible();
  const listed = await api(tenantKey, 'GET', '/webhooks');
  expect(listed.json.data.total, 'created in the chosen account').toBe(2);

  await open(page, '/console/accounts');
  await page.getByLabel('New account name').fill(`${home}-new`);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('row', { name: new RegExp(`${home}-new`) })).toBeVisible();
});

test('admin: the event-type catalog takes a new type and retires one', async ({ page }) => {
  await signIn(page, createKey('admin', freshAccount('catalog')));
  await page.getByRole('link', { name: 'Event types' }).click();
  await expect(page.getByRole('row', { name: /interview\.completed/ })).toBeVisible();
  const label = `order.shipped${Date.now()}`;
  await page.getByLabel('Label').fill(label);
  await page.getByLabel('Description').fill('An order left the warehouse');
  await page.getByRole('button', { name: 'Add event type' }).click();
  await expect(page.locator('.toast.success')).toContainText(`Event type ${label} added`);
  const row = page.getByRole('row', { name: new RegExp(label.replace('.', '\\.')) });
  await expect(row).toBeVisible();
  await screenshots(page, 'event-types');
  await row.getByRole('button', { name: `Retire ${label}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Retire type' }).click();
  await expect(row.getByText('Retired')).toBeVisible();
});
