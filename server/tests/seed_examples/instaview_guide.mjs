// The InstaView guide's JavaScript examples (../shared/seeds), run against
// Herald with node's fetch. The functions are the guide's text; they differ
// from it only where the extracted text is broken: the stray spaces inside
// `${ }` (they would end up in the URLs), the base URL, and what the guide
// uses without defining (`apiKey`, `createWebhook`, `secretsManager`). The scenario after them checks what they return
// and print. Input comes from the environment (see seed_examples.rs).
import assert from 'node:assert/strict';

const BASE = process.env.HERALD_URL;
const apiKey = process.env.HERALD_API_KEY;
const { GLOBAL_WEBHOOK_ID, COMPANY_WEBHOOK_ID, COMPANY_ID, COMPANY_WEBHOOK_NAME } = process.env;

// ---- the guide: Listing Webhooks
async function listWebhooks(companyId) {
  const url = companyId
    ? `${BASE}/webhooks?companyId=${companyId}`
    : `${BASE}/webhooks`;
  const response = await fetch(url, {
    headers: { 'Authorization': `Bearer ${apiKey}` }
  });
  const { data } = await response.json();
  return data;
}

// ---- the guide: Monitor Webhook Health
async function checkWebhookHealth() {
  const { data: webhooks } = await listWebhooks();
  for (const webhook of webhooks) {
    const status = {
      name: webhook.name || webhook.id,
      active: webhook.isActive,
      failures: webhook.consecutiveFailures,
      circuitOpen: !!webhook.circuitOpenedAt
    };
    if (webhook.consecutiveFailures > 0) {
      console.warn(`⚠️ ${status.name}: ${webhook.consecutiveFailures} failures`);
    }
    if (webhook.circuitOpenedAt) {
      console.error(`🔴 ${status.name}: Circuit breaker open since ${webhook.circuitOpenedAt}`);
    }
  }
}

// ---- the guide: Partial Update
async function updateWebhook(webhookId, updates) {
  const response = await fetch(
    `${BASE}/webhooks/${webhookId}`,
    {
      method: 'PATCH',
      headers: {
        'Authorization': `Bearer ${apiKey}`,
        'Content-Type': 'application/json'
      },
      body: JSON.stringify(updates)
    }
  );
  return await response.json();
}

// ---- the guide: Resetting Circuit Breaker
async function resetCircuitBreaker(webhookId) {
  const response = await fetch(
    `${BASE}/webhooks/${webhookId}/reset-circuit`,
    {
      method: 'POST',
      headers: { 'Authorization': `Bearer ${apiKey}` }
    }
  );
  const { data } = await response.json();
  console.log(`Circuit reset. Active: ${data.isActive}`);
  return data;
}

// ---- the guide: Delete a Webhook
async function deleteWebhook(webhookId) {
  const response = await fetch(
    `${BASE}/webhooks/${webhookId}`,
    {
      method: 'DELETE',
      headers: { 'Authorization': `Bearer ${apiKey}` }
    }
  );
  if (response.status === 204) {
    console.log('Webhook deleted successfully');
  }
}

// ---- the guide: Send Test Ping
async function testWebhook(webhookId) {
  const response = await fetch(
    `${BASE}/webhooks/${webhookId}/test`,
    {
      method: 'POST',
      headers: { 'Authorization': `Bearer ${apiKey}` }
    }
  );
  const { data } = await response.json();
  if (data.success) {
    console.log('✅ Webhook test successful');
    console.log(` Delivery ID: ${data.deliveryId}`);
    console.log(` HTTP Status: ${data.httpStatus}`);
    console.log(` Duration: ${data.durationMs}ms`);
  } else {
    console.error('❌ Webhook test failed');
    console.error(` Message: ${data.message}`);
  }
  return data;
}

