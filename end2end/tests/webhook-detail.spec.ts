import { expect, test } from '@playwright/test';
import {
  api,
  createKey,
  createWebhook,
  freshAccount,
  screenshots,
  signIn,
  startReceiver,
  open,
} from './helpers';

const WRITE = 'read:webhooks,write:webhooks,write:events,read:deliveries';

test('detail: edit and save; a secret header stays masked after saving', async ({ page }) => {
  const key = createKey(WRITE, freshAccount('edit'));
  const id = await createWebhook(key, {
    url: 'https://example.com/edit',
    name: 'Before',
    events: ['ping'],
    headers: [{ name: 'X-Api-Key', value: 'hidden-value' }],
  });
  await signIn(page, key);
  await open(page, `/console/webhooks/${id}`);
  await expect(page.getByRole('heading', { name: 'Before' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Name', { exact: true }).fill('After');
  await page.getByLabel('Description').fill('Edited in the console');
  await page.getByLabel(/analysis\.completed/).check();
  await expect(page.getByLabel('Value')).toHaveValue('');
  await expect(page.getByLabel('Value')).toHaveAttribute('placeholder', /unchanged/);
  await screenshots(page, 'webhook-edit');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('.toast.success')).toContainText('Webhook saved');
  await expect(page.getByRole('heading', { name: 'After' })).toBeVisible();
  await expect(page.getByText('X-Api-Key: ***')).toBeVisible();

  const { json } = await api(key, 'GET', `/webhooks/${id}`);
  expect(json.data.name).toBe('After');
  expect(json.data.description).toBe('Edited in the console');
  expect(json.data.events).toEqual(['ping', 'analysis.completed']);
  expect(json.data.headers).toEqual([{ name: 'X-Api-Key', isMasked: true }]);
});

test('detail: test ping success and failure, rotate secret, deactivate', async ({ page }) => {
  const key = createKey(WRITE, freshAccount('ping'));
  const receiver = await startReceiver(200);
  const id = await createWebhook(key, { url: receiver.url, name: 'Pinged', events: ['ping'] });
  await signIn(page, key);
  await open(page, `/console/webhooks/${id}`);
  await page.getByRole('button', { name: 'Test' }).click();
  const result = page.getByRole('region', { name: 'Test result' });
  await expect(result).toContainText('Success');
  await expect(result).toContainText('HTTP 200');
  await expect(result).toContainText('ms');
  expect(receiver.received).toHaveLength(1);

  receiver.status = 503;
  await page.getByRole('button', { name: 'Test' }).click();
  await expect(result).toContainText('Failed');
  await expect(result).toContainText('HTTP 503');
  await expect(page.locator('.toast.error')).toContainText('Test ping failed');

  await page.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(page.getByRole('heading', { name: 'Signing secret' })).toBeVisible();
  expect(await page.locator('#standard-secret').inputValue()).toMatch(/^whsec_/);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('heading', { name: 'Signing secret' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.locator('.toast.success').last()).toContainText('Webhook deactivated');
  await expect(page.locator('.page-head .badge').first()).toHaveText('Inactive');
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(page.locator('.page-head .badge').first()).toHaveText('Active');
  await screenshots(page, 'webhook-detail');
  await receiver.close();
});

test('detail: an open circuit shows a red badge, and "Reset circuit" closes it', async ({ page }) => {
  const key = createKey(WRITE, freshAccount('circuit'));
  const receiver = await startReceiver(500);
  const id = await createWebhook(key, {
    url: receiver.url,
    name: 'Flaky',
    events: ['interview.completed'],
    maxRetries: 0,
  });
  for (let n = 0; n < 5; n += 1) {
    await api(key, 'POST', '/events', { type: 'interview.completed', data: { n } });
  }
  await expect
    .poll(async () => (await api(key, 'GET', `/webhooks/${id}`)).json.data.circuitOpenedAt, {
      timeout: 15_000,
    })
    .not.toBeNull();
  await signIn(page, key);
  await expect(page.getByRole('row', { name: /Flaky/ }).getByText('Circuit open')).toBeVisible();
  await screenshots(page, 'webhooks-list');
  await page.getByRole('link', { name: 'Flaky' }).click();
  await expect(page.locator('.page-head .badge.danger')).toHaveText('Circuit open');
  receiver.status = 200;
  await page.getByRole('button', { name: 'Reset circuit' }).click();
  await expect(page.locator('.toast.success')).toContainText('Circuit reset');
  await expect(page.locator('.page-head .badge.danger')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reset circuit' })).toHaveCount(0);
  await receiver.close();
});

test('detail: delete asks first, naming the webhook and its pending deliveries', async ({ page }) => {
  const key = createKey(WRITE, freshAccount('delete'));
  const id = await createWebhook(key, { url: 'https://example.com/gone', name: 'Doomed', events: ['ping'] });
  await signIn(page, key);
  await open(page, `/console/webhooks/${id}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Delete Doomed?');
  await expect(dialog).toContainText('pending and held deliveries will be cancelled');
  await screenshots(page, 'webhook-delete');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  expect((await api(key, 'GET', `/webhooks/${id}`)).status).toBe(200);

  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete webhook' }).click();
  await expect(page).toHaveURL(/\/console\/webhooks$/);
  await expect(page.locator('.toast.success')).toContainText('Webhook deleted');
  expect((await api(key, 'GET', `/webhooks/${id}`)).status).toBe(404);
});
