import { defineConfig } from '@playwright/test';
import { chromium, heraldServer, settleServer } from '../herald-server';

// The first-load benchmark: the binary `make run` serves (HERALD_BIN to
// measure another), on a port and data directory of its own.
const baseURL = settleServer('fast-link', 'herald-bench-');

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  workers: 1,
  retries: 0,
  timeout: 10 * 60_000,
  reporter: [['list']],
  use: { baseURL, ...chromium },
  webServer: heraldServer(baseURL),
});
