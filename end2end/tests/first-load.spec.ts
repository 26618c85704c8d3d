import { expect, test, type Page } from '@playwright/test';
import { api, createKey, freshAccount } from './helpers';
import { emulatePhone, type Phone } from './phone';

// A person (or a script) that types the moment a field shows, on a slow
// phone (tests/phone.ts): the server's page is there long before the
// WebAssembly, and nothing typed in between may be lost. The sign-in form
// works before it too, and without it.
test.describe.configure({ timeout: 120_000 });

/** Holds the page's WebAssembly until `release()`: what the test does
 *  before then happens on the server's page alone, however fast the machine. */
async function holdBundle(page: Page): Promise<{ release: () => void }> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/(herald|admin|portal)[^/]*\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return { release };
}

async function expectStillLoading(page: Page): Promise<void> {
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'false');
  // Soft: a page without the notice still fails, and the run goes on to show
  // whether what was typed survives.
  await expect.soft(page.locator('.page-loading')).toHaveText('Loading…');
}

async function expectHydrated(page: Page): Promise<void> {
  await expect(page.locator('.app[data-hydrated="true"]')).toBeAttached({ timeout: 60_000 });
  await expect(page.locator('.page-loading')).toHaveCount(0);
}

test('on a slow phone, what is typed before hydration arrives: signing in and creating a webhook', async ({ page }) => {
  const phone: Phone = await emulatePhone(page);
  const key = createKey('read:webhooks,write:webhooks', freshAccount('first-load'));

  let bundle = await holdBundle(page);
  await page.goto('/console/sign-in', { waitUntil: 'commit' });
  await page.getByLabel('API key').fill(key);
  await expectStillLoading(page);
  bundle.release();
  await expectHydrated(page);
  await expect(page.getByLabel('API key'), 'hydration kept the typed key').toHaveValue(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/console\/webhooks$/);
  await expect(page.getByRole('heading', { name: 'No webhooks yet' })).toBeVisible();

  await page.unrouteAll();
  bundle = await holdBundle(page);
  await page.goto('/console/webhooks/new', { waitUntil: 'commit' });
  const create = page.getByRole('button', { name: 'Create webhook' });
  await expect(page.getByLabel('Endpoint URL')).toBeVisible();
  await expect(create, 'a button that cannot work yet says so').toBeDisabled();
  await page.getByLabel('Endpoint URL').fill('https://receiver.example/first-load');
  await page.getByLabel('Name').fill('Typed early');
  await page.getByLabel('Description').fill('Every field typed before the wasm ran');
  await page.getByLabel('Timeout (ms)').fill('7000');
  await page.getByLabel(/^ping/).check();
  await expectStillLoading(page);
  bundle.release();
  await expectHydrated(page);

  await create.click();
  await expect(page.getByRole('heading', { name: 'Signing secret' })).toBeVisible();
  const { json } = await api(key, 'GET', '/webhooks');
  expect(json.data.data).toHaveLength(1);
  expect(json.data.data[0]).toMatchObject({
    url: 'https://receiver.example/first-load',
    name: 'Typed early',
    description: 'Every field typed before the wasm ran',
    timeoutMs: 7000,
    events: ['ping'],
  });
  expect(phone.wasmBytesOnTheWire(), 'the bundle came over the emulated network').toBeGreaterThan(0);
});

test('the sign-in form works without WebAssembly: a real post, and its error shown', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/console/sign-in');
  await page.getByLabel('API key').fill('sk_0123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/console\/sign-in\?/);
  await expect(page.getByRole('alert')).toContainText('sk_ followed by 64 characters');
  await page.getByLabel('API key').fill(`sk_${'ab'.repeat(32)}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Invalid API key');

  // Signed in: the redirect leads into the console, and the browser holds a
  // session of the key's account (the page's content streams in through
  // scripts, which this browser does not run, so the session is asked for).
  const account = freshAccount('no-wasm');
  const key = createKey('read:webhooks', account);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/console\/webhooks$/);
  const session = await page.request.post('/console/fn/current_user');
  expect(session.status()).toBe(200);
  expect((await session.json()).account_name).toBe(account);
  await context.close();
});

test('the bundle is sent precompressed, kept a year, and not fetched again', async ({ page }) => {
  const phone = await emulatePhone(page);
  await page.goto('/console/sign-in');
  await expectHydrated(page);
  const wasm = phone.wasmResponses();
  expect(wasm).toHaveLength(1);
  expect(wasm[0].url).toMatch(/\/pkg\/herald-[0-9a-f]{16}\.wasm$/);
  expect(wasm[0].headers['content-encoding']).toBe('br');
  expect(wasm[0].headers['cache-control']).toBe('public, max-age=31536000, immutable');
  const html = await page.request.get('/console/sign-in');
  expect(html.headers()['cache-control']).toBe('no-cache');

  const fetched = phone.wasmBytesOnTheWire();
  await page.goto('/console/sign-in');
  await expectHydrated(page);
  expect(phone.wasmBytesOnTheWire(), 'the second load took the wasm from the cache').toBe(fetched);
});

test('with the WebAssembly absent, the one-line forms are real posts: company, account, event type', async ({ page }) => {
  const account = freshAccount('no-wasm-forms');
  const key = createKey('admin', account);
  await page.route(/\/pkg\/(herald|admin|portal)[^/]*\.wasm$/, (route) => route.abort());
  await page.goto('/console/sign-in');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/console\/webhooks$/);
  const names = async (path: string) => {
    const { json } = await api(key, 'GET', `${path}?limit=100`);
    return json.data.data.map((item: { name?: string; label?: string }) => item.name ?? item.label);
  };

  await page.goto('/console/companies');
  await expect(page.locator('.app')).toHaveAttribute('data-hydrated', 'false');
  await page.getByRole('button', { name: 'Add company' }).click();
  await expect(page).toHaveURL(/\/console\/companies\?/);
  await expect(page.locator('#company-name-error')).toHaveText('name must be 1 to 255 characters');
  await page.getByLabel('New company name').fill('Posted Without Wasm');
  await page.getByRole('button', { name: 'Add company' }).click();
  await expect(page.getByRole('row', { name: /Posted Without Wasm/ })).toBeVisible();
  expect(await names('/companies')).toEqual(['Posted Without Wasm']);

  await page.goto('/console/accounts');
  await page.getByLabel('New account name').fill(`${account}-posted`);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('row', { name: new RegExp(`${account}-posted`) })).toBeVisible();
  expect(await names('/accounts')).toContain(`${account}-posted`);

  await page.goto('/console/event-types');
  await page.getByLabel('Label').fill('posted.without_wasm');
  await page.getByLabel('Description').fill('Added by a plain form post');
  await page.getByRole('button', { name: 'Add event type' }).click();
  await expect(page.getByText('posted.without_wasm').first()).toBeVisible();
  expect(await names('/event-types')).toContain('posted.without_wasm');
});
