import { expect, test } from '@playwright/test';
import { createKey, createWebhook, freshAccount, signIn } from './helpers';

test('roles: a read-only key sees no edit controls, and a write server function refuses its session', async ({
  page,
}) => {
  const account = freshAccount('readonly');
  const writer = createKey('read:webhooks,write:webhooks', account);
  const id = await createWebhook(writer, { url: 'https://example.com/ro', name: 'Look only', events: ['ping'] });
  await signIn(page, createKey('read:webhooks,read:deliveries', account));
  await expect(page.getByRole('link', { name: 'Look only' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New webhook' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Send event' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Look only' }).click();
  await expect(page.getByRole('heading', { name: 'Look only' })).toBeVisible();
  for (const name of ['Edit', 'Deactivate', 'Test', 'Rotate secret', 'Delete']) {
    await expect(page.getByRole('button', { name })).toHaveCount(0);
  }

  const refused = await page.request.post('/console/fn/delete_webhook', { data: { id } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).message).toContain('write:webhooks');
  const update = await page.request.post('/console/fn/update_webhook', {
    data: { id, patch: { name: 'Hijacked' } },
  });
  expect(update.status()).toBe(403);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Look only' })).toBeVisible();
});
