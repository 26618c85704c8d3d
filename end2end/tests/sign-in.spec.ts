import { expect, test, type Request } from '@playwright/test';
import { createKey, screenshots, signIn, waitForHydration } from './helpers';

test('signs in with a key made by the CLI, in the hydrated app without a page load', async ({ page }) => {
  const key = createKey('read:webhooks,write:webhooks');

  await page.goto('/console/webhooks');
  await expect(page).toHaveURL(/\/console\/sign-in$/);
  await waitForHydration(page);
  await screenshots(page, 'sign-in');

  const documents: string[] = [];
  const serverCalls: Request[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'document') documents.push(request.url());
    if (request.url().includes('/console/fn/')) serverCalls.push(request);
  });

  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/console\/webhooks$/);
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await expect(page.locator('.account-name')).toHaveText('default');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(documents, 'signing in must not load a page: the wasm app does it').toEqual([]);
  expect(serverCalls.map((request) => new URL(request.url()).pathname)).toContain('/console/fn/sign_in');
});

test('before the app has hydrated, the form is a real post to the sign-in function', async ({ request }) => {
  const page = await request.get('/console/sign-in');
  expect(page.status()).toBe(200);
  const html = await page.text();
  expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/console\/fn\/sign_in"/);
  expect(html).not.toMatch(/<button[^>]*type="submit"[^>]*disabled/);
});

test('shows the account of the key', async ({ page }) => {
  await signIn(page, createKey('read:webhooks', 'Acme Corp'));
  await expect(page.locator('.account-name')).toHaveText('Acme Corp');
});

test('flags a malformed key in the browser, with no network request', async ({ page }) => {
  await page.goto('/console/sign-in');
  await waitForHydration(page);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));

  const field = page.getByLabel('API key');
  await field.fill('not-a-key');
  await field.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('API keys start with sk_');
  await expect(field).toHaveAttribute('aria-invalid', 'true');

  await field.fill('sk_0123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('sk_ followed by 64 characters');

  await field.fill('');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Enter your API key');

  expect(requests, 'validation must happen in the browser').toEqual([]);
  await expect(page).toHaveURL(/\/console\/sign-in$/);
});

test("shows the server's error for a well-formed but wrong key", async ({ page }) => {
  await page.goto('/console/sign-in');
  await waitForHydration(page);
  await page.getByLabel('API key').fill(`sk_${'ab'.repeat(32)}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Invalid API key');
  await expect(page).toHaveURL(/\/console\/sign-in$/);
});

test('signs out; the old session cookie is then refused by the server', async ({ page, context }) => {
  await signIn(page, createKey('read:webhooks'));
  const session = (await context.cookies()).find((cookie) => cookie.name === 'herald_session');
  expect(session, 'a session cookie is set').toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe('Strict');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/console\/sign-in$/);
  expect((await context.cookies()).some((cookie) => cookie.name === 'herald_session')).toBe(false);

  // Put the old cookie back: the server deleted the session, so it must refuse it.
  await context.addCookies([session!]);
  const refused = await page.request.post('/console/fn/current_user');
  expect(refused.status()).toBe(401);
  expect((await refused.json()).code).toBe('UNAUTHORIZED');
  await page.goto('/console/webhooks');
  await expect(page).toHaveURL(/\/console\/sign-in$/);
});

test('runs under its Content Security Policy: no violation while the app hydrates and works', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto('/console/sign-in');
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe-inline');
  await waitForHydration(page);
  await page.getByLabel('API key').fill(createKey('read:webhooks'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});
