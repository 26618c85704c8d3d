import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

// The first-load benchmark: the binary `make run` serves (HERALD_BIN to
// measure another), on a port and data directory of its own.
const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/herald/target');
process.env.HERALD_BIN ??= join(targetDir, 'fast-link/herald');
process.env.HERALD_E2E_PORT ??= String(20000 + Math.floor(Math.random() * 20000));
process.env.HERALD_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'herald-bench-'));
const baseURL = `http://127.0.0.1:${process.env.HERALD_E2E_PORT}`;

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  workers: 1,
  retries: 0,
  timeout: 10 * 60_000,
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
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
