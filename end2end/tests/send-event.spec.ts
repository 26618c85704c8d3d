import { expect, test } from '@playwright/test';
import { createKey, createWebhook, freshAccount, screenshots, signIn, startReceiver } from './helpers';

test('send event: invalid JSON is flagged in the browser; a valid event is delivered', async ({ page }) => {
  const key = createKey('read:webhooks,write:webhooks,write:events', freshAccount('event'));
  const receiver = await startReceiver(200);
  await createWebhook(key, { url: receiver.url, events: ['interview.completed'] });
  await signIn(page, key);
  await page.getByRole('link', { name: 'Send event' }).click();
  await expect(page).toHaveURL(/\/console\/events\/new$/);
  await page.getByLabel('Event type').selectOption({ label: 'interview.completed (3)' });
  const payload = page.getByLabel(/Payload/);
  await payload.fill('{"interviewId": ');
  await payload.blur();
  await expect(page.locator('#payload-error')).toContainText('not valid JSON');
  await page.getByRole('button', { name: 'Send event' }).click();
  await expect(page.locator('#payload-error')).toContainText('not valid JSON');
  await screenshots(page, 'send-event');
  await payload.fill('{"interviewId": "int-9"}');
  await page.getByRole('button', { name: 'Send event' }).click();
  await expect(page.locator('.toast.success')).toContainText('1 delivery');
  await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
  const body = JSON.parse(receiver.received[0].body);
  expect(body.type).toBe('interview.completed');
  expect(body.data).toEqual({ interviewId: 'int-9' });
  await receiver.close();
});
