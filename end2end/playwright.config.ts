import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

// This file is loaded by the runner and again by every worker: settle the
// values once, in the environment the workers inherit. scripts/test.sh sets
// them; these defaults let `npx playwright test` run on its own too.
const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/herald/target');
process.env.HERALD_BIN ??= join(targetDir, 'debug/herald');
process.env.HERALD_E2E_PORT ??= String(20000 + Math.floor(Math.random() * 20000));
process.env.HERALD_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'herald-e2e-'));

const baseURL = `http://127.0.0.1:${process.env.HERALD_E2E_PORT}`;

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
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `"${process.env.HERALD_BIN}" serve`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      HERALD_ADDR: `127.0.0.1:${process.env.HERALD_E2E_PORT}`,
      HERALD_DATA_DIR: process.env.HERALD_E2E_DATA_DIR,
      HERALD_LOG: 'warn',
    },
  },
});
