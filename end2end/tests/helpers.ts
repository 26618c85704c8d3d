import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';

/** A new API key from the real CLI, on the test server's data directory. */
export function createKey(scopes: string, account = 'default'): string {
  const output = execFileSync(
    process.env.HERALD_BIN!,
    ['api-key', 'create', '--account', account, '--scopes', scopes],
    { env: { HERALD_DATA_DIR: process.env.HERALD_E2E_DATA_DIR! }, encoding: 'utf8' },
  );
  return output.trim();
}

/** Waits until the wasm bundle has hydrated the page (an effect sets the flag). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('.app[data-hydrated="true"]')).toBeAttached();
}

export async function signIn(page: Page, key: string): Promise<void> {
  await page.goto('/console/sign-in');
  await waitForHydration(page);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/console\/webhooks$/);
}

let accounts = 0;
/** A fresh account name, so each test sees only its own webhooks. */
export function freshAccount(label: string): string {
  accounts += 1;
  return `${label}-${process.pid}-${accounts}-${Date.now()}`;
}

const baseURL = () => `http://127.0.0.1:${process.env.HERALD_E2E_PORT}`;

/** A REST API call with an API key; returns the status and the JSON body. */
export async function api(
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${baseURL()}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** Creates a webhook over the REST API; returns its id. */
export async function createWebhook(key: string, body: Record<string, unknown>): Promise<string> {
  const { status, json } = await api(key, 'POST', '/webhooks', body);
  expect(status, JSON.stringify(json)).toBe(201);
  return json.data.id;
}

export interface Receiver {
  url: string;
  received: { headers: Record<string, string | string[] | undefined>; body: string }[];
  status: number;
  close(): Promise<void>;
}

/** A webhook receiver on loopback that answers `status` (changeable). */
export async function startReceiver(status = 200): Promise<Receiver> {
  const { createServer } = await import('node:http');
  const receiver: Receiver = {
    url: '',
    received: [],
    status,
    close: async () => {},
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      receiver.received.push({ headers: request.headers, body });
      response.writeHead(receiver.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ received: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  receiver.url = `http://127.0.0.1:${address.port}/hook`;
  // Herald keeps its connections alive (pooled): end them, or close() waits.
  receiver.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

/**
 * Screenshots of the page at desktop and phone width into
 * end2end/screenshots/, and a check that the phone layout has no
 * horizontal scroll.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const desktop = { width: 1280, height: 800 };
  await page.setViewportSize(desktop);
  await page.screenshot({ path: `screenshots/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `screenshots/${name}-phone.png`, fullPage: true });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name}: no horizontal scroll at 390 px`).toBeLessThanOrEqual(0);
  await page.setViewportSize(desktop);
}

/** A full page load of `path`, then waits for hydration before anything is typed. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
}
