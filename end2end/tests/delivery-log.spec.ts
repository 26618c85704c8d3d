import { expect, test } from '@playwright/test';
import { api, createKey, createWebhook, freshAccount, screenshots, signIn, startReceiver, open } from './helpers';

const WRITE = 'read:webhooks,write:webhooks,write:events,read:deliveries';

test('delivery log: a delivery made over the REST API appears without a reload', async ({ page }) => {
  const key = createKey(WRITE, freshAccount('live'));
  const receiver = await startReceiver(200);
  const id = await createWebhook(key, { url: receiver.url, name: 'Live', events: ['interview.started'] });
  await signIn(page, key);
  await open(page, `/console/webhooks/${id}`);
  await expect(page.getByText('No deliveries yet')).toBeVisible();
  const documents: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'document') documents.push(request.url());
  });
  await api(key, 'POST', '/events', { type: 'interview.started', data: { live: true } });
  const row = page.locator('table.deliveries tbody tr').first();
  await expect(row).toContainText('interview.started', { timeout: 10_000 });
  await expect(row).toContainText('succeeded', { timeout: 10_000 });
  expect(documents, 'no page load').toEqual([]);
  await receiver.close();
});

test('delivery log: drill down into attempts, masked headers, then retry', async ({ page }) => {
  const key = createKey(WRITE, freshAccount('drill'));
  const receiver = await startReceiver(500);
  const id = await createWebhook(key, {
    url: receiver.url,
    name: 'Drill',
    events: ['analysis.failed'],
    maxRetries: 0,
    headers: [{ name: 'Authorization', value: 'Bearer top-secret' }, { name: 'X-Team', value: 'blue' }],
  });
  await api(key, 'POST', '/events', { type: 'analysis.failed', data: { reason: 'x' } });
  await signIn(page, key);
  await open(page, `/console/webhooks/${id}`);
  const row = page.locator('table.deliveries tbody tr').first();
  await expect(row).toContainText('failed', { timeout: 10_000 });
  await expect(row).toContainText('HTTP 500');
  await screenshots(page, 'delivery-log');
  await row.getByRole('link', { name: 'Details' }).click();
  await expect(page).toHaveURL(/\/console\/deliveries\//);
  const attempt = page.getByRole('article', { name: 'Attempt 1' });
  await expect(attempt).toContainText('HTTP 500');
  await expect(attempt).toContainText('Authorization***');
  await expect(attempt).toContainText('***');
  await expect(attempt).toContainText('blue');
  await expect(attempt).toContainText('webhook-signature');
  await expect(attempt).toContainText('{"received":true}');
  await expect(page.getByText('top-secret')).toHaveCount(0);
  await screenshots(page, 'delivery-detail');

  receiver.status = 200;
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.locator('.toast.success')).toContainText('Delivery queued again');
  await expect(page.getByRole('article', { name: 'Attempt 2' })).toContainText('HTTP 200', { timeout: 10_000 });
  expect(receiver.received).toHaveLength(2);
  await receiver.close();
});
