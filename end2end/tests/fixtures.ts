import { test as base, expect, type Page } from '@playwright/test';

/** Collects console errors, uncaught exceptions and WASM panics; a test fails if any occurred. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // Chromium logs every 4xx answer to a fetch; the API's refusals are expected answers
    // (a wrong password, an expired token), not errors of the app.
    const apiRefusal = /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())
      && new URL(message.location().url || 'http://x/').pathname.startsWith('/api/');
    if (apiRefusal) return;
    if (message.type() === 'error' || (message.type() === 'warning' && /hydrat/i.test(message.text()))) {
      errors.push(`console ${message.type()}: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return errors;
}

/** A page whose console must stay clean for the whole test. */
export const test = base.extend<{ errors: string[] }>({
  errors: async ({ page }, use) => {
    const errors = watchForErrors(page);
    await use(errors);
    expect(errors, 'no console error, hydration warning or WASM panic').toEqual([]);
  },
});

export { expect };

/** Waits until the WASM has hydrated the page (the app marks <body> when it has). */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

const WASM = '**/*.wasm';

/** Keeps the WASM from loading, so the page stays the HTML the server rendered. */
export async function blockWasm(page: Page) {
  await page.route(WASM, (route) => route.abort());
}

/** Lets the WASM load again, from the next navigation on. */
export async function allowWasm(page: Page) {
  await page.unroute(WASM);
}

/**
 * Loads `path` as the server rendered it (WASM blocked), runs `beforeHydration` on that, then
 * loads it again and lets it hydrate: the two screenshots must be identical.
 */
export async function expectUnchangedByHydration(page: Page, path: string, label: string, beforeHydration?: () => Promise<void>) {
  await blockWasm(page);
  await page.goto(path);
  await beforeHydration?.();
  const serverHtml = await page.screenshot({ fullPage: true });
  await allowWasm(page);
  await page.reload();
  await hydrated(page);
  const hydratedPage = await page.screenshot({ fullPage: true });
  expect(hydratedPage.equals(serverHtml), `${label} changed as it hydrated`).toBe(true);
}
