// Milliseconds from navigation to an interactive, hydrated /signin form in headless Chromium:
// cold (a fresh browser context, empty cache) and warm (the same context again). Also lists
// every same-origin URL the cold load fetched until the network went quiet, so the download
// size counts what a browser really takes (lazily loaded chunks included), not a guess.
// Usage: node page_load.mjs <base-url> <runs>
import { createRequire } from 'node:module';

// Playwright is installed once, in end2end/.
const { chromium } = createRequire(new URL('../end2end/package.json', import.meta.url))('@playwright/test');

const [base, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });

// Records performance.now() (ms since navigation start) when the app marks <body> hydrated.
const recordHydration = () => {
  new MutationObserver((_, observer) => {
    if (document.body?.dataset.hydrated === 'true') {
      window.__hydratedAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};

async function measure(page) {
  await page.goto(`${base}/signin`);
  await page.waitForFunction(() => window.__hydratedAt !== undefined);
  return page.evaluate(() => window.__hydratedAt);
}

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cold = [];
const warm = [];
const fetched = new Set();
for (let run = 0; run < runs; run += 1) {
  const context = await browser.newContext();
  await context.addInitScript(recordHydration);
  const page = await context.newPage();
  if (run === 0) {
    page.on('request', (request) => {
      if (request.url().startsWith(base)) fetched.add(new URL(request.url()).pathname);
    });
  }
  cold.push(await measure(page));
  if (run === 0) {
    await page.waitForLoadState('networkidle');
    page.removeAllListeners('request');
  }
  warm.push(await measure(page));
  await context.close();
}
await browser.close();
console.log(JSON.stringify({ cold_ms: median(cold), warm_ms: median(warm), runs, fetched: [...fetched].sort() }));
