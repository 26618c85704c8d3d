import { expect, test, type BrowserContext } from '@playwright/test';
import { createKey, freshAccount } from '../tests/helpers';
import { emulatePhone } from '../tests/phone';

// The console's first load on the phone profile (tests/phone.ts), each run in
// a new browser context, so with an empty cache:
//   visible      first contentful paint
//   interactive  the WebAssembly has hydrated the page (its buttons work)
//   wasm         bytes of WebAssembly on the wire, headers included
// `npx playwright test -c bench` from end2end/ after `make run`'s build
// (HERALD_BIN for another binary, HERALD_BENCH_RUNS for more runs). It fails
// when a page's slowest run misses the targets below.
const RUNS = Number(process.env.HERALD_BENCH_RUNS ?? 3);
const INTERACTIVE_TARGET_MS = 3000;
const WASM_TARGET_BYTES = 350 * 1024;

interface Run {
  visibleMs: number;
  interactiveMs: number;
  wasmBytes: number;
}

/** Records, in the page, when `.app` turns `data-hydrated="true"`. */
const WATCH_HYDRATION = () => {
  const times = ((window as any).__herald = { interactive: 0 });
  new MutationObserver(() => {
    const app = document.querySelector('.app') as HTMLElement | null;
    if (!times.interactive && app?.dataset.hydrated === 'true') times.interactive = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true });
};

async function measure(context: BrowserContext, path: string): Promise<Run> {
  const page = await context.newPage();
  const phone = await emulatePhone(page);
  await page.addInitScript(WATCH_HYDRATION);
  await page.goto(path);
  await expect(page.locator('.app[data-hydrated="true"]')).toBeAttached({ timeout: 60_000 });
  const { visibleMs, interactiveMs } = await page.evaluate(() => ({
    visibleMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    interactiveMs: (window as any).__herald.interactive as number,
  }));
  const run = { visibleMs, interactiveMs, wasmBytes: phone.wasmBytesOnTheWire() };
  await page.close();
  return run;
}

function summary(page: string, runs: Run[]): string {
  const spread = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${sorted[Math.floor(sorted.length / 2)].toFixed(0)} (${sorted[0].toFixed(0)}–${sorted[sorted.length - 1].toFixed(0)})`;
  };
  return [
    page.padEnd(22),
    `visible ${spread(runs.map((r) => r.visibleMs))} ms`.padEnd(30),
    `interactive ${spread(runs.map((r) => r.interactiveMs))} ms`.padEnd(34),
    `wasm ${(runs[0].wasmBytes / 1024).toFixed(0)} KiB`,
  ].join(' ');
}

test('first load on the phone profile: visible, interactive, wasm on the wire', async ({ browser, baseURL }) => {
  const key = createKey('read:webhooks,write:webhooks', freshAccount('bench'));
  const pages: [string, string, boolean][] = [
    ['sign-in', '/console/sign-in', false],
    ['webhooks', '/console/webhooks', true],
  ];
  const lines: string[] = [];
  for (const [name, path, signedIn] of pages) {
    const runs: Run[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext();
      if (signedIn) {
        const response = await context.request.post(`${baseURL}/console/fn/sign_in`, { form: { api_key: key } });
        expect(response.status()).toBe(200);
      }
      runs.push(await measure(context, path));
      await context.close();
    }
    lines.push(summary(name, runs));
    for (const run of runs) {
      expect.soft(run.interactiveMs, `${name}: interactive`).toBeLessThanOrEqual(INTERACTIVE_TARGET_MS);
      expect.soft(run.wasmBytes, `${name}: wasm on the wire`).toBeLessThanOrEqual(WASM_TARGET_BYTES);
    }
  }
  console.log(`\nfirst load, ${RUNS} runs each: median (min–max)\n${lines.join('\n')}\n`);
});
