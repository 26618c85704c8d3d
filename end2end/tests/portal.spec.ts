import { expect, test, type Browser, type Page } from '@playwright/test';
import { createServer } from 'node:http';
import {
  api,
  createKey,
  createWebhook,
  freshAccount,
  open,
  screenshots,
  signIn,
  startReceiver,
  waitForHydration,
} from './helpers';

// The customer portal (SPEC §8): made in the console, opened by a company's
// people in a browser that has never seen Herald, framed by an allowed site.

async function company(key: string, name: string): Promise<string> {
  const { status, json } = await api(key, 'POST', '/companies', { name });
  expect(status, JSON.stringify(json)).toBe(201);
  return json.data.id;
}

async function portalLink(key: string, companyId: string, extra = {}): Promise<string> {
  const { status, json } = await api(key, 'POST', '/portal-links', { companyId, ...extra });
  expect(status, JSON.stringify(json)).toBe(201);
  return new URL(json.data.url).pathname;
}

/** A browser context with no cookie of Herald's opens the link. */
async function visitor(browser: Browser, baseURL: string, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto(path);
  await expect(page).toHaveURL(/\/portal\/webhooks$/);
  await waitForHydration(page);
  return page;
}

test('a link made in the console opens that company\'s webhooks, and they are managed there', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(60_000);
  const key = createKey('admin', freshAccount('portal'));
  const acme = await company(key, 'Acme');
  const globex = await company(key, 'Globex');
  const receiver = await startReceiver(200);
  await createWebhook(key, { url: `${receiver.url}/acme`, events: ['*'], companyId: acme, name: 'Acme orders' });
  await createWebhook(key, { url: `${receiver.url}/globex`, events: ['*'], companyId: globex, name: 'Globex orders' });
  await createWebhook(key, { url: `${receiver.url}/all`, events: ['*'], name: 'Everyone' });

  await signIn(page, key);
  await page.getByRole('link', { name: 'Companies' }).click();
  await expect(page).toHaveURL(/\/console\/companies$/);
  await waitForHydration(page);
  await page.getByLabel('Company', { exact: true }).selectOption({ label: 'Acme' });
  await page.getByRole('button', { name: 'Create link' }).click();
  const url = await page.getByRole('textbox', { name: 'Portal link' }).inputValue();
  expect(url).toMatch(/\/portal\/pl_[0-9a-f]{64}$/);
  await screenshots(page, 'console-portal-links');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('table.portal-links')).toContainText('Acme');

  const portal = await visitor(browser, baseURL!, new URL(url).pathname);
  const table = portal.locator('table');
  await expect(table).toContainText('Acme orders');
  await expect(table).not.toContainText('Globex orders');
  await expect(table).not.toContainText('Everyone');
  await screenshots(portal, 'portal-webhooks');

  await portal.getByRole('link', { name: 'New webhook' }).click();
  await waitForHydration(portal);
  await portal.getByLabel('Endpoint URL').fill(`${receiver.url}/mine`);
  await portal.getByLabel('Name').fill('Our endpoint');
  await portal.getByLabel(/All events/).check();
  await portal.getByLabel('Retries').fill('0');
  await screenshots(portal, 'portal-new-webhook');
  await portal.getByRole('button', { name: 'Create webhook' }).click();
  await expect(portal.locator('#standard-secret')).toHaveValue(/^whsec_/);
  await screenshots(portal, 'portal-secret');
  await portal.getByRole('button', { name: 'Done' }).click();
  await expect(portal).toHaveURL(/\/portal\/webhooks\/[0-9a-f-]{36}$/);
  const id = portal.url().split('/').pop()!;
  const { json } = await api(key, 'GET', `/webhooks/${id}`);
  expect(json.data.companyId).toBe(acme);

  await portal.getByRole('button', { name: 'Test' }).click();
  await expect(portal.getByText('Test ping delivered')).toBeVisible();

  receiver.status = 500;
  const published = await api(key, 'POST', '/events', { type: 3, data: { order: 7 }, companyId: acme });
  expect(published.status).toBe(202);
  const log = portal.locator('section[aria-labelledby="log-title"]');
  const failed = log.locator('tbody tr', { hasText: /failed/i });
  await expect(failed.getByRole('button', { name: 'Retry' })).toBeVisible({ timeout: 15_000 });
  await screenshots(portal, 'portal-webhook-detail');
  receiver.status = 200;
  await failed.getByRole('button', { name: 'Retry' }).click();
  await expect(portal.getByText('Delivery queued again')).toBeVisible();
  await log.locator('tbody tr').first().getByRole('link', { name: 'Details' }).click();
  await expect(portal).toHaveURL(/\/portal\/deliveries\//);
  await expect(portal.getByText(/Attempt 2/)).toBeVisible({ timeout: 15_000 });
  await screenshots(portal, 'portal-delivery');

  for (const [link, name] of [['Event types', 'portal-event-types'], ['Verify signatures', 'portal-verify']]) {
    await portal.getByRole('link', { name: link }).click();
    await expect(portal.locator('h1')).toBeVisible();
    await screenshots(portal, name);
  }
  await expect(portal.getByText('webhook-signature').first()).toBeVisible();
  await portal.context().close();
  await receiver.close();
});

