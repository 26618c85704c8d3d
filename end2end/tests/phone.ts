import type { Page } from '@playwright/test';

/** The phone the console must serve well, as Lighthouse's mobile runs throttle:
 *  Chromium's CPU slowed 4x, 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trips. */
export const PHONE = {
  cpuSlowdown: 4,
  latencyMs: 150,
  downloadBytesPerSecond: (1.6 * 1024 * 1024) / 8,
  uploadBytesPerSecond: (750 * 1024) / 8,
};

export interface WasmResponse {
  url: string;
  headers: Record<string, string>;
}

export interface Phone {
  /** Bytes of WebAssembly that came over the network, headers included, since emulation began. */
  wasmBytesOnTheWire(): number;
  /** The bundle's responses seen so far (a cached one is not a response). */
  wasmResponses(): WasmResponse[];
}

/** Emulates the phone on `page` through the DevTools protocol and watches its wasm traffic. */
export async function emulatePhone(page: Page): Promise<Phone> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PHONE.latencyMs,
    downloadThroughput: PHONE.downloadBytesPerSecond,
    uploadThroughput: PHONE.uploadBytesPerSecond,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE.cpuSlowdown });

  const wasmRequests = new Set<string>();
  const responses: WasmResponse[] = [];
  let bytes = 0;
  cdp.on('Network.responseReceived', (event) => {
    if (!event.response.url.endsWith('.wasm')) return;
    wasmRequests.add(event.requestId);
    if (event.response.fromDiskCache || event.response.fromPrefetchCache) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.response.headers)) {
      headers[name.toLowerCase()] = String(value);
    }
    responses.push({ url: event.response.url, headers });
  });
  cdp.on('Network.loadingFinished', (event) => {
    if (wasmRequests.has(event.requestId)) bytes += event.encodedDataLength;
  });
  return {
    wasmBytesOnTheWire: () => bytes,
    wasmResponses: () => responses,
  };
}
