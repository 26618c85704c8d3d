import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Settles, once, in the environment the workers inherit, which binary to
 *  serve (`HERALD_BIN`, by default `<profile>/herald` of the build's target
 *  directory), on which port and with which data directory; returns the base URL.
 *  A config file is loaded by the runner and again by every worker. */
export function settleServer(profile: string, dataDirPrefix: string): string {
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/herald/target');
  process.env.HERALD_BIN ??= join(targetDir, profile, 'herald');
  process.env.HERALD_E2E_PORT ??= String(20000 + Math.floor(Math.random() * 20000));
  process.env.HERALD_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), dataDirPrefix));
  // The port of a page that frames the portal (portal.spec.ts serves it).
  process.env.HERALD_E2E_FRAME_PORT ??= String(Number(process.env.HERALD_E2E_PORT) + 1);
  return `http://127.0.0.1:${process.env.HERALD_E2E_PORT}`;
}

/** Debian's Chromium, headless, with nothing of its own on the network. */
export const chromium = {
  browserName: 'chromium' as const,
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
};

/** The real `herald serve` of `settleServer`, started before the tests and stopped after. */
export function heraldServer(baseURL: string) {
  return {
    command: `"${process.env.HERALD_BIN}" serve`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      HERALD_ADDR: `127.0.0.1:${process.env.HERALD_E2E_PORT}`,
      HERALD_DATA_DIR: process.env.HERALD_E2E_DATA_DIR!,
      HERALD_LOG: 'warn',
      HERALD_PORTAL_FRAME_ANCESTORS: `http://127.0.0.1:${process.env.HERALD_E2E_FRAME_PORT}`,
    },
  };
}
