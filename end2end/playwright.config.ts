import { defineConfig } from '@playwright/test';
import { chromium, heraldServer, settleServer } from './herald-server';

// scripts/test.sh sets HERALD_BIN and the rest; these defaults let
// `npx playwright test` run on its own too, on the debug build.
const baseURL = settleServer('debug', 'herald-e2e-');

export default defineConfig({
  testDir: './tests',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  globalTimeout: 20 * 60_000,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  use: {
    baseURL,
    ...chromium,
    trace: 'retain-on-failure',
  },
  webServer: heraldServer(baseURL),
});