// The guide calls these without defining them: a create that answers the
// webhook (with its secret), and a secrets store.
async function createWebhook(config) {
  const response = await fetch(`${BASE}/webhooks`, {
    method: 'POST',
    headers: { 'Authorization': `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(config)
  });
  const { data } = await response.json();
  return data;
}
const secretsManager = { stored: {}, async store(name, value) { this.stored[name] = value; } };

// ---- the guide: Webhook Setup Flow
async function setupWebhook(config) {
  // 1. Create webhook
  const response = await createWebhook({
    url: config.url,
    name: config.name,
    events: [2, 3, 0], // ping, interview.completed, analysis.completed
    headers: config.headers
  });
  // 2. Store signing secret securely
  await secretsManager.store(
    `WEBHOOK_SECRET_${response.id}`,
    response.signingSecret
  );
  // 3. Test connectivity
  const testResult = await testWebhook(response.id);
  if (!testResult.success) {
    // Clean up if test fails
    await deleteWebhook(response.id);
    throw new Error(`Webhook test failed: ${testResult.message}`);
  }
  // 4. Remove ping event if not needed for production
  await updateWebhook(response.id, {
    events: [3, 0] // interview.completed, analysis.completed
  });
  return response;
}

// ---- the guide: Health Check Automation
async function webhookHealthCheck() {
  const { data: webhooks } = await listWebhooks();
  const issues = [];
  for (const webhook of webhooks) {
    if (webhook.consecutiveFailures > 5) {
      issues.push({ type: 'high_failures', webhook: webhook.name, failures: webhook.consecutiveFailures });
    }
    if (webhook.circuitOpenedAt) {
      issues.push({ type: 'circuit_open', webhook: webhook.name, openedAt: webhook.circuitOpenedAt });
    }
    if (!webhook.isActive) {
      issues.push({ type: 'inactive', webhook: webhook.name });
    }
  }
  return issues;
}

// ---- the scenario
const printed = { log: [], warn: [], error: [] };
for (const level of Object.keys(printed)) {
  const original = console[level];
  console[level] = (...args) => { printed[level].push(args.join(' ')); original(...args); };
}

// The guide's listing calls, verbatim.
const { data: webhooks, total } = await listWebhooks();
console.log(`Found ${total} webhook configurations`);
const { data: companyWebhooks } = await listWebhooks(COMPANY_ID);
console.log(`Found ${companyWebhooks.length} webhooks for company`);
assert.equal(total, 2);
assert.deepEqual(webhooks.map((w) => w.id).sort(), [GLOBAL_WEBHOOK_ID, COMPANY_WEBHOOK_ID].sort());
assert.deepEqual(companyWebhooks.map((w) => w.id), [COMPANY_WEBHOOK_ID], 'the company filter excludes global webhooks');

// The test set the company webhook's circuit open after 7 failures.
await checkWebhookHealth();
const opened = companyWebhooks[0].circuitOpenedAt;
assert.ok(opened, 'circuitOpenedAt is set');
assert.deepEqual(printed.warn, [`⚠️ ${COMPANY_WEBHOOK_NAME}: 7 failures`]);
assert.deepEqual(printed.error, [`🔴 ${COMPANY_WEBHOOK_NAME}: Circuit breaker open since ${opened}`]);
assert.deepEqual(await webhookHealthCheck(), [
  { type: 'high_failures', webhook: COMPANY_WEBHOOK_NAME, failures: 7 },
  { type: 'circuit_open', webhook: COMPANY_WEBHOOK_NAME, openedAt: opened },
]);

const reset = await resetCircuitBreaker(COMPANY_WEBHOOK_ID);
assert.ok(printed.log.includes('Circuit reset. Active: true'));
assert.equal(reset.circuitOpenedAt, null);
assert.equal(reset.consecutiveFailures, 0);
assert.deepEqual(await webhookHealthCheck(), []);

// The guide's updates, with a real id for 'webhook-uuid'.
let updated = await updateWebhook(COMPANY_WEBHOOK_ID, {
  url: 'https://api.example.com/webhooks/instaview-v2'
});
assert.equal(updated.success, true);
assert.equal(updated.data.url, 'https://api.example.com/webhooks/instaview-v2');
updated = await updateWebhook(COMPANY_WEBHOOK_ID, {
  events: [0, 1, 2, 3, 4, 5] // All events
});
assert.deepEqual(updated.data.events, [
  'analysis.completed', 'analysis.failed', 'ping', 'interview.completed', 'interview.failed', 'interview.started',
]);
updated = await updateWebhook(COMPANY_WEBHOOK_ID, {
  isActive: false
});
assert.equal(updated.data.isActive, false);
updated = await updateWebhook(COMPANY_WEBHOOK_ID, {
  headers: [
    { name: 'Authorization', value: 'Bearer new-token' },
    { name: 'X-Environment', value: 'production' }
  ]
});
assert.deepEqual(updated.data.headers, [
  { name: 'Authorization', isMasked: true },
  { name: 'X-Environment', isMasked: false, value: 'production' }, // SPEC §3: unmasked values are shown
]);
assert.equal(updated.data.url, 'https://api.example.com/webhooks/instaview-v2', 'fields not sent stay');
assert.deepEqual(await webhookHealthCheck(), [{ type: 'inactive', webhook: COMPANY_WEBHOOK_NAME }]);

// The update page's "Common Update Scenarios", verbatim but for the base URL.
const webhookId = GLOBAL_WEBHOOK_ID;
await fetch(`${BASE}/webhooks/${webhookId}`, {
  method: 'PATCH',
  headers: {
    'Authorization': `Bearer ${apiKey}`,
    'Content-Type': 'application/json'
  },
  body: JSON.stringify({
    isActive: false
  })
});
await fetch(`${BASE}/webhooks/${webhookId}`, {
  method: 'PATCH',
  headers: {
    'Authorization': `Bearer ${apiKey}`,
    'Content-Type': 'application/json'
  },
  body: JSON.stringify({
    events: ["analysis.completed", "analysis.failed", "ping", "interview.completed", "interview.failed", "interview.started"]
  })
});
// Note: This replaces ALL headers
await fetch(`${BASE}/webhooks/${webhookId}`, {
  method: 'PATCH',
  headers: {
    'Authorization': `Bearer ${apiKey}`,
    'Content-Type': 'application/json'
  },
  body: JSON.stringify({
    headers: [
      { name: 'Authorization', value: 'Bearer new-token' },
      { name: 'X-Environment', value: 'production' }
    ]
  })
});
const [global] = (await listWebhooks()).data.filter((w) => w.id === GLOBAL_WEBHOOK_ID);
assert.equal(global.isActive, false);
assert.equal(global.events.length, 6);
assert.deepEqual(global.headers.map((h) => h.name), ['Authorization', 'X-Environment']);

await deleteWebhook(GLOBAL_WEBHOOK_ID);
assert.ok(printed.log.includes('Webhook deleted successfully'));
const gone = await fetch(`${BASE}/webhooks/${GLOBAL_WEBHOOK_ID}`, { headers: { 'Authorization': `Bearer ${apiKey}` } });
assert.equal(gone.status, 404);
assert.equal((await listWebhooks()).total, 1);
// The setup flow against a receiver on loopback that answers 200 ...
const created = await setupWebhook({
  url: `${process.env.RECEIVER_URL}/ok`,
  name: 'Setup flow',
  headers: [{ name: 'Authorization', value: 'Bearer receiver-token' }]
});
assert.match(secretsManager.stored[`WEBHOOK_SECRET_${created.id}`], /^[0-9a-f]{64}$/);
assert.ok(printed.log.includes('✅ Webhook test successful'));
assert.ok(printed.log.includes(' HTTP Status: 200'));
const [afterSetup] = (await listWebhooks()).data.filter((w) => w.id === created.id);
assert.deepEqual(afterSetup.events, ['interview.completed', 'analysis.completed'], 'ping dropped after the test');

// ... and one that answers 500: the flow deletes the webhook and throws.
await assert.rejects(
  setupWebhook({ url: `${process.env.FAILING_RECEIVER_URL}/fail`, name: 'Failing', headers: [] }),
  { message: 'Webhook test failed: Webhook test failed: HTTP 500' }
);
assert.ok(printed.error.includes(' Message: Webhook test failed: HTTP 500'));
assert.equal((await listWebhooks()).data.filter((w) => w.name === 'Failing').length, 0, 'cleaned up');
console.log('all seed examples passed');