test('a read-only link shows no control that changes anything', async ({ browser, baseURL }) => {
  const key = createKey('admin', freshAccount('portal-ro'));
  const acme = await company(key, 'Acme');
  const id = await createWebhook(key, {
    url: 'http://127.0.0.1:9/acme',
    events: ['*'],
    companyId: acme,
    maxRetries: 0,
  });
  const published = await api(key, 'POST', '/events', { type: 3, data: { order: 1 }, companyId: acme });
  expect(published.status).toBe(202);
  const portal = await visitor(browser, baseURL!, await portalLink(key, acme, { readOnly: true }));
  await expect(portal.getByText('Read-only')).toBeVisible();
  await expect(portal.getByRole('link', { name: 'New webhook' })).toHaveCount(0);
  await open(portal, `/portal/webhooks/${id}`);
  await expect(portal.locator('h1')).toBeVisible();
  // A finished delivery, which a writable link could send again.
  const log = portal.locator('section[aria-labelledby="log-title"]');
  await expect(log.locator('tbody tr', { hasText: /failed/i })).toBeVisible({ timeout: 15_000 });
  for (const name of ['Edit', 'Test', 'Deactivate', 'Rotate secret', 'Delete', 'Retry']) {
    await expect(portal.getByRole('button', { name })).toHaveCount(0);
  }
  await portal.context().close();
});

test('revoking or the end of a link ends a portal session that is open', async ({ browser, baseURL }) => {
  test.setTimeout(100_000);
  const key = createKey('admin', freshAccount('portal-end'));
  const acme = await company(key, 'Acme');
  const revoked = await visitor(browser, baseURL!, await portalLink(key, acme));
  const { json } = await api(key, 'GET', '/portal-links');
  const { status } = await api(key, 'DELETE', `/portal-links/${json.data.data[0].id}`);
  expect(status).toBe(204);
  await revoked.getByRole('link', { name: 'Event types' }).click();
  await expect(revoked.getByRole('alert').first()).toContainText(/expired or was revoked|session has ended/);
  const reloaded = await revoked.reload();
  expect(reloaded!.status()).toBe(403);
  await expect(revoked.locator('h1')).toHaveText('Portal link no longer valid');
  await screenshots(revoked, 'portal-ended');

  const expiring = await visitor(browser, baseURL!, await portalLink(key, acme, { expiresInSeconds: 60 }));
  await expiring.waitForTimeout(61_000);
  const after = await expiring.reload();
  expect(after!.status()).toBe(403);
  await expect(expiring.locator('h1')).toHaveText('Portal link no longer valid');
  await revoked.context().close();
  await expiring.context().close();
});

test('the portal loads inside a frame of an allowed site; the console is refused one', async ({ page, baseURL }) => {
  const key = createKey('admin', freshAccount('portal-frame'));
  const acme = await company(key, 'Acme');
  await createWebhook(key, { url: 'http://127.0.0.1:9/acme', events: ['*'], companyId: acme, name: 'Framed' });
  const link = `${baseURL}${await portalLink(key, acme)}`;
  const framing = createServer((request, response) => {
    const src = request.url === '/console' ? `${baseURL}/console/sign-in` : link;
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!DOCTYPE html><title>Our app</title><iframe src="${src}" width="1000" height="600"></iframe>`);
  });
  const port = Number(process.env.HERALD_E2E_FRAME_PORT);
  await new Promise<void>((resolve) => framing.listen(port, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${port}/portal`);
    const frame = page.frameLocator('iframe');
    await expect(frame.locator('.app[data-hydrated="true"]')).toBeAttached();
    await expect(frame.locator('table')).toContainText('Framed');

    await page.goto(`http://127.0.0.1:${port}/console`);
    await expect
      .poll(() => page.frames().map((f) => f.url()))
      .toContain('chrome-error://chromewebdata/');
    await expect(frame.getByLabel('API key')).toHaveCount(0);
  } finally {
    framing.closeAllConnections();
    await new Promise((resolve) => framing.close(resolve));
  }
});
