import type { Page } from '@playwright/test';
import { test, expect, hydrated, watchForErrors } from './fixtures';
import { createAccount, signIn } from './helpers';

/** The build's files (JS, WASM, CSS, page chunks) the page at the current address fetched. */
async function buildFilesFetched(page: Page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => entry as PerformanceResourceTiming)
    .filter((entry) => new URL(entry.name).pathname.startsWith('/pkg/'))
    .map((entry) => ({ path: new URL(entry.name).pathname, transferSize: entry.transferSize })));
}

test('the build\'s files are named after their content, so a browser keeps them without asking again', async ({ page, request }) => {
  await page.goto('/signin');
  await hydrated(page);
  const files = await buildFilesFetched(page);
  for (const kind of ['css', 'js', 'wasm']) {
    expect(files.some(({ path }) => path.endsWith(`.${kind}`)), kind).toBe(true);
  }
  for (const { path } of files) {
    expect(path).toMatch(/\.[A-Za-z0-9_-]{22}\.(css|js|wasm)$/);
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['cache-control'], path).toBe('public, max-age=31536000, immutable');
  }

  // The next visit takes every one of them from the browser's cache: not even a 304.
  await page.goto('/signin');
  await hydrated(page);
  const again = await buildFilesFetched(page);
  expect(again.length).toBeGreaterThan(0);
  expect(again.filter(({ transferSize }) => transferSize > 0)).toEqual([]);

  // A name of another release's file is answered 404, an answer never reused without asking.
  const gone = await request.get('/pkg/gatehouse.AAAAAAAAAAAAAAAAAAAAAA.wasm');
  expect(gone.status()).toBe(404);
  expect(gone.headers()['cache-control']).toBe('no-cache');
});

test('a page whose code is gone, as after a new release, loads afresh instead of stopping the app', async ({ page, request }) => {
  // Only a split build fetches a page's code when the page is first shown.
  test.skip(process.env.GATEHOUSE_E2E_SITE !== undefined, 'the one-bundle build has no page chunks');
  const { email } = await createAccount(request, 'Release');
  await signIn(page, email);
  const errors = watchForErrors(page);

  // As after a deploy: the settings chunk this tab knows of is no longer on the server, until
  // the page is loaded afresh (the new release's page names the chunks it has).
  let reloaded = false;
  page.on('request', (sent) => {
    if (sent.isNavigationRequest() && sent.frame() === page.mainFrame()) reloaded = true;
  });
  await page.route('**/pkg/split_*settings*.wasm', (route) => (reloaded ? route.continue() : route.fulfill({ status: 404 })));
  await page.evaluate(() => Object.assign(window, { beforeTheRelease: true }));

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await hydrated(page);
  expect(reloaded).toBe(true);
  expect(await page.evaluate(() => 'beforeTheRelease' in window)).toBe(false);

  // The gone chunk's 404, and the chunk loader saying so, are the only errors: no panic.
  expect(errors.filter((error) => !/status of 404|HTTP status code is not ok/.test(error))).toEqual([]);
});
