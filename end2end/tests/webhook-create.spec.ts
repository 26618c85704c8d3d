import { expect, test } from '@playwright/test';
import { createKey, freshAccount, screenshots, signIn, startReceiver, open } from './helpers';

test('create: errors appear in the browser as you go, then the secret is shown once', async ({ page }) => {
  await signIn(page, createKey('read:webhooks,write:webhooks', freshAccount('create')));
  await expect(page.getByRole('heading', { name: 'No webhooks yet' })).toBeVisible();
  await page.getByRole('link', { name: 'New webhook' }).first().click();
  await expect(page).toHaveURL(/\/console\/webhooks\/new$/);
  await expect(page.getByLabel('Endpoint URL')).toBeVisible();

  const serverCalls: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/console/fn/')) serverCalls.push(request.url());
  });
  const url = page.getByLabel('Endpoint URL');
  await url.fill('not a url');
  await url.blur();
  await expect(page.locator('#url-error')).toHaveText('url must be a valid URL');
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Timeout (ms)').fill('10');
  await page.getByLabel('Timeout (ms)').blur();
  await expect(page.locator('#timeoutMs-error')).toContainText('timeoutMs');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await expect(page.locator('#events-error')).toHaveText('Choose at least one event type');
  expect(serverCalls, 'client-side validation makes no request').toEqual([]);
  await screenshots(page, 'webhook-new');

  const receiver = await startReceiver();
  await url.fill(receiver.url);
  await url.blur();
  await expect(page.locator('#url-error')).toHaveText('');
  await page.getByLabel('Name').fill('Orders sync');
  await page.getByLabel('Timeout (ms)').fill('5000');
  await page.getByLabel(/interview\.completed/).check();
  await page.getByLabel(/^ping/).check();
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByLabel('Header name').fill('Authorization');
  await page.getByLabel('Value').fill('Bearer very-secret');
  await expect(page.getByLabel('Secret')).toBeChecked();
  await expect(page.getByLabel('Secret')).toBeDisabled();
  await page.getByRole('button', { name: 'Create webhook' }).click();

  await expect(page.getByRole('heading', { name: 'Signing secret' })).toBeVisible();
  await expect(page.getByText('This secret is shown once')).toBeVisible();
  const standard = await page.locator('#standard-secret').inputValue();
  expect(standard).toMatch(/^whsec_/);
  expect(await page.locator('#hex-secret').inputValue()).toMatch(/^[0-9a-f]{64}$/);
  await page.getByRole('button', { name: /Copy Standard Webhooks secret/ }).click();
  await expect(page.getByRole('button', { name: /Copy Standard Webhooks secret/ })).toHaveText('Copied');
  await expect(page.locator('.toast.success')).toContainText('Webhook created');
  await screenshots(page, 'webhook-secret');
  await page.getByRole('button', { name: 'Done' }).click();

  await expect(page).toHaveURL(/\/console\/webhooks\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Orders sync' })).toBeVisible();
  await expect(page.getByText('Authorization: ***')).toBeVisible();
  await expect(page.getByText('very-secret')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Orders sync' })).toBeVisible();
  await expect(page.getByText(standard)).toHaveCount(0);
  await receiver.close();
});

test('create: a server-side refusal lands on its field', async ({ page }) => {
  await signIn(page, createKey('read:webhooks,write:webhooks', freshAccount('create-server')));
  await open(page, '/console/webhooks/new');
  await expect(page.getByLabel('Endpoint URL')).toBeVisible();
  await page.getByLabel('Endpoint URL').fill('https://example.com/hook');
  await page.getByLabel(/^ping/).check();
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByLabel('Header name').fill('X-One');
  await page.getByLabel('Value').fill('1');
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByLabel('Header name').nth(1).fill('x-one');
  await page.getByLabel('Value').nth(1).fill('2');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await expect(page.getByText('header x-one is given twice')).toBeVisible();
});

test('create: the whole flow with the keyboard alone', async ({ page }) => {
  await signIn(page, createKey('read:webhooks,write:webhooks', freshAccount('keyboard')));
  await open(page, '/console/webhooks/new');
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || '');
  /** Presses Tab until the element with this id (or text) has the focus. */
  const tabTo = async (target: string) => {
    for (let i = 0; i < 40; i += 1) {
      if ((await focused()) === target) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${target}`);
  };
  await tabTo('url');
  await page.keyboard.type('https://example.com/keyboard');
  await tabTo('name');
  await page.keyboard.type('Keyboard hook');
  await tabTo('event-all');
  await page.keyboard.press('Space');
  await expect(page.getByLabel(/All events/)).toBeChecked();
  await tabTo('Create webhook');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Signing secret' })).toBeVisible();
  await tabTo('Done');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Keyboard hook' })).toBeVisible();
});
