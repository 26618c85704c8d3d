import { expect, test } from '@playwright/test';
import { api, createKey, createWebhook, freshAccount, screenshots, signIn, startReceiver } from './helpers';

test("dashboard: the chart's bars add up to the deliveries made, and it refreshes live", async ({ page }) => {
  const key = createKey('read:webhooks,write:webhooks,write:events,read:deliveries', freshAccount('dash'));
  const ok = await startReceiver(200);
  const failing = await startReceiver(500);
  await createWebhook(key, { url: ok.url, name: 'Good', events: ['interview.started'] });
  await createWebhook(key, { url: failing.url, name: 'Bad', events: ['interview.started'], maxRetries: 0 });
  for (let n = 0; n < 3; n += 1) {
    await api(key, 'POST', '/events', { type: 'interview.started', data: { n } });
  }
  await expect.poll(() => ok.received.length + failing.received.length, { timeout: 10_000 }).toBe(6);

  await signIn(page, key);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('hour-total')).toHaveText('6', { timeout: 10_000 });
  await expect(page.getByTestId('success-rate')).toHaveText('50.0 %', { timeout: 10_000 });
  const totals = await page.locator('.chart g.bar').evaluateAll((bars) =>
    bars.map((bar) => Number(bar.getAttribute('data-total'))),
  );
  expect(totals).toHaveLength(60);
  expect(totals.reduce((a, b) => a + b, 0)).toBe(6);
  await expect(page.locator('.chart rect.succeeded')).not.toHaveCount(0);
  await expect(page.locator('.chart rect.failed')).not.toHaveCount(0);
  const good = page.getByRole('row', { name: /Good/ });
  await expect(good.locator('td[data-label="Succeeded"]')).toHaveText('3');
  const bad = page.getByRole('row', { name: /Bad/ });
  await expect(bad.locator('td[data-label="Failed"]')).toHaveText('3');
  await screenshots(page, 'dashboard');

  await api(key, 'POST', '/events', { type: 'interview.started', data: { n: 4 } });
  await expect(page.getByTestId('hour-total')).toHaveText('8', { timeout: 10_000 });
  await ok.close();
  await failing.close();
});
