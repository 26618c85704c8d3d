import { expect, test } from '@playwright/test';
import { api, createKey, freshAccount, open, screenshots, signIn } from './helpers';

const WRITE = 'read:webhooks,write:webhooks';

test('profiles: an Interactly webhook shows with its Interactly id and edits in the console', async ({
  page,
}) => {
  const key = createKey(WRITE, freshAccount('interactly'));
  const created = await fetch(`http://127.0.0.1:${process.env.HERALD_E2E_PORT}/workflows/v1/workflow-webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Workflow alerts',
      url: 'https://example.com/hooks/workflows',
      actions: ['workflow_created'],
      bearer_token: 'wf-token',
      timeout_seconds: 10,
    }),
  });
  expect(created.status).toBe(201);
  const workflow = await created.json();

  await signIn(page, key);
  await open(page, '/console/webhooks');
  await page.getByRole('link', { name: 'Workflow alerts' }).click();
  await expect(page.getByRole('heading', { name: 'Workflow alerts' })).toBeVisible();
  await expect(page.getByTestId('interactly-id')).toHaveText(workflow.id);
  await expect(page.getByText('Authorization: ***')).toBeVisible();
  await screenshots(page, 'webhook-interactly');

  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Edited in the console');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('.toast.success')).toContainText('Webhook saved');

  const answer = await fetch(
    `http://127.0.0.1:${process.env.HERALD_E2E_PORT}/workflows/v1/workflow-webhooks/${workflow.id}`,
    { headers: { authorization: `Bearer ${key}` } },
  );
  const after = await answer.json();
  expect(after.name).toBe('Edited in the console');
  expect(after.has_bearer_token).toBe(true);
  expect(after.timeout_seconds).toBe(10);
  const { json } = await api(key, 'GET', '/webhooks');
  expect(json.data.data[0].name).toBe('Edited in the console');
});
