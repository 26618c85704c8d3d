import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createKey, createWebhook, freshAccount, screenshots, signIn } from './helpers';

function createCompany(account: string, name: string): string {
  return execFileSync(process.env.HERALD_BIN!, ['company', 'create', '--account', account, '--name', name], {
    env: { HERALD_DATA_DIR: process.env.HERALD_E2E_DATA_DIR! },
    encoding: 'utf8',
  }).trim();
}

test('list: search by name or URL and filter by company', async ({ page }) => {
  const account = freshAccount('list');
  const key = createKey('read:webhooks,write:webhooks,manage:account', account);
  const acme = createCompany(account, 'Acme');
  await createWebhook(key, { url: 'https://orders.example.com/hook', name: 'Orders', events: ['ping'] });
  await createWebhook(key, {
    url: 'https://billing.example.com/in',
    name: 'Billing',
    events: ['*'],
    companyId: acme,
  });
  await signIn(page, key);
  const rows = page.locator('table.webhooks tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.getByRole('row', { name: /Billing/ })).toContainText('Acme');
  await expect(page.getByRole('row', { name: /Orders/ })).toContainText('Global');

  await page.getByLabel('Search').fill('billing.example');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Billing');
  await page.getByLabel('Search').fill('ORDERS');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Orders');
  await page.getByLabel('Search').fill('');
  await expect(rows).toHaveCount(2);

  await page.getByLabel('Company').selectOption({ label: 'Acme' });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Billing');
  await page.getByLabel('Company').selectOption({ label: 'All' });
  await expect(rows).toHaveCount(2);
  await screenshots(page, 'webhooks');
});
